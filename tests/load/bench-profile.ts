/**
 * `npm run bench profile`: where a signed-in request's time goes. Seeds the
 * HTTP bench's database once (embedded, or PostgreSQL with --db postgres),
 * then for (b) the page with no loader and (a) the lesson page starts the
 * production server under `node --cpu-prof`, loads that one page for a few
 * seconds with 10 connections, stops the server and prints the functions
 * with the most self time in the load window (start-up and sign-in left
 * out), and the same time summed by package. Prints figures; asserts nothing.
 *
 * Options: --seconds S (8), --top N (25), --db pglite|postgres (pglite),
 * --keep DIR (keep the .cpuprofile files there, for Chrome DevTools),
 * --pages b,a,d (b,a): which to profile; d is the quiz submit (every seeded
 * learner submits their one open attempt once, as in the HTTP bench's (d)),
 * printed with the database statements per submit.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type autocannon from "autocannon";
import pg from "pg";
import { printSection, ROOT, waitForHealthy, type BenchLine } from "./common.ts";
import { BASE, counters, prepare, submitEach, run, serverEnv, signIn, type Prepared } from "./http-bench.ts";
import { postgresForBench } from "./postgres.ts";
import { BENCH_SLUG } from "./seed-http-bench-shared.ts";

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "8" },
    top: { type: "string", default: "25" },
    db: { type: "string", default: "pglite" },
    keep: { type: "string" },
    pages: { type: "string", default: "b,a" },
  },
  strict: true,
});
const SECONDS = Number(opts.seconds);
const TOP = Number(opts.top);

type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** Monotonic microseconds: the clock V8's profile timestamps use (CLOCK_MONOTONIC on Linux). */
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

/** Where a function lives, short: a package name, "app" for our bundle, "node:" internals, or V8's own entries. */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return "node: (built-in modules)";
  if (url.includes("/build/index.js")) return "app (server build)";
  return path.relative(ROOT, url.replace(/^file:\/\//, "")) || url;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + "node_modules/".length);
  return url.replace(/^file:\/\//, "").replace(`${ROOT}/`, "");
}

/** Self time per function and per package, within [from, to] (microseconds, same clock as the profile). */
export function summarise(profile: CpuProfile, from: number, to: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t > to) continue;
    // A sample's time is the gap to the next one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + dt);
    total += dt;
  }
  const functions = new Map<string, { name: string; where: string; pkg: string; micros: number }>();
  const packages = new Map<string, number>();
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || "(anonymous)";
    const key = `${name} ${url}:${lineNumber}`;
    const pkg = packageOf(url, name);
    const entry = functions.get(key) ?? { name, where: url ? `${shortUrl(url)}:${lineNumber + 1}` : "", pkg, micros: 0 };
    entry.micros += micros;
    functions.set(key, entry);
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
  }
  return {
    total,
    functions: [...functions.values()].sort((a, b) => b.micros - a.micros),
    packages: [...packages.entries()].sort((a, b) => b[1] - a[1]),
  };
}

type Load = { url: string; warm: () => Promise<unknown>; measure: () => Promise<autocannon.Result> };

/** One page under load for SECONDS (after 3 s of warm-up). */
async function pageLoad(url: string, email: string): Promise<Load> {
  const cookie = await signIn(email);
  const options = { url: `${BASE}${url}`, connections: 10, headers: { Cookie: cookie } };
  return { url, warm: () => run({ ...options, duration: 3 }), measure: () => run({ ...options, duration: SECONDS }) };
}

/**
 * (d): every seeded learner signs in (before the window); the first 40 submit
 * as warm-up, the rest inside the window, each once, 10 at a time.
 */
async function submitLoad(prepared: Prepared): Promise<Load> {
  const WARM = 40;
  const submit = await submitEach(prepared.learners);
  return { url: `POST /modules/${BENCH_SLUG}/quiz/:attempt`, warm: () => submit(WARM), measure: () => submit(prepared.learners.length - WARM) };
}

async function profilePage(label: string, load: (() => Promise<Load>), env: Record<string, string>, profileDir: string) {
  const name = `${label.replace(/[^a-z]+/gi, "-")}.cpuprofile`;
  const server = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}`, path.join(ROOT, "build", "index.js")], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  let from = 0;
  let to = 0;
  let result;
  let url = "";
  let statements = 0;
  try {
    await waitForHealthy(`${BASE}/healthz`);
    const l = await load();
    url = l.url;
    await l.warm(); // JIT warm-up, outside the window
    const before = await counters();
    from = nowMicros();
    result = await l.measure();
    to = nowMicros();
    const after = await counters();
    statements = (after.queries - before.queries - 1) / result.requests.total; // one /healthz query in between
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
  const profile = JSON.parse(fs.readFileSync(path.join(profileDir, name), "utf8")) as CpuProfile;
  // Should the clocks ever disagree, fall back to the whole profile rather than nothing.
  const inWindow = profile.startTime <= to && profile.endTime >= from;
  const summary = summarise(profile, inWindow ? from : profile.startTime, inWindow ? to : profile.endTime);
  const requests = result.requests.total;
  const pct = (micros: number) => `${((micros / summary.total) * 100).toFixed(1).padStart(5)}%`;
  const perRequest = (micros: number) => `${(micros / requests / 1000).toFixed(3)} ms/req`;
  const lines: BenchLine[] = [
    { name: "requests in the window", value: `${requests.toLocaleString("en-GB")} (${result.requests.average.toFixed(1)} req/s, ${result.non2xx} non-2xx); profiled ${(summary.total / 1e6).toFixed(1)} s${inWindow ? "" : " (whole run: the load window did not match the profile's clock)"}` },
    { name: "database statements per request", value: statements.toFixed(2) },
    { name: "CPU per request (excluding idle)", value: perRequest(summary.total - (summary.packages.find(([p]) => p === "(idle)")?.[1] ?? 0)) },
    { name: "— by package —", value: "" },
    ...summary.packages.slice(0, 14).map(([pkg, micros]) => ({ name: `  ${pkg}`, value: `${pct(micros)}  ${perRequest(micros)}` })),
    { name: `— top ${TOP} functions by self time —`, value: "" },
    ...summary.functions.slice(0, TOP).map((f, i) => ({ name: `  ${String(i + 1).padStart(2)}. ${f.name.slice(0, 48)}`, value: `${pct(f.micros)}  ${f.where}` })),
  ];
  printSection(`CPU profile, ${label}: ${url} under load (10 connections, node --cpu-prof; self time)`, lines);
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-profile-"));
  const profileDir = opts.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "distinct-cpuprof-"));
  fs.mkdirSync(profileDir, { recursive: true });
  let drop: (() => Promise<void>) | null = null;
  let databaseUrl = "";
  if (opts.db === "postgres") {
    const admin = await postgresForBench();
    if (!admin) throw new Error("No PostgreSQL server (set BENCH_DATABASE_URL, or run one on 127.0.0.1:5432)");
    const name = `${new URL(admin).pathname.slice(1) || "distinct"}_profile_${process.pid}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`create database ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    drop = async () => {
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  }
  try {
    const env = serverEnv(dataDir, databaseUrl);
    console.log(`Profiles on ${opts.db === "postgres" ? "PostgreSQL" : "the embedded database"}: seeding the HTTP bench's learners…`);
    const prepared = prepare(env);
    const email = prepared.learners[0]!.email;
    const pages = new Set(opts.pages.split(","));
    if (pages.has("b")) await profilePage("(b) page with no loader", () => pageLoad("/accessibility", email), env, profileDir);
    if (pages.has("a")) await profilePage("(a) signed-in lesson page", () => pageLoad(`/modules/${BENCH_SLUG}/${prepared.lessonKey}`, email), env, profileDir);
    if (pages.has("d")) await profilePage("(d) quiz submit", () => submitLoad(prepared), env, profileDir);
    if (opts.keep) console.log(`\nProfiles kept in ${profileDir} (open them in Chrome DevTools, Performance tab).`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (!opts.keep) fs.rmSync(profileDir, { recursive: true, force: true });
    await drop?.();
  }
}

await main();
