import { redirect } from "@remix-run/node";
import { liveSessionRole } from "#app/models/platform/sessions.server.ts";
import { getAuth, PLATFORM_ROLES, type PlatformRole } from "./auth.server.ts";
import { getRequestContext } from "./request-context.server.ts";
import type { SessionUser } from "#app/utils/session-user.ts";

export type { SessionUser } from "#app/utils/session-user.ts";

export type CurrentSession = { user: SessionUser; sessionId: string; activeOrganizationId: string | null };

function toRole(value: unknown): PlatformRole {
  return PLATFORM_ROLES.find((role) => role === value) ?? "user";
}

/**
 * Verified sessions, per process, for a few seconds. better-auth's cookie
 * cache already trusts the signed session cookie for 5 minutes; this saves
 * re-verifying the same cookie on every request (about a millisecond of
 * better-auth's machinery each time). Keyed by the exact session cookies, so a
 * new or refreshed cookie is looked up afresh; signing out evicts its entry.
 */
const VERIFIED_TTL_MS = 30_000;
const VERIFIED_MAX = 10_000;
const verified = new Map<string, { session: CurrentSession; until: number }>();

function sessionCookieKey(request: Request): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  const parts = header
    .split(";")
    .map((c) => c.trim())
    .filter((c) => /^(__Secure-)?distinct\.session_(token|data)=/.test(c))
    .sort();
  return parts.length > 0 ? parts.join("; ") : null;
}

export function forgetVerifiedSession(request: Request): void {
  const key = sessionCookieKey(request);
  if (key) verified.delete(key);
}

/**
 * The session the cookies carry, if it still stands. The signed cookie (and
 * the per-process map above) save verifying and reading the user; whether
 * the session still exists is asked of the database on every request, so a
 * password reset, a ban or "sign out everywhere" ends it at the next request.
 */
async function lookup(request: Request): Promise<CurrentSession | null> {
  const key = sessionCookieKey(request);
  if (!key) return null;
  const current = await fromCookies(request, key);
  if (!current) return null;
  const live = await liveSessionRole(current.sessionId);
  if (live) return { ...current, user: { ...current.user, role: toRole(live.role) } };
  verified.delete(key);
  return null;
}

async function fromCookies(request: Request, key: string): Promise<CurrentSession | null> {
  const hit = verified.get(key);
  if (hit && hit.until > Date.now()) return hit.session;
  if (hit) verified.delete(key);
  const { headers, response } = await getAuth().api.getSession({
    headers: request.headers,
    returnHeaders: true,
  });
  // A refreshed cookie cache or session expiry comes back as Set-Cookie:
  // hand it to the response through the request context.
  const refreshed = headers.getSetCookie();
  const context = getRequestContext();
  if (context) for (const cookie of refreshed) context.appendSetCookie(cookie);
  if (!response) return null;
  const { user, session } = response;
  if (user.banned) return null;
  const current: CurrentSession = {
    user: {
      id: user.id,
      name: user.name,
      email: user.email,
      role: toRole(user.role),
      emailVerified: user.emailVerified,
    },
    sessionId: session.id,
    activeOrganizationId: session.activeOrganizationId ?? null,
  };
  // Only cookies that are still current are worth remembering.
  if (refreshed.length === 0) {
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value ?? "");
    verified.set(key, { session: current, until: Math.min(Date.now() + VERIFIED_TTL_MS, new Date(session.expiresAt).getTime()) });
  }
  return current;
}

/** The signed-in session, or null. Looked up once per request however many loaders ask. */
export async function getSession(request: Request): Promise<CurrentSession | null> {
  const context = getRequestContext();
  if (!context) return lookup(request);
  context.sessionPromise ??= lookup(request);
  return context.sessionPromise as Promise<CurrentSession | null>;
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  return (await getSession(request))?.user ?? null;
}

function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  const query = redirectTo === "/" ? "" : `?${new URLSearchParams({ redirectTo })}`;
  return redirect(`/login${query}`);
}

/** The signed-in user; otherwise a redirect to sign in that comes back here. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) throw loginRedirect(request);
  return user;
}

/** For sign-in and sign-up pages: a signed-in visitor goes to their learning. */
export async function requireAnonymous(request: Request): Promise<void> {
  if (await getUser(request)) throw redirect("/learning");
}

/**
 * A user with this platform role (admins pass every check). Otherwise 403
 * with the reason; not signed in: redirect to sign in.
 */
export async function requirePlatformRole(request: Request, role: "admin" | "author"): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.role === "admin" || user.role === role) return user;
  throw new Response(
    role === "admin" ? "This page is for platform administrators." : "This page is for trust authors and administrators.",
    { status: 403, statusText: "Forbidden" },
  );
}
