import { parse, stringify } from "yaml";
import { eq } from "drizzle-orm";
import type { SourceFiles, StoredLesson } from "#db/schema/index.ts";
import { moduleVersions } from "#db/schema/index.ts";
import { renderMdxToHtml } from "#app/content/render-mdx.server.tsx";
import { getDb } from "#app/models/platform/db.server.ts";
import { diffLines, hasChanges, htmlToText, type DiffPart } from "#app/utils/line-diff.ts";
import { versionSourceFiles } from "./drafts.server.ts";

/** One side of a comparison: the source files and, where compiled, each lesson's code by file name. */
export type ComparableSide = { files: SourceFiles; lessonCode: Map<string, string> };

export type FileChange = {
  file: string;
  status: "added" | "removed" | "changed";
  /** The source (MDX/YAML) as written. */
  source: DiffPart[];
  /** For lessons and the overview: the text a learner reads, rendered through the same components. */
  rendered: DiffPart[] | null;
};
export type QuestionChange = { id: string; status: "added" | "removed" | "changed"; lines: DiffPart[] };
export type Comparison = { files: FileChange[]; questions: QuestionChange[]; quizSettings: DiffPart[] | null };

function renderedText(side: ComparableSide, file: string): string | null {
  const code = side.lessonCode.get(file);
  if (code === undefined) return null;
  try {
    return htmlToText(renderMdxToHtml(code));
  } catch {
    return null;
  }
}

type QuizShape = { settings: string; questions: Map<string, string> };

function quizShape(text: string | undefined): QuizShape {
  const questions = new Map<string, string>();
  if (!text) return { settings: "", questions };
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    return { settings: text, questions };
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return { settings: text, questions };
  const { questions: list, ...settings } = data as Record<string, unknown>;
  if (Array.isArray(list)) {
    list.forEach((q: unknown, index) => {
      const id = q && typeof q === "object" && "id" in q && typeof q.id === "string" ? q.id : `question ${index + 1}`;
      questions.set(id, stringify(q).trimEnd());
    });
  }
  return { settings: stringify(settings).trimEnd(), questions };
}

/**
 * Everything that differs between two versions of a module: each file's
 * source, each lesson's rendered text, each question of the bank (matched by
 * id) and the quiz settings. `before` null: everything is new.
 */
export function compareSides(before: ComparableSide | null, after: ComparableSide): Comparison {
  const old = before ?? { files: {}, lessonCode: new Map<string, string>() };
  const names = [...new Set([...Object.keys(old.files), ...Object.keys(after.files)])].filter((n) => n !== "quiz.yaml").sort();
  const files: FileChange[] = [];
  for (const file of names) {
    const a = old.files[file];
    const b = after.files[file];
    if (a === b) continue;
    const source = diffLines(a ?? "", b ?? "");
    const ra = a === undefined ? "" : renderedText(old, file);
    const rb = b === undefined ? "" : renderedText(after, file);
    files.push({
      file,
      status: a === undefined ? "added" : b === undefined ? "removed" : "changed",
      source,
      rendered: ra !== null && rb !== null ? diffLines(ra, rb) : null,
    });
  }
  const qa = quizShape(old.files["quiz.yaml"]);
  const qb = quizShape(after.files["quiz.yaml"]);
  const questions: QuestionChange[] = [];
  for (const id of new Set([...qa.questions.keys(), ...qb.questions.keys()])) {
    const a = qa.questions.get(id);
    const b = qb.questions.get(id);
    if (a === b) continue;
    questions.push({ id, status: a === undefined ? "added" : b === undefined ? "removed" : "changed", lines: diffLines(a ?? "", b ?? "") });
  }
  const settings = diffLines(qa.settings, qb.settings);
  return { files, questions, quizSettings: hasChanges(settings) ? settings : null };
}

/** File name of each compiled lesson of a version: the key is the file name without its number. */
export function lessonCodeByFile(files: SourceFiles, lessons: StoredLesson[], overviewCode: string | null): Map<string, string> {
  const map = new Map<string, string>();
  if (overviewCode) map.set("index.mdx", overviewCode);
  for (const name of Object.keys(files)) {
    const key = /^\d{2}-(.+)\.mdx$/.exec(name)?.[1];
    const lesson = lessons.find((l) => l.key === key);
    if (lesson) map.set(name, lesson.code);
  }
  return map;
}

/** A published version as a comparison side (null if its source is not stored). */
export async function versionSide(versionId: string, slug: string): Promise<ComparableSide | null> {
  const files = await versionSourceFiles(getDb(), versionId, slug);
  if (!files) return null;
  const [row] = await getDb()
    .select({ lessons: moduleVersions.lessons, meta: moduleVersions.meta })
    .from(moduleVersions)
    .where(eq(moduleVersions.id, versionId))
    .limit(1);
  if (!row) return null;
  return { files, lessonCode: lessonCodeByFile(files, row.lessons, row.meta.overviewCode) };
}
