/**
 * The HTTP benchmark: serves the production build on a fresh embedded database
 * and measures, from one run on the same server:
 *   (a) a lesson page for a signed-in learner with progress,
 *   (b) a page with no loader (the framework's own ceiling: root layout + React render),
 *   (c) a static file of the lesson page's size,
 *   (d) submitting a quiz attempt (grading on the server),
 * and how many MDX compiles and database statements one lesson request costs.
 * Prints figures; asserts nothing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { ROOT, type BenchLine, fmt, waitForHealthy } from "./common.ts";

// BENCH_PORT: another port, where two benches share a machine.
export const PORT = Number(process.env.BENCH_PORT ?? 3300);
export const BASE = `http://127.0.0.1:${PORT}`;
export const LEARNERS = 300;
/**
 * Learners whose submits warm the submit path before (d) is timed on the other LEARNERS: as many as (d) times. With 50
 * the burst still ran while V8 compiled the submit path (its background compiler threads took a core; the first 50
 * answers came at 56-69% of the rest's rate) and (d) read 0.63 of the lesson page, against 0.76-0.89 after 300
 * (ADR 056). BENCH_SUBMIT_WARMUP: another count.
 */
const SUBMIT_WARMUP = Number(process.env.BENCH_SUBMIT_WARMUP ?? LEARNERS);
/** Sign-ins at once: each is a scrypt on the server's thread pool, so a few at a time use both cores. */
const SIGN_INS_AT_ONCE = 4;
/** Rounds of (a), (b) and (c), a slice of SLICE_SECONDS each (BENCH_ROUNDS, BENCH_SLICE: another count or length). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE ?? 2);

/** One slice's figures: its rate is the requests answered over the slice's measured length (autocannon's own average counts whole sample intervals). */
type Slice = { rate: number; result: autocannon.Result };
const slice = (result: autocannon.Result): Slice => ({ rate: result.requests.total / result.duration, result });

/** The median of per-round ratios, and the middle half of them (quartiles). */
type Spread = { median: number; low: number; high: number; all: number[] };
function spread(values: number[]): Spread {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.round(q * (sorted.length - 1))]!;
  return { median: at(0.5), low: at(0.25), high: at(0.75), all: values };
}
import { BENCH_PASSWORD as PASSWORD, BENCH_SLUG } from "./seed-http-bench-shared.ts";
const SLUG = BENCH_SLUG;

export type Prepared = { learners: { email: string; attemptId: string; form: string }[]; lessonKey: string };

/** One learner's quiz submit (figure d): their attempt's answers posted as the form does, with their session. */
export function quizSubmit<R extends object>(request: R, learner: Prepared["learners"][number], cookie: string) {
  return {
    ...request,
    method: "POST" as const,
    path: `/modules/${SLUG}/quiz/${learner.attemptId}`,
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: learner.form,
  };
}

/**
 * Seeds learners with progress and open attempts before the server starts (it
 * holds the database after), in a child process so each run's configuration
 * and database handle start clean.
 */
export function prepare(env: Record<string, string>, learners = LEARNERS): Prepared {
  const seeded = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "load", "seed-http-bench.ts"), String(learners)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (seeded.status !== 0) throw new Error(`seeding failed:\n${seeded.stderr}`);
  return JSON.parse(seeded.stdout.trim().split("\n").pop() ?? "{}") as Prepared;
}

export async function signIn(email: string): Promise<string> {
  const response = await fetch(`${BASE}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: PASSWORD, redirectTo: "/learning" }),
  });
  if (response.status !== 302) throw new Error(`sign-in failed for ${email}: ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** Each learner signed in, in order, a few at a time: their session cookies. */
export async function signInAll(learners: { email: string }[]): Promise<string[]> {
  const sessions: string[] = new Array(learners.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < learners.length; i = next++) sessions[i] = await signIn(learners[i]!.email);
  };
  await Promise.all(Array.from({ length: Math.min(SIGN_INS_AT_ONCE, learners.length) }, worker));
  return sessions;
}

export async function counters(): Promise<{ queries: number; mdxCompiles: number }> {
  const health = (await (await fetch(`${BASE}/healthz`)).json()) as { counters: { queries: number; mdxCompiles: number } };
  return health.counters;
}

/**
 * Signs every learner in (before any window), then `submit(n)` has the next n of them each POST their open
 * attempt once, 10 at a time: the quiz submit load of bench cpu and bench profile.
 */
export async function submitEach(learners: Prepared["learners"]): Promise<(amount: number) => Promise<autocannon.Result>> {
  const sessions = await signInAll(learners);
  let next = 0;
  return (amount) =>
    run({
      url: BASE,
      connections: 10,
      amount,
      requests: [{ setupRequest: (request) => quizSubmit(request, learners[next]!, sessions[next++]!) }],
    });
}

export function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** The production server's environment for a bench run. */
export function serverEnv(dataDir: string, databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: String(PORT),
    HOST: "127.0.0.1",
    APP_URL: BASE,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SMTP_URL: "",
    BETTER_AUTH_SECRET: crypto.randomBytes(32).toString("hex"),
    AUTH_RATE_LIMIT: "100000",
    JOBS_IN_SERVER: "off",
    LOG_LEVEL: "warn",
  };
}

/**
 * One run of the whole HTTP benchmark. `databaseUrl` null: the embedded
 * database (in the server's process, on a worker thread unless PGLITE_IN_WORKER=off: ADR 049); otherwise a fresh
 * database created on that PostgreSQL server for the run and dropped after.
 */
/** The figures the issue-18 table compares with its goals. */
export type HttpFigures = { a: number; b: number; c: number; ab: number; bc: number; submitPerLesson: number };

export async function httpBench(databaseUrl: string | null = null, figures?: (f: HttpFigures) => void): Promise<BenchLine[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-bench-"));
  let dropDatabase: (() => Promise<void>) | null = null;
  let benchUrl = "";
  if (databaseUrl) {
    // Named after the database the bench connects through (distinct_perf_bench_…), so each owner's stay apart.
    const name = `${new URL(databaseUrl).pathname.slice(1) || "distinct"}_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    benchUrl = url.toString();
    dropDatabase = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const env = serverEnv(dataDir, benchUrl);
  console.log(`Seeding ${LEARNERS + SUBMIT_WARMUP} learners with progress and open attempts…`);
  const prepared = prepare(env, LEARNERS + SUBMIT_WARMUP);
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server during the run.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const server: ChildProcess = spawn(process.execPath, [...nodeArgs, path.join(ROOT, "build", "index.js")], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const staticFile = path.join(ROOT, "public", "build", "bench-static.html");
  try {
    await waitForHealthy(`${BASE}/healthz`);
    const cookie = await signIn(prepared.learners[0]!.email);
    const lessonPath = `/modules/${SLUG}/${prepared.lessonKey}`;
    const lesson = await fetch(`${BASE}${lessonPath}`, { headers: { Cookie: cookie } });
    const lessonHtml = await lesson.text();
    if (lesson.status !== 200 || !lessonHtml.includes("lesson-progress")) throw new Error(`lesson page: ${lesson.status}`);
    fs.writeFileSync(staticFile, lessonHtml);

    // Queries and compiles per lesson request, counted by the server itself.
    const before = await counters();
    const N = 200;
    for (let i = 0; i < N; i++) await fetch(`${BASE}${lessonPath}`, { headers: { Cookie: cookie } }).then((r) => r.arrayBuffer());
    const after = await counters();
    const queriesPerLesson = (after.queries - before.queries - 1) / N; // one /healthz query in between
    const compilesPerLesson = (after.mdxCompiles - before.mdxCompiles) / N;

    const common = { connections: 10, headers: { Cookie: cookie } };
    const pages = { a: lessonPath, b: "/accessibility", c: "/build/bench-static.html" } as const;
    // Warm-up: JIT and caches, for every page measured.
    for (const url of Object.values(pages)) await run({ url: `${BASE}${url}`, ...common, duration: 10 });
    // Rounds of three short slices, one per page, in turn (a b c, then c b a, so a drift within a round falls on both
    // sides of b alike). Each ratio is taken within a round, then the median over rounds: this machine's speed moves
    // by up to half from one five-second window to the next (the same page cost 1.2 to 2.4 ms of server CPU per
    // request), and a ratio of two windows apart measured that, not the pages (ADR 054).
    const measure = async (key: keyof typeof pages) => slice(await run({ url: `${BASE}${pages[key]}`, ...common, duration: SLICE_SECONDS, sampleInt: 100 }));
    const rounds: Record<"a" | "b" | "c", Slice>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (["a", "b", "c"] as const) : (["c", "b", "a"] as const);
      const taken = {} as Record<"a" | "b" | "c", Slice>;
      for (const key of order) taken[key] = await measure(key);
      rounds.push(taken);
    }
    const middle = (key: "a" | "b" | "c") => {
      const sorted = rounds.map((r) => r[key]).sort((x, y) => x.rate - y.rate);
      return sorted[Math.floor(sorted.length / 2)]!;
    };
    const [a, b, c] = [middle("a"), middle("b"), middle("c")];
    const ab = spread(rounds.map((r) => r.a.rate / r.b.rate));
    const bc = spread(rounds.map((r) => r.b.rate / r.c.rate));

    console.log(`Signing in ${prepared.learners.length} learners for the quiz-submit run…`);
    const sessions = await signInAll(prepared.learners);
    // Warm-up, as (a), (b) and (c) have theirs: the submit path's first JIT and first plans, by learners of its own
    // (each attempt is submitted once), untimed, as many as are timed. Without it the first 50 of a cold burst ran at
    // about half the rate of the rest, and (d) counted them against pages that had been warmed for 10 s each.
    const warmers = prepared.learners.slice(0, SUBMIT_WARMUP);
    let warmed = 0;
    const warm = await run({
      url: BASE,
      connections: 10,
      amount: warmers.length,
      requests: [{ setupRequest: (request) => quizSubmit(request, warmers[warmed]!, sessions[warmed++]!) }],
    });
    if (warm["2xx"] + warm["3xx"] !== warmers.length) throw new Error(`quiz-submit warm-up: ${warm["2xx"] + warm["3xx"]} of ${warmers.length} answered`);
    const learners = prepared.learners.slice(SUBMIT_WARMUP);
    const learnerSessions = sessions.slice(SUBMIT_WARMUP);
    let next = 0;
    // (d) is timed here, first request sent to last answer received, on the monotonic high-resolution clock:
    // autocannon's own figures count whole one-second ticks (see below).
    let firstSent = 0;
    let lastAnswered = 0;
    let answered = 0;
    const answeredAt: number[] = [];
    // The lesson page just before and just after the burst: (d) is one burst, so it is set against the lesson page
    // measured beside it rather than against (a)'s median over rounds a minute earlier.
    const lessonBefore = await measure("a");
    const d = await run({
      url: BASE,
      connections: 10,
      amount: learners.length,
      requests: [
        {
          setupRequest: (request) => {
            if (next === 0) firstSent = performance.now();
            const i = next++ % learners.length;
            return quizSubmit(request, learners[i]!, learnerSessions[i]!);
          },
          onResponse: () => {
            answered++;
            lastAnswered = performance.now();
            answeredAt.push(lastAnswered);
          },
        },
      ],
    });
    const lessonAfter = await measure("a");
    const lessonBeside = (lessonBefore.rate + lessonAfter.rate) / 2;
    const submitted = await fetch(`${BASE}/modules/${SLUG}/quiz/${learners[0]!.attemptId}`, { headers: { Cookie: learnerSessions[0]! } });
    const graded = (await submitted.text()).includes("You scored");

    const line = (name: string, { rate, result: r }: Slice): BenchLine => ({
      name,
      value: `${fmt(rate)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.non2xx} non-2xx of ${r.requests.total} (the median of ${ROUNDS} slices of ${SLICE_SECONDS} s)`,
    });
    const ratio = (s: Spread) =>
      `${s.median.toFixed(2)}: the median of ${s.all.length} rounds' ratios (middle half ${s.low.toFixed(2)}-${s.high.toFixed(2)}; in turn ${s.all.map((r) => r.toFixed(2)).join(", ")})`;
    // (d) is a fixed amount (one submit per learner), over 2-4 s: autocannon's requests.average is the mean of whole
    // one-second buckets, so it could only read 300/n (75, 100, 150, 300), and its duration ends on a one-second tick
    // too (300 in 4.01 s, 300 in 2 s). So the rate is the answers counted above over the time between the first request
    // sent and the last answer received, measured here in milliseconds.
    const elapsed = (lastAnswered - firstSent) / 1000;
    const submitRate = answered / elapsed;
    // Whether any warm-up is left in the burst: the rate of its first 50 answers against the rest's, printed beside
    // the figure (ADR 046), which stays the whole burst's.
    const FIRST = 50;
    const firstRate = FIRST / ((answeredAt[FIRST - 1]! - firstSent) / 1000);
    const restRate = (answered - FIRST) / ((lastAnswered - answeredAt[FIRST - 1]!) / 1000);
    figures?.({ a: a.rate, b: b.rate, c: c.rate, ab: ab.median, bc: bc.median, submitPerLesson: submitRate / lessonBeside });
    return [
      { name: "lesson page size", value: `${(Buffer.byteLength(lessonHtml) / 1024).toFixed(1)} KB HTML` },
      line("(a) lesson page, signed-in learner with progress", a),
      line("(b) page with no loader (framework ceiling)", b),
      line("(c) static file of the lesson page's size", c),
      { name: "a/b", value: ratio(ab) },
      { name: "b/c", value: ratio(bc) },
      { name: "MDX compiles per lesson request", value: String(compilesPerLesson) },
      { name: "database statements per lesson request", value: queriesPerLesson.toFixed(2) },
      {
        name: `(d) quiz submit (grading, one attempt each; after ${SUBMIT_WARMUP} untimed)`,
        value: `${fmt(submitRate)} req/s (${answered} in ${elapsed.toFixed(3)} s; first ${FIRST} ${fmt(firstRate)} req/s, the rest ${fmt(restRate)}), p50 ${d.latency.p50} ms, p99 ${d.latency.p99} ms, ${d["2xx"] + d["3xx"]} ok of ${d.requests.total}${graded ? "" : " (NOT GRADED: check)"}`,
      },
      {
        name: "quiz submit ÷ lesson",
        value: `${(submitRate / lessonBeside).toFixed(2)}: (d) over the lesson page's rate just before and after it (${fmt(lessonBefore.rate)} and ${fmt(lessonAfter.rate)} req/s)`,
      },
    ];
  } finally {
    fs.rmSync(staticFile, { force: true });
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
    await dropDatabase?.();
  }
}
