import { expect, test } from "vitest";
import { parseInsightQuery, startOfLondonDay } from "#app/utils/insight-query.ts";

const slugs = ["the-law", "recognising-stalking"];
const parse = (query: string) => parseInsightQuery(new URLSearchParams(query), slugs, "2025-06-30");

test("no filter means every module for all time; blank fields are the same", () => {
  expect(parse("")).toEqual({ ok: true, query: { module: null, since: null } });
  expect(parse("module=&since=")).toEqual({ ok: true, query: { module: null, since: null } });
  expect(parse("module=the-law&since=2025-01-31")).toEqual({ ok: true, query: { module: "the-law", since: "2025-01-31" } });
});

test.each([
  ["module=nope", "module", /module “nope”/],
  ["since=31/01/2025", "since", /YYYY-MM-DD/],
  ["since=2025-02-30", "since", /YYYY-MM-DD/],
  ["since=2025-07-01", "since", /future/],
])("%s is refused, naming the parameter %s", (query, param, message) => {
  const result = parse(query);
  expect(result).toMatchObject({ ok: false, param });
  if (!result.ok) {
    expect(result.message).toMatch(message);
    expect(result.message).toContain(`parameter “${param}”`);
  }
});

test("a day starts at midnight in England: 00:00 UTC in winter, 23:00 UTC the day before in summer", () => {
  expect(startOfLondonDay("2025-01-15").toISOString()).toBe("2025-01-15T00:00:00.000Z");
  expect(startOfLondonDay("2025-07-15").toISOString()).toBe("2025-07-14T23:00:00.000Z");
});
