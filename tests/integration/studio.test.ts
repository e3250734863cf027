import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditEvents, moduleDrafts, moduleVersions, modules } from "#db/schema/index.ts";
import { changeDraft, getStudioModule, openDraft } from "#app/models/authoring/drafts.server.ts";
import { runFileIntent } from "#app/models/authoring/file-editor.server.ts";
import { approveDraft, submitForReview } from "#app/models/authoring/review.server.ts";
import { checkSourceFiles, previewFile } from "#app/models/authoring/source-files.server.ts";
import { completeLesson, findEnrolment, startModule } from "#app/models/learning/enrolment.server.ts";
import { getCurrentVersion } from "#app/models/learning/module.server.ts";
import { createUser, FIXTURE_CONTENT, importFixtures } from "#tests/factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

const actorOf = (u: { id: string; name: string; email: string; role: string }) => ({ id: u.id, name: u.name, email: u.email, role: u.role });

function saveForm(draftId: string, revision: number, text: string) {
  const form = new FormData();
  form.set("intent", "save");
  form.set("draftId", draftId);
  form.set("revision", String(revision));
  form.set("text", text);
  return form;
}

test("two authors save the same copy: the second is refused with who changed what, and keeps their text", async () => {
  const ava = actorOf(await createUser({ role: "author", name: "Ava Author" }));
  const ben = actorOf(await createUser({ role: "author", name: "Ben Writer" }));
  await openDraft(ava, "sample-basics");
  const draft = (await getStudioModule("sample-basics"))!.draft!;
  const original = draft.files["02-second.mdx"]!;
  const avaText = original.replace("Look at the pattern", "Ava: look at the whole pattern");
  const benText = original.replace("Look at the pattern", "Ben: consider the pattern");

  // Both opened revision `draft.revision`; saves arrive together.
  const [first, second] = await Promise.all([
    runFileIntent(ava, "sample-basics", "02-second.mdx", saveForm(draft.id, draft.revision, avaText)),
    runFileIntent(ben, "sample-basics", "02-second.mdx", saveForm(draft.id, draft.revision, benText)),
  ]);
  const outcomes = [first, second];
  const saved = outcomes.filter((o) => o.kind === "redirect");
  const refused = outcomes.filter((o) => o.kind === "errors");
  expect(saved).toHaveLength(1);
  expect(refused).toHaveLength(1);
  const winner = first.kind === "redirect" ? "Ava Author" : "Ben Writer";
  const refusal = refused[0]!;
  if (refusal.kind !== "errors") throw new Error("expected a refusal");
  expect(refusal.status).toBe(409);
  expect(refusal.errors.text).toContain(`${winner} saved this draft`);
  expect(refusal.errors.text).toContain("edited lesson 02-second.mdx");
  // Nothing lost: the winner's text is stored, the loser's comes back to their page.
  const stored = (await getStudioModule("sample-basics"))!.draft!;
  expect(stored.revision).toBe(draft.revision + 1);
  expect(stored.files["02-second.mdx"]).toBe(winner === "Ava Author" ? avaText : benText);
  expect(refusal.text).toBe(winner === "Ava Author" ? benText : avaText);

  // Saving the draft changed nothing a learner sees.
  const current = await getCurrentVersion("sample-basics");
  expect(current!.version).toBe(1);
});

test("the draft checker finds a problem at its line, as content:check does", async () => {
  const files = { ...(await getStudioModule("sample-basics"))!.draft!.files };
  files["01-first.mdx"] = `${files["01-first.mdx"]}\n<Unknown>text</Unknown>\n`;
  const line = files["01-first.mdx"]!.split("\n").indexOf("<Unknown>text</Unknown>") + 1;
  const { problems } = await checkSourceFiles("sample-basics", files);
  expect(problems).toContainEqual({ file: "01-first.mdx", line, column: 1, message: expect.stringContaining("unknown component <Unknown>") });
});

test("a lesson refers to an uploaded image by its content address: the preview renders it with its alt text", async () => {
  const files = { ...(await getStudioModule("sample-basics"))!.draft!.files };
  const hash = "ab".repeat(32);
  files["01-first.mdx"] = `${files["01-first.mdx"]}\n<Image hash="${hash}" alt="A timeline of the contacts" caption="Contacts over six weeks" />\n`;
  const preview = await previewFile("sample-basics", files, "01-first.mdx");
  expect(preview.problems).toEqual([]);
  expect(preview.html).toContain(`src="/images/${hash}" alt="A timeline of the contacts"`);
  expect(preview.html).toContain("Contacts over six weeks");
});

test("a problem part-way along a line is reported at its column, not only its line", async () => {
  const files = { ...(await getStudioModule("sample-basics"))!.draft!.files };
  files["02-second.mdx"] = `${files["02-second.mdx"]}
Some text {1 + 1} here.
`;
  const line = files["02-second.mdx"]!.split("\n").indexOf("Some text {1 + 1} here.") + 1;
  const { problems } = await checkSourceFiles("sample-basics", files);
  expect(problems.filter((p) => p.file === "02-second.mdx").map((p) => [p.line, p.column])).toEqual([[line, 11]]);
});

test("approving publishes a new version with author, reviewer and note; the submitter cannot approve; a learner mid-way stays", async () => {
  const ava = actorOf(await createUser({ role: "author", name: "Ava Two" }));
  const admin = actorOf(await createUser({ role: "admin", name: "Ada Admin" }));
  const learner = await createUser();
  await startModule({ userId: learner.id, slug: "sample-basics" });
  await completeLesson({ userId: learner.id, slug: "sample-basics", lessonKey: "first" });
  const before = await getCurrentVersion("sample-basics");

  const draftId = await openDraft(ava, "sample-basics");
  const draft = (await getStudioModule("sample-basics"))!.draft!;
  const saved = await changeDraft(ava, { slug: "sample-basics", draftId, revision: draft.revision, change: "edited lesson 01-first.mdx" }, (files) => ({
    ...files,
    "01-first.mdx": `${files["01-first.mdx"]}\nA new paragraph.\n`,
  }));
  if (!saved.ok) throw new Error("save refused");
  await submitForReview(ava, { slug: "sample-basics", draftId, revision: saved.revision, changeNote: "Adds a paragraph", materialChange: true });
  await expect(approveDraft(ava, { slug: "sample-basics", draftId, revision: saved.revision })).rejects.toThrow("You submitted this draft");
  const published = await approveDraft(admin, { slug: "sample-basics", draftId, revision: saved.revision });
  expect(published.version).toBe(before!.version + 1);

  const [row] = await handle.db
    .select({ author: moduleVersions.authorName, reviewer: moduleVersions.reviewerName, note: moduleVersions.changeNote, material: moduleVersions.materialChange })
    .from(moduleVersions)
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(eq(moduleVersions.version, published.version));
  expect(row).toEqual({ author: "Ava Two", reviewer: "Ada Admin", note: "Adds a paragraph", material: true });
  const [draftRow] = await handle.db.select({ status: moduleDrafts.status }).from(moduleDrafts).where(eq(moduleDrafts.id, draftId));
  expect(draftRow!.status).toBe("published");
  expect((await findEnrolment(learner.id, "sample-basics"))!.moduleVersionId).toBe(before!.id);
  const actions = (await handle.db.select({ action: auditEvents.action }).from(auditEvents)).map((a) => a.action);
  expect(actions).toEqual(expect.arrayContaining(["studio.draft_opened", "studio.draft_saved", "studio.draft_submitted", "studio.version_published"]));
});

test("ADR 029: after a studio publish, the unchanged seed folder proposes nothing; a changed folder becomes one draft 'proposed from files'", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-seed-"));
  fs.cpSync(FIXTURE_CONTENT, dir, { recursive: true });
  // sample-basics is published from the studio (a correction), so its folder is now only a proposal.
  const author = actorOf(await createUser({ role: "author", name: "Seed Author" }));
  const reviewer = actorOf(await createUser({ role: "admin", name: "Seed Reviewer" }));
  const draftId = await openDraft(author, "sample-basics");
  const opened = (await getStudioModule("sample-basics"))!.draft!;
  const saved = await changeDraft(author, { slug: "sample-basics", draftId, revision: opened.revision, change: "edited lesson 01-first.mdx" }, (files) => ({
    ...files,
    "01-first.mdx": `${files["01-first.mdx"]}\nWritten in the studio.\n`,
  }));
  if (!saved.ok) throw new Error("save refused");
  const { revision } = saved;
  await submitForReview(author, { slug: "sample-basics", draftId, revision, changeNote: "A studio correction", materialChange: false });
  await approveDraft(reviewer, { slug: "sample-basics", draftId, revision });
  const published = await getCurrentVersion("sample-basics");
  const same = await importFixtures(handle, dir);
  expect(same.published).toEqual([]);
  expect(same.proposed).toEqual([]);
  expect(same.retired).toEqual([]);

  const lesson = path.join(dir, "sample-basics", "02-second.mdx");
  fs.writeFileSync(lesson, fs.readFileSync(lesson, "utf8").replace("Look at the pattern", "Look at the pattern as a whole"));
  const changed = await importFixtures(handle, dir);
  expect(changed.published).toEqual([]);
  expect(changed.proposed).toEqual(["sample-basics"]);
  expect((await getCurrentVersion("sample-basics"))!.id).toBe(published!.id);
  const draft = (await getStudioModule("sample-basics"))!.draft!;
  expect(draft.origin).toBe("files");
  expect(draft.files["02-second.mdx"]).toContain("Look at the pattern as a whole");

  const again = await importFixtures(handle, dir);
  expect(again.proposed).toEqual([]);
});
