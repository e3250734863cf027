import { expect, test } from "vitest";
import { measuredMinutes } from "#app/utils/time-spent.ts";

test("time spent is the sum of the gaps between recorded steps, in the order they happened", () => {
  const steps = ["2026-11-02T09:25:00Z", "2026-11-02T09:00:00Z", "2026-11-02T09:10:00Z"];
  expect(measuredMinutes(steps)).toBe(25);
});

test("a gap over the idle cap counts as the cap, not as the hours away", () => {
  expect(measuredMinutes(["2026-11-02T09:00:00Z", "2026-11-02T09:10:00Z", "2026-11-03T14:00:00Z", "2026-11-03T14:05:00Z"])).toBe(45);
});

test("part minutes round up, missing steps are ignored and one step is no time", () => {
  expect(measuredMinutes(["2026-11-02T09:00:00Z", null, "2026-11-02T09:00:20Z"])).toBe(1);
  expect(measuredMinutes(["2026-11-02T09:00:00Z"])).toBe(0);
  expect(measuredMinutes([])).toBe(0);
});
