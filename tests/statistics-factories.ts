import { quizAttempts } from "#db/schema/index.ts";
import type { StoredResponse, StoredResult } from "#db/schema/index.ts";
import { startModule } from "#app/models/learning/enrolment.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";

/**
 * Submitted attempts written as grading leaves them (results and responses),
 * one learner, on the module's current version: the question statistics read
 * only these columns. Each question is worth one mark.
 */
export async function seedGradedAttempts(input: {
  userId: string;
  slug: string;
  attempts: { answers: Record<string, { correct: boolean; response: StoredResponse }> }[];
  /** Also leave an attempt open (not submitted): statistics must ignore it. */
  open?: Record<string, StoredResponse>;
}) {
  const db = getDb();
  const enrolment = await startModule({ userId: input.userId, slug: input.slug, organizationId: null });
  const rows = input.attempts.map((attempt, i) => {
    const entries = Object.entries(attempt.answers);
    const results: StoredResult[] = entries.map(([questionId, a]) => ({ questionId, correct: a.correct, marks: a.correct ? 1 : 0, maxMarks: 1 }));
    const marks = results.reduce((sum, r) => sum + r.marks, 0);
    return {
      enrolmentId: enrolment.id,
      userId: input.userId,
      moduleVersionId: enrolment.moduleVersionId,
      attemptNumber: i + 1,
      seed: `seed-${i}`,
      questionIds: entries.map(([id]) => id),
      optionOrder: {},
      responses: Object.fromEntries(entries.map(([id, a]) => [id, a.response])),
      submittedAt: new Date(),
      marks,
      maxMarks: results.length,
      score: Math.round((100 * marks) / results.length),
      passed: marks === results.length,
      results,
    };
  });
  await db.insert(quizAttempts).values(rows);
  if (input.open) {
    await db.insert(quizAttempts).values({
      enrolmentId: enrolment.id,
      userId: input.userId,
      moduleVersionId: enrolment.moduleVersionId,
      attemptNumber: rows.length + 1,
      seed: "open",
      questionIds: Object.keys(input.open),
      optionOrder: {},
      responses: input.open,
    });
  }
}
