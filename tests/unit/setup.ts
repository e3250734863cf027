import { afterEach, expect, vi } from "vitest";

// console.error during a test fails it unless the test expected it
// (a test that expects one spies on console.error itself and restores it).
let errors: unknown[][] = [];
// Integration files that share modules run this file once each in the same process: wrap the real one only once.
const holder = globalThis as typeof globalThis & { __originalConsoleError?: typeof console.error };
const original = (holder.__originalConsoleError ??= console.error);
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
