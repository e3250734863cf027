import { expect, test } from "vitest";
import { importFixtures } from "#tests/factories.ts";
import { findLeaks } from "#tests/leaks.ts";
import { openTestDatabase } from "./database.ts";
import { loadOpenAttemptPage } from "./quiz-leak-helpers.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

test("an unsubmitted attempt's page data carries no answer key, feedback or explanation", async () => {
  const { payload, questions } = await loadOpenAttemptPage(handle);
  expect(questions.length).toBeGreaterThan(0);
  expect(payload).toContain(questions[0]!.id);
  expect(findLeaks(payload, questions)).toEqual([]);
});
