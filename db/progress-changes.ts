import pg from "pg";

/** The channel migration 0021's triggers notify when a transaction changed enrolments or lesson progress. */
export const PROGRESS_CHANNEL = "distinct_progress";

/**
 * A write generation (ADR 044) for PostgreSQL, where other instances write too (ADR 047). The generation moves
 * when this process sends a statement that may write and when one ends, and when any transaction anywhere that
 * changed enrolments or lesson progress commits (migration 0021's statement triggers notify PROGRESS_CHANNEL;
 * PostgreSQL delivers it at commit to every session listening, this process's own included). `keeping` is true only
 * while the listening connection is up: notifications sent while it is down are lost, so nothing read is kept then,
 * and the generation moves as it comes back.
 */
export type WriteGeneration = {
  generation: number;
  keeping: boolean;
  /**
   * Resolves once every change committed before the call has moved the generation (a round trip on the listening
   * connection: PostgreSQL sends pending notifications before that statement's answer). False if not listening.
   */
  caughtUp?: () => Promise<boolean>;
};

const RETRY_MS = [250, 1_000, 5_000, 15_000];

export function watchProgressChanges(url: string, writes: WriteGeneration, onError: (message: string) => void) {
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;

  const lost = (connection: pg.Client, why: string) => {
    if (client !== connection) return;
    client = null;
    writes.keeping = false;
    writes.generation++;
    connection.end().catch(() => undefined);
    if (closed) return;
    onError(`[db] progress notifications lost (${why}): progress is read from the database until they are back`);
    schedule();
  };

  const schedule = () => {
    const delay = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]!;
    retry = setTimeout(() => void connect(), delay);
    retry.unref();
  };

  const connect = async () => {
    retry = null;
    if (closed) return;
    const connection = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    connection.on("notification", (message) => {
      if (message.channel === PROGRESS_CHANNEL) writes.generation++;
    });
    connection.on("error", (error) => lost(connection, error.message));
    connection.on("end", () => lost(connection, "connection ended"));
    try {
      await connection.connect();
      await connection.query(`listen ${PROGRESS_CHANNEL}`);
    } catch (error) {
      connection.removeAllListeners("end");
      connection.end().catch(() => undefined);
      if (!closed) schedule();
      if (failures === 1) onError(`[db] could not listen for progress notifications: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (closed) {
      await connection.end().catch(() => undefined);
      return;
    }
    client = connection;
    failures = 0;
    // What was read before this point may have missed a notification.
    writes.generation++;
    writes.keeping = true;
  };

  writes.caughtUp = async () => {
    const connection = client;
    if (!connection) return false;
    await connection.query("select 1");
    return client === connection;
  };

  const started = connect();
  return {
    /** Resolves after the first attempt to listen (successful or not). */
    started,
    /** Which backend listens (tests end it to see the connection lost). */
    backendPid: () => (client as (pg.Client & { processID?: number }) | null)?.processID ?? null,
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      writes.keeping = false;
      const connection = client;
      client = null;
      await connection?.end().catch(() => undefined);
    },
  };
}
