/**
 * `npm run bench`: every benchmark, printing figures (never asserting).
 * Sections run in turn; each says what it measured.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fmt, printSection, ROOT } from "./common.ts";
import { httpBench, type HttpFigures } from "./http-bench.ts";

const only = process.argv[2];

import { postgresForBench } from "./postgres.ts";

if (!only || only === "http") {
  let pglite: HttpFigures | null = null;
  let pg: HttpFigures | null = null;
  printSection("HTTP, embedded database (production build, 10 connections, rounds of 2 s slices, each ratio the median of its rounds)", await httpBench(null, (f) => (pglite = f)));
  const postgres = await postgresForBench();
  if (postgres) {
    printSection(`HTTP, PostgreSQL at ${new URL(postgres).host} (same runs)`, await httpBench(postgres, (f) => (pg = f)));
  } else {
    console.log("\nHTTP, PostgreSQL: no server found (set BENCH_DATABASE_URL, or run one on 127.0.0.1:5432): not measured");
  }
  printGoals(pglite, pg);
}

/** The issue-18 table: each ratio beside its goal (figures only; nothing is asserted). */
function printGoals(pglite: HttpFigures | null, pg: HttpFigures | null) {
  const rows: [string, (f: HttpFigures) => number, number | null, string][] = [
    ["(a) signed-in lesson page, req/s", (f) => f.a, null, ""],
    ["(b) signed-in page with no loader, req/s", (f) => f.b, null, ""],
    ["(c) static file of the lesson's size, req/s", (f) => f.c, null, ""],
    ["a/b", (f) => f.ab, 0.7, "≥ 0.7 on both"],
    ["b/c", (f) => f.bc, 0.2, "≥ 0.2"],
    ["quiz submit ÷ lesson", (f) => f.submitPerLesson, 0.5, "≥ 0.5"],
  ];
  const cell = (f: HttpFigures | null, value: (f: HttpFigures) => number, goal: number | null) => {
    if (!f) return "not measured";
    const v = value(f);
    return goal === null ? fmt(v) : `${v.toFixed(2)} ${v >= goal ? "(met)" : "(NOT met)"}`;
  };
  console.log("\n| figure | embedded (PGlite) | PostgreSQL | goal |\n|---|---|---|---|");
  for (const [name, value, goal, text] of rows) console.log(`| ${name} | ${cell(pglite, value, goal)} | ${cell(pg, value, goal)} | ${text} |`);
}

// Standalone benches, each its own process so their timings do not share a warm heap.
for (const [name, file] of [
  ["profile", "bench-profile.ts"],
  ["cpu", "bench-cpu.ts"],
  ["submit", "submit-statements.ts"],
  ["pdf", "bench-pdf.ts"],
  ["csv", "bench-csv.ts"],
  ["import", "import-bench.ts"],
  ["reports", "bench-reports.ts"],
  ["load", "bench-load.ts"],
  ["faults", "bench-faults.ts"],
  ["studio", "bench-studio.ts"],
] as const) {
  if (only && only !== name) continue;
  console.log("");
  // `npm run bench -- reports --learners 5000`: options after the name go to that bench alone.
  const extra = only === name ? process.argv.slice(3) : [];
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "load", file), ...extra], { cwd: ROOT, stdio: "inherit" });
  if (run.status !== 0) console.log(`  (${file} failed with status ${run.status})`);
}
