import path from "node:path";
import { openDatabase, type DatabaseHandle } from "#db/client.ts";
import { acquireDataDirLock, type DataDirLock } from "#db/lock.ts";
import { setDatabase } from "#app/models/platform/db.server.ts";
import { getEnv, type Env } from "./env.server.ts";

/** Where the embedded database lives inside DATA_DIR. */
const pgliteDir = (env: Env) => path.join(path.resolve(env.DATA_DIR), "pglite");

/**
 * Opens the configured database for this process. With the embedded
 * database it first takes DATA_DIR's lock, so a CLI cannot open it while the
 * server runs (PGlite would silently lose one side's writes). `keepProgress`:
 * the server's handle on PostgreSQL keeps learners' progress between changes
 * it hears of (ADR 047); a CLI's reads every time.
 */
export async function openConfiguredDatabase(
  owner: string,
  options: { keepProgress?: boolean } = {},
): Promise<{ env: Env; handle: DatabaseHandle; lock: DataDirLock | null }> {
  const env = getEnv();
  let lock: DataDirLock | null = null;
  let handle: DatabaseHandle;
  if (env.DATABASE_URL) {
    handle = await openDatabase({ kind: "postgres", url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, keepProgress: options.keepProgress });
  } else {
    lock = acquireDataDirLock(env.DATA_DIR, owner);
    try {
      handle = await openDatabase({
        kind: "pglite",
        dataDir: pgliteDir(env),
        inWorker: env.PGLITE_IN_WORKER === "on",
        onWorkerFailure: (error) => {
          // Every later statement would fail: exit, as a crash of PGlite in this thread would have, so a
          // supervisor restarts the process (the lock file names a dead process and is taken over).
          console.error(`[db] ${error.message}: exiting`);
          process.exit(1);
        },
      });
    } catch (error) {
      lock.release();
      throw new Error(
        `The embedded database at ${pgliteDir(env)} could not be opened: it may be damaged (for example by a ` +
          `process killed while writing, or two processes sharing it). Move the folder aside to start afresh, ` +
          `or restore it from a backup. Cause: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  setDatabase(handle);
  return { env, handle, lock };
}

