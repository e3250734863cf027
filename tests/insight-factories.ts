import { classifyAnswers, quizAttempts } from "#db/schema/index.ts";
import { startModule } from "#app/models/learning/enrolment.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";

/**
 * Classify answers in bulk, as submitted attempts would leave them: one
 * submitted attempt per answer (an attempt answers a question once), all by
 * one learner on the module's current version. Much faster than taking the
 * assessment n times, and the confusion reports read only these rows.
 */
export async function seedClassifyAnswers(input: {
  userId: string;
  organizationId: string | null;
  slug: string;
  answers: { questionId: string; expected: string; chosen: string; n: number; answeredAt?: Date }[];
}) {
  const db = getDb();
  const enrolment = await startModule({ userId: input.userId, slug: input.slug, organizationId: input.organizationId });
  const total = input.answers.reduce((sum, a) => sum + a.n, 0);
  if (total === 0) return;
  const existing = await db.$count(quizAttempts, undefined);
  const attempts = await db
    .insert(quizAttempts)
    .values(
      Array.from({ length: total }, (_, i) => ({
        enrolmentId: enrolment.id,
        userId: input.userId,
        moduleVersionId: enrolment.moduleVersionId,
        // Unique per enrolment; offset so several calls for one learner do not collide.
        attemptNumber: existing + i + 1,
        seed: `seed-${i}`,
        questionIds: [],
        optionOrder: {},
        submittedAt: new Date(),
      })),
    )
    .returning({ id: quizAttempts.id });
  const rows = input.answers.flatMap((a) => Array.from({ length: a.n }, () => a));
  await db.insert(classifyAnswers).values(
    rows.map((a, i) => ({
      attemptId: attempts[i]!.id,
      questionId: a.questionId,
      userId: input.userId,
      organizationId: input.organizationId,
      moduleVersionId: enrolment.moduleVersionId,
      expected: a.expected,
      chosen: a.chosen,
      ...(a.answeredAt ? { answeredAt: a.answeredAt } : {}),
    })),
  );
}
