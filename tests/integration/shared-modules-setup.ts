import { afterAll, expect, vi } from "vitest";

/**
 * For the integration files that share one module graph per worker (tests/vitest.config.ts, ADR 042): the next
 * file in the same worker must start as if alone. A file that leaves process.env or fake timers changed fails
 * here, naming what it left, rather than changing what a later file sees (the app caches its validated
 * environment per module graph). Files that mock modules or set the environment are run isolated instead.
 */
const envAtStart = { ...process.env };

afterAll(() => {
  const fakeTimers = vi.isFakeTimers();
  if (fakeTimers) vi.useRealTimers();
  const changed = [...new Set([...Object.keys(envAtStart), ...Object.keys(process.env)])].filter((k) => process.env[k] !== envAtStart[k]).sort();
  for (const k of changed) {
    if (envAtStart[k] === undefined) delete process.env[k];
    else process.env[k] = envAtStart[k];
  }
  expect({ changed, fakeTimers }, "a file sharing modules with the next must leave process.env and the timers as it found them").toEqual({
    changed: [],
    fakeTimers: false,
  });
});
