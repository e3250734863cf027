/**
 * `npm run bench`: every benchmark, printing figures (never asserting).
 * Sections run in turn; each says what it measured.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { printSection, ROOT } from "./common.ts";
import { httpBench } from "./http-bench.ts";

const only = process.argv[2];

import { postgresForBench } from "./postgres.ts";

if (!only || only === "http") {
  printSection("HTTP, embedded database (production build, 10 connections, median of 5 interleaved 5 s rounds)", await httpBench());
  const postgres = await postgresForBench();
  if (postgres) {
    printSection(`HTTP, PostgreSQL at ${new URL(postgres).host} (same runs)`, await httpBench(postgres));
  } else {
    console.log("\nHTTP, PostgreSQL: no server found (set BENCH_DATABASE_URL, or run one on 127.0.0.1:5432): not measured");
  }
}

// Standalone benches, each its own process so their timings do not share a warm heap.
for (const [name, file] of [
  ["profile", "bench-profile.ts"],
  ["pdf", "bench-pdf.ts"],
  ["csv", "bench-csv.ts"],
  ["import", "import-bench.ts"],
  ["reports", "bench-reports.ts"],
  ["load", "bench-load.ts"],
  ["faults", "bench-faults.ts"],
] as const) {
  if (only && only !== name) continue;
  console.log("");
  // `npm run bench -- reports --learners 5000`: options after the name go to that bench alone.
  const extra = only === name ? process.argv.slice(3) : [];
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "load", file), ...extra], { cwd: ROOT, stdio: "inherit" });
  if (run.status !== 0) console.log(`  (${file} failed with status ${run.status})`);
}
