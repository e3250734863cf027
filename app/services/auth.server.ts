import crypto from "node:crypto";
import { betterAuth, type BetterAuthOptions } from "better-auth";
import { z } from "zod";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { admin, magicLink, organization } from "better-auth/plugins";
import { sso } from "@better-auth/sso";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, userAc } from "better-auth/plugins/admin/access";
import type { DatabaseHandle } from "#db/client.ts";
import * as schema from "#db/schema/index.ts";
import { setSecretBoxKey } from "#db/secret-box.ts";
import { joinByEmailDomain } from "#app/models/organisations/invitation.server.ts";
import { PASSWORD_REFUSED_FOR_SSO, providerServesEmail, ssoRequiredFor } from "#app/models/organisations/sso.server.ts";
import { getDatabaseHandle } from "#app/models/platform/db.server.ts";
import { enqueueEmail, type EmailMessage } from "#app/models/platform/email.server.ts";
import { composeEmail } from "#app/utils/email-templates.ts";
import { getEnv, type Env } from "#app/services/env.server.ts";
import { hitRateLimit } from "#app/models/platform/rate-limit.server.ts";
import { forgetLiveSession, forgetLiveSessionsOf } from "#app/models/platform/sessions.server.ts";
import { createLogger } from "#app/services/logger.server.ts";
import { nameProblem, normaliseName, passwordProblem } from "#app/utils/user-validation.ts";

/** Platform roles on user.role. Organisation roles live on the membership instead. */
export { PLATFORM_ROLES, type PlatformRole } from "#app/utils/session-user.ts";

const ac = createAccessControl(defaultStatements);
const platformRoles = {
  admin: adminAc,
  // Authors are trust staff who write content; they manage no users.
  author: ac.newRole({ user: [], session: [] }),
  user: userAc,
};

/** Sessions last a working shift plus margin: force PCs are often shared. */
export const SESSION_SECONDS = 12 * 60 * 60;

const log = createLogger("auth");

/** A 400 naming the field, in better-auth's error shape ({ code, message }) plus the field. */
function invalid(field: "name" | "password", message: string): APIError {
  return new APIError("BAD_REQUEST", { code: field === "name" ? "INVALID_NAME" : "INVALID_PASSWORD", message, field });
}

/** The name as it is kept, or a 400 saying what is wrong with it. */
function checkedName(value: unknown): string {
  if (typeof value !== "string") throw invalid("name", "Enter your full name");
  const name = normaliseName(value);
  const problem = nameProblem(name);
  if (problem) throw invalid("name", problem);
  return name;
}

/**
 * Which field of which endpoint carries a new password. better-auth checks
 * only length; these get the same rules as the forms (user-validation.ts),
 * whether called over HTTP or by our own code through auth.api.
 */
const NEW_PASSWORD_FIELDS: Record<string, "password" | "newPassword"> = {
  "/sign-up/email": "password",
  "/reset-password": "newPassword",
  "/change-password": "newPassword",
  "/set-password": "newPassword",
  "/admin/create-user": "password",
  "/admin/set-user-password": "newPassword",
};

const BodySchema = z.record(z.string(), z.unknown());

/** Sign-in paths that prove a password or a mailbox instead of the organisation's provider. */
const NON_SSO_SIGN_IN = new Set(["/sign-in/email", "/sign-in/magic-link"]);

/** How far the IdP's clock may be from ours when checking an assertion's NotBefore/NotOnOrAfter (ADR 037). */
export const SAML_CLOCK_SKEW_MS = 2 * 60 * 1000;

/** Magic links work for 15 minutes and once (better-auth consumes the token). */
export const MAGIC_LINK_SECONDS = 15 * 60;
export const MAGIC_LINKS_PER_ADDRESS = 3;

const checkInput = createAuthMiddleware(async (ctx) => {
  if (NON_SSO_SIGN_IN.has(ctx.path)) {
    // A training lead may require single sign-on for the organisation's domains.
    const body = BodySchema.safeParse(ctx.body);
    const email = body.success && typeof body.data.email === "string" ? body.data.email : undefined;
    if (email && (await ssoRequiredFor(email))) throw new APIError("FORBIDDEN", { code: "SSO_REQUIRED", message: PASSWORD_REFUSED_FOR_SSO });
    if (email && ctx.path === "/sign-in/magic-link") {
      // Besides the per-connection limit (api.auth.$.ts, the forms): a few
      // links per address per quarter hour, so nobody can flood a mailbox.
      const hit = await hitRateLimit(`magic-link:${email.trim().toLowerCase()}`, MAGIC_LINKS_PER_ADDRESS, MAGIC_LINK_SECONDS);
      if (!hit.allowed) throw new APIError("TOO_MANY_REQUESTS", { code: "TOO_MANY_REQUESTS", message: `Too many sign-in links for this address. Wait ${hit.retryAfterSeconds} seconds, then try again.` });
    }
    return;
  }
  const field = NEW_PASSWORD_FIELDS[ctx.path];
  if (!field) return;
  const body = BodySchema.safeParse(ctx.body);
  if (!body.success) return;
  const password = body.data[field];
  if (typeof password !== "string") return;
  const email = typeof body.data.email === "string" ? body.data.email : undefined;
  const problem = passwordProblem(password, email);
  if (problem) throw invalid("password", problem);
  // A changed password ends every other session, whoever asked.
  if (ctx.path === "/change-password") return { context: { body: { ...body.data, revokeOtherSessions: true } } };
});

type HookContext = { path?: string; params?: Record<string, unknown> } | null | undefined;

/**
 * The provider id when better-auth is running @better-auth/sso's OIDC
 * callback or its SAML assertion consumer service: the two places a provider
 * asserts an address.
 */
function ssoCallbackProvider(ctx: HookContext): string | undefined {
  if (!ctx?.path?.startsWith("/sso/callback") && !ctx?.path?.startsWith("/sso/saml2/sp/acs")) return undefined;
  const providerId = ctx.params?.providerId;
  return typeof providerId === "string" ? providerId : undefined;
}

async function assertProviderServes(ctx: HookContext, email: string): Promise<void> {
  const providerId = ssoCallbackProvider(ctx);
  if (!providerId) return;
  if (await providerServesEmail(providerId, email)) return;
  throw new APIError("FORBIDDEN", {
    code: "EMAIL_NOT_ON_PROVIDER_DOMAIN",
    message: "Your organisation's sign-in service gave an email address that is not on its domains.",
  });
}

/** The key that seals identity providers' secrets in the database (README: Single sign-on). */
function ssoEncryptionKey(env: Env): Buffer {
  if (env.SSO_ENCRYPTION_KEY) return Buffer.from(env.SSO_ENCRYPTION_KEY, "hex");
  return Buffer.from(crypto.hkdfSync("sha256", env.BETTER_AUTH_SECRET, "distinct", "sso-provider-config", 32));
}

/**
 * better-auth's own log lines, with two kinds of refused sign-in moved off
 * the error level: they are the sender's mistake, not ours.
 */
const logBetterAuthMessage: NonNullable<NonNullable<BetterAuthOptions["logger"]>["log"]> = (level, message, ...args) => {
  // A stale, replayed or hand-made SSO callback (no state, or one
  // already used) is the client's mistake, answered with /login?error=.
  if (message.startsWith("Failed to parse state")) return log.debug("sso callback refused", { reason: String(args[0] ?? "") });
  // A SAML answer refused (unsigned, altered, expired, replayed, for
  // another audience, unsolicited): the sender's fault, and the person
  // is sent to /login with a message; kept as a note for the force's
  // IT team, not an error of ours (ADR 037).
  if (/^SAML |^Failed to parse relay state|^Missing essential user info from SAML/.test(message)) {
    return log.info("saml response refused", { reason: message, details: args[0] instanceof Error ? args[0].message : args[0] });
  }
  const print = level === "error" ? console.error : level === "warn" ? console.warn : console.info;
  print(`[Better Auth]: ${message}`, ...args);
};

/** better-auth's tables, under the names it asks for. */
function authDatabase(handle: DatabaseHandle) {
  return drizzleAdapter(handle.db, {
    provider: "pg",
    schema: {
      user: schema.user,
      session: schema.session,
      account: schema.account,
      verification: schema.verification,
      organization: schema.organization,
      member: schema.member,
      invitation: schema.invitation,
      team: schema.team,
      teamMember: schema.teamMember,
      ssoProvider: schema.ssoProvider,
    },
  });
}

/**
 * An organisation's provider may only assert addresses on the domains it
 * serves (ADR 034): otherwise one force's provider could create, or link
 * to, a person of another. Checked when the SSO callback creates a user
 * and when it links a provider account to an existing user.
 * One validation for the forms and the API: every write of a user's name,
 * whichever endpoint or internal call makes it, is normalised and checked.
 */
const DATABASE_HOOKS: BetterAuthOptions["databaseHooks"] = {
  account: {
    create: {
      before: async (account, ctx) => {
        if (ssoCallbackProvider(ctx) === account.providerId) {
          const owner = await ctx?.context.internalAdapter.findUserById(account.userId);
          await assertProviderServes(ctx, owner?.email ?? "");
        }
        return { data: account };
      },
    },
  },
  user: {
    create: {
      before: async (user, ctx) => {
        await assertProviderServes(ctx, user.email);
        return { data: { ...user, name: checkedName(user.name) } };
      },
    },
    update: {
      before: async (data) => ("name" in data && data.name !== undefined ? { data: { ...data, name: checkedName(data.name) } } : { data }),
      // A ban or a changed role: this process asks about their sessions again at once (ADR 027).
      after: async (updated) => forgetLiveSessionsOf(updated.id),
    },
  },
  // Sign-out, password reset or change: the session stops here at once, not within the live-check bound.
  session: {
    delete: {
      after: async (deleted) => forgetLiveSession(deleted.id),
    },
  },
};

type Recipient = { email: string; name: string };

/** The mail with a one-hour link to choose a new password. */
function resetPasswordEmail(appUrl: string, user: Recipient, token: string): EmailMessage {
  const url = `${appUrl}/reset-password?token=${encodeURIComponent(token)}`;
  return {
    to: user.email,
    kind: "reset-password",
    subject: "Reset your Distinct password",
    ...composeEmail({
      heading: "Reset your password",
      paragraphs: [
        `Hello ${user.name},`,
        "Someone asked to reset the password for your Distinct account. If it was you, choose a new password with the link below. The link works for one hour.",
        "If it was not you, ignore this message: your password has not changed.",
      ],
      action: { label: "Choose a new password", url },
    }),
  };
}

/** The mail with a 24-hour link to confirm the address. */
function verifyEmailEmail(appUrl: string, user: Recipient, token: string): EmailMessage {
  // Our own page, which asks for a button press: a GET must not change
  // state, and mail scanners follow links.
  const url = `${appUrl}/verify-email?token=${encodeURIComponent(token)}`;
  return {
    to: user.email,
    kind: "verify-email",
    subject: "Confirm your email address for Distinct",
    ...composeEmail({
      heading: "Confirm your email address",
      paragraphs: [
        `Hello ${user.name},`,
        "Confirm this is your email address to finish creating your Distinct account. The link works for 24 hours.",
        "If you did not create an account, ignore this message.",
      ],
      action: { label: "Confirm my email address", url },
    }),
  };
}

/** The mail with a 15-minute, single-use sign-in link. */
function magicLinkEmail(appUrl: string, email: string, name: string, token: string): EmailMessage {
  const url = `${appUrl}/login/magic-link?token=${encodeURIComponent(token)}`;
  return {
    to: email,
    kind: "magic-link",
    subject: "Your Distinct sign-in link",
    ...composeEmail({
      heading: "Sign in to Distinct",
      paragraphs: [
        `Hello ${name},`,
        "Use the link below to sign in. It works once, for 15 minutes.",
        "If you did not ask for it, ignore this message: nobody can sign in without opening it.",
      ],
      action: { label: "Sign in to Distinct", url },
    }),
  };
}

function emailAndPasswordOptions(env: Env, handle: DatabaseHandle): BetterAuthOptions["emailAndPassword"] {
  return {
    enabled: true,
    requireEmailVerification: true,
    minPasswordLength: 10,
    maxPasswordLength: 128,
    autoSignIn: false,
    revokeSessionsOnPasswordReset: true,
    resetPasswordTokenExpiresIn: 60 * 60,
    sendResetPassword: async ({ user, token }) => {
      await enqueueEmail(handle.db, resetPasswordEmail(env.APP_URL, user, token));
    },
  };
}

function emailVerificationOptions(env: Env, handle: DatabaseHandle): BetterAuthOptions["emailVerification"] {
  return {
    // A confirmed address on an organisation's domain joins it as a learner.
    afterEmailVerification: async (verified) => {
      await joinByEmailDomain({ id: verified.id, email: verified.email, name: verified.name });
    },
    sendOnSignUp: true,
    sendOnSignIn: true,
    // Confirming the address signs them in (issue 15): the mailed token
    // proves the mailbox, and our page asks for a button press first.
    autoSignInAfterVerification: true,
    expiresIn: 24 * 60 * 60,
    sendVerificationEmail: async ({ user, token }) => {
      await enqueueEmail(handle.db, verifyEmailEmail(env.APP_URL, user, token));
    },
  };
}

function ssoPlugin() {
  return sso({
    // Providers are written only by app/models/organisations/sso.server.ts
    // for a training lead's own domains; the plugin's register endpoint is
    // not on the HTTP allow-list. So the provider's email_verified claim is
    // trusted (ADR 034), and only for addresses on those domains.
    trustEmailVerified: true,
    providersLimit: 0,
    organizationProvisioning: { disabled: true },
    // Joining the organisation goes through our seat rules, every sign-in
    // (idempotent), and only for an address the provider vouched for.
    provisionUserOnEveryLogin: true,
    provisionUser: async ({ user }) => {
      if (user.emailVerified) await joinByEmailDomain({ id: user.id, email: user.email, name: user.name });
    },
    // SAML 2.0 (ADR 037). Only SP-initiated sign-in: a response must
    // answer an AuthnRequest we made (InResponseTo, used once, 5 minutes);
    // each assertion ID is kept in the verification table until it
    // expires, so a replay is refused on every instance; assertions
    // without NotBefore/NotOnOrAfter are refused; clocks may differ by up
    // to SAML_CLOCK_SKEW_MS. Signed assertions are required by the stored
    // configuration (sso.server.ts, wantAssertionsSigned).
    saml: {
      enableInResponseToValidation: true,
      allowIdpInitiated: false,
      requestTTL: 5 * 60 * 1000,
      requireTimestamps: true,
      clockSkew: SAML_CLOCK_SKEW_MS,
    },
  });
}

function magicLinkPlugin(env: Env, handle: DatabaseHandle) {
  return magicLink({
    expiresIn: MAGIC_LINK_SECONDS,
    storeToken: "hashed",
    // Partner agencies' staff sign in to accounts they already have.
    disableSignUp: true,
    sendMagicLink: async ({ email, token }, ctx) => {
      const found = await ctx?.context.internalAdapter.findUserByEmail(email);
      if (!found) return; // same answer either way: no enumeration
      await enqueueEmail(handle.db, magicLinkEmail(env.APP_URL, email, found.user.name, token));
    },
  });
}

function createAuth(handle: DatabaseHandle) {
  const env = getEnv();
  setSecretBoxKey(ssoEncryptionKey(env));
  const internalIdpOrigins = (env.SSO_INTERNAL_IDP_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  return betterAuth({
    appName: "Distinct",
    logger: {
      level: env.LOG_LEVEL,
      log: logBetterAuthMessage,
    },
    baseURL: env.APP_URL,
    secret: env.BETTER_AUTH_SECRET,
    // Identity providers on private or loopback addresses must be named to be
    // called at all (@better-auth/sso refuses them otherwise: SSRF guard).
    trustedOrigins: [env.APP_URL, ...internalIdpOrigins],
    database: authDatabase(handle),
    databaseHooks: DATABASE_HOOKS,
    hooks: { before: checkInput },
    onAPIError: {
      // Where better-auth sends a browser whose sign-in (an SSO callback with a
      // stale or replayed state) failed: our page, which explains, not its JSON.
      errorURL: `${env.APP_URL}/login`,
      // better-auth logs every refused request at error level; a 4xx is the
      // client's mistake (a weak password, an unknown token), not ours.
      onError: (error) => {
        if (error instanceof APIError && error.statusCode < 500) log.debug("auth request refused", { status: error.statusCode, message: error.message });
        else log.error("auth request failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      },
    },
    emailAndPassword: emailAndPasswordOptions(env, handle),
    emailVerification: emailVerificationOptions(env, handle),
    session: {
      expiresIn: SESSION_SECONDS,
      updateAge: 60 * 60,
      // The session is read from a signed cookie for 5 minutes at a time, so
      // most page views cost no database lookup. A revoked session or changed
      // role takes effect within those 5 minutes.
      cookieCache: { enabled: true, maxAge: 5 * 60 },
    },
    rateLimit: {
      // Behind our Express server better-auth cannot see the client address;
      // sign-in and sign-up are limited per address by our own limiter
      // (rate-limit.server.ts), shared by every instance through the database.
      enabled: false,
    },
    advanced: {
      useSecureCookies: env.production,
      defaultCookieAttributes: { sameSite: "lax", httpOnly: true },
      cookiePrefix: "distinct",
      database: { generateId: () => crypto.randomUUID() },
      ipAddress: { ipAddressHeaders: ["x-distinct-client-address"] },
    },
    plugins: [
      ssoPlugin(),
      magicLinkPlugin(env, handle),
      admin({
        defaultRole: "user",
        adminRoles: ["admin"],
        ac,
        roles: platformRoles,
      }),
      organization({
        teams: { enabled: true, allowRemovingAllTeams: true },
        allowUserToCreateOrganization: false,
        creatorRole: "owner",
        invitationExpiresIn: 14 * 24 * 60 * 60,
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const instances = new WeakMap<DatabaseHandle, Auth>();

/** The one better-auth instance for the open database. */
export function getAuth(): Auth {
  const handle = getDatabaseHandle();
  let auth = instances.get(handle);
  if (!auth) {
    auth = createAuth(handle);
    instances.set(handle, auth);
  }
  return auth;
}
