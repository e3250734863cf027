/**
 * `npm run bench load`: 200 learners at once for 60 s, each signing in (all
 * 200 within the first 10 s) and then in a loop of opening a lesson, marking
 * it complete and submitting their quiz, against the production build on
 * loopback:
 *   1. one instance on the embedded database,
 *   2. one instance on PostgreSQL,
 *   3. two instances on one PostgreSQL, the learners split between them,
 *      both running the jobs with a real SMTP server (smtp-server) on
 *      loopback, a 3,000-row staff import waiting and 2,000 mails queued:
 *      afterwards every mail must have been delivered once and the import
 *      applied once.
 * Prints requests, errors and p50/p99 per step; asserts nothing.
 * Options: --learners N (200), --seconds S (60), --only pglite|postgres|two.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { printSection, ROOT, waitForHealthy, type BenchLine } from "./common.ts";
import { postgresForBench } from "./postgres.ts";
import { BENCH_PASSWORD, BENCH_SLUG } from "./seed-http-bench-shared.ts";

const { values: opts } = parseArgs({
  options: { learners: { type: "string", default: "200" }, seconds: { type: "string", default: "60" }, only: { type: "string" } },
});
const LEARNERS = Number(opts.learners);
const SECONDS = Number(opts.seconds);
/** Each learner's loop stops at this many rounds even if time remains: the run is bounded in count and time. */
const MAX_ROUNDS = 1000;
// Generous: on a busy 2-core machine 200 sign-ins at once (scrypt) queue for tens of seconds; a request past this counts as an error.
const REQUEST_TIMEOUT_MS = 120_000;
// Apart from the e2e suite's ports (3100 and up), so a bench can run beside it.
const PORTS = [3310, 3311];
/** Learners arrive over this many seconds, each signing in once. */
const RAMP_UP_S = 10;

type Learner = { email: string; attemptId: string; form: string };
type Prepared = { learners: Learner[]; lessonKey: string };
type Step = "sign in" | "lesson" | "mark complete" | "quiz submit";
const STEPS: Step[] = ["sign in", "lesson", "mark complete", "quiz submit"];

function runScript(file: string, args: string[], env: Record<string, string>): string {
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "load", file), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${file} failed:\n${run.stderr}`);
  return run.stdout.trim().split("\n").pop() ?? "{}";
}

function startServer(env: Record<string, string>, port: number): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, "build", "index.js")], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), APP_URL: `http://127.0.0.1:${port}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null) return;
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
}

type Stats = Record<Step, { requests: number; times: number[]; errors: number; examples: string[] }>;

/**
 * One learner: signs in once (starting somewhere in the first RAMP_UP_S, as
 * people arrive), then loops lesson, mark complete, quiz submit, bounded by
 * MAX_ROUNDS and the deadline. A failed sign-in is retried next round.
 */
async function learnerLoop(base: string, learner: Learner, lessonKey: string, deadline: number, stats: Stats, startDelayMs: number) {
  await new Promise((resolve) => setTimeout(resolve, startDelayMs));
  const timed = async (step: Step, run: () => Promise<Response>, ok: (r: Response) => boolean) => {
    const started = performance.now();
    stats[step].requests++;
    try {
      const response = await run();
      await response.arrayBuffer();
      stats[step].times.push(performance.now() - started);
      if (!ok(response)) {
        stats[step].errors++;
        if (stats[step].examples.length < 3) stats[step].examples.push(`HTTP ${response.status}`);
      }
      return response;
    } catch (error) {
      stats[step].errors++;
      if (stats[step].examples.length < 3) stats[step].examples.push(error instanceof Error ? error.message : String(error));
      return null;
    }
  };
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  let cookie = "";
  for (let round = 0; round < MAX_ROUNDS && Date.now() < deadline; round++) {
    if (!cookie) {
      const signIn = await timed(
        "sign in",
        () => fetch(`${base}/login`, { method: "POST", redirect: "manual", headers: form, body: new URLSearchParams({ email: learner.email, password: BENCH_PASSWORD, redirectTo: "/learning" }), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
        (r) => r.status === 302,
      );
      if (!signIn || signIn.status !== 302) continue;
      cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    }
    await timed("lesson", () => fetch(`${base}/modules/${BENCH_SLUG}/${lessonKey}`, { headers: { Cookie: cookie }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }), (r) => r.status === 200);
    await timed(
      "mark complete",
      () => fetch(`${base}/modules/${BENCH_SLUG}/${lessonKey}`, { method: "POST", redirect: "manual", headers: { ...form, Cookie: cookie }, body: "intent=complete", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
      (r) => r.status === 302,
    );
    await timed(
      "quiz submit",
      () => fetch(`${base}/modules/${BENCH_SLUG}/quiz/${learner.attemptId}`, { method: "POST", redirect: "manual", headers: { ...form, Cookie: cookie }, body: learner.form, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
      (r) => r.status === 302,
    );
  }
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);

async function drive(bases: string[], prepared: Prepared): Promise<BenchLine[]> {
  const fresh = () => ({ requests: 0, times: [] as number[], errors: 0, examples: [] as string[] });
  const stats: Stats = { "sign in": fresh(), lesson: fresh(), "mark complete": fresh(), "quiz submit": fresh() };
  const started = Date.now();
  const deadline = started + SECONDS * 1000;
  const ramp = (RAMP_UP_S * 1000) / prepared.learners.length;
  await Promise.all(prepared.learners.map((learner, i) => learnerLoop(bases[i % bases.length]!, learner, prepared.lessonKey, deadline, stats, i * ramp)));
  const elapsed = (Date.now() - started) / 1000;
  const lines: BenchLine[] = [];
  let total = 0;
  let errors = 0;
  for (const step of STEPS) {
    const s = stats[step];
    const sorted = [...s.times].sort((a, b) => a - b);
    total += s.requests;
    errors += s.errors;
    lines.push({
      name: step,
      value: `${s.requests.toLocaleString("en-GB")} requests, ${s.errors} errors, p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms${s.examples.length ? ` (e.g. ${s.examples.join("; ")})` : ""}`,
    });
  }
  lines.unshift({ name: "all steps", value: `${total.toLocaleString("en-GB")} requests in ${elapsed.toFixed(0)} s (${(total / elapsed).toFixed(0)}/s), ${errors} errors` });
  return lines;
}

async function createDatabase(url: string, name: string) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    url: dbUrl.toString(),
    query: async <T extends pg.QueryResultRow>(text: string) => {
      const client = new pg.Client({ connectionString: dbUrl.toString() });
      await client.connect();
      try {
        return (await client.query<T>(text)).rows;
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

function baseEnv(dataDir: string, databaseUrl: string, jobs: boolean, smtpUrl = ""): Record<string, string> {
  return {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtpUrl,
    BETTER_AUTH_SECRET: "load-bench-secret-".padEnd(64, "x"),
    AUTH_RATE_LIMIT: "1000000",
    JOBS_IN_SERVER: jobs ? "on" : "off",
    JOBS_INTERVAL_SECONDS: "5",
    LOG_LEVEL: "error",
  };
}

async function oneInstance(kind: "pglite" | "postgres", postgres: string | null): Promise<BenchLine[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-load-"));
  const database = kind === "postgres" && postgres ? await createDatabase(postgres, `distinct_load_${process.pid}`) : null;
  const env = baseEnv(dataDir, database?.url ?? "", false);
  try {
    console.log(`  seeding ${LEARNERS} learners (${kind})…`);
    const prepared = JSON.parse(runScript("seed-http-bench.ts", [String(LEARNERS)], { ...env, APP_URL: `http://127.0.0.1:${PORTS[0]}` })) as Prepared;
    const server = startServer(env, PORTS[0]!);
    try {
      await waitForHealthy(`http://127.0.0.1:${PORTS[0]}/healthz`);
      return await drive([`http://127.0.0.1:${PORTS[0]}`], prepared);
    } finally {
      await stopServer(server);
    }
  } finally {
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function twoInstances(postgres: string): Promise<BenchLine[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-load-"));
  const database = await createDatabase(postgres, `distinct_load2_${process.pid}`);
  const deliveries = new Map<string, number>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        for (const to of session.envelope.rcptTo) deliveries.set(to.address, (deliveries.get(to.address) ?? 0) + 1);
        callback();
      });
    },
  });
  const smtpPort = await new Promise<number>((resolve) =>
    smtp.listen(0, "127.0.0.1", () => {
      const address = smtp.server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    }),
  );
  const env = baseEnv(dataDir, database.url, true, `smtp://127.0.0.1:${smtpPort}`);
  const servers: ChildProcess[] = [];
  try {
    console.log(`  seeding ${LEARNERS} learners, a 3,000-row import waiting and 2,000 mails queued (two instances)…`);
    const prepared = JSON.parse(runScript("seed-http-bench.ts", [String(LEARNERS)], { ...env, APP_URL: `http://127.0.0.1:${PORTS[0]}` })) as Prepared;
    const extras = JSON.parse(runScript("seed-load-extras.ts", ["3000", "2000"], { ...env, APP_URL: `http://127.0.0.1:${PORTS[0]}` })) as { importId: string; rows: number; mails: number };
    for (const port of PORTS) servers.push(startServer(env, port));
    await Promise.all(PORTS.map((port) => waitForHealthy(`http://127.0.0.1:${port}/healthz`)));
    const lines = await drive(PORTS.map((port) => `http://127.0.0.1:${port}`), prepared);

    // Let both instances finish the queue (bounded wait), then count.
    const waitUntil = Date.now() + 300_000;
    let pending = Infinity;
    while (Date.now() < waitUntil) {
      const [row] = await database.query<{ pending: number }>(`select count(*)::int as pending from email_outbox where status = 'pending'`);
      const [imp] = await database.query<{ status: string }>(`select status from staff_imports where id = '${extras.importId}'`);
      pending = row!.pending;
      if (pending === 0 && imp!.status === "applied") break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const [imp] = await database.query<{ status: string; progress_done: number; summary: { invited: number } | null }>(`select status, progress_done, summary from staff_imports where id = '${extras.importId}'`);
    const [people] = await database.query<{ n: number; distinct: number }>(`select count(*)::int as n, count(distinct email)::int as distinct from people where email like 'staff.%@load.example.org'`);
    const [invitations] = await database.query<{ n: number }>(`select count(*)::int as n from invitation where email like 'staff.%@load.example.org'`);
    const [audits] = await database.query<{ n: number }>(`select count(*)::int as n from audit_events where action = 'people.imported' and target_id = '${extras.importId}'`);
    const [sent] = await database.query<{ n: number }>(`select count(*)::int as n from email_outbox where status = 'sent'`);
    const expected = extras.mails + extras.rows;
    const twice = [...deliveries.values()].filter((n) => n > 1).length;
    const ours = [...deliveries.entries()].filter(([to]) => to.endsWith("@load.example.org"));
    lines.push(
      { name: "mail: queued + import invitations", value: `${expected.toLocaleString("en-GB")}; outbox rows sent ${sent!.n.toLocaleString("en-GB")}, still pending ${pending}` },
      { name: "mail: delivered at the SMTP server", value: `${ours.reduce((n, [, c]) => n + c, 0).toLocaleString("en-GB")} deliveries to ${ours.length.toLocaleString("en-GB")} addresses; ${twice} delivered more than once` },
      { name: "import: applied once", value: `status ${imp!.status}, ${imp!.progress_done} done, summary invited ${imp!.summary?.invited ?? "-"}; ${people!.n} people (${people!.distinct} distinct), ${invitations!.n} invitations, ${audits!.n} audit entr${audits!.n === 1 ? "y" : "ies"}` },
    );
    return lines;
  } finally {
    for (const server of servers) await stopServer(server);
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const only = opts.only;
const title = (what: string) => `Load: ${LEARNERS} learners for ${SECONDS} s (sign in once within ${RAMP_UP_S} s, then lesson, mark complete, quiz submit), ${what}`;
if (!only || only === "pglite") printSection(title("one instance, embedded database"), await oneInstance("pglite", null));
const postgres = await postgresForBench();
if (!postgres) console.log("\nLoad on PostgreSQL: no server found (set BENCH_DATABASE_URL, or run one on 127.0.0.1:5432): not measured");
else {
  if (!only || only === "postgres") printSection(title(`one instance, PostgreSQL at ${new URL(postgres).host}`), await oneInstance("postgres", postgres));
  if (!only || only === "two") printSection(title("two instances, one PostgreSQL, jobs and SMTP on both"), await twoInstances(postgres));
}
