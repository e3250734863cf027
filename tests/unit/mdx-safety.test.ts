import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { compileMdx, mdxStats } from "#app/content/compile-mdx.server.ts";
import { checkLessonSource, UnsafeMdxError } from "#app/content/mdx-safety.server.ts";
import { splitFrontmatter } from "#app/content/read.server.ts";
import { renderMdxToHtml } from "#app/content/render-mdx.server.tsx";

/**
 * The escape corpus (docs/decisions/030): every way an author could try to
 * make a lesson run code, each refused at the line and column where it
 * starts. Lines are counted from the first line of the source given.
 */
const HASH = "0f".repeat(32);

const corpus: [name: string, source: string, line: number, column: number, message: RegExp][] = [
  ["ESM import", "Intro.\n\nimport fs from 'node:fs'\n", 3, 1, /^import and export are code/],
  ["ESM export", "## Title\n\nexport const data = process.env\n", 3, 1, /^import and export are code/],
  ["export default (replaces the layout)", "export default function Layout() { return null }\n", 1, 1, /^import and export are code/],
  ["expression in text", "The answer is {1 + 1} today.\n", 1, 15, /^\{1 \+ 1\} is code and is not allowed/],
  ["flow expression", "Para.\n\n{globalThis.fetch('https://example.com')}\n", 3, 1, /is code and is not allowed/],
  ["comment in braces", "Para.\n\n{/* a note for reviewers */}\n", 3, 1, /^comments in \{ \} are code/],
  ["comment hiding code", "{/* looks harmless */ process.exit(1)}\n", 1, 1, /is code and is not allowed/],
  ["line comment", "{// note\n}\n", 1, 1, /^comments in \{ \} are code/],
  ["expression in an attribute", '<Callout title={process.env.SECRET}>x</Callout>\n', 1, 10, /^<Callout> title: must be plain text in quotes/],
  ["string literal in braces", '<Callout title={"Hi"}>x</Callout>\n', 1, 10, /^<Callout> title: must be plain text in quotes/],
  ["spread attributes", "<KeyPoint {...props}>x</KeyPoint>\n", 1, 11, /^<KeyPoint>: spread attributes/],
  ["<script>", "Text.\n\n<script>alert(1)</script>\n", 3, 1, /^HTML elements such as <script> are not allowed/],
  ["<iframe>", '<iframe src="https://evil.example" />\n', 1, 1, /^HTML elements such as <iframe> are not allowed/],
  ["<img onerror>", 'A picture <img src="x" onerror="alert(1)" /> inline.\n', 1, 11, /^HTML elements such as <img> are not allowed/],
  ["<style>", "<style>{`body{display:none}`}</style>\n", 1, 1, /^HTML elements such as <style> are not allowed/],
  ["unknown component", "\n\n  <Marquee>hi</Marquee>\n", 3, 3, /^unknown component <Marquee>/],
  ["member expression component", "<Callout.Provider />\n", 1, 1, /^<Callout\.Provider> is not allowed/],
  ["namespaced element", "<svg:script />\n", 1, 1, /^<svg:script> is not allowed/],
  ["fragment", "<>text</>\n", 1, 1, /^fragments/],
  ["event handler prop", '<Callout onClick="alert(1)">x</Callout>\n', 1, 10, /^<Callout> has no prop "onClick" \(event handlers are code\)/],
  ["dangerouslySetInnerHTML", '<Scenario dangerouslySetInnerHTML="x">y</Scenario>\n', 1, 11, /^<Scenario> has no prop "dangerouslySetInnerHTML"/],
  ["unknown prop", '<KeyPoint colour="red">x</KeyPoint>\n', 1, 11, /^<KeyPoint> has no prop "colour": it takes title/],
  ["boolean prop without value", "<Callout title>x</Callout>\n", 1, 10, /^<Callout> title: needs a value in quotes/],
  ["enum out of range", '<Callout type="danger">x</Callout>\n', 1, 10, /^<Callout> type: "danger" is not one of info, warning, important/],
  ["javascript: link", "Click [here](javascript:alert(1)).\n", 1, 7, /^link address "javascript:alert\(1\)" uses "javascript:"/],
  ["entity-encoded javascript: link", "[here](jav&#x61;script:alert(1))\n", 1, 1, /uses "javascript:"/],
  ["upper-case JAVASCRIPT: link", "[here](JAVASCRIPT:alert(1))\n", 1, 1, /uses "javascript:"/],
  ["javascript: in a reference definition", "[here][x]\n\n[x]: javascript:alert(1)\n", 3, 1, /uses "javascript:"/],
  ["data: link", "[x](data:text/html,<script>alert(1)</script>)\n", 1, 1, /uses "data:"/],
  ["vbscript: link", "[x](vbscript:msgbox)\n", 1, 1, /uses "vbscript:"/],
  ["javascript: image", "![A chart](javascript:alert(1))\n", 1, 1, /^image address "javascript:alert\(1\)" uses "javascript:"/],
  ["data: image", "![A chart](data:image/svg+xml,<svg/onload=alert(1)>)\n", 1, 1, /^image address .* uses "data:"/],
  ["javascript: LawQuote href", '<LawQuote source="PHA 1997" href="javascript:alert(1)">x</LawQuote>\n', 1, 29, /^<LawQuote> href: "javascript:alert\(1\)" must be a full https:\/\/ address/],
  ["FourChecklist with a variable", '<FourChecklist present={["fixated", window.x]} />\n', 1, 16, /^<FourChecklist> present: must be a list of quoted words/],
  ["FourChecklist with a call", "<FourChecklist present={require('fs')} />\n", 1, 16, /^<FourChecklist> present: must be a list of quoted words/],
  ["FourChecklist with a comment", '<FourChecklist present={["fixated" /* x */]} />\n', 1, 16, /^<FourChecklist> present: must be a list of quoted words/],
  ["FourChecklist with an unknown word", '<FourChecklist present={["fixated", "violent"]} />\n', 1, 16, /^<FourChecklist> present: "violent" is not one of fixated, obsessive, unwanted, repeated/],
  ["Image with a path instead of a hash", '<Image hash="../../etc/passwd" alt="x" />\n', 1, 8, /^<Image> hash: "\.\.\/\.\.\/etc\/passwd" is not an image reference/],
  ["Image without alt", `<Image hash="${HASH}" />\n`, 1, 1, /^<Image> needs alt="\.\.\."/],
  ["Image with content", `<Image hash="${HASH}" alt="x">text</Image>\n`, 1, 1, /^<Image> takes no content/],
  ["JavaScript frontmatter (gray-matter evals it)", "---js\n{ title: process.exit(1) }\n---\nBody\n", 1, 1, /^frontmatter must be YAML/],
  ["components nested too deeply", `${"<Callout>\n\n".repeat(6)}x\n\n${"</Callout>\n\n".repeat(6)}`, 9, 1, /^components nested more than 4 deep/],
  ["quotes nested too deeply", `Para.\n\n${">".repeat(40)} deep\n`, 3, 1, /^nested more than 24 levels deep/],
  ["lists nested too deeply", `${"- ".repeat(5000)}x\n`, 1, 1, /^nested more than 24 levels deep/],
  ["structure nested too deeply", `${"> - ".repeat(10)}${"   ".repeat(0)}x\n\n${"> ".repeat(10)}${"1. ".repeat(20)}y\n`, 3, 1, /^nested more than 24 levels deep/],
  ["unclosed expression", "Text {\n", 1, 7, /^the MDX cannot be read/],
];

test.each(corpus)("refuses %s at its line and column", (_name, source, line, column, message) => {
  const problems = checkLessonSource(source);
  expect(problems[0]).toEqual({ line, column, message: expect.stringMatching(message) });
});

test("absurd nesting is refused, not a crash", () => {
  for (const source of ["<Callout>".repeat(1000) + "x", "<Callout>\n\n".repeat(1000) + "x", Array.from({ length: 60 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n")]) {
    const problems = checkLessonSource(source);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toEqual({ line: expect.any(Number), column: expect.any(Number), message: expect.any(String) });
  }
  // A slow machine parses these in seconds; the limit is not what this test checks.
}, 60_000);

test("an over-long lesson is refused before it is parsed", () => {
  expect(checkLessonSource("a".repeat(60_001))).toEqual([{ line: 1, column: 1, message: "the lesson is 60001 characters long: at most 60000" }]);
});

test("every problem is reported, not only the first", () => {
  const source = "import x from 'y'\n\nText {a} and <Foo />.\n\n[l](javascript:x)\n";
  expect(checkLessonSource(source).map((p) => `${p.line}:${p.column}`)).toEqual(["1:1", "3:6", "3:14", "5:1"]);
});

test("the documented components with literal props are accepted", () => {
  const source = [
    '<Callout type="important" title="Since 31 January 2024">',
    "",
    "Threats are **Online Safety Act 2023** offences. See [s.181](https://www.legislation.gov.uk/ukpga/2023/50/section/181).",
    "",
    "</Callout>",
    "",
    "<KeyPoint>Stalking is a course of conduct.</KeyPoint>",
    "",
    '<Scenario title="The fifth call">',
    "",
    '<LawQuote source="Protection from Harassment Act 1997, s.1" href="https://www.legislation.gov.uk/ukpga/1997/40/section/1">',
    "a reasonable person",
    "</LawQuote>",
    "",
    "</Scenario>",
    "",
    "<FourChecklist />",
    "",
    '<FourChecklist present={["fixated", "obsessive", "unwanted", "repeated"]} />',
    "",
    "<WhatToRecord>",
    "",
    "- Every occasion, with dates.",
    "",
    "</WhatToRecord>",
    "",
    `<Image hash="${HASH}" alt="Timeline of the counting rules" caption="The rules since 2014" />`,
    "",
    `<Image hash="${HASH}" alt="" />`,
    "",
    "| a | b |",
    "|---|---|",
    "| 1 | 2 |",
    "",
    "[A lesson](/modules/the-law/stalking-offences), [mail](mailto:help@example.org) and ![A chart](./chart.svg).",
    "",
  ].join("\n");
  expect(checkLessonSource(source)).toEqual([]);
});

test("every lesson and overview in content/ passes", () => {
  const root = path.resolve("content/modules");
  const refused: string[] = [];
  let files = 0;
  for (const slug of fs.readdirSync(root)) {
    for (const name of fs.readdirSync(path.join(root, slug)).filter((n) => n.endsWith(".mdx"))) {
      files++;
      const { body } = splitFrontmatter(fs.readFileSync(path.join(root, slug, name), "utf8"));
      for (const p of checkLessonSource(body)) refused.push(`${slug}/${name}:${p.line}:${p.column}: ${p.message}`);
    }
  }
  expect(refused).toEqual([]);
  expect(files).toBeGreaterThan(20);
});

test("compileMdx refuses unsafe MDX without compiling it, so the code never runs", async () => {
  const marker = "__distinctMdxEscape";
  const before = mdxStats.compiles;
  let outcome: unknown = null;
  try {
    // If this were compiled and rendered, it would set a global on the server.
    const { code } = await compileMdx(`Hello {globalThis.${marker} = "ran"}\n`, path.resolve("content/modules/x/01-a.mdx"));
    renderMdxToHtml(code);
  } catch (error) {
    outcome = error;
  }
  expect(Reflect.get(globalThis, marker)).toBeUndefined();
  expect(outcome).toBeInstanceOf(UnsafeMdxError);
  expect(outcome instanceof UnsafeMdxError ? outcome.problems : null).toEqual([
    { line: 1, column: 7, message: "{globalThis.__distinctMdxEscape…} is code and is not allowed: curly braces cannot be used in lesson text" },
  ]);
  expect(mdxStats.compiles).toBe(before);
});
