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
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { ROOT, type BenchLine, fmt, waitForHealthy } from "./common.ts";

const PORT = 3300;
const BASE = `http://127.0.0.1:${PORT}`;
const LEARNERS = 300;
const PASSWORD = "bench learner password";
const SLUG = "recognising-stalking";

type Prepared = { learners: { email: string; attemptId: string; form: string }[]; lessonKey: string };

/** Creates learners with progress and open attempts, before the server starts (it holds the database after). */
async function prepare(env: Record<string, string>): Promise<Prepared> {
  Object.assign(process.env, env);
  const { openConfiguredDatabase } = await import("#app/boot.server.ts");
  const { migrateDatabase, projectRoot } = await import("#db/client.ts");
  const { importContent } = await import("#app/content/import.server.ts");
  const { getAuth } = await import("#app/utils/auth.server.ts");
  const { startModule, completeLesson } = await import("#app/models/enrolment.server.ts");
  const { startAttempt } = await import("#app/models/quiz-attempt.server.ts");
  const { getQuizBankWithAnswers, getCurrentVersion } = await import("#app/models/module.server.ts");
  const { answerFields } = await import("#tests/quiz-answers.ts");
  const { quizAttempts } = await import("#db/schema/index.ts");
  const { eq } = await import("drizzle-orm");

  const { handle, lock } = await openConfiguredDatabase("npm run bench (seeding)");
  try {
    await migrateDatabase(handle);
    await importContent({ handle, contentDir: path.join(projectRoot(), "content", "modules"), publishedBy: "bench" });
    const context = await getAuth().$context;
    const hash = await context.password.hash(PASSWORD);
    const version = await getCurrentVersion(SLUG);
    if (!version) throw new Error(`No module ${SLUG}`);
    const bank = await getQuizBankWithAnswers(version.id);
    const learners: Prepared["learners"] = [];
    for (let i = 0; i < LEARNERS; i++) {
      const email = `bench-${i}@force.example.org`;
      const user = await context.internalAdapter.createUser({ email, name: `Bench Learner ${i}`, emailVerified: true }, { method: "admin" });
      await context.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
      await startModule({ userId: user.id, slug: SLUG });
      for (const lesson of version.lessons.slice(0, 2)) await completeLesson({ userId: user.id, slug: SLUG, lessonKey: lesson.key });
      const attemptId = await startAttempt(user.id, SLUG);
      const [attempt] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
      const questions = attempt!.questionIds.map((id) => bank!.questions.find((q) => q.id === id)!);
      const fields = answerFields(questions, (_q, n) => n % 3 !== 0);
      learners.push({ email, attemptId, form: new URLSearchParams([...fields, ["intent", "submit"]]).toString() });
    }
    return { learners, lessonKey: version.lessons[2]?.key ?? version.lessons[0]!.key };
  } finally {
    await handle.close();
    lock?.release();
  }
}

async function signIn(email: string): Promise<string> {
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

async function counters(): Promise<{ queries: number; mdxCompiles: number }> {
  const health = (await (await fetch(`${BASE}/healthz`)).json()) as { counters: { queries: number; mdxCompiles: number } };
  return health.counters;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export async function httpBench(): Promise<BenchLine[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-bench-"));
  const env: Record<string, string> = {
    NODE_ENV: "production",
    PORT: String(PORT),
    HOST: "127.0.0.1",
    APP_URL: BASE,
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    SMTP_URL: "",
    BETTER_AUTH_SECRET: crypto.randomBytes(32).toString("hex"),
    AUTH_RATE_LIMIT: "100000",
    JOBS_IN_SERVER: "off",
    LOG_LEVEL: "warn",
  };
  console.log(`Seeding ${LEARNERS} learners with progress and open attempts…`);
  const prepared = await prepare(env);
  const server: ChildProcess = spawn(process.execPath, [path.join(ROOT, "build", "index.js")], {
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

    const common = { connections: 10, duration: 10, headers: { Cookie: cookie } };
    await run({ url: `${BASE}${lessonPath}`, ...common, duration: 3 }); // warm-up
    const a = await run({ url: `${BASE}${lessonPath}`, ...common });
    const b = await run({ url: `${BASE}/accessibility`, ...common });
    const c = await run({ url: `${BASE}/build/bench-static.html`, ...common });

    console.log(`Signing in ${prepared.learners.length} learners for the quiz-submit run…`);
    const sessions: string[] = [];
    for (const learner of prepared.learners) sessions.push(await signIn(learner.email));
    let next = 0;
    const d = await run({
      url: BASE,
      connections: 10,
      amount: prepared.learners.length,
      requests: [
        {
          setupRequest: (request) => {
            const i = next++ % prepared.learners.length;
            const learner = prepared.learners[i]!;
            return {
              ...request,
              method: "POST",
              path: `/modules/${SLUG}/quiz/${learner.attemptId}`,
              headers: { Cookie: sessions[i]!, "Content-Type": "application/x-www-form-urlencoded" },
              body: learner.form,
            };
          },
        },
      ],
    });
    const submitted = await fetch(`${BASE}/modules/${SLUG}/quiz/${prepared.learners[0]!.attemptId}`, { headers: { Cookie: sessions[0]! } });
    const graded = (await submitted.text()).includes("You scored");

    const line = (name: string, r: autocannon.Result): BenchLine => ({
      name,
      value: `${fmt(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.non2xx} non-2xx of ${r.requests.total}`,
    });
    return [
      { name: "lesson page size", value: `${(Buffer.byteLength(lessonHtml) / 1024).toFixed(1)} KB HTML` },
      line("(a) lesson page, signed-in learner with progress", a),
      line("(b) page with no loader (framework ceiling)", b),
      line("(c) static file of the lesson page's size", c),
      { name: "a/b", value: (a.requests.average / b.requests.average).toFixed(2) },
      { name: "b/c", value: (b.requests.average / c.requests.average).toFixed(2) },
      { name: "MDX compiles per lesson request", value: String(compilesPerLesson) },
      { name: "database statements per lesson request", value: queriesPerLesson.toFixed(2) },
      {
        name: "(d) quiz submit (grading, one attempt each)",
        value: `${fmt(d.requests.average)} req/s, p50 ${d.latency.p50} ms, p99 ${d.latency.p99} ms, ${d["2xx"] + d["3xx"]} ok of ${d.requests.total}${graded ? "" : " (NOT GRADED: check)"}`,
      },
    ];
  } finally {
    fs.rmSync(staticFile, { force: true });
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
