import fs from "node:fs";
import path from "node:path";
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { projectRoot, type Executor } from "#db/client.ts";
import {
  draftComments,
  enrolments,
  moduleDrafts,
  modules,
  moduleVersions,
  type DraftOrigin,
  type SourceFiles,
} from "#db/schema/index.ts";
import { audit } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { FILE_NAME_PATTERN, readSourceFiles } from "./source-files.server.ts";

/** Who is acting in the studio (a signed-in author or admin). */
export type StudioActor = { id: string; name: string; email: string; role: string };

export class StudioError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

const OPEN = ["editing", "in_review"] as const;

export type StudioModuleRow = {
  id: string;
  slug: string;
  title: string;
  retiredAt: Date | null;
  currentVersion: number | null;
  lastPublishedAt: Date | null;
  lastPublishedBy: string | null;
  draft: { status: string; heldBy: string; updatedBy: string; updatedAt: Date } | null;
  /** Learners with an unfinished enrolment, per version number. */
  learnersByVersion: { version: number; learners: number }[];
};

/** Every module, retired ones included, with what the studio's front page shows. */
export async function listStudioModules(): Promise<StudioModuleRow[]> {
  const db = getDb();
  const rows = await db
    .select({
      id: modules.id,
      slug: modules.slug,
      title: modules.title,
      retiredAt: modules.retiredAt,
      currentVersion: moduleVersions.version,
      lastPublishedAt: moduleVersions.publishedAt,
      lastPublishedBy: moduleVersions.publishedBy,
    })
    .from(modules)
    .leftJoin(moduleVersions, eq(moduleVersions.id, modules.currentVersionId))
    .orderBy(asc(modules.sortOrder), asc(modules.title));
  const drafts = await db
    .select({
      moduleId: moduleDrafts.moduleId,
      status: moduleDrafts.status,
      heldBy: moduleDrafts.createdByName,
      updatedBy: moduleDrafts.updatedByName,
      updatedAt: moduleDrafts.updatedAt,
    })
    .from(moduleDrafts)
    .where(inArray(moduleDrafts.status, [...OPEN]));
  const learners = await db
    .select({ moduleId: moduleVersions.moduleId, version: moduleVersions.version, learners: count() })
    .from(enrolments)
    .innerJoin(moduleVersions, eq(moduleVersions.id, enrolments.moduleVersionId))
    .where(isNull(enrolments.completedAt))
    .groupBy(moduleVersions.moduleId, moduleVersions.version)
    .orderBy(asc(moduleVersions.version));
  return rows.map((row) => {
    const draft = drafts.find((d) => d.moduleId === row.id);
    return {
      ...row,
      draft: draft ? { status: draft.status, heldBy: draft.heldBy, updatedBy: draft.updatedBy, updatedAt: draft.updatedAt } : null,
      learnersByVersion: learners.filter((l) => l.moduleId === row.id).map(({ version, learners: n }) => ({ version, learners: n })),
    };
  });
}

function indexTemplate(title: string): string {
  return `---
title: ${JSON.stringify(title)}
summary: "One or two sentences on what this module teaches."
audience:
  - Police officers and staff
outcomes:
  - "Explain what this module teaches"
durationMinutes: 20
order: 100
certificateValidityMonths: 24
---

Write the module overview here.
`;
}

export function lessonTemplate(title: string, references = false): string {
  return `---
title: ${JSON.stringify(title)}
minutes: 5${references ? "\nreferences: true" : ""}
---

Write the lesson here.
`;
}

/** Creates a module with a draft holding a starter overview and a references lesson. Not published until reviewed. */
export async function createModule(actor: StudioActor, input: { slug: string; title: string }): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [taken] = await tx.select({ id: modules.id }).from(modules).where(eq(modules.slug, input.slug)).limit(1);
    if (taken) throw new StudioError(`A module with the address "${input.slug}" already exists: choose another.`);
    const [mod] = await tx
      .insert(modules)
      .values({ slug: input.slug, title: input.title })
      .returning({ id: modules.id });
    if (!mod) throw new Error("could not create the module");
    const files: SourceFiles = {
      "index.mdx": indexTemplate(input.title),
      "01-sources.mdx": lessonTemplate("Sources", true),
    };
    await insertDraft(tx, actor, { moduleId: mod.id, baseVersionId: null, files, origin: "studio" });
    await audit(tx, { actor, action: "studio.module_created", target: { type: "module", id: mod.id }, details: { slug: input.slug } });
  });
}

export async function insertDraft(
  db: Executor,
  actor: StudioActor | { id: null; name: string },
  input: { moduleId: string; baseVersionId: string | null; files: SourceFiles; origin: DraftOrigin },
): Promise<string> {
  const [row] = await db
    .insert(moduleDrafts)
    .values({
      moduleId: input.moduleId,
      baseVersionId: input.baseVersionId,
      files: input.files,
      origin: input.origin,
      createdById: actor.id,
      createdByName: actor.name,
      updatedById: actor.id,
      updatedByName: actor.name,
      lastChange: input.origin === "studio" ? "opened the draft" : input.origin === "files" ? "proposed from files" : "imported from a zip",
    })
    .returning({ id: moduleDrafts.id });
  if (!row) throw new Error("could not save the draft");
  return row.id;
}

async function moduleBySlug(db: Executor, slug: string) {
  const [mod] = await db
    .select({ id: modules.id, slug: modules.slug, title: modules.title, currentVersionId: modules.currentVersionId, retiredAt: modules.retiredAt })
    .from(modules)
    .where(eq(modules.slug, slug))
    .limit(1);
  if (!mod) throw new StudioError("There is no module at this address.", 404);
  return mod;
}

/** The source of a published version; versions imported before sources were stored fall back to the identical folder. */
export async function versionSourceFiles(db: Executor, versionId: string, slug: string): Promise<SourceFiles | null> {
  const [row] = await db
    .select({ files: moduleVersions.sourceFiles, hash: moduleVersions.sourceHash })
    .from(moduleVersions)
    .where(eq(moduleVersions.id, versionId))
    .limit(1);
  if (!row) return null;
  if (row.files) return row.files;
  const dir = path.join(projectRoot(), "content", "modules", slug);
  return fs.existsSync(dir) ? readSourceFiles(dir) : null;
}

/** Opens the module's draft (a copy of the published version), or returns the one already open. */
export async function openDraft(actor: StudioActor, slug: string): Promise<string> {
  return getDb().transaction(async (tx) => {
    const mod = await moduleBySlug(tx, slug);
    const [open] = await tx
      .select({ id: moduleDrafts.id })
      .from(moduleDrafts)
      .where(and(eq(moduleDrafts.moduleId, mod.id), inArray(moduleDrafts.status, [...OPEN])))
      .limit(1);
    if (open) return open.id;
    if (!mod.currentVersionId) throw new StudioError("This module has no published version to copy.", 409);
    const files = await versionSourceFiles(tx, mod.currentVersionId, slug);
    if (!files) throw new StudioError("The published version's source files are not stored: import its folder as a zip instead.", 409);
    const id = await insertDraft(tx, actor, { moduleId: mod.id, baseVersionId: mod.currentVersionId, files, origin: "studio" });
    await audit(tx, { actor, action: "studio.draft_opened", target: { type: "module", id: mod.id }, details: { slug, draftId: id } });
    return id;
  });
}

export type DraftView = {
  id: string;
  revision: number;
  status: string;
  origin: string;
  files: SourceFiles;
  createdByName: string;
  updatedByName: string;
  updatedAt: Date;
  lastChange: string | null;
  submittedById: string | null;
  submittedByName: string | null;
  submittedAt: Date | null;
  changeNote: string | null;
  materialChange: boolean | null;
  baseVersionId: string | null;
  comments: { id: string; authorName: string; kind: string; body: string; at: Date }[];
};

export type StudioModule = {
  id: string;
  slug: string;
  title: string;
  retiredAt: Date | null;
  currentVersionId: string | null;
  currentVersion: number | null;
  draft: DraftView | null;
};

/** A module as the studio shows it, with its open draft (files included) if any. */
export async function getStudioModule(slug: string): Promise<StudioModule | null> {
  const db = getDb();
  const [mod] = await db
    .select({
      id: modules.id,
      slug: modules.slug,
      title: modules.title,
      retiredAt: modules.retiredAt,
      currentVersionId: modules.currentVersionId,
      currentVersion: moduleVersions.version,
    })
    .from(modules)
    .leftJoin(moduleVersions, eq(moduleVersions.id, modules.currentVersionId))
    .where(eq(modules.slug, slug))
    .limit(1);
  if (!mod) return null;
  const [draft] = await db
    .select({
      id: moduleDrafts.id,
      revision: moduleDrafts.revision,
      status: moduleDrafts.status,
      origin: moduleDrafts.origin,
      files: moduleDrafts.files,
      createdByName: moduleDrafts.createdByName,
      updatedByName: moduleDrafts.updatedByName,
      updatedAt: moduleDrafts.updatedAt,
      lastChange: moduleDrafts.lastChange,
      submittedById: moduleDrafts.submittedById,
      submittedByName: moduleDrafts.submittedByName,
      submittedAt: moduleDrafts.submittedAt,
      changeNote: moduleDrafts.changeNote,
      materialChange: moduleDrafts.materialChange,
      baseVersionId: moduleDrafts.baseVersionId,
    })
    .from(moduleDrafts)
    .where(and(eq(moduleDrafts.moduleId, mod.id), inArray(moduleDrafts.status, [...OPEN])))
    .limit(1);
  const comments = draft
    ? await db
        .select({ id: draftComments.id, authorName: draftComments.authorName, kind: draftComments.kind, body: draftComments.body, at: draftComments.at })
        .from(draftComments)
        .where(eq(draftComments.draftId, draft.id))
        .orderBy(asc(draftComments.at))
    : [];
  return { ...mod, draft: draft ? { ...draft, comments } : null };
}

/** A save made against an older copy than the one stored. */
export type SaveConflict = { by: string; at: Date; change: string | null };
export type SaveResult = { ok: true; revision: number } | { ok: false; conflict: SaveConflict };

/**
 * Applies one change to the draft if the caller saw the latest revision.
 * The row is locked, so two saves of the same revision are serialised: the
 * first wins, the second is refused with who changed what, and nothing of
 * either is lost (the refused text goes back to its author's page).
 */
export async function changeDraft(
  actor: StudioActor,
  input: { slug: string; draftId: string; revision: number; change: string },
  mutate: (files: SourceFiles) => SourceFiles,
): Promise<SaveResult> {
  return getDb().transaction(async (tx) => {
    const mod = await moduleBySlug(tx, input.slug);
    const [draft] = await tx
      .select({
        id: moduleDrafts.id,
        revision: moduleDrafts.revision,
        status: moduleDrafts.status,
        files: moduleDrafts.files,
        updatedByName: moduleDrafts.updatedByName,
        updatedAt: moduleDrafts.updatedAt,
        lastChange: moduleDrafts.lastChange,
      })
      .from(moduleDrafts)
      .where(and(eq(moduleDrafts.id, input.draftId), eq(moduleDrafts.moduleId, mod.id)))
      .for("update");
    if (!draft || !OPEN.some((s) => s === draft.status)) throw new StudioError("This draft is no longer open: it was published or discarded.", 409);
    if (draft.status === "in_review") throw new StudioError("This draft is waiting for review: it cannot change until a reviewer returns it.", 409);
    if (draft.revision !== input.revision) {
      return { ok: false, conflict: { by: draft.updatedByName, at: draft.updatedAt, change: draft.lastChange } };
    }
    const files = mutate({ ...draft.files });
    for (const name of Object.keys(files)) {
      if (!FILE_NAME_PATTERN.test(name)) throw new StudioError(`"${name}" is not a file name a module may use.`);
    }
    const revision = draft.revision + 1;
    await tx
      .update(moduleDrafts)
      .set({ files, revision, updatedById: actor.id, updatedByName: actor.name, updatedAt: sql`now()`, lastChange: input.change })
      .where(eq(moduleDrafts.id, draft.id));
    await audit(tx, { actor, action: "studio.draft_saved", target: { type: "module", id: mod.id }, details: { slug: input.slug, draftId: draft.id, revision, change: input.change } });
    return { ok: true, revision };
  });
}

/** Discards the open draft (kept for the record); the published version is untouched. */
export async function discardDraft(actor: StudioActor, slug: string, draftId: string): Promise<void> {
  await getDb().transaction(async (tx) => {
    const mod = await moduleBySlug(tx, slug);
    const done = await tx
      .update(moduleDrafts)
      .set({ status: "discarded", updatedAt: sql`now()`, updatedById: actor.id, updatedByName: actor.name })
      .where(and(eq(moduleDrafts.id, draftId), eq(moduleDrafts.moduleId, mod.id), eq(moduleDrafts.status, "editing")))
      .returning({ id: moduleDrafts.id });
    if (done.length === 0) throw new StudioError("Only a draft being edited can be discarded.", 409);
    await audit(tx, { actor, action: "studio.draft_discarded", target: { type: "module", id: mod.id }, details: { slug, draftId } });
  });
}

/** Retires (hides from the catalogue; records kept) or restores a module. */
export async function setRetired(actor: StudioActor, slug: string, retired: boolean): Promise<void> {
  await getDb().transaction(async (tx) => {
    const mod = await moduleBySlug(tx, slug);
    await tx
      .update(modules)
      .set(retired ? { retiredAt: sql`now()`, retiredBy: actor.name } : { retiredAt: null, retiredBy: null })
      .where(eq(modules.id, mod.id));
    await audit(tx, { actor, action: retired ? "studio.module_retired" : "studio.module_restored", target: { type: "module", id: mod.id }, details: { slug } });
  });
}

/** The module's versions, newest first, with who wrote, reviewed and published each and why. */
export async function listVersions(slug: string) {
  const db = getDb();
  const mod = await moduleBySlug(db, slug);
  return db
    .select({
      id: moduleVersions.id,
      version: moduleVersions.version,
      title: moduleVersions.title,
      publishedAt: moduleVersions.publishedAt,
      publishedBy: moduleVersions.publishedBy,
      authorName: moduleVersions.authorName,
      reviewerName: moduleVersions.reviewerName,
      changeNote: moduleVersions.changeNote,
      materialChange: moduleVersions.materialChange,
      sourceHash: moduleVersions.sourceHash,
    })
    .from(moduleVersions)
    .where(eq(moduleVersions.moduleId, mod.id))
    .orderBy(desc(moduleVersions.version));
}

/** Adds `NN-key.mdx` after the last lesson (NN one more than the highest number). */
export function withNewLesson(files: SourceFiles, key: string, title: string): SourceFiles {
  const numbers = Object.keys(files)
    .map((name) => /^(\d{2})-(.+)\.mdx$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null);
  if (numbers.some((m) => m[2] === key)) throw new StudioError(`A lesson with the address "${key}" already exists.`);
  const next = Math.max(0, ...numbers.map((m) => Number(m[1]))) + 1;
  if (next > 99) throw new StudioError("A module holds at most 99 lessons.");
  return { ...files, [`${String(next).padStart(2, "0")}-${key}.mdx`]: lessonTemplate(title) };
}

/** Names a file for people: "lesson 02-second.mdx", "the overview", "the question bank". */
export function describeFile(name: string): string {
  if (name === "index.mdx") return "the overview (index.mdx)";
  if (name === "quiz.yaml") return "the question bank (quiz.yaml)";
  return `lesson ${name}`;
}
