import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "#db/client.ts";
import { user as userTable } from "#db/schema/index.ts";
import { importContent } from "#app/content/import.server.ts";
import { proposeFromFiles } from "#app/models/authoring/proposals.server.ts";
import { getAuth, type PlatformRole } from "#app/services/auth.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";

/** Factories shared by the integration tests and the seed scripts. */

export const FIXTURE_CONTENT = path.resolve(import.meta.dirname, "fixtures", "content", "modules");

export const uniqueEmail = (prefix = "learner") => `${prefix}-${crypto.randomBytes(5).toString("hex")}@example.org`;

export type TestUser = { id: string; name: string; email: string; password: string; role: PlatformRole };

// Hashing a password costs scrypt's work (about a tenth of a second, far more on a busy machine) and
// the tests create hundreds of users with the same few passwords: each password is hashed once per
// test file and the stored hash shared (it carries its own salt, so signing in still checks it in full).
const passwordHashes = new Map<string, Promise<string>>();

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
    password: await passwordHash(password, (p) => context.password.hash(p)),
  });
  return { id: created.id, name: created.name, email, password, role: options.role ?? "user" };
}

function passwordHash(password: string, hash: (password: string) => Promise<string>): Promise<string> {
  let hashed = passwordHashes.get(password);
  if (!hashed) {
    hashed = hash(password);
    passwordHashes.set(password, hashed);
    // A failed hash is not kept: the next user tries again.
    hashed.catch(() => passwordHashes.delete(password));
  }
  return hashed;
}

export async function setUserRole(id: string, role: PlatformRole) {
  await getDb().update(userTable).set({ role }).where(eq(userTable.id, id));
}

/** Imports the test fixture modules (or another folder) into the test database. */
/**
 * A content folder of copies of the fixture module sample-basics, each under
 * its own slug, with the title, catalogue order and certificate validity
 * line replaced where given ("" removes the validity line: no expiry).
 */
export function fixtureModuleCopies(copies: readonly { slug: string; title?: string | null; order?: number | null; validity?: string | null }[]): string {
  const content = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-fixture-copies-"));
  for (const m of copies) {
    const dir = path.join(content, m.slug);
    fs.cpSync(path.join(FIXTURE_CONTENT, "sample-basics"), dir, { recursive: true });
    const index = path.join(dir, "index.mdx");
    let text = fs.readFileSync(index, "utf8");
    if (m.title) text = text.replace(/^title: .*$/m, `title: ${m.title}`);
    if (m.order != null) text = text.replace(/^order: .*$/m, `order: ${m.order}`);
    if (m.validity != null) text = text.replace(/^certificateValidityMonths: .*$/m, m.validity);
    fs.writeFileSync(index, text);
  }
  return content;
}

export async function importFixtures(handle: DatabaseHandle, contentDir: string = FIXTURE_CONTENT) {
  return importContent({ handle, contentDir, publishedBy: "test", proposeFromFiles });
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
