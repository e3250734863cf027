import { redirect } from "@remix-run/node";
import { getAuth, PLATFORM_ROLES, type PlatformRole } from "./auth.server.ts";
import { getRequestContext } from "./request-context.server.ts";

export type SessionUser = {
  id: string;
  name: string;
  email: string;
  role: PlatformRole;
  emailVerified: boolean;
};

export type CurrentSession = { user: SessionUser; sessionId: string; activeOrganizationId: string | null };

function toRole(value: unknown): PlatformRole {
  return PLATFORM_ROLES.find((role) => role === value) ?? "user";
}

async function lookup(request: Request): Promise<CurrentSession | null> {
  const { headers, response } = await getAuth().api.getSession({
    headers: request.headers,
    returnHeaders: true,
  });
  // A refreshed cookie cache or session expiry comes back as Set-Cookie:
  // hand it to the response through the request context.
  const context = getRequestContext();
  if (context) for (const cookie of headers.getSetCookie()) context.appendSetCookie(cookie);
  if (!response) return null;
  const { user, session } = response;
  if (user.banned) return null;
  return {
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
