import crypto from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { setupTokens, user } from "#db/schema/index.ts";
import { audit } from "./audit.server.ts";
import { getDb } from "./db.server.ts";
import { createLogger } from "#app/services/logger.server.ts";

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

/**
 * Claims the token (UPDATE ... WHERE used_at IS NULL), so two submissions
 * cannot both create an admin. False when it has expired or been used.
 */
export async function claimSetupToken(token: string): Promise<boolean> {
  const claimed = await getDb()
    .update(setupTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(setupTokens.tokenHash, hash(token)), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, sql`now()`)))
    .returning({ tokenHash: setupTokens.tokenHash });
  return claimed.length > 0;
}

/** Gives a claimed token back, so the operator can try again after a failure. */
export async function releaseSetupToken(token: string): Promise<void> {
  await getDb().update(setupTokens).set({ usedAt: null }).where(eq(setupTokens.tokenHash, hash(token)));
}

/** Records who became the first platform admin. */
export async function auditFirstAdmin(created: { id: string; name: string; email: string }): Promise<void> {
  await audit(getDb(), {
    actor: { id: created.id, name: created.name, email: created.email },
    action: "platform.first-admin-created",
    target: { type: "user", id: created.id },
  });
}
