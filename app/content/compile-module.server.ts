import path from "node:path";
import type { StoredLesson } from "#db/schema/index.ts";
import { compileMdx, describeCompileError, type MdxFinding } from "./compile-mdx.server.ts";
import { checkLessonSource } from "./mdx-safety.server.ts";
import type { Problem, SourceLesson, SourceModule } from "./read.server.ts";
import { renderMdxToHtml } from "./render-mdx.server.tsx";

export type CompiledModule = {
  overviewCode: string;
  lessons: StoredLesson[];
};

/** Every `/modules/<slug>` and `/modules/<slug>/<lesson>` an internal link may point at. */
export function knownPaths(modules: SourceModule[], strayLessons: SourceLesson[] = []): Set<string> {
  const paths = new Set<string>(["/", "/modules", "/learning", "/certificates", "/verify", "/tools/is-it-stalking"]);
  for (const mod of modules) {
    paths.add(`/modules/${mod.slug}`);
    paths.add(`/modules/${mod.slug}/quiz`);
    for (const lesson of mod.lessons) paths.add(`/modules/${mod.slug}/${lesson.key}`);
  }
  // Lessons of a module with a problem elsewhere still exist: links to them are not the problem.
  for (const lesson of strayLessons) {
    const slug = path.basename(path.dirname(lesson.file));
    paths.add(`/modules/${slug}`);
    paths.add(`/modules/${slug}/${lesson.key}`);
  }
  return paths;
}

const display = (file: string) => path.relative(process.cwd(), file) || file;

function findingsToProblems(findings: MdxFinding[], file: string, known: Set<string>): Problem[] {
  const problems: Problem[] = [];
  for (const finding of findings) {
    if (finding.kind === "problem") {
      problems.push({ file: display(file), line: finding.line, message: finding.message });
    } else if (finding.url.startsWith("/")) {
      const target = finding.url.split(/[?#]/)[0]?.replace(/\/+$/, "") || "/";
      if (!known.has(target)) {
        problems.push({ file: display(file), line: finding.line, message: `broken internal link "${finding.url}": no such page` });
      }
    } else if (!/^(https?:|mailto:|tel:|#)/.test(finding.url)) {
      problems.push({
        file: display(file),
        line: finding.line,
        message: `link "${finding.url}" must be a full https:// address or a site path starting with /`,
      });
    }
  }
  return problems;
}

export async function compileOne(body: string, file: string, known: Set<string>, problems: Problem[]): Promise<string | null> {
  // Code in a lesson is refused before anything is compiled (docs/decisions/030).
  const unsafe = checkLessonSource(body);
  if (unsafe.length > 0) {
    problems.push(...unsafe.map((p) => ({ file: display(file), line: p.line, column: p.column, message: p.message })));
    return null;
  }
  try {
    const { code, findings } = await compileMdx(body, file);
    const found = findingsToProblems(findings, file, known);
    if (found.length > 0) {
      problems.push(...found);
      return null;
    }
    // Render once now: a component used wrongly fails here, not for a learner.
    try {
      renderMdxToHtml(code);
    } catch (error) {
      problems.push({ file: display(file), line: 1, message: `renders with an error: ${error instanceof Error ? error.message : String(error)}` });
      return null;
    }
    return code;
  } catch (error) {
    const { line, message } = describeCompileError(error);
    problems.push({ file: display(file), line, message });
    return null;
  }
}

/**
 * Compiles a module's overview and lessons, checks links, images, components
 * and the quiz bank. Returns null when there is any problem: a broken module
 * is never published.
 */
export async function compileModule(
  mod: SourceModule,
  known: Set<string>,
  problems: Problem[],
): Promise<CompiledModule | null> {
  const before = problems.length;
  const overviewCode = await compileOne(mod.overviewBody, mod.overviewFile, known, problems);
  const lessons: StoredLesson[] = [];
  for (const lesson of mod.lessons) {
    const code = await compileOne(lesson.body, lesson.file, known, problems);
    if (code !== null) {
      lessons.push({ key: lesson.key, title: lesson.frontmatter.title, minutes: lesson.frontmatter.minutes, code });
    }
  }
  if (problems.length > before || overviewCode === null) return null;
  return { overviewCode, lessons };
}
