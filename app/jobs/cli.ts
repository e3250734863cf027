/**
 * `npm run jobs`: runs every scheduled job once and exits, for cron on
 * PostgreSQL deployments. Safe on every instance at once. With the embedded
 * database it takes DATA_DIR's lock, so it refuses to run while the server
 * holds the database (the server runs the jobs itself).
 */
import { openConfiguredDatabase } from "#app/boot.server.ts";
import { DataDirLockedError } from "#db/lock.ts";
import { migrateDatabase } from "#db/client.ts";
import { EnvError } from "#app/utils/env.server.ts";
import { runAllJobs } from "./registry.server.ts";

try {
  const { handle, lock } = await openConfiguredDatabase("npm run jobs");
  try {
    await migrateDatabase(handle);
    const results = await runAllJobs();
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
