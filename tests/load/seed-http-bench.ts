/**
 * Seeds the HTTP benchmark's database (from the environment: DATA_DIR or
 * DATABASE_URL): the curriculum, N learners part-way through the first module
 * with an open assessment attempt each. Prints the learners as JSON on the
 * last line of stdout.
 */
import path from "node:path";
import { eq } from "drizzle-orm";
import { openConfiguredDatabase } from "#app/services/database.server.ts";
import { importContent } from "#app/content/import.server.ts";
import { completeLesson, startModule } from "#app/models/learning/enrolment.server.ts";
import { getCurrentVersion, getQuizBankWithAnswers } from "#app/models/learning/module.server.ts";
import { startAttempt } from "#app/models/learning/quiz-attempt.server.ts";
import { getAuth } from "#app/services/auth.server.ts";
import { migrateDatabase, projectRoot } from "#db/client.ts";
import { quizAttempts } from "#db/schema/index.ts";
import { answerFields } from "#tests/quiz-answers.ts";
import { BENCH_PASSWORD, BENCH_SLUG } from "./seed-http-bench-shared.ts";

const count = Number(process.argv[2] ?? 300);
const { handle, lock } = await openConfiguredDatabase("npm run bench (seeding)");
try {
  await migrateDatabase(handle);
  await importContent({ handle, contentDir: path.join(projectRoot(), "content", "modules"), publishedBy: "bench" });
  const context = await getAuth().$context;
  const hash = await context.password.hash(BENCH_PASSWORD);
  const version = await getCurrentVersion(BENCH_SLUG);
  if (!version) throw new Error(`No module ${BENCH_SLUG}`);
  const bank = await getQuizBankWithAnswers(version.id);
  const learners = [];
  for (let i = 0; i < count; i++) {
    const email = `bench-${i}@force.example.org`;
    const user = await context.internalAdapter.createUser({ email, name: `Bench Learner ${i}`, emailVerified: true }, { method: "admin" });
    await context.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
    await startModule({ userId: user.id, slug: BENCH_SLUG });
    for (const lesson of version.lessons.slice(0, 2)) await completeLesson({ userId: user.id, slug: BENCH_SLUG, lessonKey: lesson.key });
    const attemptId = await startAttempt(user.id, BENCH_SLUG);
    const [attempt] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
    const questions = attempt!.questionIds.map((id) => bank!.questions.find((q) => q.id === id)!);
    // Two thirds right: a realistic mix of passes and fails.
    const fields = answerFields(questions, (_q, n) => n % 3 !== 0);
    learners.push({ email, attemptId, form: new URLSearchParams([...fields, ["intent", "submit"]]).toString() });
  }
  console.log(JSON.stringify({ learners, lessonKey: version.lessons[2]?.key ?? version.lessons[0]!.key }));
} finally {
  await handle.close();
  lock?.release();
}
