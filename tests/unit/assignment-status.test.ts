import { expect, test } from "vitest";
import { addDays, assignmentStatus, dueDateFor, londonDate } from "#app/utils/assignment-status.ts";

test.each([
  ["2026-03-29T00:30:00Z", "2026-03-29"],
  ["2026-06-30T23:30:00Z", "2026-07-01"], // BST: already tomorrow in London
  ["2026-12-31T23:30:00Z", "2026-12-31"],
])("London date of %s is %s", (at, date) => {
  expect(londonDate(new Date(at))).toBe(date);
});

test("relative due dates count from joining when that is later than the assignment", () => {
  const assignedAt = new Date("2026-01-10T09:00:00Z");
  expect(dueDateFor({ dueDate: null, dueDays: 30, assignedAt, personSince: null, extendedTo: null })).toBe("2026-02-09");
  expect(dueDateFor({ dueDate: null, dueDays: 30, assignedAt, personSince: new Date("2026-03-01T10:00:00Z"), extendedTo: null })).toBe("2026-03-31");
  expect(dueDateFor({ dueDate: null, dueDays: 30, assignedAt, personSince: new Date("2025-12-01T10:00:00Z"), extendedTo: null })).toBe("2026-02-09");
  expect(dueDateFor({ dueDate: "2026-05-01", dueDays: null, assignedAt, personSince: null, extendedTo: null })).toBe("2026-05-01");
  expect(dueDateFor({ dueDate: "2026-05-01", dueDays: null, assignedAt, personSince: null, extendedTo: "2026-06-01" })).toBe("2026-06-01");
  expect(dueDateFor({ dueDate: null, dueDays: null, assignedAt, personSince: null, extendedTo: null })).toBeNull();
  expect(addDays("2026-02-27", 2)).toBe("2026-03-01");
});

const now = new Date("2026-11-28T12:00:00Z");
test.each([
  { completion: null, inProgress: false, due: "2026-12-01", expected: "not-started" },
  { completion: null, inProgress: true, due: "2026-12-01", expected: "in-progress" },
  { completion: null, inProgress: true, due: "2026-11-27", expected: "overdue" },
  { completion: null, inProgress: false, due: "2026-11-28", expected: "not-started" },
  { completion: null, inProgress: false, due: null, expected: "not-started" },
  { completion: { certificateExpiresAt: null, certificateRevoked: false }, inProgress: false, due: "2026-01-01", expected: "completed" },
  { completion: { certificateExpiresAt: new Date("2027-01-01"), certificateRevoked: false }, inProgress: false, due: null, expected: "completed" },
  { completion: { certificateExpiresAt: new Date("2026-11-01"), certificateRevoked: false }, inProgress: false, due: null, expected: "expired" },
  { completion: { certificateExpiresAt: new Date("2026-11-01"), certificateRevoked: false }, inProgress: true, due: null, expected: "in-progress" },
  { completion: { certificateExpiresAt: null, certificateRevoked: true }, inProgress: false, due: "2026-11-01", expected: "overdue" },
] as const)("status: $expected", ({ completion, inProgress, due, expected }) => {
  expect(assignmentStatus({ latestCompletion: completion, inProgress, due, now })).toBe(expected);
});

// Due dates are London calendar days: in British Summer Time, 23:00 UTC is already tomorrow.
test.each([
  ["2026-06-30T22:59:59Z", "not-started"], // 23:59:59 on the due day in London
  ["2026-06-30T23:00:00Z", "overdue"], // 00:00 on 1 July in London, still 30 June in UTC
  ["2026-06-30T23:30:00Z", "overdue"],
  ["2026-12-31T23:30:00Z", "not-started"], // winter: London is on UTC, still the due day
] as const)("due 30 June (or 31 December): at %s the status is %s", (at, expected) => {
  const due = at.startsWith("2026-06") ? "2026-06-30" : "2026-12-31";
  expect(assignmentStatus({ latestCompletion: null, inProgress: false, due, now: new Date(at) })).toBe(expected);
});
