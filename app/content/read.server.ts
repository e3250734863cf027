import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from "yaml";
import type { z } from "zod";
import { decide, DecisionFactsSchema } from "#app/utils/decision-aid.ts";
import {
  LESSON_FILE_PATTERN,
  LessonFrontmatterSchema,
  ModuleFrontmatterSchema,
  QuizSchema,
  SLUG_PATTERN,
  type LessonFrontmatter,
  type ModuleFrontmatter,
  type Quiz,
} from "./schema.ts";

/** One problem in the content, printed as `file:line: message` (or `file:line:column: message` when the column is known). */
export type Problem = { file: string; line: number; column?: number; message: string };
export const formatProblem = (p: Problem) => `${p.file}:${p.line}${p.column ? `:${p.column}` : ""}: ${p.message}`;

export type SourceLesson = {
  key: string;
  file: string;
  frontmatter: LessonFrontmatter;
  /** The MDX body, with the frontmatter replaced by blank lines so line numbers match the file. */
  body: string;
};

export type SourceModule = {
  slug: string;
  dir: string;
  frontmatter: ModuleFrontmatter;
  overviewFile: string;
  overviewBody: string;
  lessons: SourceLesson[];
  quiz: Quiz | null;
  quizFile: string | null;
  /** Hash of every file in the module folder: unchanged hash, nothing to import. */
  sourceHash: string;
};

export type ReadResult = {
  modules: SourceModule[];
  problems: Problem[];
  /** Lessons that parsed in modules that did not: content:check still compiles them. */
  strayLessons: SourceLesson[];
};

/** Paths in messages are relative to the working directory, so editors can jump to them. */
const display = (file: string) => path.relative(process.cwd(), file) || file;

type ParsedYaml = { doc: Document; counter: LineCounter; lineOffset: number };

function parseYaml(text: string, file: string, lineOffset: number, problems: Problem[]): ParsedYaml | null {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = error.linePos?.[0]?.line ?? 1;
      problems.push({ file: display(file), line: line + lineOffset, message: `YAML: ${error.message.split("\n")[0]}` });
    }
    return null;
  }
  return { doc, counter, lineOffset };
}

/** The line of the YAML node at `issuePath`, or of its nearest existing parent. */
function lineOf(parsed: ParsedYaml, issuePath: PropertyKey[]): number {
  for (let length = issuePath.length; length >= 0; length--) {
    const node = parsed.doc.getIn(
      issuePath.slice(0, length).map((key) => (typeof key === "symbol" ? String(key) : key)),
      true,
    );
    if (isNode(node) && node.range) {
      return parsed.counter.linePos(node.range[0]).line + parsed.lineOffset;
    }
  }
  return 1 + parsed.lineOffset;
}

/** Like lineOf, but for a key that exists in a map, the key's own line. */
function lineOfKey(parsed: ParsedYaml, issuePath: PropertyKey[]): number {
  const key = issuePath[issuePath.length - 1];
  if (typeof key === "string" && issuePath.length > 0) {
    const parent = parsed.doc.getIn(issuePath.slice(0, -1).map((k) => (typeof k === "symbol" ? String(k) : k)), true);
    const root = issuePath.length === 1 ? parsed.doc.contents : parent;
    if (root && typeof root === "object" && "items" in root && Array.isArray(root.items)) {
      for (const pair of root.items as unknown[]) {
        if (pair && typeof pair === "object" && "key" in pair && isNode(pair.key) && String((pair.key as { value?: unknown }).value) === key && pair.key.range) {
          return parsed.counter.linePos(pair.key.range[0]).line + parsed.lineOffset;
        }
      }
    }
  }
  return lineOf(parsed, issuePath);
}

function describePath(issuePath: PropertyKey[]): string {
  return issuePath
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`))
    .join("");
}

function validate<T extends z.ZodType>(
  schema: T,
  parsed: ParsedYaml,
  file: string,
  problems: Problem[],
  context?: (issuePath: PropertyKey[]) => string,
  located?: Map<Problem, PropertyKey[]>,
): z.infer<T> | null {
  const result = schema.safeParse(parsed.doc.toJS());
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const last = issue.path[issue.path.length - 1];
    // Messages that already name their field need no path in front.
    const named = typeof last === "string" && issue.message.startsWith(last);
    const where = issue.path.length > 0 && !named ? `${describePath(issue.path)}: ` : "";
    const prefix = context?.(issue.path) ?? "";
    let message = issue.message;
    let at = issue.path;
    if (issue.code === "unrecognized_keys") {
      message = `unknown field ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
      if (issue.keys[0]) at = [...issue.path, issue.keys[0]];
    }
    const problem = { file: display(file), line: lineOfKey(parsed, at), message: `${prefix}${where}${message}` };
    problems.push(problem);
    located?.set(problem, at);
  }
  return null;
}

/**
 * Every classify question states its facts in the decision aid's terms; the
 * aid must reach the question's answer from them, so the quiz and the tool on
 * /tools/is-it-stalking never teach different law.
 */
function checkQuizAgainstAid(
  quiz: Quiz,
  parsed: ParsedYaml,
  file: string,
  problems: Problem[],
  nameQuestion: (issuePath: PropertyKey[]) => string,
  located?: Map<Problem, PropertyKey[]>,
) {
  quiz.questions.forEach((question, index) => {
    if (question.type !== "classify") return;
    const base = ["questions", index, "facts"];
    const facts = DecisionFactsSchema.safeParse(question.facts);
    if (!facts.success) {
      for (const issue of facts.error.issues) {
        const at = [...base, ...issue.path];
        const problem = { file: display(file), line: lineOfKey(parsed, at), message: `${nameQuestion(at)}facts: ${issue.message}` };
        problems.push(problem);
        located?.set(problem, at);
      }
      return;
    }
    const outcome = decide(facts.data);
    if (outcome.offence !== question.answer) {
      const at = ["questions", index, "answer"];
      const problem = {
        file: display(file),
        line: lineOfKey(parsed, at),
        message: `${nameQuestion(at)}the decision aid reaches "${outcome.offence}" from this question's facts, not "${question.answer}": fix the facts or the answer`,
      };
      problems.push(problem);
      located?.set(problem, at);
    }
  });
}

/** A problem in a quiz bank's text, with its column and the path of the field it concerns (when known), for the studio's forms. */
export type QuizProblem = { line: number; column: number; message: string; path: (string | number)[] };

/**
 * Checks a quiz bank's text exactly as content:check and the import do: YAML
 * syntax, the quiz schema, and the decision aid against every classify
 * question. readModule runs it on quiz.yaml; the studio's question editor
 * runs it on the text it is about to save.
 */
export function readQuizText(text: string): { quiz: Quiz | null; problems: QuizProblem[] } {
  const problems: Problem[] = [];
  const located = new Map<Problem, PropertyKey[]>();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      quiz: null,
      problems: doc.errors.map((error) => ({
        line: counter.linePos(error.pos[0]).line,
        column: counter.linePos(error.pos[0]).col,
        message: `YAML: ${error.message.split("\n")[0]}`,
        path: [],
      })),
    };
  }
  const parsed: ParsedYaml = { doc, counter, lineOffset: 0 };
  const nameQuestion = (issuePath: PropertyKey[]) => {
    // Name the question, so a message is findable without counting.
    if (issuePath[0] === "questions" && typeof issuePath[1] === "number") {
      const id = parsed.doc.getIn(["questions", issuePath[1], "id"]);
      return typeof id === "string" ? `question "${id}": ` : "";
    }
    return "";
  };
  const quiz = validate(QuizSchema, parsed, "quiz.yaml", problems, nameQuestion, located);
  if (quiz) checkQuizAgainstAid(quiz, parsed, "quiz.yaml", problems, nameQuestion, located);
  return {
    quiz: problems.length === 0 ? quiz : null,
    problems: problems.map((p) => {
      const at = located.get(p) ?? [];
      return { line: p.line, column: columnOf(parsed, at), message: p.message, path: at.map((k) => (typeof k === "number" ? k : String(k))) };
    }),
  };
}

/** The column of the key at `issuePath` (or of the node, or of its nearest existing parent), 1 when it cannot be found. */
function columnOf(parsed: ParsedYaml, issuePath: PropertyKey[]): number {
  const key = issuePath[issuePath.length - 1];
  const parent = issuePath.length === 1 ? parsed.doc.contents : parsed.doc.getIn(issuePath.slice(0, -1).map((k) => (typeof k === "symbol" ? String(k) : k)), true);
  if (typeof key === "string" && isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key) && pair.key.range) return parsed.counter.linePos(pair.key.range[0]).col;
  }
  for (let length = issuePath.length; length >= 0; length--) {
    const node = parsed.doc.getIn(issuePath.slice(0, length).map((k) => (typeof k === "symbol" ? String(k) : k)), true);
    if (isNode(node) && node.range) return parsed.counter.linePos(node.range[0]).col;
  }
  return 1;
}

/** Splits `---` frontmatter from an MDX file, keeping line numbers. */
export function splitFrontmatter(source: string): { yaml: string | null; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) return { yaml: null, body: source };
  const yaml = match[1] ?? "";
  const blank = "\n".repeat(match[0].split("\n").length - 1);
  return { yaml, body: blank + source.slice(match[0].length) };
}

function readMdx<T extends z.ZodType>(file: string, schema: T, problems: Problem[]) {
  const source = fs.readFileSync(file, "utf8");
  const { yaml, body } = splitFrontmatter(source);
  if (yaml === null) {
    problems.push({ file: display(file), line: 1, message: "missing frontmatter: start the file with a --- block" });
    return null;
  }
  // Frontmatter YAML starts on line 2 of the file.
  const parsed = parseYaml(yaml, file, 1, problems);
  if (!parsed) return null;
  const frontmatter = validate(schema, parsed, file, problems);
  return frontmatter === null ? null : { frontmatter: frontmatter as z.infer<T>, body };
}

function hashDirectory(dir: string): string {
  const hash = crypto.createHash("sha256");
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        hash.update(path.relative(dir, full));
        hash.update("\0");
        hash.update(fs.readFileSync(full));
        hash.update("\0");
      }
    }
  };
  walk(dir);
  return hash.digest("hex");
}

/** Reads one module folder. Returns null (with problems) when it cannot be used. */
/**
 * The lesson page links to the next lesson under every lesson ("Next lesson →"
 * with its title), so a "Next: [...]" line of the lesson's own says it twice,
 * and goes stale when lessons are reordered.
 */
function checkNoNextLink(file: string, body: string, problems: Problem[]) {
  body.split("\n").forEach((line, index) => {
    if (/^\s*\**Next\**:?\**\s*\[/i.test(line)) {
      problems.push({ file: display(file), line: index + 1, message: "remove this \"Next:\" link: the lesson page already links to the next lesson" });
    }
  });
}

export function readModule(dir: string, problems: Problem[], strayLessons: SourceLesson[] = []): SourceModule | null {
  const slug = path.basename(dir);
  const before = problems.length;
  if (!SLUG_PATTERN.test(slug)) {
    problems.push({ file: display(dir), line: 1, message: `folder name "${slug}" must be lower-case words joined by hyphens` });
  }
  const overviewFile = path.join(dir, "index.mdx");
  if (!fs.existsSync(overviewFile)) {
    problems.push({ file: display(dir), line: 1, message: "missing index.mdx (module overview with frontmatter)" });
    return null;
  }
  const overview = readMdx(overviewFile, ModuleFrontmatterSchema, problems);

  const lessons: SourceLesson[] = [];
  const seenNumbers = new Map<string, string>();
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith(".mdx") || name === "index.mdx") continue;
    const file = path.join(dir, name);
    const match = LESSON_FILE_PATTERN.exec(name);
    if (!match) {
      problems.push({ file: display(file), line: 1, message: `lesson file name must look like 01-what-stalking-is.mdx` });
      continue;
    }
    const [, number = "", key = ""] = match;
    const other = seenNumbers.get(number);
    if (other) problems.push({ file: display(file), line: 1, message: `lesson number ${number} is also used by ${other}` });
    seenNumbers.set(number, name);
    const lesson = readMdx(file, LessonFrontmatterSchema, problems);
    if (lesson) {
      checkNoNextLink(file, lesson.body, problems);
      lessons.push({ key, file, frontmatter: lesson.frontmatter, body: lesson.body });
    }
  }
  if (lessons.length === 0 && seenNumbers.size === 0) {
    problems.push({ file: display(dir), line: 1, message: "a module needs at least one lesson file (01-<name>.mdx)" });
  }
  const references = lessons.filter((l) => l.frontmatter.references);
  if (lessons.length > 0 && references.length !== 1) {
    problems.push({
      file: display(references[1]?.file ?? overviewFile),
      line: 1,
      message:
        references.length === 0
          ? "the module has no references lesson: mark the lesson that lists its sources with `references: true`"
          : "only one lesson may be marked `references: true`",
    });
  }

  let quiz: Quiz | null = null;
  const quizFile = path.join(dir, "quiz.yaml");
  const hasQuiz = fs.existsSync(quizFile);
  if (hasQuiz) {
    const checked = readQuizText(fs.readFileSync(quizFile, "utf8"));
    quiz = checked.quiz;
    for (const p of checked.problems) problems.push({ file: display(quizFile), line: p.line, message: p.message });
  }

  if (problems.length > before || !overview) {
    strayLessons.push(...lessons);
    return null;
  }
  return {
    slug,
    dir,
    frontmatter: overview.frontmatter,
    overviewFile,
    overviewBody: overview.body,
    lessons,
    quiz,
    quizFile: hasQuiz ? quizFile : null,
    sourceHash: hashDirectory(dir),
  };
}

/** Reads every module under `contentDir` (content/modules). */
export function readContent(contentDir: string): ReadResult {
  const problems: Problem[] = [];
  const modules: SourceModule[] = [];
  const strayLessons: SourceLesson[] = [];
  if (!fs.existsSync(contentDir)) {
    problems.push({ file: display(contentDir), line: 1, message: "content folder not found" });
    return { modules, problems, strayLessons };
  }
  for (const entry of fs.readdirSync(contentDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const read = readModule(path.join(contentDir, entry.name), problems, strayLessons);
    if (read) modules.push(read);
  }
  return { modules, problems, strayLessons };
}
