import { and, eq, sql } from "drizzle-orm";
import { draftComments, moduleDrafts, modules } from "#db/schema/index.ts";
import { audit } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { StudioError, type StudioActor } from "./drafts.server.ts";
import { insertVersion } from "./publish.server.ts";
import { checkSourceFiles } from "./source-files.server.ts";
import { ReviewSchema } from "#app/utils/studio-validation.ts";

async function openDraftRow(slug: string, draftId: string) {
  const [row] = await getDb()
    .select({
      moduleId: modules.id,
      id: moduleDrafts.id,
      status: moduleDrafts.status,
      revision: moduleDrafts.revision,
      files: moduleDrafts.files,
      submittedById: moduleDrafts.submittedById,
      submittedByName: moduleDrafts.submittedByName,
      changeNote: moduleDrafts.changeNote,
      materialChange: moduleDrafts.materialChange,
    })
    .from(moduleDrafts)
    .innerJoin(modules, eq(modules.id, moduleDrafts.moduleId))
    .where(and(eq(modules.slug, slug), eq(moduleDrafts.id, draftId)))
    .limit(1);
  if (!row) throw new StudioError("There is no such draft of this module.", 404);
  return row;
}

/**
 * Sends a draft for review with its change note and whether it is a material
 * change (learners must know something new) or a correction. A draft with
 * any problem cannot be submitted: the reviewer reviews what would publish.
 */
export async function submitForReview(
  actor: StudioActor,
  input: { slug: string; draftId: string; revision: number; changeNote: string; materialChange: boolean },
): Promise<void> {
  const draft = await openDraftRow(input.slug, input.draftId);
  if (draft.status !== "editing") throw new StudioError("Only a draft being edited can be submitted.", 409);
  const checked = await checkSourceFiles(input.slug, draft.files);
  if (checked.problems.length > 0) {
    throw new StudioError(`Fix the ${checked.problems.length} problem(s) listed on the draft page before submitting it.`, 400);
  }
  await getDb().transaction(async (tx) => {
    const done = await tx
      .update(moduleDrafts)
      .set({
        status: "in_review",
        submittedById: actor.id,
        submittedByName: actor.name,
        submittedAt: sql`now()`,
        changeNote: input.changeNote,
        materialChange: input.materialChange,
      })
      .where(and(eq(moduleDrafts.id, draft.id), eq(moduleDrafts.status, "editing"), eq(moduleDrafts.revision, input.revision)))
      .returning({ id: moduleDrafts.id });
    if (done.length === 0) throw new StudioError("The draft changed since you opened this page: look at it again, then submit.", 409);
    await tx.insert(draftComments).values({
      draftId: draft.id,
      authorId: actor.id,
      authorName: actor.name,
      kind: "submitted",
      body: `${input.materialChange ? "Material change" : "Correction"}: ${input.changeNote}`,
    });
    await audit(tx, { actor, action: "studio.draft_submitted", target: { type: "module", id: draft.moduleId }, details: { slug: input.slug, draftId: draft.id, materialChange: input.materialChange, changeNote: input.changeNote } });
  });
}

export async function commentOnDraft(actor: StudioActor, input: { slug: string; draftId: string; body: string }): Promise<void> {
  const draft = await openDraftRow(input.slug, input.draftId);
  if (draft.status !== "editing" && draft.status !== "in_review") throw new StudioError("This draft is closed.", 409);
  await getDb().transaction(async (tx) => {
    await tx.insert(draftComments).values({ draftId: draft.id, authorId: actor.id, authorName: actor.name, kind: "comment", body: input.body });
    await audit(tx, { actor, action: "studio.draft_commented", target: { type: "module", id: draft.moduleId }, details: { slug: input.slug, draftId: draft.id } });
  });
}

/** Returns a draft under review to its authors, with the reasons. */
export async function returnDraft(actor: StudioActor, input: { slug: string; draftId: string; reasons: string }): Promise<void> {
  const draft = await openDraftRow(input.slug, input.draftId);
  await getDb().transaction(async (tx) => {
    const done = await tx
      .update(moduleDrafts)
      .set({ status: "editing", updatedAt: sql`now()` })
      .where(and(eq(moduleDrafts.id, draft.id), eq(moduleDrafts.status, "in_review")))
      .returning({ id: moduleDrafts.id });
    if (done.length === 0) throw new StudioError("Only a draft waiting for review can be returned.", 409);
    await tx.insert(draftComments).values({ draftId: draft.id, authorId: actor.id, authorName: actor.name, kind: "returned", body: input.reasons });
    await audit(tx, { actor, action: "studio.draft_returned", target: { type: "module", id: draft.moduleId }, details: { slug: input.slug, draftId: draft.id, reasons: input.reasons } });
  });
}

/**
 * Approving publishes. The reviewer is never the submitter: a second pair of
 * eyes is the point. Compiles outside the transaction (esbuild is slow), then
 * locks the draft, checks it is still the one reviewed, and stores the version.
 */
export async function approveDraft(actor: StudioActor, input: { slug: string; draftId: string; revision: number }): Promise<{ version: number }> {
  const draft = await openDraftRow(input.slug, input.draftId);
  if (draft.status !== "in_review") throw new StudioError("Only a draft waiting for review can be approved.", 409);
  if (draft.submittedById === actor.id) {
    throw new StudioError("You submitted this draft, so you cannot approve it: another author or an administrator must review it.", 403);
  }
  const checked = await checkSourceFiles(input.slug, draft.files);
  if (!checked.result) throw new StudioError("The draft has problems now (a linked page may have gone): return it to its author.", 409);
  const { source, compiled } = checked.result;
  return getDb().transaction(async (tx) => {
    const [locked] = await tx
      .select({ status: moduleDrafts.status, revision: moduleDrafts.revision })
      .from(moduleDrafts)
      .where(eq(moduleDrafts.id, draft.id))
      .for("update");
    if (locked?.status !== "in_review" || locked.revision !== input.revision) {
      throw new StudioError("The draft changed while you were reviewing it: look at it again.", 409);
    }
    const published = await insertVersion(tx, {
      moduleId: draft.moduleId,
      source,
      compiled,
      files: draft.files,
      changeNote: draft.changeNote ?? "",
      materialChange: draft.materialChange ?? true,
      publishedBy: actor.name,
      authorName: draft.submittedByName ?? "",
      reviewerName: actor.name,
    });
    await tx
      .update(moduleDrafts)
      .set({ status: "published", publishedVersionId: published.id, updatedAt: sql`now()` })
      .where(eq(moduleDrafts.id, draft.id));
    await tx.insert(draftComments).values({ draftId: draft.id, authorId: actor.id, authorName: actor.name, kind: "approved", body: `Approved and published as version ${published.version}.` });
    await audit(tx, { actor, action: "studio.version_published", target: { type: "module", id: draft.moduleId }, details: { slug: input.slug, draftId: draft.id, version: published.version, materialChange: draft.materialChange, changeNote: draft.changeNote } });
    return { version: published.version };
  });
}

export type ReviewOutcome = { kind: "done" } | { kind: "published"; version: number } | { kind: "invalid"; errors: Record<string, string> };

/** The review page's forms, told apart by `intent`. Throws StudioError for refusals. */
export async function runReviewIntent(actor: StudioActor, slug: string, form: FormData): Promise<ReviewOutcome> {
  const parsed = ReviewSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { kind: "invalid", errors: { body: parsed.error.issues[0]?.message ?? "Unknown action: use the buttons on the page." } };
  const input = parsed.data;
  if (input.intent === "approve") return { kind: "published", ...(await approveDraft(actor, { slug, draftId: input.draftId, revision: input.revision })) };
  if (input.intent === "return") await returnDraft(actor, { slug, draftId: input.draftId, reasons: input.body });
  else await commentOnDraft(actor, { slug, draftId: input.draftId, body: input.body });
  return { kind: "done" };
}
