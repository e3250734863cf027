import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { MDX_COMPONENT_NAMES } from "#app/content/mdx-components.tsx";
import { checkContent } from "#app/content/check.server.ts";
import { formatProblem, readContent, type SourceModule } from "#app/content/read.server.ts";
import type { Quiz } from "#app/content/schema.ts";
import { DecisionFactsSchema, decide } from "#app/utils/decision-aid.ts";
import { OFFENCES } from "#app/utils/offences.ts";

/**
 * Checks the shipped curriculum in content/modules against the content
 * format and against the decision aid: every classify question's facts must
 * lead the aid to the question's answer, so the quiz and the tool never teach
 * different law.
 */

const MODULES_DIR = path.resolve(import.meta.dirname, "../../content/modules");

/** The curriculum read through the content pipeline itself (any problem fails the first test). */
const read = readContent(MODULES_DIR);
type Module = SourceModule & { quiz: Quiz; body: string };
const modules: Module[] = read.modules.flatMap((m) => (m.quiz ? [{ ...m, quiz: m.quiz, body: m.overviewBody }] : []));

test("the curriculum reads without problems, and every module has a quiz", () => {
  expect(read.problems.map(formatProblem)).toEqual([]);
  expect(modules).toHaveLength(read.modules.length);
});

/** Parses with a zod schema; throws naming `where` and each issue. */
function parseOrReport<T>(
  schema: {
    safeParse(
      v: unknown
    ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
  where: string
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new Error(`${where}: ${issues}`);
  }
  return result.data;
}

const questions = modules.flatMap((m) => m.quiz.questions.map((q) => ({ module: m.slug, q })));
const classify = questions.flatMap(({ module, q }) => (q.type === "classify" ? [{ module, q }] : []));
const allMdx = modules.flatMap((m) => [
  { file: path.join(m.dir, "index.mdx"), body: m.body, lesson: false },
  ...m.lessons.map((l) => ({ file: l.file, body: l.body, lesson: true })),
]);
const rel = (file: string) => path.relative(MODULES_DIR, file);

test("the four modules exist, in order", () => {
  const byOrder = [...modules].sort((a, b) => a.frontmatter.order - b.frontmatter.order).map((m) => m.slug);
  expect(byOrder).toEqual(["recognising-stalking", "the-law", "recording-it-right", "risk-and-response"]);
  expect(modules.map((m) => m.frontmatter.order).sort()).toEqual([1, 2, 3, 4]);
});

test.each(modules.map((m) => [m.slug, m] as const))(
  "%s: 3 to 7 lessons, exactly one references lesson, last",
  (_slug, m) => {
    expect(m.lessons.length).toBeGreaterThanOrEqual(3);
    expect(m.lessons.length).toBeLessThanOrEqual(7);
    const references = m.lessons.filter((l) => l.frontmatter.references);
    expect(references.map((l) => rel(l.file))).toHaveLength(1);
    expect(m.lessons.at(-1)?.frontmatter.references).toBe(true);
    const prefixes = m.lessons.map((l) => path.basename(l.file).slice(0, 2));
    expect(new Set(prefixes).size).toBe(prefixes.length);
  }
);

test.each(modules.map((m) => [m.slug, m] as const))(
  "%s: duration is lesson minutes plus the quiz, and certificates last 24 months",
  (_slug, m) => {
    const lessonMinutes = m.lessons.reduce((sum, l) => sum + l.frontmatter.minutes, 0);
    // The quiz gets between 1 and 2 minutes a question drawn.
    const quizMinutes = m.frontmatter.durationMinutes - lessonMinutes;
    expect(quizMinutes).toBeGreaterThanOrEqual(m.quiz.questionsPerAttempt);
    expect(quizMinutes).toBeLessThanOrEqual(m.quiz.questionsPerAttempt * 2);
    expect(m.frontmatter.certificateValidityMonths).toBe(24);
  }
);

test("recognising-stalking: its first three lessons are short and stand alone", () => {
  const m = modules.find((x) => x.slug === "recognising-stalking");
  expect(m).toBeDefined();
  const firstThree = m!.lessons.slice(0, 3);
  expect(firstThree.map((l) => l.key)).toEqual(["what-stalking-is", "four", "stalking-or-harassment"]);
  for (const lesson of firstThree) expect(lesson.frontmatter.minutes, lesson.key).toBeLessThanOrEqual(8);
});

test("question banks: at least 120 questions and 80 classify; recognising-stalking at least 12 and 8", () => {
  expect(questions.length).toBeGreaterThanOrEqual(120);
  expect(classify.length).toBeGreaterThanOrEqual(80);
  const first = questions.filter((x) => x.module === "recognising-stalking");
  expect(first.length).toBeGreaterThanOrEqual(12);
  expect(first.filter((x) => x.q.type === "classify").length).toBeGreaterThanOrEqual(8);
});

test.each(modules.map((m) => [m.slug, m] as const))(
  "%s: the bank holds at least three attempts' worth of questions, so three attempts need see no repeat",
  (_slug, m) => {
    expect(m.quiz.questions.length).toBeGreaterThanOrEqual(m.quiz.questionsPerAttempt * 3);
  }
);

test("question ids are unique across all modules", () => {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const { module, q } of questions) {
    const other = seen.get(q.id);
    if (other) clashes.push(`${q.id} (${other} and ${module})`);
    seen.set(q.id, module);
  }
  expect(clashes).toEqual([]);
});

test("every offence in the vocabulary is the answer to at least 8 classify questions", () => {
  const counts = Object.fromEntries(OFFENCES.map((o) => [o, 0]));
  for (const { q } of classify) counts[q.answer] = (counts[q.answer] ?? 0) + 1;
  const short = Object.entries(counts).filter(([, n]) => n < 8);
  expect(short).toEqual([]);
});

test("the banks cover the relationships, settings and shapes the brief asks for", () => {
  const tags = new Set(questions.flatMap(({ q }) => q.tags));
  for (const tag of [
    "ex-partner",
    "stranger",
    "colleague",
    "neighbour",
    "customer",
    "acquaintance",
    "online",
    "offline",
    "single-message",
    "course-of-conduct",
    "not-a-crime",
  ]) {
    expect(tags, tag).toContain(tag);
  }
});

test.each(classify.map(({ module, q }) => [`${module}/${q.id}`, q] as const))(
  "classify %s: the decision aid reaches the answer from the facts",
  (id, q) => {
    const facts = parseOrReport(DecisionFactsSchema, q.facts, `${id} facts`);
    const outcome = decide(facts);
    expect(outcome.offence, `${id}: decide() says ${outcome.offence}; reasons: ${outcome.reasons.join(" | ")}`).toBe(
      q.answer
    );
  }
);

test.each(questions.map(({ module, q }) => [`${module}/${q.id}`, q] as const))(
  "%s: the explanation names a legal test",
  (_id, q) => {
    // Every explanation cites the Act or rule that decides the question.
    expect(q.explanation).toMatch(/\b(PHA|Act|s\.\d|HOCR|Counting Rules|S-DASH|College of Policing|CPS|SPO|ONS)\b/);
    if (q.type === "multiple") expect(q.prompt).toMatch(/Choose all that apply/);
    if (q.type === "classify" && q.four) {
      // FOUR's "repeated" needs two or more occasions.
      const facts = DecisionFactsSchema.parse(q.facts);
      if (q.four.present.includes("repeated")) expect(facts.occasions).toBe("two-or-more");
    }
  }
);

test("internal links point at real lessons", () => {
  const lessonPaths = new Set(
    modules.flatMap((m) => [`/modules/${m.slug}`, ...m.lessons.map((l) => `/modules/${m.slug}/${l.key}`)])
  );
  for (const m of modules) lessonPaths.add(`/modules/${m.slug}/quiz`);
  const broken: string[] = [];
  const sources = [
    ...allMdx.map((x) => ({ file: x.file, text: x.body })),
    ...modules.map((m) => ({
      file: path.join(m.dir, "quiz.yaml"),
      text: fs.readFileSync(path.join(m.dir, "quiz.yaml"), "utf8"),
    })),
  ];
  let found = 0;
  for (const { file, text } of sources) {
    for (const match of text.matchAll(/\/modules\/[a-z0-9-]+(?:\/[a-z0-9-]+)?(?:#[a-z0-9-]+)?/g)) {
      found++;
      const target = match[0].replace(/#.*$/, "");
      if (!lessonPaths.has(target)) broken.push(`${rel(file)}: ${match[0]}`);
    }
  }
  expect(broken).toEqual([]);
  expect(found).toBeGreaterThan(0);
});

const ALLOWED_HOSTS = [
  "www.legislation.gov.uk",
  "www.cps.gov.uk",
  "www.college.police.uk",
  "www.justiceinspectorates.gov.uk",
  "www.ons.gov.uk",
  "www.suzylamplugh.org",
  "paladinservice.co.uk",
  "www.gov.uk",
];

test("external links go only to sources named in FACTS.md", () => {
  const bad: string[] = [];
  for (const { file, body } of allMdx) {
    for (const match of body.matchAll(/https?:\/\/[^\s)"'>]+/g)) {
      const host = new URL(match[0]).host;
      if (!ALLOWED_HOSTS.includes(host)) bad.push(`${rel(file)}: ${match[0]}`);
    }
  }
  expect(bad).toEqual([]);
});

test("lessons use only the allowed components, no imports and no h1", () => {
  const allowed = new Set<string>(MDX_COMPONENT_NAMES);
  const problems: string[] = [];
  for (const { file, body, lesson } of allMdx) {
    for (const match of body.matchAll(/<([A-Z][A-Za-z0-9]*)/g)) {
      if (!allowed.has(match[1] ?? "")) problems.push(`${rel(file)}: <${match[1]}>`);
    }
    if (/^\s*(import|export)\s/m.test(body)) problems.push(`${rel(file)}: import/export`);
    if (lesson && /^# /m.test(body)) problems.push(`${rel(file)}: h1 heading (start at ##)`);
    for (const match of body.matchAll(/<LawQuote\b[^>]*>/g)) {
      if (!/source="[^"]+"/.test(match[0])) problems.push(`${rel(file)}: LawQuote without source`);
    }
  }
  expect(problems).toEqual([]);
});

/**
 * Claims FACTS.md corrects or marks UNVERIFIED. A match means a wrong or
 * unattributed claim has crept in; each pattern says what to do instead.
 */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: /1 in 10 men/i, why: "the ONS figure for men is about 1 in 11 (CSEW year ending March 2024)" },
  { pattern: /42 ?%/, why: "the 42% online figure is UNVERIFIED" },
  { pattern: /(?<!Trust[^.]{0,80})8,364/, why: "8,364 (2017) must be attributed to the Suzy Lamplugh Trust" },
  { pattern: /8Q[^.]{0,40}2018|2018[^.]{0,40}8Q/, why: "stalking became 8Q in April 2014, not 2018" },
  { pattern: /section 281\(5\) (has|came into) /i, why: "whether CJA 2003 s.281(5) has commenced is UNVERIFIED" },
  { pattern: /s\.281\(5\) (has|came into) /i, why: "whether CJA 2003 s.281(5) has commenced is UNVERIFIED" },
];

test("no corrected or UNVERIFIED claim appears as fact", () => {
  const problems: string[] = [];
  const files = [
    ...allMdx.map((x) => ({ file: x.file, text: x.body })),
    ...modules.map((m) => ({
      file: path.join(m.dir, "quiz.yaml"),
      text: fs.readFileSync(path.join(m.dir, "quiz.yaml"), "utf8"),
    })),
  ];
  for (const { file, text } of files) {
    for (const { pattern, why } of FORBIDDEN) {
      if (pattern.test(text)) problems.push(`${rel(file)}: ${why}`);
    }
  }
  expect(problems).toEqual([]);
});

test("every lesson and overview compiles and renders through the content pipeline", { timeout: 120_000 }, async () => {
  const report = await checkContent(MODULES_DIR);
  expect(report.problems).toEqual([]);
  expect(report.modules).toBe(modules.length);
});
