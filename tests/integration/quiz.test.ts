import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { classifyAnswers, enrolments, quizAttempts } from "#db/schema/index.ts";
import { completeLesson, findEnrolment, startModule } from "#app/models/learning/enrolment.server.ts";
import { getQuizBankWithAnswers } from "#app/models/learning/module.server.ts";
import {
  AttemptNotAllowedError,
  getAttemptView,
  QuizNotFoundError,
  saveAnswers,
  startAttempt,
  submitAttempt,
} from "#app/models/learning/quiz-attempt.server.ts";
import { TamperedFormError } from "#app/utils/quiz.ts";
import { createUser, FIXTURE_CONTENT, importFixtures } from "#tests/factories.ts";
import { findLeaks } from "#tests/leaks.ts";
import { answerFields } from "#tests/quiz-answers.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);
const SLUG = "sample-basics";

async function learnerWithLessonsDone() {
  const learner = await createUser();
  await startModule({ userId: learner.id, slug: SLUG });
  for (const key of ["first", "second", "sources"]) await completeLesson({ userId: learner.id, slug: SLUG, lessonKey: key });
  return learner;
}

async function drawnQuestions(userId: string, attemptId: string) {
  const [attempt] = await handle.db.select().from(quizAttempts).where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, userId)));
  const bank = await getQuizBankWithAnswers(attempt!.moduleVersionId);
  return attempt!.questionIds.map((id) => bank!.questions.find((q) => q.id === id)!);
}

test("starting twice returns the same open attempt, and its draw survives a reload", async () => {
  const learner = await learnerWithLessonsDone();
  const [a, b] = await Promise.all([startAttempt(learner.id, SLUG), startAttempt(learner.id, SLUG)]);
  expect(a).toBe(b);
  const first = await getAttemptView(learner.id, SLUG, a);
  const again = await getAttemptView(learner.id, SLUG, a);
  expect(first).toEqual(again);
  expect(first?.kind).toBe("open");
});

test("answers saved so far come back on reload", async () => {
  const learner = await learnerWithLessonsDone();
  const attemptId = await startAttempt(learner.id, SLUG);
  const questions = await drawnQuestions(learner.id, attemptId);
  const some = answerFields(questions.slice(0, 2), true);
  expect(await saveAnswers(learner.id, attemptId, some)).toBe("saved");
  const view = await getAttemptView(learner.id, SLUG, attemptId);
  if (view?.kind !== "open") throw new Error("expected an open attempt");
  const saved = view.questions.filter((q) => q.saved);
  expect(saved.map((q) => q.id)).toEqual(questions.slice(0, 2).map((q) => q.id));
});

test("a failed attempt, then a passed one, completes the module on the version taken", async () => {
  const learner = await learnerWithLessonsDone();
  const firstId = await startAttempt(learner.id, SLUG);
  const firstQuestions = await drawnQuestions(learner.id, firstId);
  const failed = await submitAttempt(learner.id, firstId, answerFields(firstQuestions, false));
  expect(failed).toMatchObject({ kind: "graded", passed: false, moduleCompleted: false });

  const secondId = await startAttempt(learner.id, SLUG);
  expect(secondId).not.toBe(firstId);
  const passed = await submitAttempt(learner.id, secondId, answerFields(await drawnQuestions(learner.id, secondId), true));
  expect(passed).toMatchObject({ kind: "graded", passed: true, moduleCompleted: true });

  const enrolment = await findEnrolment(learner.id, SLUG);
  expect(enrolment!.completedAt).toBeInstanceOf(Date);
  const review = await getAttemptView(learner.id, SLUG, secondId);
  expect(review).toMatchObject({ kind: "submitted", passed: true, score: 100 });
  if (review?.kind === "submitted") {
    expect(review.questions.every((q) => q.correct && q.revealed && (q.explanation ?? "").length > 0)).toBe(true);
  }
  // Passed: no more attempts.
  await expect(startAttempt(learner.id, SLUG)).rejects.toBeInstanceOf(AttemptNotAllowedError);
});

test("after a failed attempt the review marks wrong answers and gives the legal tests, but no key for a question that can be asked again; a pass shows every key", async () => {
  const learner = await learnerWithLessonsDone();
  const firstId = await startAttempt(learner.id, SLUG);
  const questions = await drawnQuestions(learner.id, firstId);
  // The first question right, the other three wrong.
  await submitAttempt(learner.id, firstId, answerFields(questions, (_q, i) => i === 0));
  const review = await getAttemptView(learner.id, SLUG, firstId);
  if (review?.kind !== "submitted") throw new Error("expected a submitted attempt");
  expect(review.passed).toBe(false);
  const [right, ...wrong] = questions;
  const byId = new Map(review.questions.map((q) => [q.id, q]));
  // Answered right: the learner knows the answer, so the review says why.
  expect(byId.get(right!.id)).toMatchObject({ correct: true, revealed: true, explanation: right!.explanation });
  for (const q of wrong) {
    const shown = byId.get(q.id)!;
    expect(shown).toMatchObject({ correct: false, revealed: false, explanation: null, four: null });
    expect(shown.options.filter((o) => o.chosen)).not.toHaveLength(0);
    expect(shown.options.some((o) => o.right || o.feedback !== null)).toBe(false);
    expect(shown.legalTests === null).toBe(q.type !== "classify");
  }
  // Nothing of the hidden questions' keys is in what the page receives (explanations and feedback by their text).
  expect(findLeaks(JSON.stringify(review), wrong, "none")).toEqual([]);
  // The bank has four questions and asks four: the retake repeats the three answered wrongly and the one answered right.
  expect(review.nextAttempt).toEqual({ total: 4, fresh: 0, retry: 3, known: 1 });

  const secondId = await startAttempt(learner.id, SLUG);
  await submitAttempt(learner.id, secondId, answerFields(await drawnQuestions(learner.id, secondId), true));
  const afterPass = await getAttemptView(learner.id, SLUG, firstId);
  if (afterPass?.kind !== "submitted") throw new Error("expected a submitted attempt");
  expect(afterPass.nextAttempt).toBeNull();
  expect(afterPass.questions.every((q) => q.revealed && q.explanation !== null && q.options.some((o) => o.right))).toBe(true);
});

test("submitting twice or replaying leaves one graded attempt and one set of answers", async () => {
  const learner = await learnerWithLessonsDone();
  const attemptId = await startAttempt(learner.id, SLUG);
  const fields = answerFields(await drawnQuestions(learner.id, attemptId), (_q, i) => i !== 0);
  const [one, two] = await Promise.all([submitAttempt(learner.id, attemptId, fields), submitAttempt(learner.id, attemptId, fields)]);
  expect([one, two].filter((o) => o.kind === "graded" && !o.alreadySubmitted)).toHaveLength(1);
  const replay = await submitAttempt(learner.id, attemptId, answerFields(await drawnQuestions(learner.id, attemptId), true));
  expect(replay).toMatchObject({ kind: "graded", alreadySubmitted: true });
  const [row] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  expect(row!.score).toBe(75);
  const answers = await handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(classifyAnswers)
    .where(eq(classifyAnswers.attemptId, attemptId));
  const classifyCount = (await drawnQuestions(learner.id, attemptId)).filter((q) => q.type === "classify").length;
  expect(answers[0]!.n).toBe(classifyCount);
});

test("a form missing an answer, sent while the full form is graded, changes nothing of the graded attempt", async () => {
  // The submit reads the attempt, then writes only where it is still unsubmitted (ADR 046). On PGlite the two calls'
  // statements interleave (read, read, write, write), so the second write finds the attempt already graded.
  const learner = await learnerWithLessonsDone();
  const attemptId = await startAttempt(learner.id, SLUG);
  const questions = await drawnQuestions(learner.id, attemptId);
  const full = answerFields(questions, (_q, i) => i !== 0);
  const partial = full.filter(([name]) => name !== `q-${questions[1]!.id}`);
  const [graded, late] = await Promise.all([submitAttempt(learner.id, attemptId, full), submitAttempt(learner.id, attemptId, partial)]);
  expect(graded).toMatchObject({ kind: "graded", alreadySubmitted: false });
  expect(late.kind === "incomplete" || (late.kind === "graded" && late.alreadySubmitted)).toBe(true);
  const [row] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  expect(row!.score).toBe(75);
  expect(Object.keys(row!.responses).sort()).toEqual(questions.map((q) => q.id).sort());
});

test("another learner's attempt is not found, and nothing of theirs changes", async () => {
  const owner = await learnerWithLessonsDone();
  const attemptId = await startAttempt(owner.id, SLUG);
  const fields = answerFields(await drawnQuestions(owner.id, attemptId), true);
  const intruder = await learnerWithLessonsDone();
  await expect(submitAttempt(intruder.id, attemptId, fields)).rejects.toBeInstanceOf(QuizNotFoundError);
  await expect(saveAnswers(intruder.id, attemptId, fields)).rejects.toBeInstanceOf(QuizNotFoundError);
  expect(await getAttemptView(intruder.id, SLUG, attemptId)).toBeNull();
  const [row] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  expect(row!.submittedAt).toBeNull();
  expect(row!.responses).toEqual({});
  expect(await getAttemptView(owner.id, SLUG, "not-a-uuid")).toBeNull();
});

test("a tampered form is refused and writes nothing; missing answers are listed and nothing is graded", async () => {
  const learner = await learnerWithLessonsDone();
  const attemptId = await startAttempt(learner.id, SLUG);
  const questions = await drawnQuestions(learner.id, attemptId);
  const good = answerFields(questions, true);
  await expect(submitAttempt(learner.id, attemptId, [...good, ["q-not-in-this-attempt", "a"]])).rejects.toBeInstanceOf(TamperedFormError);
  await expect(submitAttempt(learner.id, attemptId, [[`q-${questions[0]!.id}`, "made-up-option"]])).rejects.toBeInstanceOf(TamperedFormError);
  let [row] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  expect(row).toMatchObject({ submittedAt: null, responses: {} });

  const partial = await submitAttempt(learner.id, attemptId, good.filter(([name]) => name !== `q-${questions[1]!.id}`));
  expect(partial).toMatchObject({ kind: "incomplete", missing: [questions[1]!.id] });
  [row] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  expect(row!.submittedAt).toBeNull();
  expect(row!.score).toBeNull();
});

test("the wait between attempts and the attempt limit are enforced on the server", async () => {
  // A copy of the fixture module whose assessment allows 2 attempts, 30 minutes apart.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-limited-"));
  fs.cpSync(path.join(FIXTURE_CONTENT, SLUG), path.join(dir, "limited-basics"), { recursive: true });
  const quizFile = path.join(dir, "limited-basics", "quiz.yaml");
  fs.writeFileSync(quizFile, fs.readFileSync(quizFile, "utf8").replace("waitMinutesBetweenAttempts: 0", "waitMinutesBetweenAttempts: 30\nmaxAttempts: 2"));
  for (const lesson of fs.readdirSync(path.join(dir, "limited-basics")).filter((f) => f.endsWith(".mdx"))) {
    const file = path.join(dir, "limited-basics", lesson);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replaceAll("/modules/sample-basics", "/modules/limited-basics"));
  }
  const report = await importFixtures(handle, dir);
  expect(report.problems).toEqual([]);

  const learner = await createUser();
  await startModule({ userId: learner.id, slug: "limited-basics" });
  const fail = async () => {
    const id = await startAttempt(learner.id, "limited-basics");
    await submitAttempt(learner.id, id, answerFields(await drawnQuestions(learner.id, id), false));
    return id;
  };
  const firstId = await fail();
  const waiting = await startAttempt(learner.id, "limited-basics").catch((e: unknown) => e);
  expect(waiting).toBeInstanceOf(AttemptNotAllowedError);
  const retryAt = (waiting as AttemptNotAllowedError).retryAt!;
  expect(retryAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
  expect(retryAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);

  // Half an hour later (moved in the database), the second attempt may start.
  await handle.db
    .update(quizAttempts)
    .set({ submittedAt: sql`now() - interval '31 minutes'` })
    .where(eq(quizAttempts.id, firstId));
  const secondId = await fail();
  await handle.db
    .update(quizAttempts)
    .set({ submittedAt: sql`now() - interval '31 minutes'` })
    .where(eq(quizAttempts.id, secondId));
  const exhausted = await startAttempt(learner.id, "limited-basics").catch((e: unknown) => e);
  expect(exhausted).toBeInstanceOf(AttemptNotAllowedError);
  expect((exhausted as Error).message).toMatch(/used all 2 attempts/);
});

test("a learner who has not started the module cannot start its assessment", async () => {
  const stranger = await createUser();
  await expect(startAttempt(stranger.id, SLUG)).rejects.toBeInstanceOf(QuizNotFoundError);
  const [enrolment] = await handle.db.select().from(enrolments).where(eq(enrolments.userId, stranger.id));
  expect(enrolment).toBeUndefined();
});
