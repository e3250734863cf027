import path from "node:path";
import { migrateDatabase, projectRoot, type DatabaseHandle } from "#db/client.ts";
import { openConfiguredDatabase } from "#app/services/database.server.ts";
import { setDatabase } from "#app/models/platform/db.server.ts";
import { importContent } from "./content/import.server.ts";
import { proposeFromFiles } from "./models/authoring/proposals.server.ts";
import { startScheduler, type Scheduler } from "./jobs/scheduler.server.ts";
import { warmCertificateRenderer } from "#app/models/learning/certificate-pdf.server.ts";
import { ensureSetupToken } from "#app/services/setup.server.ts";
import { onImportRequested, releaseEmbeddedImportLeases, runImportJobs } from "#app/models/organisations/staff-import.server.ts";
import { drainOutbox, onMailQueued } from "#app/models/platform/email.server.ts";
import { type Env } from "#app/services/env.server.ts";
import { createLogger } from "#app/services/logger.server.ts";

const log = createLogger("boot");

export type Booted = {
  env: Env;
  handle: DatabaseHandle;
  shutdown: () => Promise<void>;
};

/**
 * Everything the server does before it listens: validate configuration, open
 * and migrate the database, import the curriculum, print the first-admin setup
 * link if there is no admin yet, and start the scheduled jobs.
 */
export async function boot(options: { owner: string; contentDir?: string }): Promise<Booted> {
  const started = Date.now();
  const { env, handle, lock } = await openConfiguredDatabase(options.owner, { keepProgress: true });
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
