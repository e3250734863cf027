import { betterAuth } from "better-auth";
import { z } from "zod";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { admin, organization } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, userAc } from "better-auth/plugins/admin/access";
import type { DatabaseHandle } from "#db/client.ts";
import * as schema from "#db/schema/index.ts";
import { joinByEmailDomain } from "#app/models/people.server.ts";
import { forgetLiveSession, forgetLiveSessionsOf } from "#app/models/sessions.server.ts";
import { getDatabaseHandle } from "./db.server.ts";
import { composeEmail, enqueueEmail } from "./email.server.ts";
import { getEnv } from "./env.server.ts";
import { createLogger } from "./logger.server.ts";
import { nameProblem, normaliseName, passwordProblem } from "./user-validation.ts";

/** Platform roles on user.role. Organisation roles live on the membership instead. */
export const PLATFORM_ROLES = ["admin", "author", "user"] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

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

const checkInput = createAuthMiddleware(async (ctx) => {
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

function createAuth(handle: DatabaseHandle) {
  const env = getEnv();
  return betterAuth({
    appName: "Distinct",
    logger: { level: env.LOG_LEVEL },
    baseURL: env.APP_URL,
    secret: env.BETTER_AUTH_SECRET,
    trustedOrigins: [env.APP_URL],
    database: drizzleAdapter(handle.db, {
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
      },
    }),
    // One validation for the forms and the API: every write of a user's name,
    // whichever endpoint or internal call makes it, is normalised and checked.
    databaseHooks: {
      user: {
        create: {
          before: async (user) => ({ data: { ...user, name: checkedName(user.name) } }),
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
    },
    hooks: { before: checkInput },
    onAPIError: {
      // better-auth logs every refused request at error level; a 4xx is the
      // client's mistake (a weak password, an unknown token), not ours.
      onError: (error) => {
        if (error instanceof APIError && error.statusCode < 500) log.debug("auth request refused", { status: error.statusCode, message: error.message });
        else log.error("auth request failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      },
    },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
      autoSignIn: false,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      sendResetPassword: async ({ user, token }) => {
        const url = `${env.APP_URL}/reset-password?token=${encodeURIComponent(token)}`;
        await enqueueEmail(handle.db, {
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
        });
      },
    },
    emailVerification: {
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
        // Our own page, which asks for a button press: a GET must not change
        // state, and mail scanners follow links.
        const url = `${env.APP_URL}/verify-email?token=${encodeURIComponent(token)}`;
        await enqueueEmail(handle.db, {
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
        });
      },
    },
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
