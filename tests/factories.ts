import crypto from "node:crypto";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "#db/client.ts";
import { user as userTable } from "#db/schema/index.ts";
import { importContent } from "#app/content/import.server.ts";
import { getAuth, type PlatformRole } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";

/** Factories shared by the integration tests and the seed scripts. */

export const FIXTURE_CONTENT = path.resolve(import.meta.dirname, "fixtures", "content", "modules");

export const uniqueEmail = (prefix = "learner") => `${prefix}-${crypto.randomBytes(5).toString("hex")}@example.org`;

export type TestUser = { id: string; name: string; email: string; password: string; role: PlatformRole };

/** A verified user with a password, created the way better-auth stores them. */
export async function createUser(options: { name?: string; email?: string; password?: string; role?: PlatformRole; verified?: boolean } = {}): Promise<TestUser> {
  const context = await getAuth().$context;
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? "correct horse battery staple";
  const created = await context.internalAdapter.createUser(
    { email, name: options.name ?? "Test Learner", emailVerified: options.verified ?? true, role: options.role ?? "user" },
    { method: "admin" },
  );
  await context.internalAdapter.linkAccount({
    userId: created.id,
    providerId: "credential",
    accountId: created.id,
    password: await context.password.hash(password),
  });
  return { id: created.id, name: created.name, email, password, role: options.role ?? "user" };
}

export async function setUserRole(id: string, role: PlatformRole) {
  await getDb().update(userTable).set({ role }).where(eq(userTable.id, id));
}

/** Imports the test fixture modules (or another folder) into the test database. */
export async function importFixtures(handle: DatabaseHandle, contentDir: string = FIXTURE_CONTENT) {
  return importContent({ handle, contentDir, publishedBy: "test" });
}

/** Signs in through better-auth and returns a Cookie header for requests as that user. */
export async function sessionCookie(user: Pick<TestUser, "email" | "password">): Promise<string> {
  const { headers } = await getAuth().api.signInEmail({
    body: { email: user.email, password: user.password },
    returnHeaders: true,
  });
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
