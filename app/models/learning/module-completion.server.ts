import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { enrolments, lessonProgress, quizAttempts } from "#db/schema/index.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { isModuleComplete, type ProgressFacts } from "#app/utils/progress.ts";
import { issueCertificate } from "./certificate.server.ts";
import type { VersionSummary } from "./module.server.ts";

/**
 * When a module is complete, decided in one place. A last lesson
 * (enrolment.server.ts) and a passed assessment (quiz-attempt.server.ts) both
 * ask `completeIfDone`; neither imports the other.
 */

/** Whether any submitted attempt on this enrolment passed. */
export async function hasPassedQuiz(enrolmentId: string, db: Executor = getDb()): Promise<boolean> {
  const [row] = await db
    .select({ id: quizAttempts.id })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.enrolmentId, enrolmentId), eq(quizAttempts.passed, true)))
    .limit(1);
  return !!row;
}

export async function completedLessonKeys(db: Executor, enrolmentId: string): Promise<Set<string>> {
  const rows = await db
    .select({ key: lessonProgress.lessonKey })
    .from(lessonProgress)
    .where(eq(lessonProgress.enrolmentId, enrolmentId));
  return new Set(rows.map((r) => r.key));
}

/** The facts the pure rules in utils/progress.ts decide on. */
export async function progressFacts(
  enrolment: { id: string; completedLessonKeys: ReadonlySet<string> },
  version: Pick<VersionSummary, "lessons" | "hasQuiz" | "quizRequired">,
  db: Executor = getDb(),
): Promise<ProgressFacts> {
  return {
    lessons: version.lessons,
    completedLessonKeys: enrolment.completedLessonKeys,
    quiz: version.hasQuiz
      ? { requiredForCompletion: version.quizRequired, passed: await hasPassedQuiz(enrolment.id, db) }
      : null,
  };
}

/**
 * Completes the enrolment if its facts say the module is complete, inside the
 * caller's transaction (which holds the enrolment's row lock). Completing
 * issues the certificate in the same transaction. Returns whether the module
 * is complete, with the facts it decided on.
 */
export async function completeIfDone(
  tx: Executor,
  enrolment: { id: string; completedLessonKeys: ReadonlySet<string> },
  version: Pick<VersionSummary, "lessons" | "hasQuiz" | "quizRequired">,
): Promise<{ done: boolean; facts: ProgressFacts }> {
  const facts = await progressFacts(enrolment, version, tx);
  const done = isModuleComplete(facts);
  if (done) {
    const completed = await tx
      .update(enrolments)
      .set({ completedAt: sql`now()`, lastActivityAt: sql`now()` })
      .where(and(eq(enrolments.id, enrolment.id), isNull(enrolments.completedAt)))
      .returning({ id: enrolments.id });
    if (completed.length > 0) await issueCertificate(tx, enrolment.id);
  }
  return { done, facts };
}
