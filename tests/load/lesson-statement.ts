/**
 * What one lesson request's database statement costs on the embedded
 * database (PGlite, in the server's thread), and what moving PGlite to a
 * worker thread would add per statement: a message round trip carrying the
 * same result. For ADR 027's choice. Prints figures; asserts nothing.
 * Run: npx tsx tests/load/lesson-statement.ts [--runs 2000]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";

const { values } = parseArgs({ options: { runs: { type: "string", default: "2000" } } });
const runs = Number(values.runs);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-lesson-statement-"));
Object.assign(process.env, { DATA_DIR: dataDir, DATABASE_URL: "", NODE_ENV: "production", APP_URL: "http://localhost:3999", BETTER_AUTH_SECRET: "b".repeat(64), LOG_LEVEL: "error", JOBS_IN_SERVER: "off" });
const { openConfiguredDatabase } = await import("#app/services/database.server.ts");
const { migrateDatabase } = await import("#db/client.ts");
const { importFixtures, createUser } = await import("#tests/factories.ts");
const { findEnrolment, startModule, completeLesson } = await import("#app/models/learning/enrolment.server.ts");
const { getCurrentVersion } = await import("#app/models/learning/module.server.ts");
const { handle, lock } = await openConfiguredDatabase("lesson statement");
try {
  await migrateDatabase(handle);
  await importFixtures(handle);
  const learner = await createUser();
  const slug = "sample-basics";
  await startModule({ userId: learner.id, slug });
  const version = await getCurrentVersion(slug);
  for (const lesson of version!.lessons.slice(0, 2)) await completeLesson({ userId: learner.id, slug, lessonKey: lesson.key });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const time = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 200; i++) await fn();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    return times;
  };
  const statement = await time(() => findEnrolment(learner.id, slug));
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await findEnrolment(learner.id, slug);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  const result = await findEnrolment(learner.id, slug);
  // The worker's side of a round trip: it answers each message with the same result, as a PGlite worker would.
  const worker = new Worker(`const { parentPort } = require("node:worker_threads"); parentPort.on("message", (m) => parentPort.postMessage(m));`, { eval: true });
  const roundTrip = await time(
    () =>
      new Promise((resolve) => {
        worker.once("message", resolve);
        worker.postMessage({ rows: [{ ...result, completedLessonKeys: [...result!.completedLessonKeys] }] });
      }),
  );
  await worker.terminate();
  console.log(`Lesson request's statement on PGlite (findEnrolment, prepared, in this thread; ${runs} runs):`);
  console.log(`  median ${median(statement).toFixed(3)} ms; main-thread CPU ${((cpu.user + cpu.system) / 1000 / runs).toFixed(3)} ms per statement (wall ${(wall / runs).toFixed(3)} ms)`);
  console.log(`A worker thread's message round trip with the same result: median ${median(roundTrip).toFixed(3)} ms`);
} finally {
  await handle.close();
  lock?.release();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
