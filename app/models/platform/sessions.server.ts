import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import { session, user } from "#db/schema/index.ts";
import { getDb } from "#app/models/platform/db.server.ts";

/**
 * Whether a session still stands: its row exists and has not expired, and its
 * user is not banned. better-auth's cookie cache trusts a signed cookie for
 * minutes at a time, so a session deleted by a password reset, a ban or a
 * sign-out elsewhere would otherwise live on until the cookie's copy expired.
 * This is one primary-key lookup per request, and it reads the platform role
 * too, so a changed role also applies at once (docs/decisions/016-auth-front-door.md).
 */
export async function liveSessionRole(sessionId: string): Promise<{ role: string | null } | null> {
  const now = new Date();
  const [row] = await getDb()
    .select({ role: user.role })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .where(
      and(
        eq(session.id, sessionId),
        gt(session.expiresAt, now),
        or(isNull(user.banned), eq(user.banned, false), lt(user.banExpires, now)),
      ),
    )
    .limit(1);
  return row ?? null;
}
