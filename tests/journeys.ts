import { eq } from "drizzle-orm";
import { quizAttempts } from "#db/schema/index.ts";
import { completeLesson, startModule } from "#app/models/learning/enrolment.server.ts";
import { getCurrentVersion, getQuizBankWithAnswers } from "#app/models/learning/module.server.ts";
import { startAttempt, submitAttempt } from "#app/models/learning/quiz-attempt.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { answerFields } from "./quiz-answers.ts";

/** Takes a module start to finish through the models: every lesson, then the assessment passed. */
export async function completeModule(userId: string, slug: string, options: { organizationId?: string | null } = {}) {
  await startModule({ userId, slug, organizationId: options.organizationId });
  const version = await getCurrentVersion(slug);
  if (!version) throw new Error(`No module ${slug}`);
  for (const lesson of version.lessons) await completeLesson({ userId, slug, lessonKey: lesson.key });
  if (!version.hasQuiz) return;
  const attemptId = await startAttempt(userId, slug);
  const [attempt] = await getDb().select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  const bank = await getQuizBankWithAnswers(attempt!.moduleVersionId);
  const questions = attempt!.questionIds.map((id) => bank!.questions.find((q) => q.id === id)!);
  const outcome = await submitAttempt(userId, attemptId, answerFields(questions, true));
  if (outcome.kind !== "graded" || !outcome.moduleCompleted) throw new Error("The module did not complete");
}
