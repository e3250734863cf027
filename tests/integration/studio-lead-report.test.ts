import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { assignmentPeople, assignments, auditEvents, emailOutbox, reportRows } from "#db/schema/index.ts";
import { changeDraft, getStudioModule, openDraft } from "#app/models/authoring/drafts.server.ts";
import { approveDraft, submitForReview } from "#app/models/authoring/review.server.ts";
import { acknowledgeUpdate } from "#app/models/authoring/updates.server.ts";
import { startModule } from "#app/models/learning/enrolment.server.ts";
import { createAssignment, learnerAssignments, olderVersionCounts } from "#app/models/organisations/assignment.server.ts";
import { removePerson } from "#app/models/organisations/people.server.ts";
import { londonDate } from "#app/utils/assignment-status.ts";
import { REPORT_CSV_HEADER } from "#app/utils/report-csv.ts";
import { createUser, importFixtures, sessionCookie } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { loader as csvLoader } from "#app/routes/org.$orgSlug.reports.export[.csv].ts";
import { loader as xlsxLoader } from "#app/routes/org.$orgSlug.reports.export[.xlsx].ts";
import { action as reportsAction, loader as reportsLoader } from "#app/routes/org.$orgSlug.reports.tsx";
import { loader as assignmentLoader } from "#app/routes/org.$orgSlug.assignments.$assignmentId.tsx";
import { openTestDatabase } from "./database.ts";

/*
 * Issue 17 item 8, the training lead's side (docs/decisions/036): the report
 * and its exports say who completed the current version, who an older one
 * (which), and who acknowledged the change; the lead assigns the new version
 * to exactly the older-version completers, and that assignment is not met by
 * their old completion.
 */

const handle = await openTestDatabase();
await importFixtures(handle);
const SLUG = "sample-basics";
const actorOf = (u: { id: string; name: string; email: string; role: string }) => ({ id: u.id, name: u.name, email: u.email, role: u.role });

async function publish(material: boolean, file: string, line: string) {
  const author = actorOf(await createUser({ role: "author", name: "Ann Author" }));
  const admin = actorOf(await createUser({ role: "admin", name: "Rev Admin" }));
  const draftId = await openDraft(author, SLUG);
  const revision = (await getStudioModule(SLUG))!.draft!.revision;
  const saved = await changeDraft(author, { slug: SLUG, draftId, revision, change: "edit" }, (files) => ({ ...files, [file]: `${files[file]}\n${line}\n` }));
  if (!saved.ok) throw new Error("refused");
  await submitForReview(author, { slug: SLUG, draftId, revision: saved.revision, changeNote: material ? "New law" : "Typo", materialChange: material });
  return approveDraft(admin, { slug: SLUG, draftId, revision: saved.revision });
}

const call = async <T,>(fn: (args: never) => Promise<T>, url: string, cookie: string, params: Record<string, string>, init: RequestInit = {}) =>
  fn({ request: new Request(url, { ...init, headers: { Cookie: cookie, ...(init.headers ?? {}) } }), params, context: {} } as never);

const post = (url: string, cookie: string, orgSlug: string, fields: Record<string, string>) =>
  call(reportsAction, url, cookie, { orgSlug }, { method: "POST", body: new URLSearchParams(fields), headers: { "Content-Type": "application/x-www-form-urlencoded" } });

type LoaderData = Exclude<Awaited<ReturnType<typeof reportsLoader>>, { init: unknown }>;
type ActionData = { data: { assignVersion: { errors: Record<string, string[]> } }; init: { status: number } };

/** The version columns of the CSV, by person name. */
async function csvVersionColumns(orgSlug: string, cookie: string) {
  const response = (await call(csvLoader, `http://localhost/org/${orgSlug}/reports/export.csv?module=${SLUG}&left=1`, cookie, { orgSlug })) as Response;
  const records = parse(await response.text(), { bom: true }) as string[][];
  expect(records[0]!.slice(-4)).toEqual(["Completed version", "Current version", "Completed the current version", "Change acknowledged"]);
  const name = REPORT_CSV_HEADER.indexOf("Name");
  const status = REPORT_CSV_HEADER.indexOf("Status");
  return Object.fromEntries(records.slice(1).map((r) => [r[name], [r[status], ...r.slice(-4)]]));
}

test("the lead's report, CSV and XLSX say who completed the current version, an older one, and who acknowledged; assigning the new version reaches exactly the older completers", async () => {
  const { org, lead } = await createOrganisation({ name: "Versions Constabulary", seats: 20 });
  const cookie = await sessionCookie(lead);
  const ada = await addLearner(org.id, lead, { name: "Ada Acker" });
  const ben = await addLearner(org.id, lead, { name: "Ben Busy" });
  const cy = await addLearner(org.id, lead, { name: "Cy Midway" });
  const dee = await addLearner(org.id, lead, { name: "Dee Departed" });
  const eve = await addLearner(org.id, lead, { name: "Eve Early" });
  await createAssignment(lead, org.id, { moduleSlug: SLUG, target: "organisation", teamId: null, personIds: [], dueDate: null, dueDays: 30 });
  for (const p of [ada, ben, dee]) await completeModule(p.learner.id, SLUG, { organizationId: org.id });
  await startModule({ userId: cy.learner.id, slug: SLUG, organizationId: org.id });
  await removePerson(lead, org.id, dee.personId);

  // A correction (version 2): older completers were never asked to acknowledge anything.
  await publish(false, "01-first.mdx", "A corrected word.");
  expect(await csvVersionColumns(org.slug, cookie)).toMatchObject({
    "Ada Acker": ["Completed", "1", "2", "No: version 1", "Not asked: corrections only"],
    "Cy Midway": ["In progress", "", "2", "", ""],
  });

  // A material change (version 3). Ada reads what changed; Eve completes version 3.
  await publish(true, "02-second.mdx", "A new duty.");
  await acknowledgeUpdate(ada.learner.id, SLUG);
  await completeModule(eve.learner.id, SLUG, { organizationId: org.id });
  const today = londonDate(new Date());
  expect(await csvVersionColumns(org.slug, cookie)).toEqual({
    "Ada Acker": ["Completed", "1", "3", "No: version 1", `Yes, ${today}`],
    "Ben Busy": ["Completed", "1", "3", "No: version 1", "No"],
    "Cy Midway": ["In progress", "", "3", "", ""],
    "Dee Departed": ["Completed", "1", "3", "No: version 1", "No"],
    "Eve Early": ["Completed", "3", "3", "Yes", ""],
    "Lee Lead": ["Not started", "", "3", "", ""],
  });

  // The XLSX export has the same four columns and values.
  const xlsx = (await call(xlsxLoader, `http://localhost/org/${org.slug}/reports/export.xlsx?module=${SLUG}`, cookie, { orgSlug: org.slug })) as Response;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
  const sheet = workbook.getWorksheet("Training report")!;
  const sheetRows: unknown[][] = [];
  sheet.eachRow((row) => sheetRows.push(Array.isArray(row.values) ? row.values.slice(1) : []));
  expect(sheetRows[0]!.slice(-4)).toEqual(["Completed version", "Current version", "Completed the current version", "Change acknowledged"]);
  const ben16 = sheetRows.find((r) => r[1] === "Ben Busy")!;
  expect(ben16.slice(16, 20)).toEqual([1, 3, "No: version 1", "No"]);

  // The page: the table's column, the notice on the unfiltered report, and the module's section.
  const base = `http://localhost/org/${org.slug}/reports`;
  const unfiltered = (await call(reportsLoader, base, cookie, { orgSlug: org.slug })) as LoaderData;
  expect(unfiltered.olderVersions).toEqual([{ slug: SLUG, title: "Sample basics", currentVersion: 3, people: 2 }]);
  const page = (await call(reportsLoader, `${base}?module=${SLUG}`, cookie, { orgSlug: org.slug })) as LoaderData;
  const ben1 = page.report!.page.rows.find((r) => r.name === "Ben Busy")!;
  expect([ben1.lastCompletedVersion, ben1.currentVersion, ben1.changeAcknowledgement]).toEqual([1, 3, { state: "not-acknowledged" }]);
  // People who left are not assigned anything.
  expect(page.completers!.people.map((p) => [p.name, p.completedVersion])).toEqual([
    ["Ada Acker", 1],
    ["Ben Busy", 1],
  ]);
  expect(page.completers!.materialSince).toBe(true);

  // Refused whole: an impossible due date, and a version that is no longer current. Nothing written.
  const countAssignments = async () => (await handle.db.select({ id: assignments.id }).from(assignments).where(eq(assignments.organizationId, org.id))).length;
  expect(await countAssignments()).toBe(1);
  const badDate = (await post(base, cookie, org.slug, { intent: "assign-version", module: SLUG, version: "3", dueDate: "2027-02-30" })) as unknown as ActionData;
  expect(badDate.init.status).toBe(400);
  expect(badDate.data.assignVersion.errors.dueDate).toEqual(["Due date must be a real date written as YYYY-MM-DD, like 2026-12-31"]);
  const stale = (await post(base, cookie, org.slug, { intent: "assign-version", module: SLUG, version: "2", dueDate: "" })) as unknown as ActionData;
  expect(stale.init.status).toBe(400);
  expect(stale.data.assignVersion.errors.version).toEqual([
    "Version 3 of “Sample basics” has been published since you looked. Check who completed an older version, then assign again.",
  ]);
  expect(await countAssignments()).toBe(1);

  // The real assignment: exactly Ada and Ben, version 3 required, due on the date given.
  const done = (await post(base, cookie, org.slug, { intent: "assign-version", module: SLUG, version: "3", dueDate: "2030-06-30" })) as Response;
  expect(done.status).toBe(302);
  const location = done.headers.get("Location")!;
  expect(location).toMatch(new RegExp(`^/org/${org.slug}/assignments/[0-9a-f-]{36}\\?created=1$`));
  const assignmentId = location.split("/")[4]!.split("?")[0]!;
  const [created] = await handle.db.select().from(assignments).where(eq(assignments.id, assignmentId));
  expect([created!.target, created!.requiredVersion, created!.dueDate]).toEqual(["people", 3, "2030-06-30"]);
  const named = await handle.db.select({ personId: assignmentPeople.personId }).from(assignmentPeople).where(eq(assignmentPeople.assignmentId, assignmentId));
  expect(named.map((n) => n.personId).sort()).toEqual([ada.personId, ben.personId].sort());
  const shown = (await call(assignmentLoader, `http://localhost${location}`, cookie, { orgSlug: org.slug, assignmentId })) as { assignment: { requiredVersion: number; people: { person: { name: string }; status: string }[] } };
  expect(shown.assignment.requiredVersion).toBe(3);
  expect(shown.assignment.people.map((p) => [p.person.name, p.status])).toEqual([
    ["Ada Acker", "not-started"],
    ["Ben Busy", "not-started"],
  ]);

  // Their old completion no longer meets the assignment: the report says so, and keeps "completed version 1".
  expect(await csvVersionColumns(org.slug, cookie)).toMatchObject({
    "Ada Acker": ["Not started", "1", "3", "No: version 1", `Yes, ${today}`],
    "Ben Busy": ["Not started", "1", "3", "No: version 1", "No"],
    "Eve Early": ["Completed", "3", "3", "Yes", ""],
    "Dee Departed": ["Completed", "1", "3", "No: version 1", "No"],
  });
  const [benRow] = await handle.db.select().from(reportRows).where(and(eq(reportRows.personId, ben.personId)));
  expect([benRow!.completedVersion, benRow!.lastCompletedVersion, benRow!.due]).toEqual([null, 1, "2030-06-30"]);
  expect((await learnerAssignments(ben.learner.id)).map((a) => [a.slug, a.status, a.due])).toEqual([[SLUG, "not-started", "2030-06-30"]]);
  expect(await olderVersionCounts(org.id)).toEqual([]);

  // They were told, and it was audited.
  const mail = await handle.db.select({ subject: emailOutbox.subject, text: emailOutbox.text }).from(emailOutbox).where(eq(emailOutbox.recipient, ben.learner.email));
  expect(mail.map((m) => m.subject)).toContain("Updated training from Versions Constabulary: Sample basics");
  expect(mail.find((m) => m.subject.startsWith("Updated"))!.text).toContain("has asked you to complete the new version (version 3)");
  const [event] = await handle.db.select({ details: auditEvents.details }).from(auditEvents).where(and(eq(auditEvents.action, "assignment.created"), eq(auditEvents.targetId, assignmentId)));
  expect(event!.details).toMatchObject({ module: SLUG, target: "people", people: 2, requiredVersion: 3 });

  // Nobody is left to assign: a second post is refused and writes nothing.
  const again = (await post(base, cookie, org.slug, { intent: "assign-version", module: SLUG, version: "3", dueDate: "" })) as unknown as ActionData;
  expect(again.init.status).toBe(400);
  expect(again.data.assignVersion.errors.people).toEqual(["No one here still has only an older version of “Sample basics” and no assignment of version 3."]);
  expect(await countAssignments()).toBe(2);

  // Ben takes version 3: completed again, on the current version.
  await completeModule(ben.learner.id, SLUG, { organizationId: org.id });
  expect((await csvVersionColumns(org.slug, cookie))["Ben Busy"]).toEqual(["Completed", "3", "3", "Yes", ""]);
});
