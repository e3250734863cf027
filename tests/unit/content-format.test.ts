import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { checkContent } from "#app/content/check.server.ts";
import { splitFrontmatter } from "#app/content/read.server.ts";
import { FIXTURE_CONTENT } from "#tests/factories.ts";

function module(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-check-"));
  const dir = path.join(root, "broken-module");
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return root;
}

const index = `---\ntitle: T\nsummary: S\naudience: [Officers]\noutcomes: [Know]\ndurationMinutes: 5\n---\n\nOverview.\n`;
const lesson = (extra = "", fm = "title: L\nminutes: 2\nreferences: true\n") => `---\n${fm}---\n\n## Heading\n\n${extra}\n`;

test("splitting frontmatter keeps the body's line numbers", () => {
  const { yaml, body } = splitFrontmatter("---\na: 1\nb: 2\n---\nline five\n");
  expect(yaml).toBe("a: 1\nb: 2");
  expect(body.split("\n")[4]).toBe("line five");
});

test("the test fixtures pass the content check", async () => {
  const report = await checkContent(FIXTURE_CONTENT);
  expect(report.problems).toEqual([]);
  expect(report).toMatchObject({ modules: 1, lessons: 3 });
});

test.each([
  [{ "index.mdx": index.replace("durationMinutes: 5", "durationMinutes: soon"), "01-a.mdx": lesson() }, /index\.mdx:6: durationMinutes must be a number/],
  [{ "index.mdx": index.replace("title: T\n", ""), "01-a.mdx": lesson() }, /index\.mdx:\d+: title is required/],
  [{ "index.mdx": index.replace("durationMinutes: 5", "durationMinutes: 5\nextra: 1"), "01-a.mdx": lesson() }, /index\.mdx:7: unknown field "extra"/],
  [{ "index.mdx": index, "01-a.mdx": lesson("<Callout>unclosed") }, /01-a\.mdx:\d+:\d+: the MDX cannot be read: Expected a closing tag for `<Callout>`/],
  [{ "index.mdx": index, "01-a.mdx": lesson("<Marquee />") }, /01-a\.mdx:9:1: unknown component <Marquee>/],
  [{ "index.mdx": index, "01-a.mdx": lesson("Text {process.exit(1)} here") }, /01-a\.mdx:9:6: \{process\.exit\(1\)\} is code and is not allowed/],
  [{ "index.mdx": index.replace("Overview.", "import fs from 'node:fs'"), "01-a.mdx": lesson() }, /index\.mdx:9:1: import and export are code and are not allowed/],
  [{ "index.mdx": index, "01-a.mdx": lesson("![](./missing.svg)") }, /01-a\.mdx:9: image "\.\/missing\.svg" has no alt text/],
  [{ "index.mdx": index, "01-a.mdx": lesson("[x](/modules/nowhere/at-all)") }, /01-a\.mdx:9: broken internal link "\/modules\/nowhere\/at-all"/],
  [{ "index.mdx": index, "01-a.mdx": lesson("", "title: L\nminutes: 2\n") }, /no references lesson/],
  [{ "index.mdx": index, "01-a.mdx": lesson("Next: [The law](/modules/the-law)") }, /01-a\.mdx:9: remove this "Next:" link: the lesson page already links to the next lesson/],
  [{ "index.mdx": index, "1-bad-name.mdx": lesson() }, /1-bad-name\.mdx:1: lesson file name must look like/],
  [{ "index.mdx": index, "01-a.mdx": lesson(), "quiz.yaml": "passMark: 80\nquestionsPerAttempt: 1\nquestions:\n  - id: q\n    type: single\n    prompt: P\n    explanation: E\n    options:\n      - id: a\n        text: A\n      - id: b\n        text: B\n" }, /quiz\.yaml:\d+: question "q": .*exactly one correct option/],
  [{ "index.mdx": index, "01-a.mdx": lesson(), "quiz.yaml": "passMark: [\n" }, /quiz\.yaml:\d+: YAML:/],
])("content check reports %#", async (files, expected) => {
  const report = await checkContent(module(files));
  expect(report.problems.join("\n")).toMatch(expected);
});
