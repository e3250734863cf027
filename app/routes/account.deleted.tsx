import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Your account has been deleted – Distinct" }];

export default function AccountDeletedPage() {
  return (
    <div className="two-thirds">
      <h1>Your account has been deleted</h1>
      <p>
        Your name and email address have been erased and you have been signed out. Certificates issued to you can no
        longer be verified.
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";
