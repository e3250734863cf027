import { expect, test } from "vitest";
import { parseJobsArgs } from "#app/jobs/args.ts";
import { isoWeek } from "#app/models/organisations/assignment.server.ts";
import { dueReminder } from "#app/utils/certificate-status.ts";

// A certificate that expires at 10:00 UTC on 30 September 2030.
const expires = new Date("2030-09-30T10:00:00Z");

test.each([
  ["2030-08-31T09:59:59Z", null], // 30 days and a second before: nothing yet
  ["2030-08-31T10:00:00Z", "30d"], // exactly 30 days before
  ["2030-09-10T10:00:00Z", "30d"],
  ["2030-09-23T09:59:59Z", "30d"], // 7 days and a second before: still the 30-day one
  ["2030-09-23T10:00:00Z", "7d"], // exactly 7 days before
  ["2030-09-30T09:59:59Z", "7d"], // a second before expiry
  ["2030-09-30T10:00:00Z", "expired"], // on expiry
  ["2030-10-14T09:59:59Z", "expired"], // still told within 14 days of expiry
  ["2030-10-14T10:00:00Z", null], // not told about an expiry 14 days old
] as const)("dueReminder at %s for a certificate expiring 2030-09-30T10:00Z is %s", (at, milestone) => {
  expect(dueReminder(expires, new Date(at))).toBe(milestone);
});

test.each([
  ["2030-07-21T12:00:00Z", "2030-W29"], // Sunday
  ["2030-07-21T22:59:59Z", "2030-W29"], // Sunday 23:59:59 in London (BST)
  ["2030-07-21T23:00:00Z", "2030-W30"], // Monday 00:00 in London, still Sunday in UTC
  ["2030-07-21T23:30:00Z", "2030-W30"], // Monday 00:30 BST
  ["2030-01-06T23:59:59Z", "2030-W01"], // winter: London is UTC, Sunday 23:59:59
  ["2030-01-07T00:00:00Z", "2030-W02"], // Monday 00:00 GMT
  ["2026-12-31T12:00:00Z", "2026-W53"], // 2026 has 53 ISO weeks
  ["2027-01-03T12:00:00Z", "2026-W53"], // Sunday 3 January 2027 is still in 2026's last week
  ["2027-01-04T00:00:00Z", "2027-W01"],
  ["2029-12-31T12:00:00Z", "2030-W01"], // Monday 31 December 2029 starts 2030's first week
])("isoWeek(%s) is %s (London calendar)", (at, week) => {
  expect(isoWeek(new Date(at))).toBe(week);
});

test("npm run jobs arguments: --at takes a date or a moment; a bare date is midnight in England", () => {
  expect(parseJobsArgs([], "development")).toEqual({ ok: true, at: null });
  expect(parseJobsArgs(["--at", "2030-07-15T09:30:00Z"], "development")).toEqual({ ok: true, at: new Date("2030-07-15T09:30:00Z") });
  expect(parseJobsArgs(["--at=2030-01-15"], "test")).toEqual({ ok: true, at: new Date("2030-01-15T00:00:00Z") });
  // British Summer Time: midnight in London is 23:00 UTC the day before.
  expect(parseJobsArgs(["--at", "2030-07-15"], "development")).toEqual({ ok: true, at: new Date("2030-07-14T23:00:00Z") });
  // The clocks go back at 01:00 UTC on 27 October 2030: midnight that day is still BST.
  expect(parseJobsArgs(["--at", "2030-10-27"], "development")).toEqual({ ok: true, at: new Date("2030-10-26T23:00:00Z") });
  expect(parseJobsArgs(["--at", "2030-10-28"], "development")).toEqual({ ok: true, at: new Date("2030-10-28T00:00:00Z") });
});

test("npm run jobs arguments: a bad date, a missing date, an unknown argument and --at in production are refused with a message", () => {
  expect(parseJobsArgs(["--at", "next tuesday"], "development")).toMatchObject({ ok: false, message: expect.stringContaining('"next tuesday" is not a date') });
  expect(parseJobsArgs(["--at", "2030-13-45"], "development")).toMatchObject({ ok: false, message: expect.stringContaining("is not a date") });
  expect(parseJobsArgs(["--at", "2030-02-30"], "development")).toMatchObject({ ok: false, message: expect.stringContaining("is not a date") });
  expect(parseJobsArgs(["--at"], "development")).toMatchObject({ ok: false, message: expect.stringContaining("--at needs a date") });
  expect(parseJobsArgs(["--now"], "development")).toMatchObject({ ok: false, message: expect.stringContaining("Unknown argument --now") });
  expect(parseJobsArgs(["--at", "2030-07-15"], "production")).toMatchObject({ ok: false, message: expect.stringContaining("refused in production") });
  expect(parseJobsArgs([], "production")).toEqual({ ok: true, at: null });
});
