import { and, eq } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { quizAttempts } from "#db/schema/index.ts";
import { getDb } from "#app/utils/db.server.ts";

/** Whether any submitted attempt on this enrolment passed. */
export async function hasPassedQuiz(enrolmentId: string, db: Executor = getDb()): Promise<boolean> {
  const [row] = await db
    .select({ id: quizAttempts.id })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.enrolmentId, enrolmentId), eq(quizAttempts.passed, true)))
    .limit(1);
  return !!row;
}
