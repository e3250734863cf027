import { expect, test } from "vitest";
import { safeRedirect } from "#app/utils/safe-redirect.ts";

test.each([
  ["/learning", "/learning"],
  ["/modules/recognising-stalking?x=1#top", "/modules/recognising-stalking?x=1#top"],
  ["//evil.example", "/"],
  ["https://evil.example/learning", "/"],
  ["/\\evil.example", "/"],
  ["/\tevil", "/"],
  ["javascript:alert(1)", "/"],
  ["learning", "/"],
  ["", "/"],
  [null, "/"],
  ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
])("safeRedirect(%j) is %j", (input, expected) => {
  expect(safeRedirect(input)).toBe(expected);
});

test("the fallback is used for anything unsafe", () => {
  expect(safeRedirect("//x", "/learning")).toBe("/learning");
});
