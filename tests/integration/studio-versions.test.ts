import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { certificates, moduleVersions, modules, quizAttempts, reportRows } from "#db/schema/index.ts";
import { checkContent } from "#app/content/check.server.ts";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { changeDraft, getStudioModule, openDraft } from "#app/models/authoring/drafts.server.ts";
import { approveDraft, submitForReview } from "#app/models/authoring/review.server.ts";
import { acknowledgeUpdate, pendingUpdates } from "#app/models/authoring/updates.server.ts";
import { exportVersionZip, importZipAsDraft } from "#app/models/authoring/zip.server.ts";
import { findEnrolment, startModule } from "#app/models/learning/enrolment.server.ts";
import { createUser, importFixtures } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);
const SLUG = "sample-basics";
const actorOf = (u: { id: string; name: string; email: string; role: string }) => ({ id: u.id, name: u.name, email: u.email, role: u.role });

async function versionRow(version: number) {
  const [row] = await handle.db
    .select({ id: moduleVersions.id, hash: moduleVersions.sourceHash, files: moduleVersions.sourceFiles })
    .from(moduleVersions)
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(and(eq(modules.slug, SLUG), eq(moduleVersions.version, version)));
  return row!;
}

async function publish(author: ReturnType<typeof actorOf>, reviewer: ReturnType<typeof actorOf>, material: boolean, edit?: (files: Record<string, string>) => Record<string, string>) {
  const draftId = await openDraft(author, SLUG);
  let revision = (await getStudioModule(SLUG))!.draft!.revision;
  if (edit) {
    const saved = await changeDraft(author, { slug: SLUG, draftId, revision, change: "edit" }, edit);
    if (!saved.ok) throw new Error("refused");
    revision = saved.revision;
  }
  await submitForReview(author, { slug: SLUG, draftId, revision, changeNote: material ? "New law" : "Typo", materialChange: material });
  return approveDraft(reviewer, { slug: SLUG, draftId, revision });
}

test("a version exported as a zip passes content:check, and imported and published again gets the identical source hash", async () => {
  const author = actorOf(await createUser({ role: "author", name: "Zip Author" }));
  const admin = actorOf(await createUser({ role: "admin", name: "Zip Admin" }));
  const v1 = await versionRow(1);
  const zip = await exportVersionZip(SLUG, 1);
  expect(zip).not.toBeNull();

  // The zip is a content/modules/<slug>/ folder that the command-line checker accepts.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-zip-"));
  const unpacked = await JSZip.loadAsync(zip!);
  for (const entry of Object.values(unpacked.files)) {
    const target = path.join(dir, entry.name);
    if (entry.dir) fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, await entry.async("nodebuffer"));
    }
  }
  expect(fs.readdirSync(dir)).toEqual([SLUG]);
  const report = await checkContent(dir);
  expect(report.problems).toEqual([]);
  expect(report.modules).toBe(1);

  const draftId = await importZipAsDraft(author, SLUG, zip!);
  const draft = (await getStudioModule(SLUG))!.draft!;
  expect(draft.id).toBe(draftId);
  expect(draft.origin).toBe("zip");
  expect(draft.files).toEqual(v1.files);
  await submitForReview(author, { slug: SLUG, draftId, revision: draft.revision, changeNote: "Round trip", materialChange: false });
  const published = await approveDraft(admin, { slug: SLUG, draftId, revision: draft.revision });
  const again = await versionRow(published.version);
  expect(again.hash).toBe(v1.hash);
});

test("a learner's attempt, certificate and report row keep the version they took; a material change asks them to read what changed", async () => {
  const author = actorOf(await createUser({ role: "author", name: "Rec Author" }));
  const admin = actorOf(await createUser({ role: "admin", name: "Rec Admin" }));
  const { org, lead } = await createOrganisation({ name: "Versions Police", seats: 10 });
  const { learner } = await addLearner(org.id, lead);
  await createAssignment(lead, org.id, { moduleSlug: SLUG, target: "organisation", teamId: null, personIds: [], dueDate: null, dueDays: 30 });
  const before = (await getStudioModule(SLUG))!;
  await completeModule(learner.id, SLUG, { organizationId: org.id });
  const midway = await createUser();
  await startModule({ userId: midway.id, slug: SLUG });

  // A correction first: it prompts nobody.
  await publish(author, admin, false, (files) => ({ ...files, "01-first.mdx": `${files["01-first.mdx"]}\nA corrected word.\n` }));
  expect(await pendingUpdates(learner.id)).toEqual([]);
  const material = await publish(author, admin, true, (files) => ({ ...files, "02-second.mdx": `${files["02-second.mdx"]}\nA new duty.\n` }));

  const [attempt] = await handle.db.select({ v: quizAttempts.moduleVersionId }).from(quizAttempts).where(eq(quizAttempts.userId, learner.id));
  const [certificate] = await handle.db.select({ v: certificates.moduleVersionId }).from(certificates).where(eq(certificates.userId, learner.id));
  const [row] = await handle.db.select({ completed: reportRows.completedVersion }).from(reportRows).where(eq(reportRows.userId, learner.id));
  expect(attempt!.v).toBe(before.currentVersionId);
  expect(certificate!.v).toBe(before.currentVersionId);
  expect(row!.completed).toBe(before.currentVersion);
  expect((await findEnrolment(midway.id, SLUG))!.moduleVersionId).toBe(before.currentVersionId);

  expect(await pendingUpdates(learner.id)).toEqual([{ slug: SLUG, title: "Sample basics", completedVersion: before.currentVersion, currentVersion: material.version }]);
  expect(await pendingUpdates(midway.id)).toEqual([]);
  await acknowledgeUpdate(learner.id, SLUG);
  await acknowledgeUpdate(learner.id, SLUG);
  expect(await pendingUpdates(learner.id)).toEqual([]);
});
