import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, isNotNull, ne } from "drizzle-orm";
import { modules, moduleVersions, type SourceFiles } from "#db/schema/index.ts";
import { checkAccuracy } from "#app/content/accuracy.server.ts";
import { compileModule, compileOne, type CompiledModule } from "#app/content/compile-module.server.ts";
import { readModule, splitFrontmatter, type Problem, type SourceModule } from "#app/content/read.server.ts";
import { renderMdxToHtml } from "#app/content/render-mdx.server.tsx";
import { FILE_NAME_PATTERN, readSourceFiles } from "#app/content/source-files.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";

/**
 * A module's source lives in the studio as files (path → text), exactly the
 * files of content/modules/<slug>/. The studio checks and publishes a draft
 * by writing those files to a temporary folder and running the same reader,
 * compiler and accuracy rules as `npm run content:check` and the import, so
 * there is one checker, and a version's source hash is the same whether it
 * came from the folder, the studio or a zip (ADR 028).
 */

export { FILE_NAME_PATTERN, readSourceFiles };

/** A problem found in a draft: which file, where, what. */
export type DraftProblem = { file: string; line: number; column: number; message: string };

/** Writes files into a fresh temporary `<tmp>/<slug>/`, runs `work`, then removes the folder. */
export async function withModuleFolder<T>(slug: string, files: SourceFiles, work: (dir: string) => Promise<T>): Promise<T> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-studio-"));
  try {
    const dir = path.join(root, slug);
    fs.mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) {
      if (!FILE_NAME_PATTERN.test(name)) throw new Error(`unsafe file name ${JSON.stringify(name)}`);
      fs.writeFileSync(path.join(dir, name), text);
    }
    return await work(dir);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Site paths an internal link may point at: every other published module's pages, and this module's. */
async function knownPathsAround(slug: string, files: SourceFiles): Promise<Set<string>> {
  const paths = new Set<string>(["/", "/modules", "/learning", "/certificates", "/verify", "/tools/is-it-stalking"]);
  const rows = await getDb()
    .select({ slug: modules.slug, lessons: moduleVersions.lessons })
    .from(modules)
    .innerJoin(moduleVersions, eq(moduleVersions.id, modules.currentVersionId))
    .where(and(isNotNull(modules.currentVersionId), ne(modules.slug, slug)));
  for (const row of rows) {
    paths.add(`/modules/${row.slug}`);
    paths.add(`/modules/${row.slug}/quiz`);
    for (const lesson of row.lessons) paths.add(`/modules/${row.slug}/${lesson.key}`);
  }
  paths.add(`/modules/${slug}`);
  paths.add(`/modules/${slug}/quiz`);
  for (const name of Object.keys(files)) {
    const match = /^\d{2}-(.+)\.mdx$/.exec(name);
    if (match?.[1]) paths.add(`/modules/${slug}/${match[1]}`);
  }
  return paths;
}

function toDraftProblem(problem: Problem, files: SourceFiles): DraftProblem {
  const name = path.basename(problem.file);
  return { file: name in files ? name : "module", line: problem.line, column: problem.column ?? 1, message: problem.message };
}

export type CheckedDraft = {
  problems: DraftProblem[];
  /** Present only when there is no problem: what a publish would store. */
  result: { source: SourceModule; compiled: CompiledModule } | null;
};

/**
 * Checks a module's files with the content pipeline: frontmatter and quiz
 * schemas, the decision aid against every classify question, MDX compile and
 * render, components, links, and the accuracy rules.
 */
export async function checkSourceFiles(slug: string, files: SourceFiles): Promise<CheckedDraft> {
  const known = await knownPathsAround(slug, files);
  return withModuleFolder(slug, files, async (dir) => {
    const problems: Problem[] = [];
    const source = readModule(dir, problems);
    const compiled = source ? await compileModule(source, known, problems) : null;
    for (const [name, text] of Object.entries(files)) {
      const kind = name.endsWith(".yaml") ? "yaml" : "mdx";
      // Accuracy rules read MDX bodies without their frontmatter, as content:check does.
      const body = kind === "mdx" ? text.replace(/^---\r?\n[\s\S]*?\r?\n---/, (fm) => "\n".repeat(fm.split("\n").length - 1)) : text;
      for (const p of checkAccuracy(body, kind)) problems.push({ file: name, ...p });
    }
    const list = problems.map((p) => toDraftProblem(p, files));
    list.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    const unique = list.filter((p, i) => i === 0 || JSON.stringify(p) !== JSON.stringify(list[i - 1]));
    return { problems: unique, result: source && compiled && unique.length === 0 ? { source, compiled } : null };
  });
}

/**
 * Renders one lesson (or the overview) of a draft exactly as the lesson page
 * will: compiled by the same pipeline, rendered to HTML by the same
 * components. Problems in other files do not stop a preview.
 */
export async function previewFile(
  slug: string,
  files: SourceFiles,
  name: string,
): Promise<{ title: string | null; html: string | null; problems: DraftProblem[] }> {
  const known = await knownPathsAround(slug, files);
  const text = files[name] ?? "";
  const { yaml, body } = splitFrontmatter(text);
  const title = yaml ? (/^title:\s*"?(.+?)"?\s*$/m.exec(yaml)?.[1] ?? null) : null;
  return withModuleFolder(slug, files, async (dir) => {
    const problems: Problem[] = [];
    const code = await compileOne(body, path.join(dir, name), known, problems);
    const html = code === null ? null : renderMdxToHtml(code);
    return { title, html, problems: problems.map((p) => ({ ...toDraftProblem(p, files), file: name })) };
  });
}
