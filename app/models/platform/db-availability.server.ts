import { sql } from "drizzle-orm";
import { getDb } from "./db.server.ts";
import { createLogger } from "#app/services/logger.server.ts";

const log = createLogger("db");

/**
 * Whether PostgreSQL is answering, as this process last found. While it is
 * not (a restart, a failover), the server answers every page with a quick
 * 503 instead of letting requests queue for connections that will not come,
 * and checks again at most once a second; the pool reconnects by itself, so
 * the app recovers without a restart. PGlite, in the process, never goes away.
 */
const state = { down: false, since: 0, lastProbe: 0, probing: false };

// Errors that say "the database is not there", not "this query is wrong":
// refused or dropped connections, a server shutting down or starting up
// (57P01-57P03), connection exceptions (class 08), a new connection timing
// out ("Connection terminated due to connection timeout"). Not pg-pool's
// "timeout exceeded when trying to connect": that is every pooled connection
// busy, an overload, and answering everyone 503 for it would make it worse
// (the load bench found that).
const CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "57P01", "57P02", "57P03"]);
const MESSAGES = /Connection terminated|Client has encountered a connection error/i;

export function isDatabaseUnavailableError(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 5; depth++) {
    const code = "code" in e ? e.code : undefined;
    if (typeof code === "string" && (CODES.has(code) || code.startsWith("08"))) return true;
    if (e instanceof Error && MESSAGES.test(e.message)) return true;
    e = "cause" in e ? e.cause : undefined;
  }
  return false;
}

/** Called with every error a request ends in: a lost database marks it down. */
export function noteRequestError(error: unknown): void {
  if (!isDatabaseUnavailableError(error) || state.down) return;
  state.down = true;
  state.since = Date.now();
  log.error("the database is not answering: pages answer 503 until it does");
}

/** True while the database is known to be away. Starts a check (once a second at most) that clears it. */
export function databaseUnavailable(): boolean {
  if (!state.down) return false;
  const now = Date.now();
  if (!state.probing && now - state.lastProbe >= 1000) {
    state.probing = true;
    state.lastProbe = now;
    getDb()
      .execute(sql`select 1`)
      .then(() => {
        log.info("the database answers again", { downForSeconds: Math.round((Date.now() - state.since) / 1000) });
        state.down = false;
      })
      .catch(() => undefined)
      .finally(() => {
        state.probing = false;
      });
  }
  return state.down;
}

/** The page served while the database is away: no database, no scripts, no styles to load. */
export const DATABASE_UNAVAILABLE_PAGE = `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Distinct is unavailable for a moment</title></head>
<body style="font-family:Arial,sans-serif;font-size:19px;line-height:1.5;color:#0b0c0c;max-width:40em;margin:2em auto;padding:0 1em">
<main>
<h1>Distinct is unavailable for a moment</h1>
<p>The service cannot reach its database. Nothing you have already saved is lost.</p>
<p>Try again in a minute. If you were submitting a form, go back and submit it again.</p>
</main>
</body>
</html>
`;
