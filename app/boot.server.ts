import path from "node:path";
import { migrateDatabase, openDatabase, projectRoot, type DatabaseHandle } from "#db/client.ts";
import { acquireDataDirLock, type DataDirLock } from "#db/lock.ts";
import { importContent } from "./content/import.server.ts";
import { proposeFromFiles } from "./models/authoring/proposals.server.ts";
import { startScheduler, type Scheduler } from "./jobs/scheduler.server.ts";
import { warmCertificateRenderer } from "./models/certificate-pdf.server.ts";
import { ensureSetupToken } from "./models/setup.server.ts";
import { onImportRequested, releaseEmbeddedImportLeases, runImportJobs } from "./models/staff-import.server.ts";
import { setDatabase } from "./utils/db.server.ts";
import { drainOutbox, onMailQueued } from "./utils/email.server.ts";
import { getEnv, type Env } from "./utils/env.server.ts";
import { createLogger } from "./utils/logger.server.ts";

const log = createLogger("boot");

export type Booted = {
  env: Env;
  handle: DatabaseHandle;
  shutdown: () => Promise<void>;
};

/** Where the embedded database lives inside DATA_DIR. */
export const pgliteDir = (env: Env) => path.join(path.resolve(env.DATA_DIR), "pglite");

/**
 * Opens the configured database for this process. With the embedded
 * database it first takes DATA_DIR's lock, so a CLI cannot open it while the
 * server runs (PGlite would silently lose one side's writes).
 */
export async function openConfiguredDatabase(owner: string): Promise<{ env: Env; handle: DatabaseHandle; lock: DataDirLock | null }> {
  const env = getEnv();
  let lock: DataDirLock | null = null;
  let handle: DatabaseHandle;
  if (env.DATABASE_URL) {
    handle = await openDatabase({ kind: "postgres", url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE });
  } else {
    lock = acquireDataDirLock(env.DATA_DIR, owner);
    try {
      handle = await openDatabase({ kind: "pglite", dataDir: pgliteDir(env) });
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

/**
 * Everything the server does before it listens: validate configuration, open
 * and migrate the database, import the curriculum, print the first-admin setup
 * link if there is no admin yet, and start the scheduled jobs.
 */
export async function boot(options: { owner: string; contentDir?: string }): Promise<Booted> {
  const started = Date.now();
  const { env, handle, lock } = await openConfiguredDatabase(options.owner);
  let scheduler: Scheduler | undefined;
  const shutdown = async () => {
    scheduler?.stop();
    onMailQueued(undefined);
    onImportRequested(undefined);
    await handle.close();
    setDatabase(undefined);
    lock?.release();
  };
  try {
    await migrateDatabase(handle);
    const report = await importContent({
      handle,
      contentDir: options.contentDir ?? path.join(projectRoot(), "content", "modules"),
      publishedBy: "content import at start",
      proposeFromFiles,
    });
    for (const line of report.lines) log.info(line);
    for (const problem of report.problems) log.error(problem);
    await ensureSetupToken(env.APP_URL);
    // An import this process was applying when it stopped carries on from its
    // progress (never reset). On PostgreSQL its lease may belong to another
    // instance that is still running, so it is left to run out.
    if (handle.kind === "pglite") await releaseEmbeddedImportLeases();
    // Staff imports apply here as soon as Apply is pressed, whatever
    // JOBS_IN_SERVER says: a training lead is watching the progress page.
    // The lease keeps one instance on each import.
    let importsRunning = false;
    let importsAgain = false;
    const applyImports = () => {
      if (importsRunning) {
        importsAgain = true;
        return;
      }
      importsRunning = true;
      runImportJobs()
        .catch((error: unknown) => log.error("applying imports failed", { error }))
        .finally(() => {
          importsRunning = false;
          if (importsAgain) {
            importsAgain = false;
            applyImports();
          }
        });
    };
    onImportRequested(applyImports);
    applyImports();
    // Load the certificate fonts now, so the first learner's PDF is not the slow one.
    void warmCertificateRenderer();
    if (env.JOBS_IN_SERVER === "on") {
      scheduler = startScheduler({ intervalSeconds: env.JOBS_INTERVAL_SECONDS });
      let queued = false;
      onMailQueued(() => {
        if (queued) return;
        queued = true;
        setTimeout(() => {
          queued = false;
          drainOutbox().catch((error: unknown) => log.error("sending mail failed", { error }));
        }, 50);
      });
    }
    log.info("booted", { ms: Date.now() - started, database: handle.description });
    return { env, handle, shutdown };
  } catch (error) {
    await shutdown().catch(() => undefined);
    throw error;
  }
}
