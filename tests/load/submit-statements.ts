/**
 * `npm run bench submit`: what one quiz submit (figure d) costs the embedded database, statement by statement,
 * without HTTP. Seeds learners as the HTTP bench does (part-way through the module, one open attempt each, in an
 * organisation with a roster when --org is given), then submits their attempts one at a time through
 * submitAttempt, timing every statement PGlite runs (the process's CPU time: PGlite runs on this thread, so that is the
 * WebAssembly and its result parsing) and the whole call. Prints the first submits (warm-up) apart
 * from the rest (steady state). Prints figures; asserts nothing.
 *
 * Options: --learners N (300), --first K (20): how many of the first submits count as warm-up; --sql S: run S
 * after seeding, before the submits (for example disabling a trigger, to see its share); --plain: every statement
 * through PGlite's own query, not as a named statement (ADR 051), to see what naming them saves.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { importContent } from "#app/content/import.server.ts";
import { completeLesson, startModule } from "#app/models/learning/enrolment.server.ts";
import { getCurrentVersion, getQuizBankWithAnswers } from "#app/models/learning/module.server.ts";
import { startAttempt, submitAttempt } from "#app/models/learning/quiz-attempt.server.ts";
import { setDatabase } from "#app/models/platform/db.server.ts";
import { migrateDatabase, openDatabase, projectRoot } from "#db/client.ts";
import { quizAttempts, user } from "#db/schema/index.ts";
import { answerFields } from "#tests/quiz-answers.ts";
import { BENCH_SLUG } from "./seed-http-bench-shared.ts";

const { values: opts } = parseArgs({
  options: { learners: { type: "string", default: "300" }, first: { type: "string", default: "20" }, sql: { type: "string" }, plain: { type: "boolean", default: false } },
  strict: true,
});
const LEARNERS = Number(opts.learners);
const FIRST = Number(opts.first);

const handle = await openDatabase({ kind: "pglite", dataDir: null, namedStatements: !opts.plain });
const pglite = handle.pglite!;
setDatabase(handle);
await migrateDatabase(handle);
await importContent({ handle, contentDir: path.join(projectRoot(), "content", "modules"), publishedBy: "bench" });
const version = await getCurrentVersion(BENCH_SLUG);
if (!version) throw new Error(`No module ${BENCH_SLUG}`);
const bank = (await getQuizBankWithAnswers(version.id))!;
const learners: { userId: string; attemptId: string; form: [string, string][] }[] = [];
for (let i = 0; i < LEARNERS; i++) {
  const id = `submit-bench-${i}`;
  await handle.db.insert(user).values({ id, email: `${id}@force.example.org`, name: `Learner ${i}`, emailVerified: true });
  await startModule({ userId: id, slug: BENCH_SLUG });
  for (const lesson of version.lessons.slice(0, 2)) await completeLesson({ userId: id, slug: BENCH_SLUG, lessonKey: lesson.key });
  const attemptId = await startAttempt(id, BENCH_SLUG);
  const [attempt] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  const questions = attempt!.questionIds.map((q) => bank.questions.find((b) => b.id === q)!);
  learners.push({ userId: id, attemptId, form: [...answerFields(questions, (_q, n) => n % 3 !== 0), ["intent", "submit"]] });
}

/** This process's CPU time (user + system), in ms: the machine is shared, and PGlite runs on this thread. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

if (opts.sql) await pglite.exec(opts.sql);
// Every statement PGlite runs, timed where drizzle hands it over (inside a transaction too).
type Timing = { sql: string; ms: number };
let log: Timing[] = [];

const shorten = (sql: string) => sql.replace(/\s+/g, " ").replace(/"([a-z_]+)"\./g, "").slice(0, 110);
function timed<T extends (...args: never[]) => Promise<unknown>>(fn: T): T {
  return (async (...args: Parameters<T>) => {
    const started = cpuMs();
    try {
      return await fn(...args);
    } finally {
      log.push({ sql: shorten(String(args[0])), ms: cpuMs() - started });
    }
  }) as T;
}
pglite.query = timed(pglite.query.bind(pglite));
pglite.exec = timed(pglite.exec.bind(pglite));
const transaction = pglite.transaction.bind(pglite);
pglite.transaction = ((fn: Parameters<typeof transaction>[0]) =>
  transaction((tx) => {
    tx.query = timed(tx.query.bind(tx));
    tx.exec = timed(tx.exec.bind(tx));
    return fn(tx);
  })) as typeof pglite.transaction;

const perSubmit: { ms: number; statements: Timing[] }[] = [];
for (const learner of learners) {
  log = [];
  const started = cpuMs();
  const outcome = await submitAttempt(learner.userId, learner.attemptId, learner.form);
  if (outcome.kind !== "graded") throw new Error("not graded");
  perSubmit.push({ ms: cpuMs() - started, statements: log });
}

function report(title: string, rows: typeof perSubmit) {
  const total = rows.reduce((s, r) => s + r.ms, 0) / rows.length;
  const inStatements = rows.reduce((s, r) => s + r.statements.reduce((t, x) => t + x.ms, 0), 0) / rows.length;
  const count = rows.reduce((s, r) => s + r.statements.length, 0) / rows.length;
  console.log(`\n${title}: ${rows.length} submits, ${total.toFixed(2)} ms CPU each (${inStatements.toFixed(2)} ms in ${count.toFixed(1)} statements)`);
  const bySql = new Map<string, { n: number; ms: number }>();
  for (const r of rows) for (const s of r.statements) {
    const e = bySql.get(s.sql) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += s.ms;
    bySql.set(s.sql, e);
  }
  for (const [sql, e] of [...bySql].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${(e.ms / rows.length).toFixed(3).padStart(7)} ms/submit  ×${(e.n / rows.length).toFixed(2)}  ${sql}`);
  }
}
report(`First ${FIRST} (warm-up)`, perSubmit.slice(0, FIRST));
report(`The rest`, perSubmit.slice(FIRST));
const tenths = [];
for (let i = 0; i < perSubmit.length; i += Math.ceil(perSubmit.length / 10)) {
  const slice = perSubmit.slice(i, i + Math.ceil(perSubmit.length / 10));
  tenths.push((slice.reduce((s, r) => s + r.ms, 0) / slice.length).toFixed(2));
}
console.log(`\nms per submit by tenth of the run: ${tenths.join(", ")}`);
await handle.close();
