import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { assertAuthRateLimit, RateLimitedError } from "#app/services/account.server.ts";
import { isAllowedAuthRequest } from "#app/utils/auth-allow-list.ts";
import { getAuth } from "#app/services/auth.server.ts";

/**
 * better-auth's own HTTP API, limited to the account endpoints on the
 * allow-list (auth-allow-list.ts); every other path is a 404. Sign-in and
 * sign-up here are rate-limited per client address like the forms.
 */
function notFound() {
  return Response.json({ code: "NOT_FOUND", message: "Not found" }, { status: 404 });
}

export async function loader({ request }: LoaderFunctionArgs) {
  if (!isAllowedAuthRequest(request.method, new URL(request.url).pathname)) return notFound();
  return getAuth().handler(request);
}

export async function action({ request }: ActionFunctionArgs) {
  const path = new URL(request.url).pathname;
  if (!isAllowedAuthRequest(request.method, path)) return notFound();
  try {
    if (path.startsWith("/api/auth/sign-in")) await assertAuthRateLimit("sign-in");
    if (path.startsWith("/api/auth/sign-up")) await assertAuthRateLimit("sign-up");
    if (path.startsWith("/api/auth/request-password-reset") || path.startsWith("/api/auth/forget-password")) {
      await assertAuthRateLimit("reset");
    }
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return Response.json(
        { code: "TOO_MANY_REQUESTS", message: error.message },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    }
    throw error;
  }
  return getAuth().handler(request);
}
