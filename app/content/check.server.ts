import { compileModule, compileOne, knownPaths } from "./compile-module.server.ts";
import { formatProblem, readContent } from "./read.server.ts";

export type CheckReport = { modules: number; lessons: number; questions: number; problems: string[] };

/**
 * Everything the importer would refuse, found without a database: frontmatter
 * and quiz schemas, MDX that does not compile or render, unknown components,
 * images without alt text, broken internal links, a missing references lesson.
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
  }
  for (const lesson of strayLessons) await compileOne(lesson.body, lesson.file, known, problems);
  return { modules: modules.length, lessons, questions, problems: problems.map(formatProblem) };
}
