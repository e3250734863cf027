import crypto from "node:crypto";
import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "#db/client.ts";
import { enrolments, quizAttempts, type StoredResponse } from "#db/schema/index.ts";
import type { Question, Quiz } from "#app/content/schema.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { OFFENCE_LABELS, isOffence } from "#app/utils/offences.ts";
import {
  canStartAttempt,
  drawableQuestions,
  drawAttempt,
  gradeAttempt,
  missingAnswers,
  nextAttemptMix,
  readResponses,
  toQuestionView,
  type QuestionHistory,
  type QuestionView,
  type Responses,
} from "#app/utils/quiz.ts";
import { CLASSIFY_LEGAL_TESTS } from "#app/utils/legal-tests.ts";
import { allLessonsComplete } from "#app/utils/progress.ts";
import { findEnrolment } from "./enrolment.server.ts";
import { completedLessonKeys, completeIfDone } from "./module-completion.server.ts";
import { getQuizBankWithAnswers, getVersionById } from "./module.server.ts";
import type { AttemptReviewView, ReviewQuestion } from "#app/utils/views/attempt-review.ts";

export type { AttemptReviewView, ReviewQuestion };

export class QuizNotFoundError extends Error {}
export class AttemptNotAllowedError extends Error {
  constructor(
    message: string,
    readonly retryAt?: Date,
  ) {
    super(message);
  }
}

const offenceLabel = (value: string) => (isOffence(value) ? OFFENCE_LABELS[value].short : value);

/**
 * What a learner has been asked on a module version, over all their submitted
 * attempts on it (a restarted enrolment on the same version included), and
 * which answers they know: those they answered right, and all of them once
 * they have passed (ADR 022).
 */
async function questionHistory(userId: string, moduleVersionId: string, db: Executor): Promise<QuestionHistory & { passed: boolean }> {
  const rows = await db
    .select({ questionIds: quizAttempts.questionIds, results: quizAttempts.results, passed: quizAttempts.passed })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.moduleVersionId, moduleVersionId), isNotNull(quizAttempts.submittedAt)));
  const seen = new Set(rows.flatMap((r) => r.questionIds));
  const passed = rows.some((r) => r.passed);
  const known = passed ? new Set(seen) : new Set(rows.flatMap((r) => (r.results ?? []).filter((result) => result.correct).map((result) => result.questionId)));
  return { seen, known, passed };
}

function questionsInOrder(quiz: Quiz, ids: string[]): Question[] {
  const byId = new Map(quiz.questions.map((q) => [q.id, q]));
  return ids.map((id) => {
    const question = byId.get(id);
    if (!question) throw new Error(`Question ${id} is missing from its own module version`);
    return question;
  });
}

function describeWait(retryAt: Date, now: Date): string {
  const minutes = Math.ceil((retryAt.getTime() - now.getTime()) / 60_000);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

/** What the assessment page shows: settings, history, and whether a new attempt may start. */
export async function quizOverview(userId: string, slug: string) {
  const enrolment = await findEnrolment(userId, slug);
  if (!enrolment) return null;
  const version = await getVersionById(enrolment.moduleVersionId);
  const quiz = await getQuizBankWithAnswers(enrolment.moduleVersionId);
  if (!version || !quiz) return null;
  const attempts = await getDb()
    .select({
      id: quizAttempts.id,
      attemptNumber: quizAttempts.attemptNumber,
      startedAt: quizAttempts.startedAt,
      submittedAt: quizAttempts.submittedAt,
      score: quizAttempts.score,
      passed: quizAttempts.passed,
    })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.enrolmentId, enrolment.id), eq(quizAttempts.userId, userId)))
    .orderBy(asc(quizAttempts.attemptNumber));
  const now = new Date();
  const submitted = attempts.flatMap((a) => (a.submittedAt ? [{ submittedAt: a.submittedAt, passed: !!a.passed }] : []));
  const allowed = canStartAttempt(quiz, submitted, now);
  const open = attempts.find((a) => !a.submittedAt) ?? null;
  const history = await questionHistory(userId, enrolment.moduleVersionId, getDb());
  let blocked: string | null = null;
  if (!allowed.ok) {
    blocked =
      allowed.reason === "passed"
        ? "You have passed this assessment."
        : allowed.reason === "no-attempts-left"
          ? `You have used all ${quiz.maxAttempts} attempts. Contact your training lead.`
          : `You can try again in ${describeWait(allowed.retryAt ?? now, now)}, at ${allowed.retryAt?.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/London" })}.`;
  }
  return {
    slug,
    moduleTitle: version.title,
    version: version.version,
    settings: {
      passMark: quiz.passMark,
      questionsPerAttempt: Math.min(quiz.questionsPerAttempt, drawableQuestions(quiz).length),
      maxAttempts: quiz.maxAttempts ?? null,
      waitMinutes: quiz.waitMinutesBetweenAttempts,
      requiredForCompletion: quiz.requiredForCompletion,
    },
    lessonsComplete: allLessonsComplete({ lessons: version.lessons, completedLessonKeys: enrolment.completedLessonKeys, quiz: null }),
    moduleCompleted: !!enrolment.completedAt,
    attempts: attempts.filter((a) => a.submittedAt),
    openAttemptId: open?.id ?? null,
    canStart: !open && allowed.ok && !enrolment.completedAt,
    /** What a new attempt would hold, said before it starts (after a first attempt only). */
    nextAttempt: submitted.length > 0 && allowed.ok && !enrolment.completedAt ? nextAttemptMix(quiz, history) : null,
    blocked,
  };
}

/**
 * Starts an attempt (or returns the open one): draws the questions with a
 * fresh seed and stores the draw, so a reload shows the same attempt.
 * Limits and waits are enforced here, on the server.
 */
export async function startAttempt(userId: string, slug: string): Promise<string> {
  return getDb().transaction(async (tx) => {
    const enrolment = await findEnrolment(userId, slug, tx);
    if (!enrolment) throw new QuizNotFoundError("Start the module before its assessment.");
    if (enrolment.completedAt) throw new AttemptNotAllowedError("You have completed this module.");
    // Serialise attempt creation per enrolment: numbers and the open-attempt rule stay consistent.
    await tx.select({ id: enrolments.id }).from(enrolments).where(eq(enrolments.id, enrolment.id)).for("update");
    const quiz = await getQuizBankWithAnswers(enrolment.moduleVersionId, tx);
    if (!quiz) throw new QuizNotFoundError("This module has no assessment.");
    const existing = await tx
      .select({ id: quizAttempts.id, submittedAt: quizAttempts.submittedAt, passed: quizAttempts.passed })
      .from(quizAttempts)
      .where(eq(quizAttempts.enrolmentId, enrolment.id));
    const open = existing.find((a) => !a.submittedAt);
    if (open) return open.id;
    const history = existing.flatMap((a) => (a.submittedAt ? [{ submittedAt: a.submittedAt, passed: !!a.passed }] : []));
    const allowed = canStartAttempt(quiz, history, new Date());
    if (!allowed.ok) {
      const message =
        allowed.reason === "passed"
          ? "You have already passed this assessment."
          : allowed.reason === "no-attempts-left"
            ? `You have used all ${quiz.maxAttempts} attempts at this assessment. Contact your training lead.`
            : `You can try again after ${allowed.retryAt?.toLocaleString("en-GB", { timeZone: "Europe/London" })}.`;
      throw new AttemptNotAllowedError(message, allowed.retryAt);
    }
    const seed = crypto.randomBytes(12).toString("hex");
    // Questions never asked first: a retake does not repeat what the review has shown (ADR 022).
    const draw = drawAttempt(quiz, seed, await questionHistory(userId, enrolment.moduleVersionId, tx));
    const [row] = await tx
      .insert(quizAttempts)
      .values({
        enrolmentId: enrolment.id,
        userId,
        moduleVersionId: enrolment.moduleVersionId,
        attemptNumber: existing.length + 1,
        seed,
        questionIds: draw.questionIds,
        optionOrder: draw.optionOrder,
      })
      .returning({ id: quizAttempts.id });
    if (!row) throw new Error("Could not start the attempt");
    return row.id;
  });
}

/** The attempt row, scoped to its learner: another learner's attempt id finds nothing (404). */
async function findAttempt(userId: string, attemptId: string, db: Executor, lock = false) {
  const query = db
    .select()
    .from(quizAttempts)
    .where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, userId)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export type AttemptFormView = {
  kind: "open";
  attemptId: string;
  attemptNumber: number;
  slug: string;
  moduleTitle: string;
  passMark: number;
  questions: (QuestionView & { saved: StoredResponse | null })[];
};



/**
 * The attempt as its learner may see it. Before submission: only question
 * views (no answer keys) and their saved answers. After: the full review.
 */
export async function getAttemptView(userId: string, slug: string, attemptId: string): Promise<AttemptFormView | AttemptReviewView | null> {
  if (!isUuid(attemptId)) return null;
  const attempt = await findAttempt(userId, attemptId, getDb());
  if (!attempt) return null;
  const version = await getVersionById(attempt.moduleVersionId);
  const quiz = await getQuizBankWithAnswers(attempt.moduleVersionId);
  if (!version || !quiz || version.slug !== slug) return null;
  const questions = questionsInOrder(quiz, attempt.questionIds);
  const base = { attemptId: attempt.id, attemptNumber: attempt.attemptNumber, slug, moduleTitle: version.title, passMark: quiz.passMark };
  if (!attempt.submittedAt) {
    return {
      kind: "open",
      ...base,
      questions: questions.map((q) => ({
        ...toQuestionView(q, attempt.optionOrder[q.id] ?? [], offenceLabel),
        saved: attempt.responses[q.id] ?? null,
      })),
    };
  }
  const [enrolment] = await getDb()
    .select({ completedAt: enrolments.completedAt })
    .from(enrolments)
    .where(eq(enrolments.id, attempt.enrolmentId));
  const results = new Map((attempt.results ?? []).map((r) => [r.questionId, r]));
  const history = await questionHistory(userId, attempt.moduleVersionId, getDb());
  const submittedCount = history.seen.size === 0 ? 0 : (await submittedAttemptCount(userId, attempt.moduleVersionId));
  const noMoreAttempts = quiz.maxAttempts !== undefined && submittedCount >= quiz.maxAttempts;
  // Once passed, completed or out of attempts, nothing can be asked again: every answer is shown.
  const revealAll = history.passed || !!enrolment?.completedAt || noMoreAttempts;
  return {
    kind: "submitted",
    ...base,
    score: attempt.score ?? 0,
    marks: attempt.marks ?? 0,
    maxMarks: attempt.maxMarks ?? 0,
    passed: !!attempt.passed,
    submittedAt: attempt.submittedAt,
    moduleCompleted: !!enrolment?.completedAt,
    four: summariseFour(attempt.results ?? []),
    nextAttempt: revealAll ? null : nextAttemptMix(quiz, history),
    questions: questions.map((q) => reviewQuestion(q, attempt.responses[q.id] ?? {}, attempt.optionOrder[q.id] ?? [], results.get(q.id), revealAll || history.known.has(q.id))),
  };
}

async function submittedAttemptCount(userId: string, moduleVersionId: string): Promise<number> {
  const [row] = await getDb()
    .select({ count: sql<number>`count(*)::int` })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.moduleVersionId, moduleVersionId), isNotNull(quizAttempts.submittedAt)));
  return row?.count ?? 0;
}

/** Copies what the review may show: the key, feedback and explanation only for a revealed question. */
function reviewQuestion(q: Question, response: StoredResponse, order: string[], result: { correct: boolean; fourCorrect?: boolean } | undefined, revealed: boolean): ReviewQuestion {
  const chosen = new Set(q.type === "multiple" ? (response.choices ?? []) : response.choice ? [response.choice] : []);
  const common = { id: q.id, type: q.type, correct: !!result?.correct, revealed, fourCorrect: result?.fourCorrect ?? null };
  if (q.type === "classify") {
    return {
      ...common,
      text: q.scenario,
      options: order.map((value) => ({
        value,
        label: offenceLabel(value),
        chosen: chosen.has(value),
        right: revealed && value === q.answer,
        feedback: revealed ? ((isOffence(value) ? q.feedback?.[value] : undefined) ?? null) : null,
      })),
      four:
        q.four && revealed
          ? (["fixated", "obsessive", "unwanted", "repeated"] as const).map((element) => ({
              element,
              present: q.four?.present.includes(element) ?? false,
              ticked: response.four?.includes(element) ?? false,
            }))
          : null,
      explanation: revealed ? q.explanation : null,
      legalTests: revealed ? null : [...CLASSIFY_LEGAL_TESTS],
    };
  }
  const byId = new Map(q.options.map((o) => [o.id, o]));
  return {
    ...common,
    text: q.prompt,
    options: order.map((value) => {
      const option = byId.get(value);
      return { value, label: option?.text ?? value, chosen: chosen.has(value), right: revealed && !!option?.correct, feedback: revealed ? (option?.feedback ?? null) : null };
    }),
    four: null,
    explanation: revealed ? q.explanation : null,
    legalTests: null,
  };
}

function summariseFour(results: { fourCorrect?: boolean }[]) {
  const asked = results.filter((r) => r.fourCorrect !== undefined);
  return asked.length ? { right: asked.filter((r) => r.fourCorrect).length, asked: asked.length } : null;
}

/** Keeps the answers given so far, so a reload or lost connection loses nothing. Ignored once submitted. */
export async function saveAnswers(userId: string, attemptId: string, form: Iterable<[string, FormDataEntryValue]>): Promise<"saved" | "submitted"> {
  if (!isUuid(attemptId)) throw new QuizNotFoundError("No such attempt");
  return getDb().transaction(async (tx) => {
    const attempt = await findAttempt(userId, attemptId, tx, true);
    if (!attempt) throw new QuizNotFoundError("No such attempt");
    if (attempt.submittedAt) return "submitted";
    const quiz = await getQuizBankWithAnswers(attempt.moduleVersionId, tx);
    if (!quiz) throw new QuizNotFoundError("No such assessment");
    const responses = readResponses(form, questionsInOrder(quiz, attempt.questionIds), attempt.optionOrder);
    await tx.update(quizAttempts).set({ responses }).where(eq(quizAttempts.id, attempt.id));
    return "saved";
  });
}

/**
 * What grading needs of an attempt, in one statement: its draw (fixed when it started), whether it is submitted,
 * and its enrolment's completion. Read without a lock: the draw never changes, and the grade is written only by
 * a statement that finds the attempt still unsubmitted (`recordGrade`). Prepared once per database handle: the
 * statement is built once, and PostgreSQL plans it once per connection (a named statement).
 */
function prepareAttemptToGrade(db: Database) {
  return db
    .select({
      id: quizAttempts.id,
      enrolmentId: quizAttempts.enrolmentId,
      moduleVersionId: quizAttempts.moduleVersionId,
      questionIds: quizAttempts.questionIds,
      optionOrder: quizAttempts.optionOrder,
      submitted: sql<boolean>`${quizAttempts.submittedAt} is not null`,
      passed: quizAttempts.passed,
      moduleCompleted: sql<boolean>`${enrolments.completedAt} is not null`,
    })
    .from(quizAttempts)
    .innerJoin(enrolments, eq(enrolments.id, quizAttempts.enrolmentId))
    .where(and(eq(quizAttempts.id, sql.placeholder("attemptId")), eq(quizAttempts.userId, sql.placeholder("userId"))))
    .limit(1)
    .prepare("quiz_attempt_to_grade");
}
const attemptToGradeByDb = new WeakMap<Database, ReturnType<typeof prepareAttemptToGrade>>();

async function attemptToGrade(userId: string, attemptId: string, db: Database) {
  let prepared = attemptToGradeByDb.get(db);
  if (!prepared) attemptToGradeByDb.set(db, (prepared = prepareAttemptToGrade(db)));
  const [row] = await prepared.execute({ attemptId, userId });
  return row ?? null;
}

type Graded = ReturnType<typeof gradeAttempt>;

/**
 * Records the grade and the classify answers in one statement, only if the attempt is still unsubmitted: false when
 * another request submitted it first (or it is gone), and then nothing is written. Each classify answer takes its
 * organisation from the enrolment as the statement runs.
 */
async function recordGrade(
  db: Executor,
  attempt: { id: string; userId: string },
  responses: Responses,
  grade: Graded,
  classify: { question_id: string; expected: string; chosen: string }[],
): Promise<boolean> {
  const result = (await db.execute(sql`
    with graded as (
      update quiz_attempts
      set responses = ${JSON.stringify(responses)}::jsonb, submitted_at = now(), marks = ${grade.marks},
        max_marks = ${grade.maxMarks}, score = ${grade.score}, passed = ${grade.passed}, results = ${JSON.stringify(grade.results)}::jsonb
      where id = ${attempt.id} and user_id = ${attempt.userId} and submitted_at is null
      returning id, user_id, module_version_id, enrolment_id
    ), answers as (
      insert into classify_answers (attempt_id, question_id, user_id, organization_id, module_version_id, expected, chosen)
      select g.id, a.question_id, g.user_id, e.organization_id, g.module_version_id, a.expected, a.chosen
      from graded g
      join enrolments e on e.id = g.enrolment_id
      cross join jsonb_to_recordset(${JSON.stringify(classify)}::jsonb) as a(question_id text, expected text, chosen text)
      on conflict do nothing
    )
    select id from graded`)) as unknown as { rows: { id: string }[] };
  return result.rows.length > 0;
}

export type SubmitOutcome =
  | { kind: "graded"; attemptId: string; passed: boolean; moduleCompleted: boolean; alreadySubmitted: boolean }
  | { kind: "incomplete"; missing: string[]; responses: Responses };

/**
 * Grades an attempt, once. The grade and the classify answers are written by one statement that finds the attempt
 * unsubmitted, so a double submit or a replay returns the first grade and writes nothing more. A pass writes the
 * grade and (with every lesson done) the module's completion and certificate in one transaction holding the
 * enrolment's row lock. A fail or an incomplete form needs no transaction: one read, one statement (ADR 046).
 */
export async function submitAttempt(
  userId: string,
  attemptId: string,
  form: Iterable<[string, FormDataEntryValue]>,
): Promise<SubmitOutcome> {
  if (!isUuid(attemptId)) throw new QuizNotFoundError("No such attempt");
  const entries = [...form];
  const db = getDb();
  // A second pass only when another request submitted the attempt between this one's read and its write.
  for (let pass = 0; pass < 2; pass++) {
    const attempt = await attemptToGrade(userId, attemptId, db);
    if (!attempt) throw new QuizNotFoundError("No such attempt");
    if (attempt.submitted) {
      return { kind: "graded", attemptId, passed: !!attempt.passed, moduleCompleted: attempt.moduleCompleted, alreadySubmitted: true };
    }
    const quiz = await getQuizBankWithAnswers(attempt.moduleVersionId, db);
    if (!quiz) throw new QuizNotFoundError("No such assessment");
    const questions = questionsInOrder(quiz, attempt.questionIds);
    const responses = readResponses(entries, questions, attempt.optionOrder);
    const missing = missingAnswers(questions, responses);
    if (missing.length > 0) {
      // Keep what was answered; grade nothing.
      const kept = await db
        .update(quizAttempts)
        .set({ responses })
        .where(and(eq(quizAttempts.id, attempt.id), isNull(quizAttempts.submittedAt)))
        .returning({ id: quizAttempts.id });
      if (kept.length > 0) return { kind: "incomplete", missing, responses };
      continue;
    }
    const grade = gradeAttempt(questions, responses, quiz.passMark);
    const classify = questions.flatMap((q) => (q.type === "classify" ? [{ question_id: q.id, expected: q.answer, chosen: responses[q.id]?.choice ?? "" }] : []));
    const record = (executor: Executor) => recordGrade(executor, { id: attempt.id, userId }, responses, grade, classify);
    if (!grade.passed) {
      if (await record(db)) return { kind: "graded", attemptId, passed: false, moduleCompleted: attempt.moduleCompleted, alreadySubmitted: false };
      continue;
    }
    const outcome = await db.transaction(async (tx): Promise<SubmitOutcome | null> => {
      if (!(await record(tx))) return null;
      const [enrolment] = await tx
        .select({ id: enrolments.id, completedAt: enrolments.completedAt })
        .from(enrolments)
        .where(eq(enrolments.id, attempt.enrolmentId))
        .for("update");
      let moduleCompleted = !!enrolment?.completedAt;
      if (enrolment && !enrolment.completedAt) {
        const version = await getVersionById(attempt.moduleVersionId);
        if (version) {
          // This attempt's pass is already written in the transaction, so the
          // one rule sees it: complete once every lesson is.
          ({ done: moduleCompleted } = await completeIfDone(tx, { id: enrolment.id, completedLessonKeys: await completedLessonKeys(tx, enrolment.id) }, version));
        }
      }
      return { kind: "graded", attemptId, passed: true, moduleCompleted, alreadySubmitted: false };
    });
    if (outcome) return outcome;
  }
  throw new Error("The attempt was submitted by another request and could not be read back");
}

/** The submitted attempts of an enrolment, for the module page's history. */
export async function submittedAttempts(enrolmentId: string) {
  const rows = await getDb()
    .select({ id: quizAttempts.id, attemptNumber: quizAttempts.attemptNumber, submittedAt: quizAttempts.submittedAt, score: quizAttempts.score, passed: quizAttempts.passed })
    .from(quizAttempts)
    .where(eq(quizAttempts.enrolmentId, enrolmentId))
    .orderBy(asc(quizAttempts.attemptNumber));
  return rows.flatMap((r) => (r.submittedAt ? [{ ...r, submittedAt: r.submittedAt }] : []));
}
