/**
 * The compliance report at scale (issue 6). For the embedded database and
 * PostgreSQL, at 5,000 and 50,000 learners: seed a force (tests/load/seed-bench.ts),
 * time the dashboard loader (the calls app/routes/org.$orgSlug.reports.tsx makes)
 * for several queries, then the CSV export (consumed as the export route
 * streams it) with its peak memory. Prints figures; asserts nothing.
 *
 * Run: npm run bench -- reports [--learners 5000] [--db pglite|postgres]
 *   or npx tsx tests/load/bench-reports.ts --learners 5000,50000 --db pglite,postgres
 * The environment can say the same: BENCH_REPORTS_LEARNERS, BENCH_REPORTS_DB.
 * PostgreSQL: BENCH_DATABASE_URL, else the local test server (tests/load/postgres.ts).
 *
 * Each database and size gets a fresh database and two child processes (the
 * app reads DATABASE_URL and DATA_DIR once, at import): the first seeds and
 * times the loader, the second, fresh, times the export, so the export's
 * memory peak is not the seeding's.
 *
 * Seeding 50,000 learners takes about 5 minutes on PostgreSQL and 17 on
 * PGlite (2 loaded cores). To time forces seeded before (`npm run seed:bench`),
 * name them instead, migrated first, the loader only:
 *   npx tsx tests/load/bench-reports.ts --seeded "postgres:5000=postgres://…/db5k,postgres:50000=postgres://…/db50k,pglite:50000=/path/to/data"
 *
 * Every run ends with each view's median beside the goals of issue 18: at
 * 50,000 learners ≤ 100 ms on PostgreSQL and ≤ 300 ms on PGlite, and 50k/5k ≤ 3.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { fmt, printSection, ROOT, type BenchLine } from "./common.ts";
import { postgresForBench } from "./postgres.ts";

const SELF = fileURLToPath(import.meta.url);
const RUNS = 7;
const CAPPED_HEAP_MB = 64;
const DATABASES = ["pglite", "postgres"] as const;
type Kind = (typeof DATABASES)[number];
/** Issue 18's goals for every view at 50,000 learners, and for its growth from 5,000. */
const GOAL_MS: Record<Kind, number> = { postgres: 100, pglite: 300 };
const GOAL_RATIO = 3;

const { values: args } = parseArgs({
  options: {
    learners: { type: "string", default: process.env.BENCH_REPORTS_LEARNERS ?? "5000,50000" },
    db: { type: "string", default: process.env.BENCH_REPORTS_DB ?? DATABASES.join(",") },
    phase: { type: "string" },
    slug: { type: "string" },
    seeded: { type: "string", default: process.env.BENCH_REPORTS_SEEDED },
    results: { type: "string" },
  },
  strict: true,
});

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : n.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function stats(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  // Nearest rank: with 7 runs the p95 is the slowest.
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return { median: rank(0.5), p95: rank(0.95), min: sorted[0] ?? Number.NaN };
}

async function timed<T>(fn: () => Promise<T>, runs = RUNS): Promise<{ times: number[]; last: T }> {
  let last = await fn(); // warm-up: plans cached, pages read once
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    last = await fn();
    times.push(performance.now() - start);
  }
  return { times, last };
}

// ------------------------------------------------------------------ parent

function parseList<T extends string>(text: string, what: string, allowed?: readonly T[]): T[] {
  const items = text
    .split(",")
    .map((s) => s.trim().replace(/_/g, ""))
    .filter(Boolean);
  for (const item of items) {
    if (allowed ? !(allowed as readonly string[]).includes(item) : !/^\d+$/.test(item) || Number(item) < 1) {
      throw new Error(`--${what}: "${item}" is not ${allowed ? `one of ${allowed.join(", ")}` : "a whole number"}`);
    }
  }
  return items as T[];
}

/** A view's medians, written by the loader phase for the parent's summary. */
type ViewFigure = { view: string; whole: number; alone: number };
type RunFigures = { kind: Kind; learners: number; views: ViewFigure[] };

function readFigures(file: string, kind: Kind, learners: number, into: RunFigures[]) {
  if (!fs.existsSync(file)) return;
  into.push({ kind, learners, views: JSON.parse(fs.readFileSync(file, "utf8")) as ViewFigure[] });
}

/**
 * Each view's whole-loader median at the largest size beside its goal, and the growth from the smallest:
 * what the lead shows for issue 18. "met" or "NOT met" is only what this run measured, under this load.
 */
function printGoals(runs: RunFigures[]) {
  for (const kind of DATABASES) {
    const mine = runs.filter((r) => r.kind === kind).sort((a, b) => a.learners - b.learners);
    if (mine.length === 0) continue;
    const large = mine[mine.length - 1]!;
    const small = mine.length > 1 ? mine[0]! : null;
    const lines: BenchLine[] = large.views.map((v) => {
      const base = small?.views.find((x) => x.view === v.view);
      const ratio = base ? v.whole / base.whole : null;
      const within = v.whole <= GOAL_MS[kind] && (ratio === null || ratio <= GOAL_RATIO);
      return {
        name: v.view,
        value:
          `${ms(v.whole).padStart(7)} (goal ≤ ${GOAL_MS[kind]} ms)` +
          (base ? `   ${small!.learners.toLocaleString("en-GB")}: ${ms(base.whole).padStart(7)}, ×${ratio!.toFixed(1)} (goal ≤ ${GOAL_RATIO})` : "") +
          `   loadReport alone ${ms(v.alone).padStart(7)}   ${within ? "met" : "NOT met"}`,
      };
    });
    printSection(
      `Goals, ${kind === "pglite" ? "PGlite" : "PostgreSQL"}: each view's whole-loader median at ${large.learners.toLocaleString("en-GB")} learners` +
        `${small ? ` and its growth from ${small.learners.toLocaleString("en-GB")}` : ""} (load average now ${os.loadavg().map((n) => n.toFixed(1)).join(" ")})`,
      lines,
    );
  }
}

/** `--seeded kind:learners=location,...`: forces seeded before, timed without seeding again. */
async function seededParent(list: string) {
  const figures: RunFigures[] = [];
  for (const item of list.split(",").map((s) => s.trim()).filter(Boolean)) {
    const match = /^(pglite|postgres):(\d+)=(.+)$/.exec(item);
    if (!match) throw new Error(`--seeded: "${item}" is not kind:learners=location (kind pglite or postgres; location a URL or a data directory)`);
    const [, kind, learners, location] = match as unknown as [string, Kind, string, string];
    console.log(`\n=== Reports, ${kind === "pglite" ? `PGlite in ${location}` : `PostgreSQL at ${new URL(location).host}${new URL(location).pathname}`}, seeded with ${Number(learners).toLocaleString("en-GB")} learners (load average ${os.loadavg().map((n) => n.toFixed(1)).join(" ")})`);
    const results = path.join(os.tmpdir(), `distinct-reports-bench-${process.pid}-${kind}-${learners}.json`);
    const env = { ...benchEnv(), DATABASE_URL: kind === "postgres" ? location : "", DATA_DIR: kind === "pglite" ? location : benchEnv().DATA_DIR };
    const run = spawnSync(process.execPath, ["--import", "tsx", SELF, "--phase", "loader", "--results", results, ...(args.slug ? ["--slug", args.slug] : [])], { cwd: ROOT, env, stdio: "inherit" });
    if (run.status !== 0) console.log(`  (loader failed with status ${run.status ?? run.signal})`);
    readFigures(results, kind, Number(learners), figures);
    fs.rmSync(results, { force: true });
  }
  printGoals(figures);
}

function benchEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: "production" as const, APP_URL: "http://localhost:3999", BETTER_AUTH_SECRET: "b".repeat(64), LOG_LEVEL: "error", JOBS_IN_SERVER: "off" };
}

async function parent() {
  if (args.seeded) return seededParent(args.seeded);
  const sizes = parseList(args.learners, "learners").map(Number);
  const kinds = parseList(args.db, "db", DATABASES);
  const figures: RunFigures[] = [];
  const postgresUrl = kinds.includes("postgres") ? await postgresForBench() : null;
  console.log(`Reports at scale: ${sizes.map((n) => n.toLocaleString("en-GB")).join(" and ")} learners on ${kinds.join(" and ")} (Node ${process.version}, ${os.cpus().length} CPUs)`);
  for (const kind of kinds) {
    if (kind === "postgres" && !postgresUrl) {
      console.log("\nReports, PostgreSQL: no server found (set BENCH_DATABASE_URL, or run one on 127.0.0.1:5432): not measured");
      continue;
    }
    for (const learners of sizes) {
      const title = `${kind === "pglite" ? "embedded database (PGlite)" : `PostgreSQL at ${new URL(postgresUrl!).host}`}, ${learners.toLocaleString("en-GB")} learners`;
      console.log(`\n=== Reports, ${title}`);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-reports-bench-"));
      let databaseUrl = "";
      let drop: (() => Promise<void>) | null = null;
      if (kind === "postgres") {
        const name = `distinct_reports_bench_${process.pid}_${learners}`;
        const admin = new pg.Client({ connectionString: postgresUrl! });
        await admin.connect();
        await admin.query(`drop database if exists ${name}`);
        await admin.query(`create database ${name}`);
        const url = new URL(postgresUrl!);
        url.pathname = `/${name}`;
        databaseUrl = url.toString();
        drop = async () => {
          await admin.query(`drop database if exists ${name} with (force)`);
          await admin.end();
        };
      }
      const env: NodeJS.ProcessEnv = { ...benchEnv(), DATABASE_URL: databaseUrl, DATA_DIR: dataDir };
      const slug = `bench-reports-${learners}`;
      const results = path.join(dataDir, "..", `${path.basename(dataDir)}.json`);
      try {
        for (const phase of ["seed", "export", "export-capped"]) {
          // The capped run: if memory grew with the rows, 80 MB of CSV could not pass through a 64 MB heap.
          const heap = phase === "export-capped" ? [`--max-old-space-size=${CAPPED_HEAP_MB}`] : [];
          const run = spawnSync(process.execPath, [...heap, "--import", "tsx", SELF, "--phase", phase, "--learners", String(learners), "--slug", slug, "--results", results], { cwd: ROOT, env, stdio: "inherit" });
          if (run.status !== 0) {
            console.log(`  (${phase} failed with status ${run.status ?? run.signal})`);
            break;
          }
        }
        readFigures(results, kind, learners, figures);
      } finally {
        fs.rmSync(results, { force: true });
        await drop?.();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  printGoals(figures);
}

// ------------------------------------------------------------------ children

async function openBenchDatabase() {
  const { openConfiguredDatabase } = await import("#app/services/database.server.ts");
  const { migrateDatabase } = await import("#db/client.ts");
  const { handle, lock } = await openConfiguredDatabase("reports bench");
  await migrateDatabase(handle);
  return { handle, close: async () => (await handle.close(), lock?.release()) };
}

/** Seeds the force and times the dashboard loader's work for several queries. */
async function seedPhase(learners: number, slug: string) {
  const { projectRoot } = await import("#db/client.ts");
  const { importContent } = await import("#app/content/import.server.ts");
  const { seedBenchForce } = await import("./seed-bench.ts");
  const { handle, close } = await openBenchDatabase();
  try {
    const t = performance.now();
    await importContent({ handle, contentDir: path.join(projectRoot(), "content", "modules"), publishedBy: "bench" });
    const importMs = performance.now() - t;
    const seeded = await seedBenchForce(handle, { learners, slug, log: () => undefined });
    const c = (key: string) => (seeded.counts[key] ?? 0).toLocaleString("en-GB");
    printSection("Seed (npm run seed:bench, in process)", [
      { name: "curriculum import (4 modules)", value: ms(importMs) },
      { name: "seed total", value: `${(seeded.ms / 1000).toFixed(1)} s` },
      ...seeded.timings.map((s) => ({ name: `  ${s.name}`, value: `${(s.ms / 1000).toFixed(2)} s` })),
      { name: "people", value: `${c("people")} (${c("active")} active, ${c("invited")} invited, ${c("left")} left), ${c("teams")} teams` },
      { name: "learning records", value: `${c("enrolments")} enrolments, ${c("attempts")} attempts, ${c("classify_answers")} classify answers, ${c("certificates")} certificates` },
      { name: "report rows", value: c("report_rows") },
    ]);
    await loaderPhase(handle, seeded.organizationId, seeded.modules[0]!.slug);
  } finally {
    await close();
  }
}

/** A force seeded before: its organisation (--slug, else the one with the most report rows) and first module. */
async function seededLoaderPhase(slug: string | undefined) {
  const { sql } = await import("drizzle-orm");
  const { handle, close } = await openBenchDatabase();
  try {
    const found = (await handle.db.execute(sql`
      select o.id, (select m.slug from modules m join report_rows r on r.module_id = m.id and r.organization_id = o.id
                    order by m.sort_order, m.slug limit 1) as module
      from organization o where ${slug ? sql`o.slug = ${slug}` : sql`true`}
      order by (select count(*) from report_rows r where r.organization_id = o.id) desc limit 1`)) as unknown as { rows: { id: string; module: string | null }[] };
    const org = found.rows[0];
    if (!org?.module) throw new Error(slug ? `No organisation ${slug} with report rows` : "No organisation with report rows: seed one with npm run seed:bench");
    await loaderPhase(handle, org.id, org.module);
  } finally {
    await close();
  }
}

async function loaderPhase(handle: Awaited<ReturnType<typeof openBenchDatabase>>["handle"], organizationId: string, moduleSlug: string) {
  const { sql } = await import("drizzle-orm");
  const { loadReport, reportContext } = await import("#app/models/reporting/report.server.ts");
  const { confusionMatrix } = await import("#app/models/reporting/confusion.server.ts");
  const { weeklyExportEnabled } = await import("#app/models/reporting/report-export.server.ts");
  const { parseReportQuery } = await import("#app/utils/report-query.ts");

  const parse = (search: string) => {
    const parsed = parseReportQuery(new URLSearchParams(search));
    if (!parsed.ok) throw new Error(`${search}: ${parsed.message}`);
    return parsed.query;
  };
  /** The reports route's loader without the sign-in check: the same calls, in the same order and parallelism. */
  const loader = async (search: string) => {
    const [context, weeklyExport] = await Promise.all([reportContext(organizationId), weeklyExportEnabled(organizationId)]);
    const query = parse(search);
    const moduleId = query.module ? (context.modules.find((m) => m.slug === query.module)?.id ?? null) : null;
    const [report, confusion] = await Promise.all([loadReport(context, query), confusionMatrix({ organisationId: organizationId }, moduleId ? { moduleId } : {})]);
    return { weeklyExport, report, confusion };
  };

  const biggest = (await handle.db.execute(sql`
    select t.id, t.name, count(*)::int as n from people p join team t on t.id = p.team_id
    where p.organization_id = ${organizationId} and p.status <> 'left' group by t.id, t.name order by n desc limit 1`)) as unknown as { rows: { id: string; name: string; n: number }[] };
  const team = biggest.rows[0]!;
  const queries: [label: string, search: string][] = [
    ["default (no filters, by name)", ""],
    [`one team (${team.name}, ${team.n} people)`, `team=${team.id}`],
    [`one module (${moduleSlug}), overdue`, `module=${moduleSlug}&status=overdue`],
    ["sorted by due date, latest first", "sort=due&dir=desc"],
    ["completed, sorted by score, highest first", "status=completed&sort=score&dir=desc"],
    ["page 150", "page=150"],
    // Every other sort key (issue 18: each an index order, or read a group at a time in name order).
    ["sorted by staff number", "sort=staff"],
    ["sorted by team", "sort=team"],
    ["sorted by team, page 150", "sort=team&page=150"],
    ["sorted by module", "sort=module"],
    ["sorted by status", "sort=status"],
    ["sorted by status, descending", "sort=status&dir=desc"],
    ["sorted by started", "sort=started"],
    ["sorted by completed, latest first", "sort=completed&dir=desc"],
    ["sorted by score, highest first", "sort=score&dir=desc"],
    ["sorted by attempts, most first", "sort=attempts&dir=desc"],
    ["sorted by certificate expiry", "sort=expires"],
    [`one team, sorted by completed, latest first`, `team=${team.id}&sort=completed&dir=desc`],
    // A status alone, and the deep page of the rarest group sorted by status (issue 18: 135 ms idle before keys first).
    ["overdue only", "status=overdue"],
    ["expired only, page 20", "status=expired&page=20"],
    ["sorted by status, descending, page 150", "sort=status&dir=desc&page=150"],
  ];
  const lines: BenchLine[] = [];
  const figures: ViewFigure[] = [];
  for (const [label, search] of queries) {
    const whole = await timed(() => loader(search));
    const alone = await timed(() => reportContext(organizationId).then((context) => loadReport(context, parse(search))));
    const w = stats(whole.times);
    // The team's name and size differ between forces: the summary matches views by what comes before them.
    figures.push({ view: label.replace(/ \(.*\)/, ""), whole: w.median, alone: stats(alone.times).median });
    const page = whole.last.report.page;
    lines.push({
      name: label,
      value:
        `median ${ms(w.median).padStart(7)}, p95 ${ms(w.p95).padStart(7)}, min ${ms(w.min).padStart(7)}   ` +
        `(reportContext + loadReport alone: median ${ms(stats(alone.times).median)}; ${page.rows.length} rows shown of ${fmt(page.total)})`,
    });
  }
  printSection(`Dashboard loader (reportContext, weeklyExportEnabled, loadReport, confusionMatrix as the route calls them; ${RUNS} runs after a warm-up; load average ${os.loadavg().map((n) => n.toFixed(1)).join(" ")})`, lines);
  if (args.results) fs.writeFileSync(args.results, JSON.stringify(figures));
  const context = await reportContext(organizationId);
  const moduleId = context.modules.find((m) => m.slug === moduleSlug)?.id;
  const parts: [string, () => Promise<unknown>][] = [
    ["reportContext", () => reportContext(organizationId)],
    ["confusionMatrix, all modules", () => confusionMatrix({ organisationId: organizationId })],
    ["confusionMatrix, one module", () => confusionMatrix({ organisationId: organizationId }, moduleId ? { moduleId } : {})],
  ];
  const partLines: BenchLine[] = [];
  for (const [name, fn] of parts) {
    const s = stats((await timed(fn)).times);
    partLines.push({ name, value: `median ${ms(s.median)}, p95 ${ms(s.p95)}` });
  }
  printSection("Parts of the loader on their own", partLines);
}

/** The CSV export in a fresh process, twice, sampling memory while it streams. */
async function exportPhase(slug: string, capped = false) {
  const { eq } = await import("drizzle-orm");
  const { organization } = await import("#db/schema/index.ts");
  const { reportContext, reportCsvStream, resolveQuery } = await import("#app/models/reporting/report.server.ts");
  const { parseReportQuery } = await import("#app/utils/report-query.ts");
  const { handle, close } = await openBenchDatabase();
  try {
    const [org] = await handle.db.select({ id: organization.id }).from(organization).where(eq(organization.slug, slug));
    if (!org) throw new Error(`No organisation ${slug}`);
    const lines: BenchLine[] = [];
    for (const run of capped ? [1] : [1, 2]) {
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      const sample = () => {
        const now = process.memoryUsage();
        peakRss = Math.max(peakRss, now.rss);
        peakHeap = Math.max(peakHeap, now.heapUsed);
      };
      const sampler = setInterval(sample, 20);
      const start = performance.now();
      // What the export route does: parse the query, the context, resolve, stream.
      const parsed = parseReportQuery(new URLSearchParams());
      if (!parsed.ok) throw new Error(parsed.message);
      const context = await reportContext(org.id);
      const { moduleId } = resolveQuery(context, parsed.query);
      const reader = reportCsvStream(context, parsed.query, moduleId).getReader();
      let bytes = 0;
      let newlines = 0;
      let firstByteMs: number | null = null;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        firstByteMs ??= performance.now() - start;
        bytes += value.byteLength;
        for (let i = 0; i < value.length; i++) if (value[i] === 10) newlines++;
        // Also sample here: a PGlite query blocks the event loop, and with it the timer.
        sample();
      }
      const took = performance.now() - start;
      clearInterval(sampler);
      sample();
      const rows = newlines - 1;
      lines.push(
        { name: capped ? `export, JS heap capped at ${CAPPED_HEAP_MB} MB` : `export ${run}${run === 1 ? " (first in a fresh process)" : " (same process, warm)"}`, value: `${ms(took)}, ${mb(bytes)}, ${fmt(rows)} rows (${fmt(rows / (took / 1000))} rows/s), first bytes after ${ms(firstByteMs ?? 0)}` },
        { name: `  memory, export ${run}`, value: `RSS before ${mb(before.rss)}, peak ${mb(peakRss)} (+${mb(peakRss - before.rss)}); JS heap before ${mb(before.heapUsed)}, peak ${mb(peakHeap)}` },
      );
    }
    lines.push({ name: "process peak RSS (kernel high-water mark)", value: mb(process.resourceUsage().maxRSS * 1024) });
    if (capped) {
      printSection(`CSV export in a fresh process run with --max-old-space-size=${CAPPED_HEAP_MB} (it completes: memory does not grow with the rows)`, lines);
      return;
    }
    printSection(
      `CSV export, every row (reportCsvStream read to the end as the export route streams it; fresh child process; memory sampled every 20 ms and at every chunk; ${handle.kind === "pglite" ? "PGlite runs in this process, so its memory counts" : "the PostgreSQL server's memory is not counted"})`,
      lines,
    );
  } finally {
    await close();
  }
}

if (args.phase === "seed") await seedPhase(Number(args.learners), args.slug ?? "bench-reports");
else if (args.phase === "export") await exportPhase(args.slug ?? "bench-reports");
else if (args.phase === "export-capped") await exportPhase(args.slug ?? "bench-reports", true);
else if (args.phase === "loader") await seededLoaderPhase(args.slug);
else if (args.phase === undefined) await parent();
else throw new Error(`--phase must be seed, loader, export or export-capped (got ${args.phase})`);
