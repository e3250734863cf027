import { expect, test } from "vitest";
import { createModule, getStudioModule, listStudioModules, openDraft } from "#app/models/authoring/drafts.server.ts";
import { saveDetails } from "#app/models/authoring/details.server.ts";
import { runFileIntent } from "#app/models/authoring/file-editor.server.ts";
import { runModuleIntent } from "#app/models/authoring/module-page.server.ts";
import { runReviewIntent } from "#app/models/authoring/review.server.ts";
import { importZipAsDraft } from "#app/models/authoring/zip.server.ts";
import { CreateModuleSchema } from "#app/utils/studio-validation.ts";
import { createUser, importFixtures } from "#tests/factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

/** The bad-input corpus of tests/e2e/bad-input.spec.ts, for the studio's forms (which that crawl does not post). */
const CORPUS: (string | string[])[] = ["", "x".repeat(10_000), "a\u0000b", "<script>alert(1)</script>", "' OR 1=1; --", ["first", "second"], "99999999999999999999999", "-1", "../../etc/passwd"];

function form(fields: Record<string, string | string[]>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  return data;
}

test("the studio's forms answer every bad value with a 4xx and change nothing", async () => {
  const author = await createUser({ role: "author", name: "Corpus Author" });
  const actor = { id: author.id, name: author.name, email: author.email, role: author.role };
  await openDraft(actor, "sample-basics");
  const before = (await getStudioModule("sample-basics"))!.draft!;
  const modulesBefore = (await listStudioModules()).length;

  for (const value of CORPUS) {
    // A repeated field reads as its last value ("second"), which is a good title and address.
    // So is a run of digits ("99999…"), a lawful address.
    if (!Array.isArray(value) && !/^[a-z0-9]+$/.test(value)) expect(CreateModuleSchema.safeParse(Object.fromEntries(form({ intent: "create", title: value, slug: value }))).success).toBe(false);
    for (const intent of ["add-lesson", "submit", "retire-all", value]) {
      const outcome = await runModuleIntent(actor, "sample-basics", form({ intent, draftId: value, revision: value, title: value, key: value, changeNote: value, kind: value }));
      expect(outcome.kind === "errors" && outcome.status >= 400 && outcome.status < 500, `module intent ${String(intent).slice(0, 20)}`).toBe(true);
    }
    for (const intent of ["save", "preview", "delete"]) {
      const outcome = await runFileIntent(actor, "sample-basics", "01-first.mdx", form({ intent, draftId: before.id, revision: value, text: value }));
      expect(outcome.kind === "errors" && outcome.status >= 400 && outcome.status < 500, `file ${intent}`).toBe(true);
    }
    const badFile = await runFileIntent(actor, "sample-basics", String(value), form({ intent: "save", draftId: before.id, revision: String(before.revision), text: "x" }));
    expect(badFile.kind === "errors" && badFile.status >= 400 && badFile.status < 500).toBe(true);
    const details = await saveDetails(actor, "sample-basics", form({ draftId: before.id, revision: value, title: value, summary: value, audience: value, outcomes: value, durationMinutes: value, order: value, certificateValidityMonths: value, overview: value }));
    expect(details.ok).toBe(false);
    const review = await runReviewIntent(actor, "sample-basics", form({ intent: value, draftId: value, revision: value, body: value }));
    expect(review.kind).toBe("invalid");
  }
  await expect(importZipAsDraft(actor, "sample-basics", new TextEncoder().encode("not a zip"))).rejects.toThrow();

  const after = (await getStudioModule("sample-basics"))!.draft!;
  expect(after.revision).toBe(before.revision);
  expect(after.files).toEqual(before.files);
  expect((await listStudioModules()).length).toBe(modulesBefore);
  await expect(createModule(actor, { slug: "sample-basics", title: "Again" })).rejects.toThrow("already exists");
});
