/**
 * The only better-auth endpoints reachable over HTTP at /api/auth/*.
 *
 * better-auth registers every endpoint of every plugin (organisation members,
 * roles, invitations, teams; admin users, bans, impersonation ...). Our pages
 * call none of them: organisation changes go through our models, which check
 * scope, audit and count seats. Left open, they were a second front door with
 * weaker rules (issue 14). What stays is the account flow our own pages use
 * through auth.api on the server, with the same rate limits and validation.
 * Everything else answers 404. See docs/decisions/016-auth-api-allow-list.md.
 *
 * A test (tests/unit/auth-allow-list.test.ts) checks each entry is an
 * endpoint better-auth registers and that our code calls through auth.api;
 * the route × role matrix checks every other endpoint is a 404.
 */
export const AUTH_HTTP_ALLOW_LIST = [
  { method: "POST", path: "/sign-up/email" },
  { method: "POST", path: "/sign-in/email" },
  { method: "POST", path: "/sign-out" },
  { method: "POST", path: "/request-password-reset" },
  { method: "POST", path: "/reset-password" },
  // Single sign-on (issue 19, ADR 034): start at the organisation's provider,
  // and the provider's redirect back (a GET by the protocol, bound to the
  // state and PKCE verifier the start stored).
  { method: "POST", path: "/sign-in/sso" },
  { method: "GET", path: "/sso/callback/:providerId" },
  // SAML 2.0 (ADR 037): the identity provider's auto-posted answer to our
  // AuthnRequest (a cross-site form POST, so the front door's origin check
  // skips this one path: the signed assertion is the proof), and Distinct's
  // service-provider metadata for the force's IT team. The sign-in start is
  // POST /sign-in/sso above; logout endpoints stay closed.
  { method: "POST", path: "/sso/saml2/sp/acs/:providerId" },
  { method: "GET", path: "/sso/saml2/sp/metadata" },
  // Magic link: ask for one. It is used on our own page (/login/magic-link),
  // which asks for a button press: the GET verify is not open (mail scanners).
  { method: "POST", path: "/sign-in/magic-link" },
] as const;

export const AUTH_BASE_PATH = "/api/auth";

/** Whether this request may reach better-auth's handler. */
export function isAllowedAuthRequest(method: string, pathname: string): boolean {
  if (!pathname.startsWith(`${AUTH_BASE_PATH}/`)) return false;
  const path = pathname.slice(AUTH_BASE_PATH.length).replace(/\/+$/, "");
  const verb = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  return AUTH_HTTP_ALLOW_LIST.some((entry) => entry.method === verb && pathMatches(entry.path, path));
}

/** `/sso/callback/:providerId` matches one non-empty segment where the parameter is. */
function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split("/");
  const got = path.split("/");
  return want.length === got.length && want.every((part, i) => (part.startsWith(":") ? /^[^/]+$/.test(got[i] ?? "") : part === got[i]));
}
