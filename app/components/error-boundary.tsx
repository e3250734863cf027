import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";

type StatusHandler = (info: { status: number; message: string }) => ReactNode;

const defaultHandlers: Record<number, StatusHandler> = {
  400: ({ message }) => (
    <>
      <h1>There is a problem with the request</h1>
      <p>{message || "Something in the request was not right. Go back and try again."}</p>
    </>
  ),
  403: ({ message }) => (
    <>
      <h1>You cannot see this page</h1>
      <p>{message || "Your account does not have access to this page."}</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </>
  ),
  404: ({ message }) => (
    <>
      <h1>Page not found</h1>
      <p>{message || "If you typed the web address, check it is correct. If you pasted it, check you copied all of it."}</p>
      <p>
        <Link to="/modules">Browse the modules</Link> or <Link to="/">go to the home page</Link>.
      </p>
    </>
  ),
  429: ({ message }) => (
    <>
      <h1>Too many attempts</h1>
      <p>{message || "Wait a minute, then try again."}</p>
    </>
  ),
};

/**
 * The error page every route renders. A thrown Response shows a page for its
 * status; anything else is a 500 that says sorry without leaking details.
 */
export function GeneralErrorBoundary({ statusHandlers }: { statusHandlers?: Record<number, StatusHandler> }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const handler = statusHandlers?.[error.status] ?? defaultHandlers[error.status];
    const message = typeof error.data === "string" ? error.data : "";
    if (handler) return <div className="error-page">{handler({ status: error.status, message })}</div>;
    return (
      <div className="error-page">
        <h1>
          {error.status} {error.statusText}
        </h1>
        {message ? <p>{message}</p> : null}
      </div>
    );
  }
  return (
    <div className="error-page">
      <h1>Sorry, there is a problem with the service</h1>
      <p>Try again later. Your progress is saved.</p>
    </div>
  );
}
