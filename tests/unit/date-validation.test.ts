import { expect, test } from "vitest";
import { DateFieldSchema, isCalendarDate } from "#app/utils/date-validation.ts";
import { parseInsightQuery } from "#app/utils/insight-query.ts";
import { AssignmentSchema, ExtensionSchema } from "#app/utils/org-validation.ts";
import { parseReportQuery } from "#app/utils/report-query.ts";

test.each([
  ["2026-12-31", true],
  ["1900-01-01", true],
  ["2200-12-31", true],
  ["2028-02-29", true],
  ["0000-01-01", false],
  ["1899-12-31", false],
  ["2201-01-01", false],
  ["9999-12-31", false],
  ["2026-13-01", false],
  ["2026-00-10", false],
  ["2027-02-29", false],
  ["2026-1-1", false],
  ["+02026-01-01", false],
  ["2026-01-01T00:00", false],
  ["", false],
])("isCalendarDate(%j) is %j", (value, expected) => {
  expect(isCalendarDate(value)).toBe(expected);
});

test("a date field names itself and says why", () => {
  const schema = DateFieldSchema("Due date");
  expect(schema.safeParse("0000-01-01").error?.issues[0]?.message).toBe("Due date must be in the years 1900 to 2200");
  expect(schema.safeParse("9999-12-31").error?.issues[0]?.message).toBe("Due date must be in the years 1900 to 2200");
  expect(schema.safeParse("2026-13-01").error?.issues[0]?.message).toBe("Due date must be a real date written as YYYY-MM-DD, like 2026-12-31");
  expect(schema.safeParse(" 2026-12-31 ").data).toBe("2026-12-31");
});

test("an assignment or an extension due in year 0000 or 9999 is refused at the due date", () => {
  for (const dueDate of ["0000-01-01", "9999-12-31"]) {
    const assignment = AssignmentSchema.safeParse({ module: "m", target: "organisation", dueType: "date", dueDate });
    expect(assignment.error?.issues.map((i) => i.path.join("."))).toEqual(["dueDate"]);
    const extension = ExtensionSchema.safeParse({ intent: "extend", personId: "p", dueDate, reason: "Long-term sick leave" });
    expect(extension.error?.issues.map((i) => i.path.join("."))).toEqual(["dueDate"]);
  }
});

test("report filters with year 0000 or 9999 are refused, naming the filter", () => {
  expect(parseReportQuery(new URLSearchParams("dueTo=0000-01-01"))).toEqual({
    ok: false,
    param: "dueTo",
    message: "“Due to” must be in the years 1900 to 2200 (got “0000-01-01”).",
  });
  expect(parseReportQuery(new URLSearchParams("dueFrom=9999-12-31"))).toMatchObject({ ok: false, param: "dueFrom" });
  expect(parseReportQuery(new URLSearchParams("dueFrom=2026-13-01"))).toMatchObject({ ok: false, param: "dueFrom" });
});

test("an impossible month in the insight filter is a message, not a thrown RangeError", () => {
  expect(parseInsightQuery(new URLSearchParams("since=2026-13-01"), [], "2026-12-06")).toEqual({
    ok: false,
    param: "since",
    message: "“Answers since” (parameter “since”) must be a real date written as YYYY-MM-DD, like 2026-12-31 (got “2026-13-01”).",
  });
  expect(parseInsightQuery(new URLSearchParams("since=0000-01-01"), [], "2026-12-06")).toMatchObject({ ok: false, param: "since" });
});
