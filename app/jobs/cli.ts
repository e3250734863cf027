/**
 * `npm run jobs`: runs every scheduled job once and exits, for cron on
 * PostgreSQL deployments. Safe on every instance at once. With the embedded
 * database it takes DATA_DIR's lock, so it refuses to run while the server
 * holds the database (the server runs the jobs itself).
 *
 * `npm run jobs -- --at 2026-06-01` runs them as of that moment (not in
 * production): see app/jobs/args.ts. The arguments are checked before the
 * app is loaded, so a mistyped command answers at once.
 */
import { parseJobsArgs } from "./args.ts";

const args = parseJobsArgs(process.argv.slice(2), process.env.NODE_ENV ?? "development");
if (!args.ok) {
  console.error(args.message);
  process.exit(2);
}

const [{ openConfiguredDatabase }, { DataDirLockedError }, { migrateDatabase }, { EnvError }, { runAllJobs }] = await Promise.all([
  import("#app/services/database.server.ts"),
  import("#db/lock.ts"),
  import("#db/client.ts"),
  import("#app/services/env.server.ts"),
  import("./registry.server.ts"),
]);

try {
  const { handle, lock } = await openConfiguredDatabase("npm run jobs");
  try {
    await migrateDatabase(handle);
    if (args.at) console.log(`Running the jobs as of ${args.at.toISOString()}`);
    const results = await runAllJobs(args.at ?? new Date());
    for (const r of results) console.log(`${r.ok ? "ok    " : "FAILED"} ${r.name}${r.result ? ` ${JSON.stringify(r.result)}` : ""}`);
    process.exitCode = results.every((r) => r.ok) ? 0 : 1;
  } finally {
    await handle.close();
    lock?.release();
  }
} catch (error) {
  if (error instanceof DataDirLockedError || error instanceof EnvError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
