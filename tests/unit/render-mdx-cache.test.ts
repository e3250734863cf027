import { expect, test } from "vitest";
import { MAX_CACHED_CODE_CHARS, renderMdxToHtml, renderStats } from "#app/content/render-mdx.server.tsx";

/** Compiled MDX as mdx-bundler's client reads it (a function body returning the module): a paragraph, padded to `length`. */
function code(text: string, length = 0): string {
  const body = `return { default: () => React.createElement("p", null, ${JSON.stringify(text)}) };`;
  const padding = Math.max(0, length - body.length - 4);
  return `/*${"x".repeat(padding)}*/${body}`;
}

test("a lesson's code is rendered once: again, or as an equal string read afresh, it comes from the cache", () => {
  const first = code("Once only");
  const before = renderStats.renders;
  expect(renderMdxToHtml(first)).toBe("<p>Once only</p>");
  expect(renderMdxToHtml(first)).toBe("<p>Once only</p>");
  // The same text built again: another string of equal content.
  const again = code("Once" + " only");
  expect(again).toBe(first);
  expect(renderMdxToHtml(again)).toBe("<p>Once only</p>");
  expect(renderStats.renders - before).toBe(1);
  // Other code is other HTML.
  expect(renderMdxToHtml(code("Another"))).toBe("<p>Another</p>");
  expect(renderStats.renders - before).toBe(2);
});

test("the cache holds at most its length of code: past it the oldest goes first and is rendered again when asked for", () => {
  const size = Math.floor(MAX_CACHED_CODE_CHARS * 0.45);
  const [a, b, c] = ["Alpha", "Bravo", "Charlie"].map((t) => code(t, size));
  const before = renderStats.renders;
  renderMdxToHtml(a!);
  renderMdxToHtml(b!);
  expect(renderStats.renders - before).toBe(2);
  renderMdxToHtml(a!);
  expect(renderStats.renders - before).toBe(2);
  // A third would pass the bound: the oldest (a) goes, b stays.
  expect(renderMdxToHtml(c!)).toBe("<p>Charlie</p>");
  renderMdxToHtml(b!);
  expect(renderStats.renders - before).toBe(3);
  renderMdxToHtml(a!);
  expect(renderStats.renders - before).toBe(4);
  // Code longer than the whole bound is rendered and not kept.
  const huge = code("Huge", MAX_CACHED_CODE_CHARS + 10);
  renderMdxToHtml(huge);
  renderMdxToHtml(huge);
  expect(renderStats.renders - before).toBe(6);
});
