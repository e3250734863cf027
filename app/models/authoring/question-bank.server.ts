import { z } from "zod";
import type { SourceFiles } from "#db/schema/index.ts";
import { checkAccuracy } from "#app/content/accuracy.server.ts";
import { readQuizText } from "#app/content/read.server.ts";
import {
  emptyQuestionForm,
  fieldForProblem,
  formValuesFromPost,
  formValuesOf,
  questionFromForm,
  questionKeyAtLine,
  readBank,
  withQuestionAdded,
  withQuestionMoved,
  withQuestionReplaced,
  withQuestionRetired,
  type BankQuestion,
  type FormLike,
  type QuestionFormValues,
} from "#app/utils/question-bank.ts";
import { changeDraft, getStudioModule, StudioError, type StudioActor } from "./drafts.server.ts";
import { conflictMessage } from "./module-page.server.ts";

/**
 * The studio's question editor (issue 17 item 5, ADR 038): the bank of a
 * draft's quiz.yaml as a list and a form per question. Every change is a
 * draft save (changeDraft: revision check, audit `studio.draft_saved`) of a
 * new quiz.yaml that the same checker as `npm run content:check` accepts;
 * any problem refuses the change and nothing is written.
 */

const QUIZ = "quiz.yaml";
export const MAX_BANK_BYTES = 500_000;

/** A problem in a bank's text at line:column. */
export type BankProblem = { line: number; column: number; message: string; path: (string | number)[] };

/** Everything content:check says of a quiz bank's text: YAML, schema, decision aid, accuracy rules. */
export function checkBankText(text: string): BankProblem[] {
  const problems: BankProblem[] = [...readQuizText(text).problems];
  for (const p of checkAccuracy(text, "yaml")) problems.push({ line: p.line, column: 1, message: p.message, path: [] });
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Thrown inside a draft save to refuse it: the transaction rolls back, so nothing is written. */
class BankRefused extends Error {
  constructor(readonly problems: BankProblem[]) {
    super("the question bank has problems");
  }
}

const excerpt = (s: unknown) => {
  const text = typeof s === "string" ? s.replace(/\s+/g, " ").trim() : "";
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
};

const TYPE_LABELS: Record<string, string> = { classify: "Classify", single: "Single choice", multiple: "Multiple choice" };

async function openDraftOf(slug: string) {
  const mod = await getStudioModule(slug);
  if (!mod?.draft) return null;
  return { mod, draft: mod.draft };
}

/** The bank page: every question in order with its type, an excerpt, its tags and whether it is retired. */
export async function questionBankPage(slug: string, query: URLSearchParams) {
  const found = await openDraftOf(slug);
  if (!found) return null;
  const { mod, draft } = found;
  const text = draft.files[QUIZ] ?? null;
  const bank = text === null ? null : readBank(text);
  const questions = (bank?.questions ?? []).map((q, index) => ({
    index,
    id: typeof q.id === "string" ? q.id : `(question ${index + 1} has no id)`,
    type: TYPE_LABELS[String(q.type)] ?? String(q.type ?? "no type"),
    excerpt: excerpt(q.type === "classify" ? q.scenario : q.prompt),
    tags: Array.isArray(q.tags) ? q.tags.map(String) : [],
    retired: q.retired === true,
  }));
  const drawn = typeof bank?.questionsPerAttempt === "number" ? bank.questionsPerAttempt : null;
  return {
    slug,
    moduleTitle: mod.title,
    draftId: draft.id,
    revision: draft.revision,
    editing: draft.status === "editing",
    hasBank: text !== null,
    readable: text === null || bank !== null,
    questions,
    drawn,
    problems: text === null ? [] : checkBankText(text).map(({ line, column, message }) => ({ file: QUIZ, line, column, message })),
    notice: noticeFor(query, questions.length),
  };
}

const NOTICES: Record<string, (id: string) => string> = {
  saved: (id) => `Saved question "${id}".`,
  "moved-up": (id) => `Question "${id}" moved up.`,
  "moved-down": (id) => `Question "${id}" moved down.`,
  retired: (id) => `Question "${id}" retired.`,
  restored: (id) => `Question "${id}" restored.`,
};

/** What the last change did, from the redirect's `done` and `id` (composed here, so the address cannot put other words on the page). */
function noticeFor(query: URLSearchParams, count: number): string | null {
  const done = query.get("done") ?? "";
  if (done === "imported") return `Imported the question bank: ${count} question${count === 1 ? "" : "s"}.`;
  const id = query.get("id") ?? "";
  const make = NOTICES[done];
  return make && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id) && id.length <= 80 ? make(id) : null;
}

/** The form page for one question (`id`), or for a new one (`id` null). */
export async function questionFormPage(slug: string, id: string | null, query: URLSearchParams) {
  const found = await openDraftOf(slug);
  if (!found) return null;
  const { mod, draft } = found;
  const text = draft.files[QUIZ] ?? null;
  const bank = text === null ? null : readBank(text);
  let values: QuestionFormValues;
  let retired = false;
  if (id === null) {
    if (text !== null && bank === null) return null;
    const type = query.get("type");
    values = emptyQuestionForm(type === "single" || type === "multiple" ? type : "classify");
  } else {
    const question = bank?.questions.find((q) => q.id === id);
    if (!question) return null;
    values = formValuesOf(question);
    retired = question.retired === true;
  }
  return { slug, moduleTitle: mod.title, draftId: draft.id, revision: draft.revision, editing: draft.status === "editing", id, retired, values };
}

const RevisionSchema = z.object({
  draftId: z.string().min(1).max(64),
  revision: z.coerce.number({ error: "The form is missing its revision: reload the page" }).int().min(1).max(2_000_000_000),
});

export type QuestionSaveOutcome =
  | { kind: "redirect"; to: string }
  | { kind: "errors"; status: 400 | 403 | 404 | 409; errors: Record<string, string>; values: QuestionFormValues };

/** The bank's text for a change, or why it cannot be changed with the form. */
function bankText(files: SourceFiles): string {
  const text = files[QUIZ];
  if (text === undefined) throw new StudioError("This draft has no question bank yet: add a question first.", 404);
  if (readBank(text) === null) throw new StudioError("quiz.yaml cannot be read as a question bank: fix it in the file editor first.", 409);
  return text;
}

function indexOf(text: string, id: string): number {
  const index = readBank(text)?.questions.findIndex((q) => q.id === id) ?? -1;
  if (index === -1) throw new StudioError(`There is no question "${id}" in this draft: someone may have changed or removed it. Reload the bank.`, 409);
  return index;
}

/**
 * Saves the question form: adds a question (`originalId` null) or replaces
 * the question `originalId` in place. Refused whole, with each problem next
 * to its field, when the bank would not pass the checker; refused with who
 * changed what when the draft moved on. The author's input comes back either way.
 */
export async function saveQuestion(actor: StudioActor, slug: string, originalId: string | null, form: FormLike): Promise<QuestionSaveOutcome> {
  const values = formValuesFromPost(form);
  const revision = RevisionSchema.safeParse({ draftId: form.get("draftId"), revision: form.get("revision") });
  if (!revision.success) return { kind: "errors", status: 400, errors: { form: revision.error.issues[0]?.message ?? "Reload the page" }, values };
  const built = questionFromForm(values);
  if (!built.question) return { kind: "errors", status: 400, errors: built.errors, values };
  const question: BankQuestion = built.question;
  let index = -1;
  let written = "";
  try {
    const change = originalId === null ? `added question "${values.id}" to the question bank` : `edited question "${originalId}" in the question bank`;
    const saved = await changeDraft(actor, { slug, draftId: revision.data.draftId, revision: revision.data.revision, change }, (files) => {
      const before = files[QUIZ] ?? null;
      if (originalId === null) {
        if (before !== null) bankText(files);
        written = withQuestionAdded(before, question);
        index = (readBank(written)?.questions.length ?? 1) - 1;
      } else {
        const text = bankText(files);
        index = indexOf(text, originalId);
        const current = readBank(text)?.questions[index];
        // The form does not show `retired`: an edit keeps the question's state.
        written = withQuestionReplaced(text, index, current?.retired === true ? { ...question, retired: true } : question);
      }
      const problems = checkBankText(written);
      if (problems.length > 0) throw new BankRefused(problems);
      return { ...files, [QUIZ]: written };
    });
    if (!saved.ok) return { kind: "errors", status: 409, errors: { form: conflictMessage(saved.conflict) }, values };
    return { kind: "redirect", to: `/studio/${slug}/questions?done=saved&id=${encodeURIComponent(values.id)}` };
  } catch (error) {
    if (error instanceof BankRefused) return { kind: "errors", status: 400, errors: problemsByField(error.problems, written, index, values.type, built.optionRows), values };
    if (error instanceof StudioError) return { kind: "errors", status: error.status, errors: { form: error.message }, values };
    throw error;
  }
}

/** Each problem next to the field it concerns; problems elsewhere in the bank go to the top of the form with their line. */
function problemsByField(problems: BankProblem[], text: string, index: number, type: string, optionRows: number[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const add = (field: string, message: string) => {
    errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
  };
  for (const p of problems) {
    const key = p.path.length > 0 ? null : questionKeyAtLine(text, index, p.line);
    const path = p.path.length > 0 ? p.path : key ? ["questions", index, key] : [];
    const field = path[0] === "questions" && path[1] === index ? fieldForProblem(path, type, optionRows) : "form";
    add(field, field === "form" ? `quiz.yaml line ${p.line}, column ${p.column}: ${p.message}` : p.message.replace(/^question "[^"]*": /, ""));
  }
  return errors;
}

const BankIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["move-up", "move-down", "retire", "restore"]), id: z.string().min(1).max(200) }).extend(RevisionSchema.shape),
  z.object({ intent: z.literal("import") }).extend(RevisionSchema.shape),
]);

export type BankIntentOutcome =
  | { kind: "redirect"; to: string }
  | { kind: "errors"; status: 400 | 403 | 404 | 409; errors: Record<string, string>; problems: BankProblem[] };

/** The bank page's buttons (move up, move down, retire, restore) and the YAML import, told apart by `intent`. */
export async function runBankIntent(actor: StudioActor, slug: string, form: FormLike): Promise<BankIntentOutcome> {
  const parsed = BankIntentSchema.safeParse({ intent: form.get("intent"), id: form.get("id") ?? undefined, draftId: form.get("draftId"), revision: form.get("revision") });
  if (!parsed.success) return { kind: "errors", status: 400, errors: { form: "Use the buttons on the page: this form was not understood." }, problems: [] };
  const input = parsed.data;
  const back = (query: string) => ({ kind: "redirect" as const, to: `/studio/${slug}/questions?${query}` });
  try {
    if (input.intent === "import") {
      const file = form.get("file");
      if (!(file instanceof Blob) || file.size === 0) return { kind: "errors", status: 400, errors: { file: "Choose a quiz.yaml file to import" }, problems: [] };
      if (file.size > MAX_BANK_BYTES) return { kind: "errors", status: 400, errors: { file: `The file is larger than ${MAX_BANK_BYTES / 1000} kB: a question bank is much smaller` }, problems: [] };
      const bytes = new Uint8Array(await file.arrayBuffer());
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/\r\n/g, "\n");
      } catch {
        return { kind: "errors", status: 400, errors: { file: "The file is not UTF-8 text: save it as UTF-8 YAML" }, problems: [] };
      }
      if (text.includes("\0")) return { kind: "errors", status: 400, errors: { file: "The file contains a NUL character: it is not a YAML text file" }, problems: [] };
      const problems = checkBankText(text);
      if (problems.length > 0) {
        const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
        return { kind: "errors", status: 400, errors: { file: `The file has ${count} (listed below): nothing was imported` }, problems };
      }
      const saved = await changeDraft(actor, { slug, draftId: input.draftId, revision: input.revision, change: "imported the question bank from a file" }, (files) => ({ ...files, [QUIZ]: text }));
      if (!saved.ok) return { kind: "errors", status: 409, errors: { file: conflictMessage(saved.conflict).replace("Your text is kept below", "Your file was not imported") }, problems: [] };
      return back("done=imported");
    }
    const { id } = input;
    const verb = { "move-up": "moved up", "move-down": "moved down", retire: "retired", restore: "restored" }[input.intent];
    let problems: BankProblem[] = [];
    const saved = await changeDraft(actor, { slug, draftId: input.draftId, revision: input.revision, change: `${verb} question "${id}" in the question bank` }, (files) => {
      const text = bankText(files);
      const index = indexOf(text, id);
      const count = readBank(text)?.questions.length ?? 0;
      if ((input.intent === "move-up" && index === 0) || (input.intent === "move-down" && index === count - 1)) {
        throw new StudioError(`Question "${id}" is already ${input.intent === "move-up" ? "first" : "last"}.`);
      }
      const written =
        input.intent === "move-up" || input.intent === "move-down"
          ? withQuestionMoved(text, index, input.intent === "move-up" ? -1 : 1)
          : withQuestionRetired(text, index, input.intent === "retire");
      problems = checkBankText(written);
      if (problems.length > 0) throw new BankRefused(problems);
      return { ...files, [QUIZ]: written };
    }).catch((error: unknown) => {
      if (error instanceof BankRefused) return null;
      throw error;
    });
    if (saved === null) {
      return { kind: "errors", status: 400, errors: { form: `Question "${id}" was not ${verb}: the bank would not pass the checker (${problems.map((p) => p.message).join("; ")})` }, problems };
    }
    if (!saved.ok) return { kind: "errors", status: 409, errors: { form: conflictMessage(saved.conflict).replace(" Your text is kept below: reload the draft, then apply it again.", " Reload the bank, then try again.") }, problems: [] };
    return back(`done=${input.intent === "move-up" ? "moved-up" : input.intent === "move-down" ? "moved-down" : `${input.intent}d`}&id=${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof StudioError) return { kind: "errors", status: error.status, errors: { form: error.message }, problems: [] };
    throw error;
  }
}

/** The draft's quiz.yaml as it is stored, for download; null when the draft has none. */
export async function exportBank(slug: string): Promise<string | null> {
  const found = await openDraftOf(slug);
  return found?.draft.files[QUIZ] ?? null;
}
