import { z } from "zod";
import { DeleteFileSchema, fieldErrors, SaveFileSchema } from "#app/utils/studio-validation.ts";
import { changeDraft, describeFile, getStudioModule, StudioError, type StudioActor } from "./drafts.server.ts";
import { conflictMessage } from "./module-page.server.ts";
import { checkSourceFiles, FILE_NAME_PATTERN, previewFile, type DraftProblem } from "./source-files.server.ts";

const AtSchema = z.object({ line: z.coerce.number().int().min(1).max(100_000), column: z.coerce.number().int().min(1).max(10_000).default(1) });

/** The editor page of one draft file: its text, its problems, and the line a problem link points at. */
export async function fileEditorPage(slug: string, file: string, query: URLSearchParams) {
  if (!FILE_NAME_PATTERN.test(file)) return null;
  const mod = await getStudioModule(slug);
  const draft = mod?.draft;
  if (!mod || !draft) return null;
  const text = draft.files[file];
  if (text === undefined) return null;
  const problems = (await checkSourceFiles(slug, draft.files)).problems.filter((p) => p.file === file);
  const at = AtSchema.safeParse({ line: query.get("line") ?? undefined, column: query.get("column") ?? undefined });
  const lines = text.split("\n");
  return {
    slug,
    moduleTitle: mod.title,
    file,
    label: describeFile(file),
    text,
    draftId: draft.id,
    revision: draft.revision,
    status: draft.status,
    problems,
    canPreview: file.endsWith(".mdx"),
    canDelete: file !== "index.mdx",
    saved: query.get("saved") === "1",
    at:
      at.success && at.data.line <= lines.length
        ? {
            line: at.data.line,
            column: at.data.column,
            text: lines[at.data.line - 1] ?? "",
            messages: problems.filter((p) => p.line === at.data.line).map((p) => p.message),
          }
        : null,
  };
}

export type FileIntentOutcome =
  | { kind: "redirect"; to: string }
  | { kind: "errors"; status: 400 | 403 | 404 | 409; errors: Record<string, string>; text: string | null }
  | { kind: "preview"; status: 200; errors: Record<string, string>; text: string; preview: { title: string | null; html: string | null; problems: DraftProblem[] } };

/** Save, preview or delete one file of a draft. A refused save hands the author's text back to the page. */
export async function runFileIntent(actor: StudioActor, slug: string, file: string, form: FormData): Promise<FileIntentOutcome> {
  const fields = Object.fromEntries(form);
  const typed = typeof fields.text === "string" ? fields.text : null;
  try {
    if (!FILE_NAME_PATTERN.test(file)) throw new StudioError("There is no such file.", 404);
    if (fields.intent === "delete") {
      const parsed = DeleteFileSchema.safeParse(fields);
      if (!parsed.success) return { kind: "errors", status: 400, errors: fieldErrors(parsed.error), text: null };
      if (file === "index.mdx") throw new StudioError("The overview cannot be deleted: every module has one.");
      const saved = await changeDraft(actor, { slug, draftId: parsed.data.draftId, revision: parsed.data.revision, change: `deleted ${describeFile(file)}` }, (files) => {
        const { [file]: _gone, ...rest } = files;
        return rest;
      });
      if (!saved.ok) return { kind: "errors", status: 409, errors: { text: conflictMessage(saved.conflict) }, text: null };
      return { kind: "redirect", to: `/studio/${slug}` };
    }
    const parsed = SaveFileSchema.safeParse(fields);
    if (!parsed.success) return { kind: "errors", status: 400, errors: fieldErrors(parsed.error), text: typed };
    const { text } = parsed.data;
    if (parsed.data.intent === "preview") {
      const mod = await getStudioModule(slug);
      if (!mod?.draft || mod.draft.files[file] === undefined) throw new StudioError("This module has no open draft with that file.", 404);
      const preview = await previewFile(slug, { ...mod.draft.files, [file]: text }, file);
      return { kind: "preview", status: 200, errors: {}, text, preview };
    }
    const saved = await changeDraft(actor, { slug, draftId: parsed.data.draftId, revision: parsed.data.revision, change: `edited ${describeFile(file)}` }, (files) => {
      if (files[file] === undefined) throw new StudioError("This file is no longer in the draft: someone deleted it.", 409);
      return { ...files, [file]: text };
    });
    if (!saved.ok) return { kind: "errors", status: 409, errors: { text: conflictMessage(saved.conflict) }, text };
    return { kind: "redirect", to: `/studio/${slug}/files/${file}?saved=1` };
  } catch (error) {
    if (error instanceof StudioError) return { kind: "errors", status: error.status, errors: { text: error.message }, text: typed };
    throw error;
  }
}
