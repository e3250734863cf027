import { expect, test } from "vitest";
import { formatDate, formatDateTime, formatShortDate } from "#app/utils/format.ts";

// The server (Node) and the browser (Chromium) must write the same text, or the page fails to hydrate (React error 418).
// Node 20 wrote 12:18pm as "0:18 pm" with hour12: true in en-GB, Chromium "12:18 pm": the hours 12 and 00 are the test.
test.each([
  ["2026-12-06T12:18:00Z", "6 December 2026 at 12:18pm"],
  ["2026-12-06T00:05:00Z", "6 December 2026 at 12:05am"],
  ["2026-12-06T15:40:00Z", "6 December 2026 at 3:40pm"],
  ["2026-12-06T09:00:00Z", "6 December 2026 at 9:00am"],
  // British Summer Time: 11:30 UTC is 12:30pm in London, 23:10 UTC on 30 June is 12:10am on 1 July.
  ["2026-06-15T11:30:00Z", "15 June 2026 at 12:30pm"],
  ["2026-06-30T23:10:00Z", "1 July 2026 at 12:10am"],
])("formatDateTime(%j) is %j", (at, expected) => {
  expect(formatDateTime(at)).toBe(expected);
  expect(formatDateTime(new Date(at))).toBe(expected);
});

test("dates are London's day, whatever the machine's time zone", () => {
  // 23:30 UTC on 31 May is 00:30 on 1 June in London (BST); the machine's zone (TZ) must not matter.
  expect(formatDate("2026-05-31T23:30:00Z")).toBe("1 June 2026");
  expect(formatShortDate("2026-05-31T23:30:00Z")).toBe("1 Jun 2026");
  expect(formatDate("2026-12-31T23:30:00Z")).toBe("31 December 2026");
  expect(formatDate(null)).toBe("");
  expect(formatDateTime(undefined)).toBe("");
});
