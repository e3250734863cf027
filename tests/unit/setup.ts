import { afterEach, expect, vi } from "vitest";

// console.error during a test fails it unless the test expected it
// (a test that expects one spies on console.error itself and restores it).
let errors: unknown[][] = [];
const original = console.error;
console.error = (...args: unknown[]) => {
  errors.push(args);
  original(...args);
};

afterEach(() => {
  const seen = errors;
  errors = [];
  if (vi.isMockFunction(console.error)) return;
  expect(seen, "console.error was called during the test").toEqual([]);
});
