import { expect, test, vi } from "vitest";
import { importFixtures } from "#tests/factories.ts";
import { findLeaks } from "#tests/leaks.ts";
import { openTestDatabase } from "./database.ts";
import { loadOpenAttemptPage } from "./quiz-leak-helpers.ts";

// The guard turned off: the page is given the bank question itself instead of
// its learner view. The leak test must catch this (and does, below).
vi.mock("#app/utils/quiz.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("#app/utils/quiz.ts")>();
  return { ...original, toQuestionView: (question: unknown) => question };
});

const handle = await openTestDatabase();
await importFixtures(handle);

test("with the guard off, the leak test finds the answer keys", async () => {
  const { payload, questions } = await loadOpenAttemptPage(handle);
  const leaks = findLeaks(payload, questions);
  expect(leaks.some((l) => l.startsWith("explanation of"))).toBe(true);
  expect(leaks).toContain('key "explanation"');
});
