import { parse, stringify } from "yaml";
import { z } from "zod";
import { splitFrontmatter } from "#app/content/read.server.ts";
import { ModuleFrontmatterSchema } from "#app/content/schema.ts";
import { changeDraft, getStudioModule, StudioError, type SaveResult, type StudioActor } from "./drafts.server.ts";

/** The module details form: index.mdx's frontmatter as fields, and its body (the overview). */
export type DetailsFields = {
  title: string;
  summary: string;
  audience: string;
  outcomes: string;
  durationMinutes: string;
  order: string;
  certificateValidityMonths: string;
  overview: string;
};

const lines = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");

const number = (s: string) => (s.trim() === "" ? undefined : /^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s);

function readIndex(text: string): { data: Record<string, unknown>; body: string } | null {
  const { yaml } = splitFrontmatter(text);
  if (yaml === null) return null;
  let data: unknown;
  try {
    data = parse(yaml);
  } catch {
    return null;
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return null;
  // The body without the blank lines that stand in for the frontmatter.
  const match = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  return { data: Object.fromEntries(Object.entries(data)), body: match ? text.slice(match[0].length) : text };
}

const asText = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");
const asLines = (v: unknown) => (Array.isArray(v) ? v.map(asText).join("\n") : "");

/** The details page: fields from the draft's index.mdx (null fields: the frontmatter is broken; edit the file). */
export async function detailsPage(slug: string) {
  const mod = await getStudioModule(slug);
  if (!mod?.draft) return null;
  const text = mod.draft.files["index.mdx"] ?? "";
  const index = readIndex(text);
  const fields: DetailsFields | null = index
    ? {
        title: asText(index.data.title),
        summary: asText(index.data.summary),
        audience: asLines(index.data.audience),
        outcomes: asLines(index.data.outcomes),
        durationMinutes: asText(index.data.durationMinutes),
        order: asText(index.data.order),
        certificateValidityMonths: asText(index.data.certificateValidityMonths),
        overview: index.body,
      }
    : null;
  return { slug, moduleTitle: mod.title, draftId: mod.draft.id, revision: mod.draft.revision, status: mod.draft.status, fields };
}

const FormSchema = z.object({
  draftId: z.string().min(1).max(64),
  revision: z.coerce.number().int().min(1),
  title: z.string(),
  summary: z.string(),
  audience: z.string(),
  outcomes: z.string(),
  durationMinutes: z.string(),
  order: z.string(),
  certificateValidityMonths: z.string(),
  overview: z.string().max(100_000, "The overview may hold at most 100,000 characters").refine((s) => !s.includes("\0"), "The overview contains a NUL character"),
});

export type DetailsOutcome =
  | { ok: true }
  | { ok: false; status: 400 | 409; errors: Record<string, string>; fields: Partial<DetailsFields> };

/**
 * Validates the fields with the same zod schema as index.mdx's frontmatter
 * (so the form and content:check can never disagree), then writes index.mdx.
 */
export async function saveDetails(actor: StudioActor, slug: string, form: FormData): Promise<DetailsOutcome> {
  const raw = Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === "string" ? v.replace(/\r\n/g, "\n") : ""]));
  const parsed = FormSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, status: 400, errors: { title: parsed.error.issues[0]?.message ?? "The form is incomplete: reload the page" }, fields: raw };
  const f = parsed.data;
  const candidate = {
    title: f.title,
    summary: f.summary,
    audience: lines(f.audience),
    outcomes: lines(f.outcomes),
    durationMinutes: number(f.durationMinutes),
    order: number(f.order),
    certificateValidityMonths: f.certificateValidityMonths.trim() === "" ? null : number(f.certificateValidityMonths),
  };
  const checked = ModuleFrontmatterSchema.safeParse(candidate);
  if (!checked.success) {
    const errors: Record<string, string> = {};
    for (const issue of checked.error.issues) errors[String(issue.path[0] ?? "title")] ??= issue.message;
    return { ok: false, status: 400, errors, fields: raw };
  }
  let result: SaveResult;
  try {
    result = await changeDraft(actor, { slug, draftId: f.draftId, revision: f.revision, change: "edited the module details" }, (files) => {
      const index = readIndex(files["index.mdx"] ?? "");
      if (!index) throw new StudioError("index.mdx's frontmatter cannot be read: edit the file itself.", 409);
      // Keep fields the form does not show (versionNote, materialChange), in their place.
      const data = { ...index.data, ...candidate };
      if (candidate.certificateValidityMonths === null) delete data.certificateValidityMonths;
      const body = f.overview.startsWith("\n") ? f.overview : `\n${f.overview}`;
      return { ...files, "index.mdx": `---\n${stringify(data, { lineWidth: 0 })}---\n${body.endsWith("\n") ? body : `${body}\n`}` };
    });
  } catch (error) {
    if (error instanceof StudioError) return { ok: false, status: 409, errors: { title: error.message }, fields: raw };
    throw error;
  }
  if (!result.ok) {
    const when = result.conflict.at.toISOString().slice(11, 16);
    return {
      ok: false,
      status: 409,
      errors: { title: `${result.conflict.by} saved this draft at ${when} UTC (${result.conflict.change ?? "a change"}) after you opened it, so your change was not saved. Your text is kept below: reload, then apply it again.` },
      fields: raw,
    };
  }
  return { ok: true };
}
