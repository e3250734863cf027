/**
 * `npm run bench`: every benchmark, printing figures (never asserting).
 * Sections run in turn; each says what it measured.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { printSection, ROOT } from "./common.ts";
import { httpBench } from "./http-bench.ts";

const only = process.argv[2];

if (!only || only === "http") {
  printSection("HTTP (production build, embedded database, 10 connections, 10 s each)", await httpBench());
}

// Standalone benches, each its own process so their timings do not share a warm heap.
for (const [name, file] of [
  ["pdf", "bench-pdf.ts"],
  ["csv", "bench-csv.ts"],
] as const) {
  if (only && only !== name) continue;
  console.log("");
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "load", file)], { cwd: ROOT, stdio: "inherit" });
  if (run.status !== 0) console.log(`  (${file} failed with status ${run.status})`);
}
