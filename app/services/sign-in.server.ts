import { APIError } from "better-auth/api";
import { assertAuthRateLimit, RateLimitedError, type AccountFailure } from "#app/services/account.server.ts";
import { getAuth } from "#app/services/auth.server.ts";
import { ssoRouteForEmail, type SsoRoute } from "#app/models/organisations/sso.server.ts";

/**
 * The sign-in routes beside the password: an organisation's own identity
 * provider (OpenID Connect through @better-auth/sso) and a mailed one-time
 * link (better-auth's magic link). Both go through auth.api on the server,
 * with the same per-connection limits as the password form.
 */

function errorCode(error: unknown): string | undefined {
  if (error instanceof APIError) {
    const body: unknown = error.body;
    if (body && typeof body === "object" && "code" in body && typeof body.code === "string") return body.code;
  }
  return undefined;
}

export type SignInRoute = { kind: "sso"; route: SsoRoute } | { kind: "password" };

/** Where /login sends this address: its organisation's provider, or the password. */
export async function signInRouteFor(email: string): Promise<SignInRoute> {
  const route = await ssoRouteForEmail(email);
  return route ? { kind: "sso", route } : { kind: "password" };
}

/**
 * The provider's sign-in address for this person, with PKCE and a state
 * stored by better-auth. The headers carry any cookie the start set.
 */
export async function startSso(
  request: Request,
  email: string,
  redirectTo: string,
): Promise<{ ok: true; url: string; headers: Headers } | AccountFailure> {
  try {
    await assertAuthRateLimit("sign-in");
  } catch (error) {
    if (error instanceof RateLimitedError) return { ok: false, status: 429, formError: error.message };
    throw error;
  }
  const route = await ssoRouteForEmail(email);
  if (!route) return { ok: false, status: 400, fieldErrors: { email: ["Your organisation does not sign in with its own account service. Use your password."] } };
  try {
    const { headers, response } = await getAuth().api.signInSSO({
      body: { providerId: route.providerId, loginHint: email, callbackURL: redirectTo, errorCallbackURL: "/login" },
      headers: request.headers,
      returnHeaders: true,
    });
    return { ok: true, url: response.url, headers };
  } catch (error) {
    if (error instanceof APIError && error.statusCode < 500) {
      return {
        ok: false,
        status: 400,
        formError: "Your organisation's sign-in service could not be reached. Try again later, or ask your training lead to check the single sign-on settings.",
      };
    }
    throw error;
  }
}

/** Mails a one-time sign-in link if an account exists; the page says the same either way. */
export async function requestMagicLink(request: Request, email: string): Promise<{ ok: true } | AccountFailure> {
  try {
    await assertAuthRateLimit("sign-in");
    await getAuth().api.signInMagicLink({ body: { email, callbackURL: "/learning" }, headers: request.headers });
    return { ok: true };
  } catch (error) {
    if (error instanceof RateLimitedError) return { ok: false, status: 429, formError: error.message };
    const code = errorCode(error);
    if (error instanceof APIError && (code === "SSO_REQUIRED" || code === "TOO_MANY_REQUESTS")) {
      return { ok: false, status: code === "SSO_REQUIRED" ? 403 : 429, formError: error.body?.message ?? "Try again later." };
    }
    if (error instanceof APIError && error.statusCode === 400) {
      return { ok: false, status: 400, fieldErrors: { email: ["Enter an email address in the correct format, like name@example.org"] } };
    }
    throw error;
  }
}

/**
 * Signs in with the token from a mailed link. better-auth consumes the token
 * on first use and refuses it after 15 minutes; either refusal is a redirect
 * carrying `error`, which becomes a 400 here.
 */
export async function signInWithMagicLink(request: Request, token: string): Promise<{ ok: true; headers: Headers } | AccountFailure> {
  const response = await getAuth().api.magicLinkVerify({
    query: { token, callbackURL: "/learning", errorCallbackURL: "/login" },
    headers: request.headers,
    asResponse: true,
  });
  const location = response.headers.get("location") ?? "";
  const signedIn = response.headers.getSetCookie().some((cookie) => /session_token=[^;]/.test(cookie));
  if (!signedIn || /[?&]error=/.test(location)) {
    return { ok: false, status: 400, formError: "This sign-in link has expired or has already been used. Ask for a new one." };
  }
  const headers = new Headers();
  for (const cookie of response.headers.getSetCookie()) headers.append("Set-Cookie", cookie);
  return { ok: true, headers };
}
