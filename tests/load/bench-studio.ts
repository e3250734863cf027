/**
 * `npm run bench studio` (issue 17): the authoring studio's costs, and proof
 * that publishing costs learners nothing.
 *   - preview of the longest lesson in content/ (median of 15, in process, after one warm-up run);
 *   - publishing a module through the studio's own forms (the reviewer's approve request, in ms:
 *     re-check, compile every lesson, store the version);
 *   - the lesson page's req/s and a/b (lesson ÷ a page with no loader) before and after that publish,
 *     on the same server, with the MDX compiles one lesson request costs (0: lessons are compiled
 *     when published, never when read).
 * Embedded database, production build, 10 connections. Prints figures; asserts nothing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type autocannon from "autocannon";
import { fmt, printSection, ROOT, waitForHealthy } from "./common.ts";
import { BASE, run, serverEnv, signIn } from "./http-bench.ts";
import { BENCH_SLUG } from "./seed-http-bench-shared.ts";

const LEARNERS = 50;
const ROUNDS = 3;

function child(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "load", script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${script} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
}

async function counters(): Promise<{ mdxCompiles: number }> {
  return ((await (await fetch(`${BASE}/healthz`)).json()) as { counters: { mdxCompiles: number } }).counters;
}

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? null;

async function page(url: string, cookie: string): Promise<string> {
  const response = await fetch(`${BASE}${url}`, { headers: { Cookie: cookie } });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  return response.text();
}

async function post(url: string, cookie: string, fields: Record<string, string>): Promise<Response> {
  const response = await fetch(`${BASE}${url}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: BASE },
    body: new URLSearchParams(fields),
  });
  if (response.status >= 400) throw new Error(`POST ${url} (${fields.intent}): ${response.status}\n${(await response.text()).slice(0, 500)}`);
  return response;
}

/** Edit a lesson, submit as a material change, approve as another person: the studio's own forms. */
async function publishThroughStudio(): Promise<{ approveMs: number; version: string }> {
  const author = await signIn("bench-author@trust.example.org");
  const admin = await signIn("bench-admin@trust.example.org");
  const studio = `/studio/${BENCH_SLUG}`;
  await post(studio, author, { intent: "open-draft" });
  const dir = path.join(ROOT, "content", "modules", BENCH_SLUG);
  const lesson = fs.readdirSync(dir).filter((f) => f.endsWith(".mdx") && f !== "index.mdx").sort()[0]!;
  const editor = await page(`${studio}/files/${lesson}`, author);
  await post(`${studio}/files/${lesson}`, author, {
    intent: "save",
    draftId: hidden(editor, "draftId")!,
    revision: hidden(editor, "revision")!,
    text: `${fs.readFileSync(path.join(dir, lesson), "utf8").trimEnd()}\n\nA paragraph added by the bench.\n`,
  });
  const front = await page(studio, author);
  await post(studio, author, { intent: "submit", draftId: hidden(front, "draftId")!, revision: hidden(front, "revision")!, changeNote: "Bench: a new paragraph", kind: "material" });
  const review = await page(`${studio}/review`, admin);
  const started = performance.now();
  await post(`${studio}/review`, admin, { intent: "approve", draftId: hidden(review, "draftId")!, revision: hidden(review, "revision")! });
  const approveMs = performance.now() - started;
  const after = await page(studio, admin);
  return { approveMs, version: /version (\d+)/i.exec(after)?.[1] ?? "?" };
}

async function lessonFigures(lessonPath: string, cookie: string) {
  const before = await counters();
  const N = 100;
  for (let i = 0; i < N; i++) await fetch(`${BASE}${lessonPath}`, { headers: { Cookie: cookie } }).then((r) => r.arrayBuffer());
  const compiles = ((await counters()).mdxCompiles - before.mdxCompiles) / N;
  const common = { connections: 10, duration: 5, headers: { Cookie: cookie } };
  for (const url of [lessonPath, "/accessibility"]) await run({ url: `${BASE}${url}`, ...common, duration: 3 });
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const lesson: autocannon.Result = await run({ url: `${BASE}${lessonPath}`, ...common });
    const plain: autocannon.Result = await run({ url: `${BASE}/accessibility`, ...common });
    if (lesson.non2xx || plain.non2xx) throw new Error("a request failed during the run");
    a.push(lesson.requests.average);
    b.push(plain.requests.average);
  }
  const median = (list: number[]) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)]!;
  return { compiles, a: median(a), b: median(b) };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-bench-studio-"));
const env = serverEnv(dataDir, "");
console.log(`Seeding ${LEARNERS} learners, an author and an admin; timing the preview…`);
const seeded = child("seed-http-bench.ts", [String(LEARNERS)], env) as { learners: { email: string }[]; lessonKey: string };
const studio = child("bench-studio-seed.ts", [], env) as { longest: { slug: string; file: string; chars: number }; previewFirstMs: number; previewMedianMs: number; runs: number };
const server: ChildProcess = spawn(process.execPath, [path.join(ROOT, "build", "index.js")], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
try {
  await waitForHealthy(`${BASE}/healthz`, 180_000);
  const cookie = await signIn(seeded.learners[0]!.email);
  const lessonPath = `/modules/${BENCH_SLUG}/${seeded.lessonKey}`;
  const before = await lessonFigures(lessonPath, cookie);
  const published = await publishThroughStudio();
  const after = await lessonFigures(lessonPath, cookie);
  // A learner who starts now gets the new version: its lesson is served without compiling either.
  const fresh = await signIn("bench-admin@trust.example.org");
  await post(`/modules/${BENCH_SLUG}`, fresh, { intent: "start" });
  const compilesBefore = (await counters()).mdxCompiles;
  await fetch(`${BASE}/modules/${BENCH_SLUG}/${seeded.lessonKey}`, { headers: { Cookie: fresh } }).then((r) => r.arrayBuffer());
  const freshCompiles = (await counters()).mdxCompiles - compilesBefore;
  printSection("Studio (embedded database, production build; figures taken on a shared machine vary with its load)", [
    { name: `preview of the longest lesson (${studio.longest.slug}/${studio.longest.file}, ${fmt(studio.longest.chars)} characters), median of ${studio.runs}`, value: `${fmt(studio.previewMedianMs)} ms (first, cold: ${fmt(studio.previewFirstMs)} ms)` },
    { name: `publish of ${BENCH_SLUG} (the approve request: re-check, compile, store version ${published.version})`, value: `${fmt(published.approveMs)} ms` },
    { name: "lesson page before the publish, req/s (a)", value: fmt(before.a) },
    { name: "page with no loader before, req/s (b)", value: fmt(before.b) },
    { name: "a/b before", value: (before.a / before.b).toFixed(2) },
    { name: "MDX compiles per lesson request before", value: fmt(before.compiles) },
    { name: "lesson page after the publish, req/s (a)", value: fmt(after.a) },
    { name: "page with no loader after, req/s (b)", value: fmt(after.b) },
    { name: "a/b after", value: (after.a / after.b).toFixed(2) },
    { name: "MDX compiles per lesson request after", value: fmt(after.compiles) },
    { name: "MDX compiles for a lesson of the new version (after the publish compiled it)", value: fmt(freshCompiles) },
  ]);
} finally {
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
