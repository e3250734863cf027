import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import {
  account,
  auditEvents,
  certificates,
  classifyAnswers,
  emailOutbox,
  member,
  people,
  quizAttempts,
  reportRows,
  session,
  user,
} from "#db/schema/index.ts";
import { AccountDeletionError, deleteAccount } from "#app/models/platform/account-deletion.server.ts";
import { createAssignment, extendDueDate } from "#app/models/organisations/assignment.server.ts";
import { verifyCertificate } from "#app/models/learning/certificate.server.ts";
import { confusionMatrix } from "#app/models/reporting/confusion.server.ts";
import { startModule } from "#app/models/learning/enrolment.server.ts";
import { getQuizBankWithAnswers } from "#app/models/learning/module.server.ts";
import { personAssignments, removePerson } from "#app/models/organisations/people.server.ts";
import { acceptInvitation, invitePerson } from "#app/models/organisations/invitation.server.ts";
import { personalData } from "#app/models/platform/personal-data.server.ts";
import { saveAnswers, startAttempt } from "#app/models/learning/quiz-attempt.server.ts";
import { rebuildReport, reportContext, reportSummary } from "#app/models/reporting/report.server.ts";
import { anonymiseLeaversPastRetention, retentionMonths, setRetentionMonths } from "#app/models/platform/retention.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import type { ReportQuery } from "#app/utils/report-query.ts";
import { getUser } from "#app/services/session.server.ts";
import { createUser, importFixtures, sessionCookie } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation, invitationToken, personRow } from "#tests/org-factories.ts";
import { action as deleteAction, loader as deleteLoader } from "#app/routes/account.delete.tsx";
import { loader as dataLoader } from "#app/routes/account.my-data[.json].ts";
import { loader as recordLoader } from "#app/routes/account.training-record[.pdf].ts";
import { loader as verifyLoader } from "#app/routes/verify.$code.tsx";
import { action as retentionAction, loader as retentionLoader } from "#app/routes/org.$orgSlug.retention.tsx";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

const EVERYONE: ReportQuery = { team: null, module: null, status: null, dueFrom: null, dueTo: null, includeLeft: true, sort: "name", dir: "asc", page: 1 };

/** A force with a team: one learner with the module done (certificate, passed quiz), one part-way with an open attempt. */
async function force() {
  const { org, lead } = await createOrganisation({ seats: 20 });
  const teamId = await createTeam(lead, org.id, "Response Team");
  const done = await addLearner(org.id, lead, { name: "Zoë Łukasiewicz-Ng", teamId, staffNumber: "ZL1234" });
  const partway = await addLearner(org.id, lead, { name: "Priya Partway", teamId, staffNumber: "PP0001" });
  const assignmentId = await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "organisation", teamId: null, personIds: [], dueDate: "2027-01-31", dueDays: null });
  await extendDueDate(lead, org.id, assignmentId, done.personId, "2027-02-28", "Zoë was on sick leave with a broken wrist");
  await completeModule(done.learner.id, "sample-basics", { organizationId: org.id });
  await startModule({ userId: partway.learner.id, slug: "sample-basics", organizationId: org.id });
  return { org, lead, teamId, done, partway, assignmentId };
}

/** The report rows of an organisation, as a comparable list. */
async function rowsOf(organizationId: string) {
  const rows = await handle.db.select().from(reportRows).where(eq(reportRows.organizationId, organizationId)).orderBy(reportRows.personId, reportRows.moduleId);
  return rows.map(({ refreshedAt: _refreshed, ...row }) => row);
}

async function figures(organizationId: string) {
  const context = await reportContext(organizationId);
  const summary = await reportSummary(context, EVERYONE, null);
  const matrix = await confusionMatrix({ organisationId: organizationId });
  const attempts = await handle.db.execute(sql`
    select count(*)::int as n from quiz_attempts qa join enrolments e on e.id = qa.enrolment_id where e.organization_id = ${organizationId}`);
  const answers = await handle.db.select({ n: sql<number>`count(*)::int` }).from(classifyAnswers).where(eq(classifyAnswers.organizationId, organizationId));
  const counts = await handle.db.execute(sql`select coalesce(sum(n), 0)::int as n from classify_counts where organization_id = ${organizationId}`);
  return {
    overall: summary.overall,
    byTeam: summary.byTeam,
    matrixRows: matrix.rows.map((r) => r.expected),
    attempts: (attempts as unknown as { rows: { n: number }[] }).rows[0]!.n,
    answers: answers[0]!.n,
    counted: (counts as unknown as { rows: { n: number }[] }).rows[0]!.n,
  };
}

/** Every table and column where this text still appears (the whole database, text and JSON columns). */
async function whereStill(text: string): Promise<string[]> {
  const columns = (await handle.db.execute(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'jsonb', 'json', 'character varying')`)) as unknown as { rows: { table_name: string; column_name: string }[] };
  const found: string[] = [];
  for (const c of columns.rows) {
    const hit = (await handle.db.execute(
      sql`select 1 from ${sql.identifier(c.table_name)} where ${sql.identifier(c.column_name)}::text ilike ${`%${text}%`} limit 1`,
    )) as unknown as { rows: unknown[] };
    if (hit.rows.length) found.push(`${c.table_name}.${c.column_name}`);
  }
  return found;
}

const call = async <T,>(fn: (args: never) => Promise<T>, url: string, cookie: string, params: Record<string, string> = {}, init: RequestInit = {}) =>
  fn({ request: new Request(url, { ...init, headers: { Cookie: cookie, ...(init.headers ?? {}) } }), params, context: {} } as never);

const post = (fields: Record<string, string>) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});

async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected it to throw");
}

test("deleting an account erases the person everywhere, while the organisation's figures, attempts and answers stay the same", async () => {
  const { org, done, partway } = await force();
  const before = await figures(org.id);
  expect(before.overall.completed).toBe(1);
  expect(before.overall["in-progress"]).toBe(1);
  expect(before.answers).toBeGreaterThan(0);
  const [cert] = await handle.db.select({ code: certificates.code }).from(certificates).where(eq(certificates.userId, done.learner.id));

  await deleteAccount(done.learner.id, done.learner.password, new Date("2026-12-06T10:00:00Z"));

  // The statistics: the same counts by status and team, the same attempts and classify answers, counted the same.
  expect(await figures(org.id)).toEqual(before);
  // The derived tables are what the triggers would compute from scratch.
  const kept = await rowsOf(org.id);
  await rebuildReport(org.id);
  expect(await rowsOf(org.id)).toEqual(kept);
  expect(await figures(org.id)).toEqual(before);

  // Their report row: anonymised, still completed, no certificate code (verify would name them).
  const row = kept.find((r) => r.personId === done.personId)!;
  expect(row).toMatchObject({
    personName: "Anonymised person",
    email: `anonymised-${done.personId}@anonymised.invalid`,
    staffNumber: null,
    userId: null,
    personStatus: "left",
    certificateCode: null,
    due: "2027-02-28",
    extended: true,
  });
  expect(row.completedAt).not.toBeNull();
  expect(row.attempts).toBe(1);
  // The person's page (worked out from the truth, not report_rows) agrees.
  expect(await personAssignments(org.id, done.personId)).toEqual([
    expect.objectContaining({ status: "completed", certificateCode: null, due: "2027-02-28", extended: true }),
  ]);

  // The account is a tombstone: no name, no address, no password, no sessions, no memberships.
  const [tombstone] = await handle.db.select().from(user).where(eq(user.id, done.learner.id));
  expect(tombstone).toMatchObject({ name: "Deleted account", email: `deleted-${done.learner.id}@deleted.invalid`, banned: true, banReason: "Account deleted" });
  expect(await handle.db.select().from(session).where(eq(session.userId, done.learner.id))).toEqual([]);
  expect(await handle.db.select().from(account).where(eq(account.userId, done.learner.id))).toEqual([]);
  expect(await handle.db.select().from(member).where(eq(member.userId, done.learner.id))).toEqual([]);
  expect(await handle.db.select({ id: quizAttempts.id }).from(quizAttempts).where(eq(quizAttempts.userId, done.learner.id))).toHaveLength(1);

  // Nothing anywhere still holds their name, email, staff number or the reason they gave for an extension.
  expect(await whereStill("Łukasiewicz")).toEqual([]);
  expect(await whereStill(done.learner.email)).toEqual([]);
  expect(await whereStill("ZL1234")).toEqual([]);
  expect(await whereStill("broken wrist")).toEqual([]);
  // The other learner is untouched.
  expect((await personRow(partway.personId)).name).toBe("Priya Partway");

  // The certificate no longer vouches for anyone.
  expect(await verifyCertificate(cert!.code)).toMatchObject({ kind: "withdrawn", withdrawnAt: new Date("2026-12-06T10:00:00Z") });
  const publicPage = (await call(verifyLoader, `http://localhost/verify/${cert!.code}`, "", { code: cert!.code })) as { init: { status: number }; data: { result: unknown } };
  expect(publicPage.init.status).toBe(410);
  expect(JSON.stringify(publicPage.data)).not.toContain("Name erased");

  // Audited, without naming them.
  const events = await handle.db.select({ action: auditEvents.action, details: auditEvents.details, actor: auditEvents.actorLabel }).from(auditEvents).where(eq(auditEvents.targetId, done.learner.id));
  expect(events).toEqual([{ action: "account.deleted", actor: "Deleted account", details: { organisations: 1, certificates: 1 } }]);
  const [anonymised] = await handle.db
    .select({ details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "person.anonymised"), eq(auditEvents.targetId, done.personId)));
  expect(anonymised?.details).toEqual({ reason: "account deleted" });

  // The address is free: the same person can start again with a new account, and be invited back as someone new.
  const again = await createUser({ email: done.learner.email, name: "Zoë Łukasiewicz-Ng" });
  expect(again.id).not.toBe(done.learner.id);
});

test("deleting needs the right password, and the last training lead or trust staff cannot delete themselves; nothing changes when refused", async () => {
  const { org, lead, done } = await force();
  const wrong = await thrown(() => deleteAccount(done.learner.id, "not my password"));
  expect(wrong).toBeInstanceOf(AccountDeletionError);
  expect(wrong).toMatchObject({ field: "password", message: "The password is not right" });
  expect((await personRow(done.personId)).name).toBe("Zoë Łukasiewicz-Ng");

  const onlyLead = await thrown(() => deleteAccount(lead.id, lead.password));
  expect(onlyLead).toMatchObject({ field: "form", status: 403, message: `You are the only training lead of ${org.name}. Make someone else a training lead there first.` });
  const [leadRow] = await handle.db.select({ name: user.name }).from(user).where(eq(user.id, lead.id));
  expect(leadRow?.name).toBe("Lee Lead");

  const admin = await createUser({ role: "admin" });
  expect(await thrown(() => deleteAccount(admin.id, admin.password))).toMatchObject({ field: "form", status: 403 });
});

test("the data download holds the account, memberships, lessons, every attempt with the answers given, certificates, due dates and audit events, and no answer key", async () => {
  const { org, done, partway } = await force();
  // An open attempt with one answer saved: its answer is in the export, whether it was right is not.
  const attemptId = await startAttempt(partway.learner.id, "sample-basics");
  const [open] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  const bank = await getQuizBankWithAnswers(open!.moduleVersionId);
  const first = bank!.questions.find((q) => q.id === open!.questionIds[0])!;
  const answer = first.type === "classify" ? first.answer : first.options[0]!.id;
  await saveAnswers(partway.learner.id, attemptId, [[`q-${first.id}`, answer]]);

  const mine = (await personalData(done.learner.id, new Date("2026-12-06T12:00:00Z")))!;
  expect(mine.format).toBe("distinct-personal-data/1");
  expect(mine.account).toMatchObject({ name: "Zoë Łukasiewicz-Ng", email: done.learner.email, platformRole: "user" });
  expect(mine.memberships).toEqual([
    expect.objectContaining({ organisation: org.name, name: "Zoë Łukasiewicz-Ng", staffNumber: "ZL1234", team: "Response Team", access: "learner", status: "active" }),
  ]);
  expect(mine.enrolments).toHaveLength(1);
  expect(mine.enrolments[0]!.lessons.map((l) => l.key)).toEqual(["first", "second", "sources"]);
  expect(mine.enrolments[0]!.lessons.every((l) => l.completedAt !== null)).toBe(true);
  expect(mine.attempts).toHaveLength(1);
  expect(mine.attempts[0]).toMatchObject({ module: "sample-basics", attemptNumber: 1, passed: true, score: 100 });
  expect(mine.attempts[0]!.answers).toHaveLength(4);
  expect(mine.attempts[0]!.answers.every((a) => a.correct === true && a.answer.length > 0 && a.question)).toBe(true);
  expect(mine.certificates).toEqual([expect.objectContaining({ name: "Zoë Łukasiewicz-Ng", module: "Sample basics", version: 1, status: "valid" })]);
  expect(mine.assignments).toEqual([expect.objectContaining({ organisation: org.name, module: "Sample basics", due: "2027-02-28", extended: true, status: "completed" })]);
  const actions = mine.auditEvents.map((e) => e.action);
  expect(actions).toEqual(expect.arrayContaining(["person.invited", "person.joined", "assignment.extended"]));
  expect(mine.auditEvents.find((e) => e.action === "person.joined")?.by).toBe("you");

  const theirs = (await personalData(partway.learner.id))!;
  const openAttempt = theirs.attempts[0]!;
  expect(openAttempt.submittedAt).toBeNull();
  expect(openAttempt.answers.every((a) => a.correct === null)).toBe(true);
  expect(openAttempt.answers[0]!.answer).toHaveLength(1);
  // Explanations and feedback (the answer keys' companions) never leave the server.
  const text = JSON.stringify([mine, theirs]);
  expect(text).not.toContain("FIXTURE-EXPLANATION");
  expect(text).not.toContain("FIXTURE-FEEDBACK");
  expect(text).not.toContain('"answer":"stalking-s2a"');

  // Through the route: a JSON file to download, for the signed-in learner only.
  const response = (await call(dataLoader, "http://localhost/account/my-data.json", await sessionCookie(done.learner))) as Response;
  expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
  expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="distinct-my-data-\d{4}-\d{2}-\d{2}\.json"$/);
  const parsed = (await response.json()) as { account: { email: string }; certificates: unknown[] };
  expect(parsed.account.email).toBe(done.learner.email);
  expect(parsed.certificates).toHaveLength(1);
  const anonymous = await thrown(() => call(dataLoader, "http://localhost/account/my-data.json", ""));
  expect(anonymous).toBeInstanceOf(Response);
  expect((anonymous as Response).headers.get("Location")).toBe("/login?redirectTo=%2Faccount%2Fmy-data.json");
});

test("the training record PDF reads back with the learner's name in any script, certificates, due dates and results", async () => {
  const { org, done } = await force();
  const response = (await call(recordLoader, "http://localhost/account/training-record.pdf", await sessionCookie(done.learner))) as Response;
  expect(response.headers.get("Content-Type")).toBe("application/pdf");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-record-"));
  const file = path.join(dir, "record.pdf");
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  const [cert] = await handle.db.select({ code: certificates.code }).from(certificates).where(eq(certificates.userId, done.learner.id));
  const formatted = `${cert!.code.slice(0, 4)}-${cert!.code.slice(4, 8)}-${cert!.code.slice(8)}`;
  expect(text).toContain("Training record");
  expect(text).toContain("Zoë Łukasiewicz-Ng");
  expect(text).toContain("Sample basics, version 1");
  expect(text).toContain(`code ${formatted}`);
  expect(text).toContain(`Sample basics (${org.name})`);
  expect(text).toContain("Completed · due 28 February 2027 (extended)");
  expect(text).toContain("Sample basics, version 1: attempt 1");
  expect(text).toContain("score 100% · passed");
  expect(text).toContain("staff number ZL1234");
  expect(text).toContain("page 1 of 1");
  fs.rmSync(dir, { recursive: true });
});

test("the delete form: confirmation and password are checked (400, nothing changed), then the account goes, its cookies are cleared and its session no longer signs in", async () => {
  const { done } = await force();
  const cookie = await sessionCookie(done.learner);
  const url = "http://localhost/account/delete";
  const page = (await call(deleteLoader, url, cookie)) as { certificates: number; organisations: string[]; blockers: string[] };
  expect(page.certificates).toBe(1);
  expect(page.blockers).toEqual([]);

  const noConfirm = (await call(deleteAction, url, cookie, {}, post({ password: done.learner.password, confirm: "yes" }))) as { init: { status: number }; data: { result: { error: Record<string, string[]> } } };
  expect(noConfirm.init.status).toBe(400);
  expect(noConfirm.data.result.error).toEqual({ confirm: ["Type delete to confirm"] });

  const badPassword = (await call(deleteAction, url, cookie, {}, post({ password: "wrong password", confirm: "delete" }))) as typeof noConfirm;
  expect(badPassword.init.status).toBe(400);
  expect(badPassword.data.result.error).toEqual({ password: ["The password is not right"] });
  expect((await personRow(done.personId)).name).toBe("Zoë Łukasiewicz-Ng");

  const done302 = (await call(deleteAction, url, cookie, {}, post({ password: done.learner.password, confirm: " Delete " }))) as Response;
  expect(done302.status).toBe(302);
  expect(done302.headers.get("Location")).toBe("/account/deleted");
  const cleared = done302.headers.getSetCookie().map((c) => c.split(";")[0]);
  expect(cleared).toContain("distinct.session_token=");
  expect((await personRow(done.personId)).name).toBe("Anonymised person");
  // The session is gone from the database: its token alone signs no one in.
  const token = cookie.split("; ").filter((c) => c.startsWith("distinct.session_token=")).join("; ");
  expect(await getUser(new Request("http://localhost/learning", { headers: { Cookie: token } }))).toBeNull();
});

test("the retention job anonymises people who left, exactly when the organisation's period has passed (London calendar), once, audited", async () => {
  const { org, lead } = await createOrganisation({ seats: 20 });
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "organisation", teamId: null, personIds: [], dueDate: "2024-09-30", dueDays: null });
  const winter = await addLearner(org.id, lead, { name: "Walter Winter", staffNumber: "W1" });
  const summer = await addLearner(org.id, lead, { name: "Susan Summer", staffNumber: "S1" });
  const staying = await addLearner(org.id, lead, { name: "Stan Staying", staffNumber: "S2" });
  await completeModule(winter.learner.id, "sample-basics", { organizationId: org.id });
  for (const p of [winter, summer]) await removePerson(lead, org.id, p.personId);
  // Left at 10:00 GMT on 15 March 2024; and at 00:30 on 1 July 2024 in London (23:30 GMT on 30 June, summer time).
  await handle.db.update(people).set({ leftAt: new Date("2024-03-15T10:00:00Z") }).where(eq(people.id, winter.personId));
  await handle.db.update(people).set({ leftAt: new Date("2024-06-30T23:30:00Z") }).where(eq(people.id, summer.personId));
  const before = await figures(org.id);

  // The default, 24 months: 15 March 2026 10:00 in London is 10:00 GMT (summer time starts on the 29th).
  expect(await retentionMonths(org.id)).toBe(24);
  expect(await anonymiseLeaversPastRetention(new Date("2026-03-15T09:59:59Z"))).toEqual({ anonymised: 0 });
  expect((await personRow(winter.personId)).name).toBe("Walter Winter");
  expect(await anonymiseLeaversPastRetention(new Date("2026-03-15T10:00:00Z"))).toEqual({ anonymised: 1 });
  const gone = await personRow(winter.personId);
  expect(gone).toMatchObject({ name: "Anonymised person", staffNumber: null, userId: null, formerUserId: winter.learner.id, status: "left" });
  expect(gone.anonymisedAt).toEqual(new Date("2026-03-15T10:00:00Z"));
  expect((await personRow(summer.personId)).name).toBe("Susan Summer");

  // Six months: 1 July 2024 00:30 in London + 6 months = 1 January 2025 00:30 GMT.
  await setRetentionMonths(lead, org.id, 6);
  expect(await anonymiseLeaversPastRetention(new Date("2025-01-01T00:29:59Z"))).toEqual({ anonymised: 0 });
  expect(await anonymiseLeaversPastRetention(new Date("2025-01-01T00:30:00Z"))).toEqual({ anonymised: 1 });
  expect((await personRow(summer.personId)).name).toBe("Anonymised person");
  // Once: a second run finds no one; people still in the organisation are never touched.
  expect(await anonymiseLeaversPastRetention(new Date("2030-01-01T00:00:00Z"))).toEqual({ anonymised: 0 });
  expect((await personRow(staying.personId)).name).toBe("Stan Staying");

  // Their figures stay, and the report is still what the triggers compute from scratch.
  expect(await figures(org.id)).toEqual(before);
  const kept = await rowsOf(org.id);
  await rebuildReport(org.id);
  expect(await rowsOf(org.id)).toEqual(kept);
  expect(kept.find((r) => r.personId === winter.personId)).toMatchObject({ personName: "Anonymised person", certificateCode: null, attempts: 1 });
  expect(kept.find((r) => r.personId === winter.personId)?.completedAt).not.toBeNull();

  // The account itself is theirs and stays; invited back, they join as a new person, and both rows count.
  const [walter] = await handle.db.select({ name: user.name }).from(user).where(eq(user.id, winter.learner.id));
  expect(walter?.name).toBe("Walter Winter");
  const back = await invitePerson(lead, org.id, { email: winter.learner.email, name: "Walter Winter", staffNumber: "W1", rank: null, teamId: null, role: "member" });
  await acceptInvitation(await invitationToken(winter.learner.email), winter.learner);
  expect(back.personId).not.toBe(winter.personId);
  expect((await rowsOf(org.id)).filter((r) => r.personStatus !== "left" || r.personId === winter.personId).length).toBe(4);

  const audit = await handle.db
    .select({ action: auditEvents.action, details: auditEvents.details, actor: auditEvents.actorLabel })
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, org.id), sql`${auditEvents.action} in ('person.anonymised', 'organisation.retention-changed')`))
    .orderBy(auditEvents.id);
  expect(audit).toEqual([
    { action: "person.anonymised", actor: "system", details: { reason: "retention", retentionMonths: 24, leftAt: "2024-03-15T10:00:00.000Z" } },
    { action: "organisation.retention-changed", actor: `Lee Lead <${lead.email}>`, details: { from: 24, to: 6 } },
    { action: "person.anonymised", actor: "system", details: { reason: "retention", retentionMonths: 6, leftAt: "2024-06-30T23:30:00.000Z" } },
  ]);
  // Mail to them about the organisation is not kept waiting either way: nothing was queued for the anonymised addresses.
  expect(await handle.db.select().from(emailOutbox).where(eq(emailOutbox.recipient, `anonymised-${winter.personId}@anonymised.invalid`))).toEqual([]);
});

test("the retention form: a training lead sets the months within bounds; out of bounds or not a number is a 400 naming the field, and the database refuses it too", async () => {
  const { org, lead } = await createOrganisation();
  const cookie = await sessionCookie(lead);
  const url = `http://localhost/org/${org.slug}/retention`;
  const params = { orgSlug: org.slug };
  for (const [value, message] of [
    ["5", "Keep details for at least 6 months"],
    ["85", "Keep details for at most 84 months (7 years)"],
    ["two years", "Enter the number of months as a whole number, like 24"],
    ["", "Enter the number of months"],
  ] as const) {
    const reply = (await call(retentionAction, url, cookie, params, post({ retentionMonths: value }))) as { init: { status: number }; data: { result: { error: Record<string, string[]> } } };
    expect(reply.init.status, value).toBe(400);
    expect(reply.data.result.error, value).toEqual({ retentionMonths: [message] });
  }
  expect(await retentionMonths(org.id)).toBe(24);
  const saved = (await call(retentionAction, url, cookie, params, post({ retentionMonths: " 36 " }))) as Response;
  expect(saved.status).toBe(302);
  expect(saved.headers.get("Location")).toBe(`/org/${org.slug}/retention?saved=1`);
  expect(await retentionMonths(org.id)).toBe(36);
  const page = (await call(retentionLoader, url, cookie, params)) as { months: number; named: number };
  expect(page).toMatchObject({ months: 36, named: 0 });

  // A learner of the organisation cannot change it.
  const { learner } = await addLearner(org.id, lead);
  const learnerCookie = await sessionCookie(learner);
  const refused = await thrown(() => call(retentionAction, url, learnerCookie, params, post({ retentionMonths: "12" })));
  expect((refused as Response).status).toBe(403);
  await expect(setRetentionMonths(lead, org.id, 200)).rejects.toThrow();
  expect(await retentionMonths(org.id)).toBe(36);
});
