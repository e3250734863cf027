import { redirect } from "@remix-run/node";
import { liveSessionRole, forgetLiveSession } from "#app/models/platform/sessions.server.ts";
import { getCookieCache } from "better-auth/cookies";
import { z } from "zod";
import { getAuth, PLATFORM_ROLES, type PlatformRole } from "#app/services/auth.server.ts";
import { getRequestContext } from "#app/services/request-context.server.ts";
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
  if (!key) return;
  const hit = verified.get(key);
  if (hit) forgetLiveSession(hit.session.sessionId);
  verified.delete(key);
}

/**
 * The session the cookies carry, if it still stands. The signed cookie (and
 * the per-process map above) save verifying and reading the user; whether
 * the session still exists is asked of the database at most every few
 * seconds per session (liveSessionRole), and at once after this process ends
 * it, so a password reset, a ban or "sign out everywhere" ends it within
 * SESSION_LIVE_CHECK_MS (docs/decisions/027).
 */
async function lookup(request: Request): Promise<CurrentSession | null> {
  const key = sessionCookieKey(request);
  if (!key) return null;
  const current = await fromCookies(request, key);
  if (!current) return null;
  const live = await liveSessionRole(current.sessionId, current.user.id);
  if (live) return { ...current, user: { ...current.user, role: toRole(live.role) } };
  verified.delete(key);
  return null;
}

/** What this code reads of better-auth's cookie cache (already verified and schema-checked by better-auth). */
const CookieCacheSchema = z.object({
  session: z.object({ id: z.string(), token: z.string(), expiresAt: z.coerce.date(), activeOrganizationId: z.string().nullish() }),
  user: z.object({ id: z.string(), name: z.string(), email: z.string(), emailVerified: z.boolean(), role: z.string().nullish(), banned: z.boolean().nullish() }),
});

type CookieSettings = { secret: string; isSecure: boolean; sessionTokenName: string };
const cookieSettings = new WeakMap<object, Promise<CookieSettings>>();

function settingsOf(auth: ReturnType<typeof getAuth>): Promise<CookieSettings> {
  let settings = cookieSettings.get(auth);
  if (!settings) {
    settings = auth.$context.then((context) => ({
      secret: context.secret,
      isSecure: context.authCookies.sessionData.name.startsWith("__Secure-"),
      sessionTokenName: context.authCookies.sessionToken.name,
    }));
    cookieSettings.set(auth, settings);
  }
  return settings;
}

/** The token part of the signed session-token cookie (`token.signature`), unverified. */
function sessionTokenOf(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      return null;
    }
    const dot = value.lastIndexOf(".");
    return dot > 0 ? value.slice(0, dot) : null;
  }
  return null;
}

/**
 * The session from better-auth's cookie cache alone: one HMAC (the
 * session_data cookie's signature, checked by better-auth's getCookieCache)
 * and no database. The session token cookie must name the same session; its
 * own signature is not checked again, since the signed session_data already
 * vouches for that token. Null when the cache is missing, expired or does not
 * match: better-auth's getSession then reads the database and renews it,
 * exactly as before.
 */
async function fromCookieCache(request: Request): Promise<{ current: CurrentSession; expiresAt: number } | null> {
  const settings = await settingsOf(getAuth());
  const token = sessionTokenOf(request, settings.sessionTokenName);
  // A cookie that is not even well-formed goes the slow way (without it, see withoutCookieCache).
  if (!token || !wellFormedCookieCache(request)) return null;
  const cached = await getCookieCache(request, { secret: settings.secret, cookiePrefix: "distinct", isSecure: settings.isSecure }).catch(() => null);
  const payload = CookieCacheSchema.safeParse(cached);
  if (!payload.success) return null;
  const { session, user } = payload.data;
  if (session.token !== token) return null;
  if (session.expiresAt.getTime() <= Date.now() || user.banned) return null;
  return {
    current: {
      user: { id: user.id, name: user.name, email: user.email, role: toRole(user.role), emailVerified: user.emailVerified },
      sessionId: session.id,
      activeOrganizationId: session.activeOrganizationId ?? null,
    },
    expiresAt: session.expiresAt.getTime(),
  };
}

/** Every session_data cookie is base64url (better-auth's compact cache), so decoding it cannot throw or log. */
function wellFormedCookieCache(request: Request): boolean {
  const values = (request.headers.get("cookie") ?? "")
    .split(";")
    .filter((part) => /^\s*(__Secure-)?distinct\.session_data(\.\d+)?=/.test(part))
    .map((part) => part.slice(part.indexOf("=") + 1).trim());
  return values.length > 0 && values.every((value) => /^[A-Za-z0-9_-]+$/.test(value));
}

/**
 * The request's headers without the cookie cache, for better-auth's
 * getSession: it is only called when the cache was missing, expired or
 * unusable, and a malformed one made it throw (a 500 for the page) rather
 * than read the session from the database and issue a fresh cache.
 */
function withoutCookieCache(headers: Headers): Headers {
  const cookie = headers.get("cookie");
  if (!cookie || !cookie.includes("session_data")) return headers;
  const copy = new Headers(headers);
  copy.set(
    "cookie",
    cookie
      .split(";")
      .filter((part) => !/^\s*(__Secure-)?distinct\.session_data(\.\d+)?=/.test(part))
      .join(";"),
  );
  return copy;
}

function remember(key: string, current: CurrentSession, expiresAt: number) {
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value ?? "");
  verified.set(key, { session: current, until: Math.min(Date.now() + VERIFIED_TTL_MS, expiresAt) });
}

async function fromCookies(request: Request, key: string): Promise<CurrentSession | null> {
  const hit = verified.get(key);
  if (hit && hit.until > Date.now()) return hit.session;
  if (hit) verified.delete(key);
  const cached = await fromCookieCache(request);
  if (cached) {
    remember(key, cached.current, cached.expiresAt);
    return cached.current;
  }
  const { headers, response } = await getAuth().api.getSession({
    headers: withoutCookieCache(request.headers),
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
  if (refreshed.length === 0) remember(key, current, new Date(session.expiresAt).getTime());
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
