import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { assertAuthRateLimit, RateLimitedError } from "#app/models/account.server.ts";
import { getAuth } from "#app/utils/auth.server.ts";

/**
 * better-auth's own HTTP API. The pages use Remix forms and call auth on the
 * server, but this stays for clients that use it; sign-in and sign-up here
 * are rate-limited per client address like the forms.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return getAuth().handler(request);
}

export async function action({ request }: ActionFunctionArgs) {
  const path = new URL(request.url).pathname;
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
