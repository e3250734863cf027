import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "#db/client.ts";
import { session, user } from "#db/schema/index.ts";
import { getDb } from "#app/models/platform/db.server.ts";

/**
 * How long this process trusts its last answer to "does this session still
 * stand?" before asking the database again (docs/decisions/027). A session
 * ended through this process (sign-out, password reset or change, account
 * deletion, anything better-auth deletes or a user update it makes) is
 * forgotten at once; one ended elsewhere (another instance, a direct change
 * in the database) stops working within this bound.
 */
export const SESSION_LIVE_CHECK_MS = 5_000;
const LIVE_MAX = 20_000;

type Live = { role: string | null } | null;
const live = new Map<string, { userId: string; answer: Live; until: number }>();
/** Counts evictions: an answer read while one happened may predate it, so it is not kept. */
let evictions = 0;

/**
 * Whether a session still stands: its row exists and has not expired, and its
 * user is not banned. better-auth's cookie cache trusts a signed cookie for
 * minutes at a time, so a session deleted by a password reset, a ban or a
 * sign-out elsewhere would otherwise live on until the cookie's copy expired.
 * One primary-key lookup at most every SESSION_LIVE_CHECK_MS per session and
 * process; it reads the platform role too, so a changed role applies within
 * the same bound (docs/decisions/016-auth-front-door.md, 027).
 */
export async function liveSessionRole(sessionId: string, userId: string): Promise<Live> {
  const now = Date.now();
  const hit = live.get(sessionId);
  if (hit && hit.until > now && hit.userId === userId) return hit.answer;
  const evictionsBefore = evictions;
  const answer = await readLiveSessionRole(sessionId, new Date(now));
  if (live.size >= LIVE_MAX) live.delete(live.keys().next().value ?? "");
  // Only a standing session is remembered (a refused one is asked about
  // again), and only if nothing was revoked while the database answered.
  if (answer && evictions === evictionsBefore) live.set(sessionId, { userId, answer, until: now + SESSION_LIVE_CHECK_MS });
  else live.delete(sessionId);
  return answer;
}

// Asked on the first request of every session (a quiz submit is often one): prepared once per database handle, so
// the statement is built once and PostgreSQL plans it once per connection (a named statement). Placeholders reach
// the driver unencoded, so the time goes as the ISO string drizzle's timestamp column would send.
function prepareLiveSessionRole(db: Database) {
  const now = sql.placeholder("now");
  return db
    .select({ role: user.role })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .where(and(eq(session.id, sql.placeholder("sessionId")), gt(session.expiresAt, now), or(isNull(user.banned), eq(user.banned, false), lt(user.banExpires, now))))
    .limit(1)
    .prepare("live_session_role");
}
const liveSessionRoleByDb = new WeakMap<Database, ReturnType<typeof prepareLiveSessionRole>>();

async function readLiveSessionRole(sessionId: string, now: Date): Promise<Live> {
  const db = getDb();
  let prepared = liveSessionRoleByDb.get(db);
  if (!prepared) liveSessionRoleByDb.set(db, (prepared = prepareLiveSessionRole(db)));
  const [row] = await prepared.execute({ sessionId, now: now.toISOString() });
  return row ?? null;
}

/** This process asks the database about the session at its next request. */
export function forgetLiveSession(sessionId: string): void {
  evictions++;
  live.delete(sessionId);
}

/** Every session of this user: asked about again at their next request. */
export function forgetLiveSessionsOf(userId: string): void {
  evictions++;
  for (const [id, entry] of live) if (entry.userId === userId) live.delete(id);
}
