import { SUPPRESSION_THRESHOLD } from "./confusion.ts";

/**
 * Question statistics for authors (docs/decisions/030), in the spirit of
 * Moodle's quiz statistics report. Pure: the model counts, this decides what
 * is shown and what is flagged.
 *
 * - drawn: submitted attempts on the version that drew the question.
 * - facility: the share of those answered correctly.
 * - discrimination: the point-biserial correlation between the question's
 *   result (1 right, 0 wrong) and the attempt's score on its OTHER questions
 *   (marks without this question / max marks without it): the corrected
 *   item-total correlation. Null when either side does not vary.
 */
export const FACILITY_LOW = 0.2;
export const FACILITY_HIGH = 0.95;
export const DISCRIMINATION_LOW = 0.1;

export type QuestionFlag = "very-hard" | "very-easy" | "weak-discrimination";

export const FLAG_WORDS: Record<QuestionFlag, string> = {
  "very-hard": `Very hard: facility below ${FACILITY_LOW}`,
  "very-easy": `Very easy: facility above ${FACILITY_HIGH}`,
  "weak-discrimination": `Does not separate strong from weak attempts: discrimination below ${DISCRIMINATION_LOW}`,
};

export type RawQuestionCounts = {
  drawn: number;
  correct: number;
  /** corr(result, rest score) as the database computed it; null when undefined. */
  discrimination: number | null;
  /** The most chosen wrong answer and how often, or null when nobody answered wrongly. */
  wrong: { key: string; count: number } | null;
};

export type QuestionFigures =
  | { withheld: true; drawn: null }
  | {
      withheld: false;
      drawn: number;
      facility: number;
      discrimination: number | null;
      wrong: { key: string; count: number } | null;
      flags: QuestionFlag[];
    };

/** Rounded to two places for the page: figures are compared against 0.2, 0.95 and 0.1 before rounding. */
export const round2 = (x: number) => Math.round(x * 100) / 100;

export function questionFigures(raw: RawQuestionCounts): QuestionFigures {
  // As the insight page's per-question view (docs/decisions/013): fewer than 10 answers, nothing shown.
  if (raw.drawn < SUPPRESSION_THRESHOLD) return { withheld: true, drawn: null };
  const facility = raw.correct / raw.drawn;
  const flags: QuestionFlag[] = [];
  if (facility < FACILITY_LOW) flags.push("very-hard");
  if (facility > FACILITY_HIGH) flags.push("very-easy");
  if (raw.discrimination !== null && raw.discrimination < DISCRIMINATION_LOW) flags.push("weak-discrimination");
  return { withheld: false, drawn: raw.drawn, facility, discrimination: raw.discrimination, wrong: raw.wrong, flags };
}
