/**
 * `npm run bench faults`: PostgreSQL restarted under load. Starts its own
 * throwaway PostgreSQL cluster (initdb + pg_ctl, as .ci/run does; never the
 * shared server on 5432), seeds learners, serves the production build on it,
 * and while 50 signed-in learners load lesson pages, stops PostgreSQL for
 * about 8 seconds and starts it again. Prints, before, during and after the
 * outage: responses by status, the slowest answer during the outage (a 503
 * should come at once, not hang), and how long after PostgreSQL is back the
 * app serves pages again, without being restarted. Asserts nothing.
 * (SMTP unreachable and Stripe events repeated or reordered are integration
 * tests: tests/integration/mail-outbox.test.ts, tests/integration/stripe.test.ts.)
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { printSection, ROOT, waitForHealthy, type BenchLine } from "./common.ts";
import { BENCH_PASSWORD, BENCH_SLUG } from "./seed-http-bench-shared.ts";

const PG_PORT = 55103;
const APP_PORT = 3123;
const BASE = `http://127.0.0.1:${APP_PORT}`;
const LEARNERS = 50;
const OUTAGE_AT_S = 10;
const OUTAGE_FOR_S = 8;
const RUN_FOR_S = 40;
const REQUEST_TIMEOUT_MS = 30_000;

const bins = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql").sort((a, b) => Number(a) - Number(b)) : [];
const bin = bins.length ? path.join("/usr/lib/postgresql", bins[bins.length - 1]!, "bin") : null;
if (!bin || !fs.existsSync(path.join(bin, "initdb"))) {
  console.log("\nFaults: PostgreSQL's initdb was not found (apt-get install postgresql): not measured");
  process.exit(0);
}
const asRoot = process.getuid?.() === 0;
const pgdata = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-faults-pg-"));
if (asRoot) execFileSync("chown", ["postgres", pgdata]);
const runPg = (command: string) => (asRoot ? execFileSync("su", ["postgres", "-c", command], { stdio: "pipe" }) : execFileSync("bash", ["-c", command], { stdio: "pipe" }));
const pgCtl = (action: string) => runPg(`${bin}/pg_ctl -D ${pgdata} -o '-c listen_addresses=127.0.0.1 -p ${PG_PORT} -k /tmp' -l ${pgdata}/log -w ${action}`);

type Sample = { at: number; ms: number; status: number | "error" };

async function main(): Promise<BenchLine[]> {
  runPg(`${bin}/initdb -D ${pgdata} -U postgres --auth=trust -E UTF8 >/dev/null`);
  pgCtl("start");
  runPg(`psql "postgres://postgres@127.0.0.1:${PG_PORT}/postgres" -qc 'create database faults'`);
  const databaseUrl = `postgres://postgres@127.0.0.1:${PG_PORT}/faults`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-faults-"));
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    HOST: "127.0.0.1",
    PORT: String(APP_PORT),
    APP_URL: BASE,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SMTP_URL: "",
    BETTER_AUTH_SECRET: "faults-bench-secret-".padEnd(64, "x"),
    AUTH_RATE_LIMIT: "1000000",
    JOBS_IN_SERVER: "on",
    JOBS_INTERVAL_SECONDS: "5",
    LOG_LEVEL: "error",
  };
  console.log(`  seeding ${LEARNERS} learners on a throwaway PostgreSQL at 127.0.0.1:${PG_PORT}…`);
  const seeded = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "load", "seed-http-bench.ts"), String(LEARNERS)], { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (seeded.status !== 0) throw new Error(`seeding failed:\n${seeded.stderr}`);
  const prepared = JSON.parse(seeded.stdout.trim().split("\n").pop() ?? "{}") as { learners: { email: string }[]; lessonKey: string };
  const server: ChildProcess = spawn(process.execPath, [path.join(ROOT, "build", "index.js")], { cwd: ROOT, env, stdio: ["ignore", "ignore", "ignore"] });
  try {
    await waitForHealthy(`${BASE}/healthz`);
    const cookies: string[] = [];
    for (const learner of prepared.learners) {
      const response = await fetch(`${BASE}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: learner.email, password: BENCH_PASSWORD, redirectTo: "/learning" }),
      });
      cookies.push(response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "));
    }
    const lesson = `${BASE}/modules/${BENCH_SLUG}/${prepared.lessonKey}`;
    const samples: Sample[] = [];
    const t0 = Date.now();
    const deadline = t0 + RUN_FOR_S * 1000;
    let downAt = 0;
    let upAt = 0;
    const outage = (async () => {
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_AT_S * 1000));
      downAt = Date.now() - t0;
      pgCtl("stop -m fast");
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_FOR_S * 1000));
      pgCtl("start");
      upAt = Date.now() - t0;
    })();
    await Promise.all(
      cookies.map(async (cookie) => {
        // Bounded: at most 2,000 requests per learner, and the run's deadline.
        for (let i = 0; i < 2000 && Date.now() < deadline; i++) {
          const started = Date.now();
          try {
            const response = await fetch(lesson, { headers: { Cookie: cookie }, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
            await response.arrayBuffer();
            samples.push({ at: started - t0, ms: Date.now() - started, status: response.status });
            // A learner who sees the outage page waits a moment before trying again, as a person would.
            if (response.status === 503) await new Promise((resolve) => setTimeout(resolve, 250));
          } catch {
            samples.push({ at: started - t0, ms: Date.now() - started, status: "error" });
          }
        }
      }),
    );
    await outage;
    const server200AfterUp = samples.filter((s) => s.status === 200 && s.at >= upAt).sort((a, b) => a.at - b.at)[0];
    const phase = (from: number, to: number) => samples.filter((s) => s.at >= from && s.at < to);
    const describe = (list: Sample[]) => {
      const byStatus = new Map<string, number>();
      for (const s of list) byStatus.set(String(s.status), (byStatus.get(String(s.status)) ?? 0) + 1);
      const sorted = list.map((s) => s.ms).sort((a, b) => a - b);
      const p = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
      return `${list.length} requests: ${[...byStatus.entries()].map(([k, v]) => `${v} × ${k}`).join(", ")}; p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, slowest ${sorted[sorted.length - 1] ?? 0} ms`;
    };
    const after = server200AfterUp ? phase(server200AfterUp.at, RUN_FOR_S * 1000 + REQUEST_TIMEOUT_MS) : [];
    const healthz = await fetch(`${BASE}/healthz`).then((r) => r.status);
    return [
      { name: "PostgreSQL stopped / started", value: `at ${(downAt / 1000).toFixed(1)} s / ${(upAt / 1000).toFixed(1)} s (the app was not restarted)` },
      { name: "before the outage", value: describe(phase(0, downAt)) },
      { name: "during the outage", value: describe(phase(downAt, upAt)) },
      { name: "first page served after PostgreSQL was back", value: server200AfterUp ? `${((server200AfterUp.at + server200AfterUp.ms - upAt) / 1000).toFixed(1)} s after it started` : "never (NOT RECOVERED)" },
      { name: "after recovery", value: describe(after) },
      { name: "/healthz at the end", value: String(healthz) },
    ];
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

try {
  printSection("Faults: PostgreSQL stopped for 8 s and started again while 50 learners load lesson pages (one instance)", await main());
} finally {
  try {
    pgCtl("stop -m immediate");
  } catch {
    // already stopped
  }
  fs.rmSync(pgdata, { recursive: true, force: true });
}
