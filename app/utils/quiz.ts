import type { Question, Quiz } from "#db/schema/quiz-bank.ts";
import { FOUR_ELEMENTS, OFFENCES } from "./offences.ts";

/**
 * Pure assessment logic: drawing questions, shuffling options, reading a
 * submitted form, grading. No I/O: the quiz-attempt model does that around
 * these. Grading happens only on the server; nothing here is sent to a page
 * except through `toQuestionView`, which strips every answer key.
 */

// ------------------------------------------------------------ seeded random

/** A small, well-distributed PRNG (mulberry32) seeded from a string: the same seed draws the same attempt. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given random source; returns a new array. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The option values a question offers, in bank order (offence keys or option ids). */
export function optionValues(question: Question): string[] {
  if (question.type === "classify") return [...(question.options ?? OFFENCES)];
  return question.options.map((o) => o.id);
}

export type Draw = { questionIds: string[]; optionOrder: Record<string, string[]> };

/**
 * What a learner already knows of a bank, from their earlier attempts on the
 * same module version: the questions they have been asked, and those whose
 * right answer they know (answered right, or shown after a pass).
 */
export type QuestionHistory = { seen: ReadonlySet<string>; known: ReadonlySet<string> };

const NO_HISTORY: QuestionHistory = { seen: new Set(), known: new Set() };

/**
 * The order a draw takes questions in (ADR 022): first those never asked,
 * then those asked but whose answer was never shown (answered wrongly, so a
 * fair second try), and only when the bank runs out those whose answer the
 * learner knows.
 */
export function drawGroups(quiz: Quiz, history: QuestionHistory): { fresh: Question[]; retry: Question[]; known: Question[] } {
  const drawable = drawableQuestions(quiz);
  return {
    fresh: drawable.filter((q) => !history.seen.has(q.id)),
    retry: drawable.filter((q) => history.seen.has(q.id) && !history.known.has(q.id)),
    known: drawable.filter((q) => history.seen.has(q.id) && history.known.has(q.id)),
  };
}

/**
 * The questions a draw may take: every one not retired (ADR 038). A retired
 * question stays in the bank so attempts that already drew it still show it.
 */
export function drawableQuestions(quiz: Quiz): Question[] {
  return quiz.questions.filter((q) => !q.retired);
}

/** What the next attempt will hold, for the page to say before it starts. */
export function nextAttemptMix(quiz: Quiz, history: QuestionHistory): { total: number; fresh: number; retry: number; known: number } {
  const total = Math.min(quiz.questionsPerAttempt, drawableQuestions(quiz).length);
  const groups = drawGroups(quiz, history);
  const fresh = Math.min(total, groups.fresh.length);
  const retry = Math.min(total - fresh, groups.retry.length);
  return { total, fresh, retry, known: total - fresh - retry };
}

/**
 * Classification options in one fixed order, the vocabulary's (stalking,
 * harassment, communications, controlling behaviour, not a crime): the eight
 * look alike, and a learner who finds them in the same place every time
 * reads the scenario, not the list. Other question types are shuffled.
 */
export function classifyOptionOrder(values: readonly string[]): string[] {
  const rank = (value: string) => {
    const index = (OFFENCES as readonly string[]).indexOf(value);
    return index === -1 ? OFFENCES.length : index;
  };
  return [...values].sort((a, b) => rank(a) - rank(b));
}

/**
 * Draws `count` questions from the bank, unseen ones first (drawGroups), and
 * shuffles each single or multiple question's options, all from `seed`.
 */
export function drawAttempt(quiz: Quiz, seed: string, history: QuestionHistory = NO_HISTORY): Draw {
  const random = seededRandom(seed);
  const count = Math.min(quiz.questionsPerAttempt, drawableQuestions(quiz).length);
  const groups = drawGroups(quiz, history);
  let picked = [...shuffle(groups.fresh, random), ...shuffle(groups.retry, random), ...shuffle(groups.known, random)].slice(0, count);
  // Asked in a random order, so the position of a question does not tell a retake's repeats from the new ones.
  if (history.seen.size > 0) picked = shuffle(picked, random);
  const optionOrder: Record<string, string[]> = {};
  for (const q of picked) optionOrder[q.id] = q.type === "classify" ? classifyOptionOrder(optionValues(q)) : shuffle(optionValues(q), random);
  return { questionIds: picked.map((q) => q.id), optionOrder };
}

// ------------------------------------------------------------ what a page may see

/** A question as the learner sees it before submitting: no answer, feedback, explanation or facts. */
export type QuestionView = {
  id: string;
  type: Question["type"];
  /** The scenario (classify) or the prompt (single, multiple). */
  text: string;
  options: { value: string; label: string }[];
  /** classify only: also asks which FOUR elements are present. */
  askFour: boolean;
};

/**
 * The guard for invariant 1: builds the learner's view from the bank
 * question, copying only what may be shown. Never spread a bank question.
 */
export function toQuestionView(question: Question, order: string[], labelFor: (offence: string) => string): QuestionView {
  if (question.type === "classify") {
    return {
      id: question.id,
      type: "classify",
      text: question.scenario,
      options: order.map((value) => ({ value, label: labelFor(value) })),
      askFour: !!question.four,
    };
  }
  const byId = new Map(question.options.map((o) => [o.id, o.text]));
  return {
    id: question.id,
    type: question.type,
    text: question.prompt,
    options: order.map((value) => ({ value, label: byId.get(value) ?? value })),
    askFour: false,
  };
}

// ------------------------------------------------------------ reading a submission

export type Response = { choice?: string; choices?: string[]; four?: string[] };
export type Responses = Record<string, Response>;

export const fieldName = (questionId: string) => `q-${questionId}`;
export const fourFieldName = (questionId: string) => `four-${questionId}`;

export class TamperedFormError extends Error {}

/**
 * Reads answers from a submitted form for the drawn questions. A field for a
 * question not in the attempt, or a value the question does not offer, means
 * the form was tampered with: TamperedFormError (a 400, nothing written).
 * Unanswered questions are simply absent; `missingAnswers` lists them.
 */
export function readResponses(
  entries: Iterable<[string, FormDataEntryValue]>,
  questions: Question[],
  order: Record<string, string[]>,
): Responses {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const responses: Responses = {};
  for (const [name, raw] of entries) {
    const match = /^(q|four)-(.+)$/.exec(name);
    if (!match) continue;
    const [, kind, id = ""] = match;
    const question = byId.get(id);
    if (!question) throw new TamperedFormError(`The form has an answer for a question that is not in this attempt ("${id}").`);
    if (typeof raw !== "string") throw new TamperedFormError("Answers must be text.");
    const response = (responses[id] ??= {});
    if (kind === "four") {
      if (question.type !== "classify" || !question.four) throw new TamperedFormError(`Question "${id}" does not ask about FOUR.`);
      if (!(FOUR_ELEMENTS as readonly string[]).includes(raw)) throw new TamperedFormError(`"${raw}" is not a FOUR element.`);
      response.four = [...new Set([...(response.four ?? []), raw])];
      continue;
    }
    if (!(order[id] ?? []).includes(raw)) {
      throw new TamperedFormError(`"${raw}" is not one of the options for question "${id}".`);
    }
    if (question.type === "multiple") {
      response.choices = [...new Set([...(response.choices ?? []), raw])];
    } else {
      if (response.choice !== undefined && response.choice !== raw) {
        throw new TamperedFormError(`Question "${id}" takes one answer.`);
      }
      response.choice = raw;
    }
  }
  return responses;
}

/** The questions with no answer chosen (FOUR ticks are optional: none present is an answer). */
export function missingAnswers(questions: Question[], responses: Responses): string[] {
  return questions
    .filter((q) => {
      const r = responses[q.id];
      return q.type === "multiple" ? !r?.choices?.length : !r?.choice;
    })
    .map((q) => q.id);
}

// ------------------------------------------------------------ grading

export type QuestionResult = {
  questionId: string;
  correct: boolean;
  marks: number;
  maxMarks: number;
  /** classify with FOUR: all four elements judged right (scored separately, not in the mark). */
  fourCorrect?: boolean;
};

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * One mark a question. classify: the offence. single: the right option.
 * multiple: every right option and no wrong one (the page says so). FOUR is
 * scored separately: right only if exactly the present elements are ticked.
 */
export function gradeQuestion(question: Question, response: Response | undefined): QuestionResult {
  if (question.type === "classify") {
    const correct = response?.choice === question.answer;
    const result: QuestionResult = { questionId: question.id, correct, marks: correct ? 1 : 0, maxMarks: 1 };
    if (question.four) result.fourCorrect = sameSet(response?.four ?? [], question.four.present);
    return result;
  }
  const right = question.options.filter((o) => o.correct).map((o) => o.id);
  const chosen = question.type === "multiple" ? (response?.choices ?? []) : response?.choice ? [response.choice] : [];
  const correct = sameSet(chosen, right);
  return { questionId: question.id, correct, marks: correct ? 1 : 0, maxMarks: 1 };
}

export type AttemptGrade = {
  marks: number;
  maxMarks: number;
  /** Whole-number percentage, rounded down so 79.9% is not a pass at 80. */
  score: number;
  passed: boolean;
  results: QuestionResult[];
  four: { right: number; asked: number } | null;
};

export function gradeAttempt(questions: Question[], responses: Responses, passMark: number): AttemptGrade {
  const results = questions.map((q) => gradeQuestion(q, responses[q.id]));
  const marks = results.reduce((n, r) => n + r.marks, 0);
  const maxMarks = results.reduce((n, r) => n + r.maxMarks, 0);
  const score = maxMarks === 0 ? 0 : Math.floor((marks * 100) / maxMarks);
  const fourResults = results.filter((r) => r.fourCorrect !== undefined);
  return {
    marks,
    maxMarks,
    score,
    passed: score >= passMark,
    results,
    four: fourResults.length ? { right: fourResults.filter((r) => r.fourCorrect).length, asked: fourResults.length } : null,
  };
}

// ------------------------------------------------------------ attempt rules

export type AttemptRules = { maxAttempts?: number; waitMinutesBetweenAttempts: number };
export type AttemptHistory = { submittedAt: Date; passed: boolean }[];

/** Whether a learner may start another attempt now, and if not, why and when. */
export function canStartAttempt(
  rules: AttemptRules,
  history: AttemptHistory,
  now: Date,
): { ok: true } | { ok: false; reason: "passed" | "no-attempts-left" | "wait"; retryAt?: Date } {
  if (history.some((a) => a.passed)) return { ok: false, reason: "passed" };
  if (rules.maxAttempts !== undefined && history.length >= rules.maxAttempts) return { ok: false, reason: "no-attempts-left" };
  const last = history.reduce<Date | null>((latest, a) => (!latest || a.submittedAt > latest ? a.submittedAt : latest), null);
  if (last && rules.waitMinutesBetweenAttempts > 0) {
    const retryAt = new Date(last.getTime() + rules.waitMinutesBetweenAttempts * 60_000);
    if (retryAt > now) return { ok: false, reason: "wait", retryAt };
  }
  return { ok: true };
}
