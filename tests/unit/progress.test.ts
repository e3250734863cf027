import { expect, test } from "vitest";
import { isModuleComplete, neighbours, nextStep, percentComplete, type ProgressFacts } from "#app/utils/progress.ts";

const lessons = [
  { key: "a", title: "A", minutes: 3 },
  { key: "b", title: "B", minutes: 3 },
  { key: "c", title: "C", minutes: 3 },
];
const facts = (done: string[], quiz: ProgressFacts["quiz"] = null): ProgressFacts => ({
  lessons,
  completedLessonKeys: new Set(done),
  quiz,
});

test.each([
  { done: [], quiz: null, complete: false, next: { kind: "lesson", key: "a" }, percent: 0 },
  { done: ["a"], quiz: null, complete: false, next: { kind: "lesson", key: "b" }, percent: 33 },
  { done: ["b", "a"], quiz: null, complete: false, next: { kind: "lesson", key: "c" }, percent: 67 },
  { done: ["a", "c"], quiz: null, complete: false, next: { kind: "lesson", key: "b" }, percent: 67 },
  { done: ["a", "b", "c"], quiz: null, complete: true, next: null, percent: 100 },
  { done: ["a", "b", "c"], quiz: { requiredForCompletion: true, passed: false }, complete: false, next: { kind: "quiz" }, percent: 100 },
  { done: ["a", "b", "c"], quiz: { requiredForCompletion: true, passed: true }, complete: true, next: null, percent: 100 },
  { done: ["a", "b", "c"], quiz: { requiredForCompletion: false, passed: false }, complete: true, next: { kind: "quiz" }, percent: 100 },
  { done: ["a", "b"], quiz: { requiredForCompletion: true, passed: true }, complete: false, next: { kind: "lesson", key: "c" }, percent: 67 },
] as const)("lessons $done with quiz $quiz: complete=$complete", ({ done, quiz, complete, next, percent }) => {
  const f = facts([...done], quiz);
  expect(isModuleComplete(f)).toBe(complete);
  expect(nextStep(f)).toEqual(next);
  expect(percentComplete(f)).toBe(percent);
});

test("neighbours give previous and next around a lesson", () => {
  expect(neighbours(lessons, "a")).toEqual({ previous: null, next: lessons[1], index: 0 });
  expect(neighbours(lessons, "b")).toEqual({ previous: lessons[0], next: lessons[2], index: 1 });
  expect(neighbours(lessons, "c")).toEqual({ previous: lessons[1], next: null, index: 2 });
  expect(neighbours(lessons, "z").index).toBe(-1);
});
