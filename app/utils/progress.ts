/**
 * Pure rules for a learner's progress through a module version. No I/O:
 * models load the facts and call these.
 */

export type LessonRef = { key: string; title: string; minutes: number };

export type ProgressFacts = {
  lessons: LessonRef[];
  completedLessonKeys: ReadonlySet<string>;
  /** Null when the module has no quiz. */
  quiz: { requiredForCompletion: boolean; passed: boolean } | null;
};

export type LessonStatus = "completed" | "not-started";

export function lessonsCompleted(facts: ProgressFacts): number {
  return facts.lessons.filter((l) => facts.completedLessonKeys.has(l.key)).length;
}

/** Whole-number percentage of the lessons completed. */
export function percentComplete(facts: ProgressFacts): number {
  if (facts.lessons.length === 0) return 0;
  return Math.round((lessonsCompleted(facts) / facts.lessons.length) * 100);
}

export function allLessonsComplete(facts: ProgressFacts): boolean {
  return facts.lessons.every((l) => facts.completedLessonKeys.has(l.key));
}

/** A module is complete when every lesson is, and the quiz is passed where passing is required. */
export function isModuleComplete(facts: ProgressFacts): boolean {
  if (!allLessonsComplete(facts)) return false;
  if (facts.quiz?.requiredForCompletion && !facts.quiz.passed) return false;
  return true;
}

/** Where "continue" goes: the first lesson not yet completed, else the quiz, else null (done). */
export function nextStep(facts: ProgressFacts): { kind: "lesson"; key: string } | { kind: "quiz" } | null {
  const lesson = facts.lessons.find((l) => !facts.completedLessonKeys.has(l.key));
  if (lesson) return { kind: "lesson", key: lesson.key };
  if (facts.quiz && !facts.quiz.passed) return { kind: "quiz" };
  return null;
}

/** Previous and next lessons around `key`, for the lesson page's navigation. */
export function neighbours(lessons: LessonRef[], key: string): { previous: LessonRef | null; next: LessonRef | null; index: number } {
  const index = lessons.findIndex((l) => l.key === key);
  return {
    previous: index > 0 ? (lessons[index - 1] ?? null) : null,
    next: index >= 0 && index < lessons.length - 1 ? (lessons[index + 1] ?? null) : null,
    index,
  };
}
