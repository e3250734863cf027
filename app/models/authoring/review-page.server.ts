import { compareSides, lessonCodeByFile, versionSide, type Comparison } from "./compare.server.ts";
import { getStudioModule } from "./drafts.server.ts";
import { checkSourceFiles } from "./source-files.server.ts";

/**
 * The review page: the draft against the published version it would replace,
 * every file as source, lessons as the text a learner reads, every question
 * by id; and the conversation so far.
 */
export async function reviewPage(slug: string, actorId: string) {
  const mod = await getStudioModule(slug);
  if (!mod?.draft) return null;
  const { files, comments, ...draft } = mod.draft;
  const checked = await checkSourceFiles(slug, files);
  const compiled = checked.result?.compiled ?? null;
  const after = { files, lessonCode: compiled ? lessonCodeByFile(files, compiled.lessons, compiled.overviewCode) : new Map<string, string>() };
  const before = mod.currentVersionId ? await versionSide(mod.currentVersionId, slug) : null;
  const comparison: Comparison = compareSides(before, after);
  return {
    module: { slug: mod.slug, title: mod.title, currentVersion: mod.currentVersion },
    draft,
    comments,
    comparison,
    problems: checked.problems.length,
    isSubmitter: draft.submittedById === actorId,
  };
}
