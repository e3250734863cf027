import { describe, expect, it } from "vitest";
import { formatDateTime } from "#app/utils/format.ts";

describe("formatDateTime", () => {
  // Browsers write 12 for the hour after noon and after midnight; the server must write the same, or a page
  // rendered in that hour fails to hydrate.
  it("writes the hour after noon as 12, as the browser does", () => {
    expect(formatDateTime(new Date("2026-12-06T12:20:00Z"))).toBe("6 December 2026 at 12:20pm");
  });

  it("writes the hour after midnight as 12am", () => {
    expect(formatDateTime(new Date("2026-12-06T00:05:00Z"))).toBe("6 December 2026 at 12:05am");
  });

  it("writes British Summer Time in summer", () => {
    expect(formatDateTime("2026-07-01T15:45:00Z")).toBe("1 July 2026 at 4:45pm");
  });
});
