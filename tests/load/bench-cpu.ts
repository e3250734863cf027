/**
 * `npm run bench cpu -- DIR...`: CPU time of the server process per request, for (b) the page with no loader, (a)
 * the lesson page and, with `--pages b,a,d`, (d) the quiz submit (each learner submits their one open attempt once:
 * every round and checkout gets learners of its own, 30 submits of warm-up then --submits measured), read from /proc (user + system time of the server's process, not wall time), for one or more
 * checkouts built with `npx remix build`, interleaved round by round on one seeded embedded database. Meant for A/B
 * comparisons on a shared machine: CPU per request moves far less with the machine's load than requests per second.
 * Options: --rounds N (3), --seconds S (6), --pages (b,a), --submits N (200). Prints figures; asserts nothing.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT, waitForHealthy } from "./common.ts";
import { BASE, prepare, quizSubmit, run, serverEnv, signIn, type Prepared } from "./http-bench.ts";
import { BENCH_SLUG } from "./seed-http-bench-shared.ts";

const { values: opts, positionals } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "6" },
    pages: { type: "string", default: "b,a" },
    submits: { type: "string", default: "200" },
  },
  allowPositionals: true,
  strict: true,
});
const roots = positionals.length ? positionals.map((p) => path.resolve(p)) : [ROOT];
const TICK = 100; // USER_HZ on Linux

/** The process's user + system CPU time in milliseconds. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICK;
}

const SUBMIT_WARM = 30;
const SUBMITS = Number(opts.submits);

async function measure(root: string, env: Record<string, string>, email: string, pages: Record<string, string>, submitters: Prepared["learners"]) {
  const server = spawn(process.execPath, [path.join(root, "build", "index.js")], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  const out: Record<string, { cpu: number; rate: number }> = {};
  try {
    await waitForHealthy(`${BASE}/healthz`);
    const cookie = await signIn(email);
    for (const [name, url] of Object.entries(pages)) {
      const options = { url: `${BASE}${url}`, connections: 10, headers: { Cookie: cookie } };
      // Warm-up; the first also lets start-up work (build assets compressed once, ADR 027) finish outside the window.
      await run({ ...options, duration: name === "b" ? 10 : 3 });
      const before = cpuMs(server.pid!);
      const result = await run({ ...options, duration: Number(opts.seconds) });
      out[name] = { cpu: (cpuMs(server.pid!) - before) / result.requests.total, rate: result.requests.total / Number(opts.seconds) };
    }
    if (submitters.length) {
      const sessions: string[] = [];
      for (const learner of submitters) sessions.push(await signIn(learner.email));
      let next = 0;
      const submit = (amount: number) =>
        run({
          url: BASE,
          connections: 10,
          amount,
          requests: [{ setupRequest: (request) => quizSubmit(request, submitters[next]!, sessions[next++]!) }],
        });
      await submit(SUBMIT_WARM);
      const before = cpuMs(server.pid!);
      const started = performance.now();
      const result = await submit(submitters.length - SUBMIT_WARM);
      const ok = result["3xx"];
      if (ok !== result.requests.total) throw new Error(`(d): ${result.requests.total - ok} of ${result.requests.total} submits were not redirected`);
      out.d = { cpu: (cpuMs(server.pid!) - before) / result.requests.total, rate: result.requests.total / ((performance.now() - started) / 1000) };
    }
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
  return out;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-cpu-"));
try {
  const env = serverEnv(dataDir, "");
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
      const figures = await measure(root, env, prepared.learners[0]!.email, pages, submitters);
      const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
      const cells = Object.entries(figures).map(([name, f]) => `(${name}) ${f.cpu.toFixed(3)} ms CPU/req, ${f.rate.toFixed(0)} req/s`);
      console.log(`round ${round + 1}  ${path.relative(path.dirname(ROOT), root) || root}  ${cells.join("   ")}   load ${load}`);
    }
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
