import fs from "node:fs";
import path from "node:path";
import { checkAccuracy } from "./accuracy.server.ts";
import { compileModule, compileOne, knownPaths } from "./compile-module.server.ts";
import { formatProblem, readContent, type Problem } from "./read.server.ts";

export type CheckReport = { modules: number; lessons: number; questions: number; problems: string[] };

const relative = (file: string) => path.relative(process.cwd(), file) || file;

/**
 * Everything the importer would refuse, found without a database: frontmatter
 * and quiz schemas, MDX that does not compile or render, unknown components,
 * images without alt text, broken internal links, a missing references lesson;
 * and statements the fact brief corrects (accuracy.server.ts).
 */
export async function checkContent(contentDir: string): Promise<CheckReport> {
  const { modules, problems, strayLessons } = readContent(contentDir);
  const known = knownPaths(modules, strayLessons);
  let lessons = 0;
  let questions = 0;
  for (const mod of modules) {
    await compileModule(mod, known, problems);
    lessons += mod.lessons.length;
    questions += mod.quiz?.questions.length ?? 0;
    const texts = [
      { file: mod.overviewFile, text: mod.overviewBody, kind: "mdx" as const },
      ...mod.lessons.map((lesson) => ({ file: lesson.file, text: lesson.body, kind: "mdx" as const })),
      ...(mod.quizFile ? [{ file: mod.quizFile, text: fs.readFileSync(mod.quizFile, "utf8"), kind: "yaml" as const }] : []),
    ];
    for (const { file, text, kind } of texts) {
      for (const problem of checkAccuracy(text, kind)) problems.push({ file: relative(file), ...problem } satisfies Problem);
    }
  }
  for (const lesson of strayLessons) await compileOne(lesson.body, lesson.file, known, problems);
  return { modules: modules.length, lessons, questions, problems: problems.map(formatProblem) };
}
