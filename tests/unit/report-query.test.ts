import { expect, test } from "vitest";
import { ASSIGNMENT_STATUSES } from "#app/utils/assignment-status.ts";
import { parseReportQuery, reportSearch, SORT_KEYS, type ReportQuery } from "#app/utils/report-query.ts";

const parse = (search: string) => parseReportQuery(new URLSearchParams(search));
const DEFAULTS: ReportQuery = { team: null, module: null, status: null, dueFrom: null, dueTo: null, includeLeft: false, sort: "name", dir: "asc", page: 1 };

test("no parameters: everyone, sorted by name, first page", () => {
  expect(parse("")).toEqual({ ok: true, query: DEFAULTS });
  // Blank fields from the GET form count as not given.
  expect(parse("team=&module=&status=&dueFrom=&dueTo=&sort=&dir=&page=")).toEqual({ ok: true, query: DEFAULTS });
});

test("every valid parameter is read", () => {
  const result = parse("team=t-1&module=sample-basics&status=overdue&dueFrom=2026-01-01&dueTo=2026-01-01&left=on&sort=due&dir=desc&page=3");
  expect(result).toEqual({
    ok: true,
    query: { team: "t-1", module: "sample-basics", status: "overdue", dueFrom: "2026-01-01", dueTo: "2026-01-01", includeLeft: true, sort: "due", dir: "desc", page: 3 },
  });
});

test.each([
  ["status", "status=done"],
  ["status", "status=Completed"],
  ["dueFrom", "dueFrom=2026-02-30"],
  ["dueFrom", "dueFrom=01/02/2026"],
  ["dueFrom", "dueFrom=2026-1-5"],
  ["dueTo", "dueTo=tomorrow"],
  ["dueTo", "dueTo=2026-13-01"],
  ["dueTo", "dueFrom=2026-03-02&dueTo=2026-03-01"],
  ["sort", "sort=password"],
  ["sort", "sort=Name"],
  ["dir", "dir=up"],
  ["page", "page=0"],
  ["page", "page=-1"],
  ["page", "page=1.5"],
  ["page", "page=two"],
  ["page", "page=99999999"],
  ["module", "module=Sample Basics"],
  ["module", "module=../../etc"],
  ["module", `module=${"a".repeat(101)}`],
  ["team", `team=${"t".repeat(101)}`],
])("a bad %s (%s) is refused, naming the parameter", (param, search) => {
  const result = parse(search);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.param).toBe(param);
    expect(result.message.length).toBeGreaterThan(10);
  }
});

test("only the first problem is reported, and a good parameter beside a bad one does not hide it", () => {
  expect(parse("sort=name&dir=sideways")).toMatchObject({ ok: false, param: "dir" });
  expect(parse("status=overdue&page=0")).toMatchObject({ ok: false, param: "page" });
});

const samples: ReportQuery[] = [
  DEFAULTS,
  { ...DEFAULTS, team: "none" },
  { ...DEFAULTS, team: "6f1c1c1e-0000-4000-8000-000000000001", module: "sample-basics", includeLeft: true },
  ...ASSIGNMENT_STATUSES.map((status) => ({ ...DEFAULTS, status })),
  ...SORT_KEYS.flatMap((sort) => (["asc", "desc"] as const).map((dir) => ({ ...DEFAULTS, sort, dir }))),
  { ...DEFAULTS, dueFrom: "2026-01-31", dueTo: "2026-12-31", page: 7 },
];

test.each(samples)("reportSearch round-trips through parseReportQuery: %o", (query) => {
  const search = reportSearch(query);
  expect(search === "" || search.startsWith("?")).toBe(true);
  expect(parse(search.replace(/^\?/, ""))).toEqual({ ok: true, query });
});

test("reportSearch leaves defaults out of the address", () => {
  expect(reportSearch(DEFAULTS)).toBe("");
  expect(reportSearch(DEFAULTS, { sort: "due" })).toBe("?sort=due");
});

test("a new filter goes back to the first page; moving page or sort keeps the filters", () => {
  const onPage3 = { ...DEFAULTS, status: "overdue" as const, page: 3 };
  expect(parse(reportSearch(onPage3, { team: "none" }).slice(1))).toEqual({ ok: true, query: { ...onPage3, team: "none", page: 1 } });
  expect(parse(reportSearch(onPage3, { status: null }).slice(1))).toEqual({ ok: true, query: { ...onPage3, status: null, page: 1 } });
  expect(parse(reportSearch(onPage3, { page: 4 }).slice(1))).toEqual({ ok: true, query: { ...onPage3, page: 4 } });
});
