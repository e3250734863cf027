import crypto from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { setupTokens, user } from "#db/schema/index.ts";
import { audit } from "#app/utils/audit.server.ts";
import { getAuth } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { createLogger } from "#app/utils/logger.server.ts";

const log = createLogger("setup");
const hash = (token: string) => crypto.createHash("sha256").update(token).digest("hex");
const TOKEN_HOURS = 24;

export async function hasPlatformAdmin(): Promise<boolean> {
  const [row] = await getDb().select({ id: user.id }).from(user).where(eq(user.role, "admin")).limit(1);
  return !!row;
}

/**
 * No default password exists anywhere. On a start with no platform admin, a
 * one-time link is printed in the log; whoever can read the server's log can
 * create the first admin with it. Only the token's hash is stored.
 */
export async function ensureSetupToken(appUrl: string): Promise<string | null> {
  if (await hasPlatformAdmin()) return null;
  const token = crypto.randomBytes(24).toString("base64url");
  await getDb()
    .insert(setupTokens)
    .values({ tokenHash: hash(token), expiresAt: new Date(Date.now() + TOKEN_HOURS * 3600_000) });
  const url = `${appUrl}/setup?token=${token}`;
  log.info(`No platform administrator exists yet. Create the first one within ${TOKEN_HOURS} hours at: ${url}`);
  return url;
}

export async function isSetupTokenValid(token: string): Promise<boolean> {
  if (await hasPlatformAdmin()) return false;
  const [row] = await getDb()
    .select({ tokenHash: setupTokens.tokenHash })
    .from(setupTokens)
    .where(and(eq(setupTokens.tokenHash, hash(token)), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, sql`now()`)))
    .limit(1);
  return !!row;
}

export class SetupError extends Error {}

/**
 * Creates the first platform admin, verified, with a password. The token is
 * claimed first (UPDATE ... WHERE used_at IS NULL), so two submissions cannot
 * both create an admin.
 */
export async function createFirstAdmin(input: { token: string; name: string; email: string; password: string }) {
  const db = getDb();
  if (await hasPlatformAdmin()) throw new SetupError("A platform administrator already exists. Sign in instead.");
  const claimed = await db
    .update(setupTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(setupTokens.tokenHash, hash(input.token)), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, sql`now()`)))
    .returning({ tokenHash: setupTokens.tokenHash });
  if (claimed.length === 0) throw new SetupError("This setup link has expired or been used. Restart the server for a new one.");
  try {
    const context = await getAuth().$context;
    const existing = await context.internalAdapter.findUserByEmail(input.email);
    if (existing) throw new SetupError("An account with this email address already exists.");
    const created = await context.internalAdapter.createUser({
      email: input.email.toLowerCase(),
      name: input.name,
      emailVerified: true,
      role: "admin",
    }, { method: "admin" });
    await context.internalAdapter.linkAccount({
      userId: created.id,
      providerId: "credential",
      accountId: created.id,
      password: await context.password.hash(input.password),
    });
    await audit(db, {
      actor: { id: created.id, name: created.name, email: created.email },
      action: "platform.first-admin-created",
      target: { type: "user", id: created.id },
    });
    return created;
  } catch (error) {
    // Give the token back so the operator can try again.
    await db.update(setupTokens).set({ usedAt: null }).where(eq(setupTokens.tokenHash, hash(input.token)));
    throw error;
  }
}
