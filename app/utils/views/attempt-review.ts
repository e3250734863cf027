import type { Question } from "#db/schema/quiz-bank.ts";

/**
 * View types: the shape a model returns and a component renders. A leaf
 * module (no imports from app/ layers above utils), so components never import
 * a model (docs/decisions/026).
 */

export type AttemptReviewView = {
  kind: "submitted";
  attemptId: string;
  attemptNumber: number;
  slug: string;
  moduleTitle: string;
  passMark: number;
  score: number;
  marks: number;
  maxMarks: number;
  passed: boolean;
  submittedAt: Date;
  moduleCompleted: boolean;
  four: { right: number; asked: number } | null;
  /** After a failed attempt, while another may be taken: what it will hold. */
  nextAttempt: { total: number; fresh: number; retry: number; known: number } | null;
  questions: ReviewQuestion[];
};

/**
 * One question of a submitted attempt. `revealed`: the learner may see its
 * answer key (they answered it right, passed, or can take no more attempts);
 * otherwise it may be asked again, so the page gets which answer was chosen
 * and the legal tests that decide it, and nothing that marks the right option
 * (ADR 022: invariant 1 holds for every question that can be drawn again).
 */
export type ReviewQuestion = {
  id: string;
  type: Question["type"];
  text: string;
  correct: boolean;
  revealed: boolean;
  options: { value: string; label: string; chosen: boolean; right: boolean; feedback: string | null }[];
  four: { element: string; present: boolean; ticked: boolean }[] | null;
  fourCorrect: boolean | null;
  explanation: string | null;
  legalTests: string[] | null;
};
