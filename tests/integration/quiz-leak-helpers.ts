import { eq } from "drizzle-orm";
import { quizAttempts } from "#db/schema/index.ts";
import type { DatabaseHandle } from "#db/client.ts";
import { startModule } from "#app/models/learning/enrolment.server.ts";
import { getQuizBankWithAnswers } from "#app/models/learning/module.server.ts";
import { startAttempt } from "#app/models/learning/quiz-attempt.server.ts";
import { loader } from "#app/routes/modules.$slug.quiz.$attemptId.tsx";
import { createUser, sessionCookie } from "#tests/factories.ts";

/**
 * Loads an unsubmitted attempt's page data exactly as the route gives it to
 * the browser, and the bank questions it drew (with their answer keys).
 */
export async function loadOpenAttemptPage(handle: DatabaseHandle) {
  const learner = await createUser();
  await startModule({ userId: learner.id, slug: "sample-basics" });
  const attemptId = await startAttempt(learner.id, "sample-basics");
  const request = new Request(`http://localhost:3999/modules/sample-basics/quiz/${attemptId}`, {
    headers: { Cookie: await sessionCookie(learner) },
  });
  const data = await loader({ request, params: { slug: "sample-basics", attemptId }, context: undefined as never });
  const [attempt] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  const bank = await getQuizBankWithAnswers(attempt!.moduleVersionId);
  const questions = attempt!.questionIds.map((id) => bank!.questions.find((q) => q.id === id)!);
  return { payload: JSON.stringify(data), questions };
}
