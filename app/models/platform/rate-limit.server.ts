import { sql } from "drizzle-orm";
import { rateLimits } from "#db/schema/index.ts";
import { getDb } from "./db.server.ts";

export type RateLimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };

/**
 * Fixed-window counter kept in the database, so every instance shares it.
 * One statement: increments the window's count (or starts a new window) and
 * returns it.
 */
export async function hitRateLimit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const rows = await getDb()
    .insert(rateLimits)
    .values({ key, windowStart: sql`now()`, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowStart} < now() - make_interval(secs => ${windowSeconds}) then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${rateLimits.windowStart} < now() - make_interval(secs => ${windowSeconds}) then now() else ${rateLimits.windowStart} end`,
      },
    })
    .returning({
      count: rateLimits.count,
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch from (${rateLimits.windowStart} + make_interval(secs => ${windowSeconds}) - now()))))::int`,
    });
  const row = rows[0];
  const count = row?.count ?? 1;
  return {
    allowed: count <= limit,
    remaining: Math.max(0, limit - count),
    retryAfterSeconds: Number(row?.retryAfter ?? windowSeconds),
  };
}

/** Removes windows that ended long ago (run by the scheduled jobs). */
export async function pruneRateLimits(now: Date = new Date()): Promise<void> {
  await getDb().delete(rateLimits).where(sql`${rateLimits.windowStart} < ${now.toISOString()}::timestamptz - interval '1 day'`);
}
