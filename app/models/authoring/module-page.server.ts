import type { z } from "zod";
import { checkSourceFiles, type DraftProblem } from "./source-files.server.ts";
import {
  changeDraft,
  describeFile,
  discardDraft,
  getStudioModule,
  openDraft,
  setRetired,
  StudioError,
  withNewLesson,
  type SaveConflict,
  type StudioActor,
} from "./drafts.server.ts";
import { submitForReview } from "./review.server.ts";
import { AddLessonSchema, fieldErrors, SimpleDraftIntentSchema, SubmitSchema } from "#app/utils/studio-validation.ts";

/** What the studio's module page shows: the module, its open draft (without file contents) and the checker's problems. */
export async function studioModulePage(slug: string, actorId: string) {
  const mod = await getStudioModule(slug);
  if (!mod) return null;
  const { draft: fullDraft, ...module } = mod;
  let problems: DraftProblem[] = [];
  let files: { name: string; label: string; problems: number }[] = [];
  let draft = null;
  if (fullDraft) {
    const { files: sources, ...rest } = fullDraft;
    draft = rest;
    problems = (await checkSourceFiles(slug, sources)).problems;
    files = Object.keys(sources)
      .sort((a, b) => (a === "index.mdx" ? -1 : b === "index.mdx" ? 1 : a.localeCompare(b)))
      .map((name) => ({ name, label: describeFile(name), problems: problems.filter((p) => p.file === name).length }));
  }
  return { module, draft, problems, files, isSubmitter: draft?.submittedById === actorId, notice: null as string | null };
}

export type IntentOutcome =
  | { kind: "redirect"; to: string }
  | { kind: "errors"; status: 400 | 403 | 404 | 409; errors: Record<string, string>; conflict?: SaveConflict };

function invalid(error: z.ZodError): IntentOutcome {
  return { kind: "errors", status: 400, errors: fieldErrors(error) };
}

export function conflictMessage(conflict: SaveConflict): string {
  const when = conflict.at.toISOString().slice(11, 16);
  return `${conflict.by} saved this draft at ${when} UTC (${conflict.change ?? "a change"}) after you opened it, so your change was not saved. Your text is kept below: reload the draft, then apply it again.`;
}

/** The module page's forms, told apart by `intent`. */
export async function runModuleIntent(actor: StudioActor, slug: string, form: FormData): Promise<IntentOutcome> {
  const intent = form.get("intent");
  const fields = Object.fromEntries(form);
  const back = `/studio/${slug}`;
  try {
    if (intent === "add-lesson") {
      const parsed = AddLessonSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      const { title, key } = parsed.data;
      const saved = await changeDraft(actor, { slug, draftId: parsed.data.draftId, revision: parsed.data.revision, change: `added lesson "${title}"` }, (files) => withNewLesson(files, key, title));
      if (!saved.ok) return { kind: "errors", status: 409, errors: { title: conflictMessage(saved.conflict) }, conflict: saved.conflict };
      return { kind: "redirect", to: back };
    }
    if (intent === "submit") {
      const parsed = SubmitSchema.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      await submitForReview(actor, { slug, draftId: parsed.data.draftId, revision: parsed.data.revision, changeNote: parsed.data.changeNote, materialChange: parsed.data.kind === "material" });
      return { kind: "redirect", to: `${back}/review` };
    }
    const parsed = SimpleDraftIntentSchema.safeParse(fields);
    if (!parsed.success) return { kind: "errors", status: 400, errors: { form: "Unknown action: use the buttons on the page." } };
    if (parsed.data.intent === "open-draft") await openDraft(actor, slug);
    else if (parsed.data.intent === "discard") await discardDraft(actor, slug, parsed.data.draftId ?? "");
    else await setRetired(actor, slug, parsed.data.intent === "retire");
    return { kind: "redirect", to: back };
  } catch (error) {
    if (error instanceof StudioError) return { kind: "errors", status: error.status, errors: { form: error.message } };
    throw error;
  }
}
