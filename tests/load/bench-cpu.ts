/**
 * `npm run bench cpu -- DIR...`: CPU time of the server process per request, for (b) the page with no loader, (a)
 * the lesson page and, with `--pages b,a,d`, (d) the quiz submit (each learner submits their one open attempt once:
 * every round and checkout gets learners of its own, 30 submits of warm-up then --submits measured), read from /proc
 * (user + system time of the server's process, not wall time; its main thread's share beside), for one or more
 * checkouts built with `npx remix build`, interleaved round by round on one seeded embedded database. Meant for A/B
 * comparisons on a shared machine: CPU per request moves far less with the machine's load than requests per second.
 * Options: --rounds N (3), --seconds S (6), --pages (b,a), --submits N (200), --db pglite|postgres (pglite). With PostgreSQL the database server's
 * own CPU per request is printed beside the node process's: the summed user + system time of the server backends
 * connected to the bench's database (from /proc, read on this machine), since both share its cores.
 * Prints figures; asserts nothing.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ROOT, waitForHealthy } from "./common.ts";
import { BASE, prepare, run, serverEnv, signIn, submitEach, type Prepared } from "./http-bench.ts";
import { postgresForBench } from "./postgres.ts";
import { BENCH_SLUG } from "./seed-http-bench-shared.ts";

const { values: opts, positionals } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "6" },
    pages: { type: "string", default: "b,a" },
    submits: { type: "string", default: "200" },
    db: { type: "string", default: "pglite" },
  },
  allowPositionals: true,
  strict: true,
});
const roots = positionals.length ? positionals.map((p) => path.resolve(p)) : [ROOT];
const TICK = 100; // USER_HZ on Linux

/** The process's user + system CPU time in milliseconds, all its threads. */
function cpuMs(pid: number): number {
  return statMs(`/proc/${pid}/stat`);
}

/**
 * Its main thread's alone: the thread that handles every request. With PGlite in a worker thread (ADR 049) the
 * database's work is in the rest, beside V8's and libuv's helper threads.
 */
function mainThreadMs(pid: number): number {
  return statMs(`/proc/${pid}/task/${pid}/stat`);
}

/** Each thread's CPU time by thread id, with its name (comm), to find the busiest besides the main one. */
function threadsMs(pid: number): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(tid, { name: fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim(), ms: statMs(`/proc/${pid}/task/${tid}/stat`) });
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/** The busiest thread other than the main one between two readings (with PGlite in a worker, the worker): ms and name. */
function busiestOther(pid: number, before: Map<string, { name: string; ms: number }>): { ms: number; name: string } {
  let best = { ms: 0, name: "none" };
  for (const [tid, now] of threadsMs(pid)) {
    if (tid === String(pid)) continue;
    const ms = now.ms - (before.get(tid)?.ms ?? 0);
    if (ms > best.ms) best = { ms, name: now.name };
  }
  return best;
}

function statMs(file: string): number {
  const fields = fs.readFileSync(file, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICK;
}

/**
 * The PostgreSQL backends serving one database (other than the one asking): their pids, for their CPU time.
 * Backends that end between two readings drop out; the server's pool keeps its connections open.
 */
async function backendCpuMs(admin: pg.Client | null, database: string): Promise<number> {
  if (!admin) return 0;
  const { rows } = await admin.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [database]);
  let total = 0;
  for (const { pid } of rows) {
    try {
      total += cpuMs(pid);
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

const SUBMIT_WARM = 30;
const SUBMITS = Number(opts.submits);

type Figures = { cpu: number; main: number; other: { ms: number; name: string }; rate: number; db: number };

/**
 * Takes the CPU readings now; the function returned turns what was spent since into figures per request (the rate
 * over `seconds` when given, a timed run's length, otherwise over the time since).
 */
async function cpuSince(pid: number, admin: pg.Client | null, database: string) {
  const before = cpuMs(pid);
  const mainBefore = mainThreadMs(pid);
  const threadsBefore = threadsMs(pid);
  const dbBefore = await backendCpuMs(admin, database);
  const started = performance.now();
  return async (requests: number, seconds = (performance.now() - started) / 1000): Promise<Figures> => {
    const other = busiestOther(pid, threadsBefore);
    return {
      cpu: (cpuMs(pid) - before) / requests,
      main: (mainThreadMs(pid) - mainBefore) / requests,
      other: { ms: other.ms / requests, name: other.name },
      rate: requests / seconds,
      db: ((await backendCpuMs(admin, database)) - dbBefore) / requests,
    };
  };
}

async function measure(
  root: string,
  env: Record<string, string>,
  email: string,
  pages: Record<string, string>,
  submitters: Prepared["learners"],
  admin: pg.Client | null,
  database: string,
) {
  const server = spawn(process.execPath, [path.join(root, "build", "index.js")], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  const out: Record<string, Figures> = {};
  try {
    await waitForHealthy(`${BASE}/healthz`);
    const cookie = await signIn(email);
    for (const [name, url] of Object.entries(pages)) {
      const options = { url: `${BASE}${url}`, connections: 10, headers: { Cookie: cookie } };
      // Warm-up; the first also lets start-up work (build assets compressed once, ADR 027) finish outside the window.
      await run({ ...options, duration: name === "b" ? 10 : 3 });
      const spent = await cpuSince(server.pid!, admin, database);
      const result = await run({ ...options, duration: Number(opts.seconds) });
      out[name] = await spent(result.requests.total, Number(opts.seconds));
    }
    if (submitters.length) {
      const submit = await submitEach(submitters);
      await submit(SUBMIT_WARM);
      const spent = await cpuSince(server.pid!, admin, database);
      const result = await submit(submitters.length - SUBMIT_WARM);
      const ok = result["3xx"];
      if (ok !== result.requests.total) throw new Error(`(d): ${result.requests.total - ok} of ${result.requests.total} submits were not redirected`);
      out.d = await spent(result.requests.total);
    }
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
  return out;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-cpu-"));
let admin: pg.Client | null = null;
let database = "";
let databaseUrl = "";
if (opts.db === "postgres") {
  const url = await postgresForBench();
  if (!url) throw new Error("No PostgreSQL server (set BENCH_DATABASE_URL, or run one on 127.0.0.1:5432)");
  database = `${new URL(url).pathname.slice(1) || "distinct"}_cpu_${process.pid}`;
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const bench = new URL(url);
  bench.pathname = `/${database}`;
  databaseUrl = bench.toString();
}
try {
  const env = serverEnv(dataDir, databaseUrl);
  const wanted = new Set(opts.pages.split(","));
  const perRun = wanted.has("d") ? SUBMIT_WARM + SUBMITS : 0;
  const prepared = prepare(env, Math.max(1, Number(opts.rounds) * roots.length * perRun));
  const lesson = `/modules/${BENCH_SLUG}/${prepared.lessonKey}`;
  const pages = Object.fromEntries(Object.entries({ b: "/accessibility", a: lesson }).filter(([name]) => wanted.has(name)));
  let used = 0;
  for (let round = 0; round < Number(opts.rounds); round++) {
    for (const root of roots) {
      const submitters = prepared.learners.slice(used, used + perRun);
      used += perRun;
      const figures = await measure(root, env, prepared.learners[0]!.email, pages, submitters, admin, database);
      const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
      const cells = Object.entries(figures).map(
        ([name, f]) =>
          `(${name}) ${f.cpu.toFixed(3)} ms CPU/req (main thread ${f.main.toFixed(3)}, busiest other ${f.other.ms.toFixed(3)} "${f.other.name}")${admin ? ` + PostgreSQL ${f.db.toFixed(3)}` : ""}, ${f.rate.toFixed(0)} req/s`,
      );
      console.log(`round ${round + 1}  ${path.relative(path.dirname(ROOT), root) || root}  ${cells.join("   ")}   load ${load}`);
    }
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (admin) {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
}
