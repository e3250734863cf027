import { APIError } from "better-auth/api";
import { getAuth } from "#app/services/auth.server.ts";
import { getEnv } from "#app/services/env.server.ts";
import { createLogger } from "#app/services/logger.server.ts";
import { hitRateLimit } from "#app/models/platform/rate-limit.server.ts";
import { getClientAddress } from "#app/services/request-context.server.ts";
import { forgetVerifiedSession } from "#app/services/session.server.ts";
import { acceptInvitation, getInvitation, InvitationError } from "#app/models/organisations/invitation.server.ts";

const log = createLogger("account");

/** An outcome a form can show: field messages, or one message for the whole form. */
export type AccountFailure = {
  ok: false;
  status: 400 | 401 | 403 | 429;
  formError?: string;
  fieldErrors?: Record<string, string[]>;
};
export type AccountSuccess = { ok: true; headers: Headers };

function errorCode(error: unknown): string | undefined {
  if (error instanceof APIError) {
    const body: unknown = error.body;
    if (body && typeof body === "object" && "code" in body && typeof body.code === "string") return body.code;
  }
  return undefined;
}

/**
 * better-auth's hooks (auth.server.ts) refuse a bad name or password with a
 * 400 naming the field: the same message the form would show.
 */
function validationFailure(error: unknown, passwordField = "password"): AccountFailure | null {
  if (!(error instanceof APIError)) return null;
  const code = errorCode(error);
  const message = error.body?.message ?? "Check this field";
  if (code === "INVALID_NAME") return { ok: false, status: 400, fieldErrors: { name: [message] } };
  if (code === "INVALID_PASSWORD") return { ok: false, status: 400, fieldErrors: { [passwordField]: [message] } };
  return null;
}

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts from your connection. Wait ${retryAfterSeconds} seconds, then try again.`);
  }
}

/**
 * Sign-in and sign-up are limited per client address, in the database so
 * every instance counts together. Throws RateLimitedError when over.
 */
export async function assertAuthRateLimit(kind: "sign-in" | "sign-up" | "reset"): Promise<void> {
  const env = getEnv();
  const result = await hitRateLimit(`auth:${kind}:${getClientAddress()}`, env.AUTH_RATE_LIMIT, env.AUTH_RATE_LIMIT_WINDOW_SECONDS);
  if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
}

function rateLimited(error: RateLimitedError): AccountFailure {
  return { ok: false, status: 429, formError: error.message };
}

/**
 * Creates an account and sends the verification mail. The answer is the same
 * whether or not the address already has an account (no enumeration).
 */
export async function signUp(input: { name: string; email: string; password: string }): Promise<AccountSuccess | AccountFailure> {
  try {
    await assertAuthRateLimit("sign-up");
    await getAuth().api.signUpEmail({ body: { name: input.name, email: input.email, password: input.password } });
    return { ok: true, headers: new Headers() };
  } catch (error) {
    if (error instanceof RateLimitedError) return rateLimited(error);
    const invalid = validationFailure(error);
    if (invalid) return invalid;
    const code = errorCode(error);
    if (code === "PASSWORD_TOO_SHORT" || code === "PASSWORD_TOO_LONG") {
      return { ok: false, status: 400, fieldErrors: { password: ["Password must be between 10 and 128 characters"] } };
    }
    if (code === "USER_ALREADY_EXISTS" || code === "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL") {
      // Only reached if enumeration protection is off; say the same as success.
      return { ok: true, headers: new Headers() };
    }
    if (code === "INVALID_EMAIL") {
      return { ok: false, status: 400, fieldErrors: { email: ["Enter an email address in the correct format, like name@example.org"] } };
    }
    throw error;
  }
}

/** Signs in; on success the headers carry the session cookies. */
export async function signIn(request: Request, input: { email: string; password: string }): Promise<AccountSuccess | AccountFailure> {
  try {
    await assertAuthRateLimit("sign-in");
    const { headers } = await getAuth().api.signInEmail({
      body: { email: input.email, password: input.password, rememberMe: true },
      headers: request.headers,
      returnHeaders: true,
    });
    return { ok: true, headers };
  } catch (error) {
    if (error instanceof RateLimitedError) return rateLimited(error);
    const code = errorCode(error);
    if (code === "INVALID_EMAIL_OR_PASSWORD" || code === "INVALID_PASSWORD" || code === "USER_NOT_FOUND" || code === "CREDENTIAL_ACCOUNT_NOT_FOUND") {
      return { ok: false, status: 400, formError: "The email address or password is not right. Check them and try again." };
    }
    if (code === "EMAIL_NOT_VERIFIED") {
      return {
        ok: false,
        status: 403,
        formError: "Confirm your email address before you sign in. We have sent you a new link: check your inbox.",
      };
    }
    if (code === "BANNED_USER") {
      return { ok: false, status: 403, formError: "This account has been suspended. Contact your training lead." };
    }
    if (code === "SSO_REQUIRED" && error instanceof APIError) {
      return { ok: false, status: 403, formError: error.body?.message ?? "Sign in with your force account." };
    }
    throw error;
  }
}

export async function signOut(request: Request): Promise<Headers> {
  forgetVerifiedSession(request);
  try {
    const { headers } = await getAuth().api.signOut({ headers: request.headers, returnHeaders: true });
    return headers;
  } catch (error) {
    // No session to end: still clear whatever cookies the browser holds.
    log.debug("sign out without a session", { error });
    return new Headers();
  }
}

/** Queues a reset link if the account exists; the page says the same either way. */
export async function requestPasswordReset(email: string): Promise<AccountFailure | { ok: true }> {
  try {
    await assertAuthRateLimit("reset");
    await getAuth().api.requestPasswordReset({ body: { email, redirectTo: "/reset-password" } });
    return { ok: true };
  } catch (error) {
    if (error instanceof RateLimitedError) return rateLimited(error);
    throw error;
  }
}

export async function resetPassword(token: string, newPassword: string): Promise<AccountFailure | { ok: true }> {
  try {
    await getAuth().api.resetPassword({ body: { token, newPassword } });
    return { ok: true };
  } catch (error) {
    const invalid = validationFailure(error);
    if (invalid) return invalid;
    const code = errorCode(error);
    if (code === "INVALID_TOKEN" || code === "TOKEN_EXPIRED") {
      return { ok: false, status: 400, formError: "This reset link has expired or has already been used. Ask for a new one." };
    }
    if (code === "PASSWORD_TOO_SHORT" || code === "PASSWORD_TOO_LONG") {
      return { ok: false, status: 400, fieldErrors: { password: ["Password must be between 10 and 128 characters"] } };
    }
    throw error;
  }
}

/**
 * Confirms an address from the mailed token and signs the person in (the
 * token proves the mailbox, as a password would prove the account). A token
 * used a second time confirms nothing new and signs no one in: the answer's
 * headers are then empty and the page asks them to sign in.
 */
export async function verifyEmail(request: Request, token: string): Promise<AccountFailure | { ok: true; headers: Headers; signedIn: boolean }> {
  try {
    const { headers } = await getAuth().api.verifyEmail({ query: { token }, headers: request.headers, returnHeaders: true });
    const signedIn = headers.getSetCookie().some((cookie) => /session_token=[^;]/.test(cookie));
    return { ok: true, headers, signedIn };
  } catch (error) {
    if (error instanceof APIError) {
      return {
        ok: false,
        status: 400,
        formError: "This confirmation link has expired or has already been used. Sign in to get a new one.",
      };
    }
    throw error;
  }
}

/** Whether an account exists for this address (the invitation page offers sign-in instead). */
export async function accountExistsFor(email: string): Promise<boolean> {
  const context = await getAuth().$context;
  return !!(await context.internalAdapter.findUserByEmail(email));
}

/**
 * Creates an account for an invited person from the token in their mailed
 * link: following that link proves the mailbox, so the address is verified
 * at once, and the invitation is accepted. Nothing else marks an address
 * verified without a mailed secret. Returns null if an account already exists
 * (they sign in instead).
 */
export async function createInvitedAccount(
  request: Request,
  token: string,
  input: { name: string; password: string },
): Promise<(AccountSuccess & { organisationSlug: string; role: "member" | "admin" }) | AccountFailure | null> {
  try {
    await assertAuthRateLimit("sign-up");
  } catch (error) {
    if (error instanceof RateLimitedError) return rateLimited(error);
    throw error;
  }
  const invitation = await getInvitation(token);
  if (!invitation || invitation.state !== "pending") return { ok: false, status: 400, formError: "This invitation can no longer be used." };
  const context = await getAuth().$context;
  if (await context.internalAdapter.findUserByEmail(invitation.email)) return null;
  let joined: { organisationSlug: string; role: "member" | "admin" };
  try {
    const created = await context.internalAdapter.createUser({ email: invitation.email, name: input.name, emailVerified: true }, { method: "email-password" });
    await context.internalAdapter.linkAccount({
      userId: created.id,
      providerId: "credential",
      accountId: created.id,
      password: await context.password.hash(input.password),
    });
    joined = await acceptInvitation(token, { id: created.id, email: created.email, name: created.name });
  } catch (error) {
    if (error instanceof InvitationError) return { ok: false, status: 400, formError: error.message };
    const failure = validationFailure(error);
    if (failure) return failure;
    throw error;
  }
  const signedIn = await signIn(request, { email: invitation.email, password: input.password });
  return signedIn.ok ? { ...signedIn, ...joined } : signedIn;
}
