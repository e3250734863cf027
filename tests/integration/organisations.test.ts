import fs from "node:fs";
import path from "node:path";
import { and, count, eq, sql } from "drizzle-orm";
import { expect, test, vi } from "vitest";
import { assignments, auditEvents, certificates, emailOutbox, enrolments, invitation, member, people } from "#db/schema/index.ts";
import { createAssignment, extendDueDate, learnerAssignments, sendDueReminders, sendWeeklyOverdueDigest } from "#app/models/organisations/assignment.server.ts";
import { SeatLimitError, TRIAL_SEATS } from "#app/models/billing/licence.server.ts";
import { PersonInputError, removePerson, updatePerson } from "#app/models/organisations/people.server.ts";
import { acceptInvitation, getInvitation, InvitationError, invitePerson, joinByEmailDomain } from "#app/models/organisations/invitation.server.ts";
import { applyImport, checkUpload, getImportPreview } from "#app/models/organisations/staff-import.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { createUser, importFixtures } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation, invitationToken, personRow } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);
const CSV = path.resolve(import.meta.dirname, "..", "fixtures", "csv");

test("a new organisation's first training lead is invited, accepts, and becomes a member with the lead role", async () => {
  const { org, lead } = await createOrganisation();
  const [row] = await handle.db.select().from(people).where(and(eq(people.organizationId, org.id), eq(people.email, lead.email)));
  expect(row).toMatchObject({ status: "active", role: "admin", userId: lead.id });
  const [membership] = await handle.db.select({ role: member.role }).from(member).where(and(eq(member.organizationId, org.id), eq(member.userId, lead.id)));
  expect(membership?.role).toBe("admin");
  const mails = await handle.db.select({ kind: emailOutbox.kind }).from(emailOutbox).where(eq(emailOutbox.recipient, lead.email));
  expect(mails.map((m) => m.kind)).toContain("invitation");
});

test("invitations: one at a time per address, staff numbers unique, the right person accepts, expired links refused", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const input = { email: "new.officer@force.example.org", name: "New Officer", staffNumber: "AB123", rank: "PC", teamId: null, role: "member" as const };
  const first = await invitePerson(lead, org.id, input);
  await expect(invitePerson(lead, org.id, input)).rejects.toBeInstanceOf(PersonInputError);
  await expect(invitePerson(lead, org.id, { ...input, email: "other@force.example.org" })).rejects.toMatchObject({ field: "staffNumber" });
  const token = await invitationToken(input.email);
  const stranger = await createUser();
  await expect(acceptInvitation(token, stranger)).rejects.toBeInstanceOf(InvitationError);
  const invited = await createUser({ email: input.email, name: input.name });
  await handle.db.update(invitation).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(invitation.id, first.invitationId));
  expect((await getInvitation(token))?.state).toBe("expired");
  await expect(acceptInvitation(token, invited)).rejects.toThrow(/expired/);
  await handle.db.update(invitation).set({ expiresAt: sql`now() + interval '1 day'` }).where(eq(invitation.id, first.invitationId));
  await acceptInvitation(token, invited);
  await acceptInvitation(token, invited);
  const [{ n } = { n: 0 }] = await handle.db.select({ n: count() }).from(member).where(and(eq(member.organizationId, org.id), eq(member.userId, invited.id)));
  expect(n).toBe(1);
  expect(await personRow(first.personId)).toMatchObject({ status: "active", staffNumber: "AB123", rank: "PC" });
});

test("people on an allowed domain join as learners when they confirm their address; not when no seat is free", async () => {
  const domain = `force${crypto.randomUUID().slice(0, 6)}.police.uk`;
  const { org, lead } = await createOrganisation({ name: "Domain Join Police", domains: [domain] });
  const joined = [];
  // Without a licence the trial allowance applies: fill it, then one more.
  expect(TRIAL_SEATS).toBe(5);
  for (let i = 0; i < TRIAL_SEATS + 1; i++) {
    const user = await createUser({ email: `officer${i}@${domain}`, name: i === TRIAL_SEATS ? "Officer Six" : `Officer ${i + 1}` });
    joined.push(await joinByEmailDomain(user));
  }
  expect(joined.filter((j) => j === "joined")).toHaveLength(TRIAL_SEATS);
  expect(joined.at(-1)).toBe("no-seat");
  const learners = await handle.db
    .select({ n: count() })
    .from(people)
    .where(and(eq(people.organizationId, org.id), eq(people.status, "active"), eq(people.role, "member")));
  expect(learners[0]!.n).toBe(TRIAL_SEATS);
  const other = await createUser({ email: "someone@elsewhere.example.org" });
  expect(await joinByEmailDomain(other)).toBe("no-organisation");
  // This organisation's training lead is told who could not join, once.
  const notices = await handle.db.select({ to: emailOutbox.recipient, subject: emailOutbox.subject }).from(emailOutbox).where(eq(emailOutbox.kind, "no-seat"));
  expect(notices.filter((n) => n.to === lead.email)).toEqual([{ to: lead.email, subject: "Officer Six could not join Domain Join Police: no seat is free" }]);
});

test("inviting a learner when every seat is taken is refused up front with the counts", async () => {
  const { org, lead } = await createOrganisation({ seats: 1 });
  await addLearner(org.id, lead);
  const error = await invitePerson(lead, org.id, { email: "one.too.many@example.org", name: "One Too Many", staffNumber: null, rank: null, teamId: null, role: "member" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SeatLimitError);
  expect((error as Error).message).toMatch(/seat/i);
  const [row] = await handle.db.select().from(people).where(eq(people.email, "one.too.many@example.org"));
  expect(row).toBeUndefined();
});

test("removing someone takes away their access but keeps them on the roster as left; the last lead stays", async () => {
  const { org, lead } = await createOrganisation({ seats: 5 });
  const { learner, personId } = await addLearner(org.id, lead);
  await removePerson(lead, org.id, personId);
  expect(await personRow(personId)).toMatchObject({ status: "left" });
  const [membership] = await handle.db.select().from(member).where(and(eq(member.organizationId, org.id), eq(member.userId, learner.id)));
  expect(membership).toBeUndefined();
  const [leadRow] = await handle.db.select({ id: people.id }).from(people).where(and(eq(people.organizationId, org.id), eq(people.userId, lead.id)));
  await expect(removePerson(lead, org.id, leadRow!.id)).rejects.toBeInstanceOf(PersonInputError);
  await expect(updatePerson(lead, org.id, leadRow!.id, { name: "Lee", staffNumber: null, rank: null, teamId: null, role: "member" })).rejects.toBeInstanceOf(PersonInputError);
  const actions = await handle.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.organizationId, org.id));
  expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["organisation.created", "person.invited", "person.joined", "person.removed"]));
});

test("a staff CSV is checked before anything is written, applied in one go, and re-uploading it changes nothing", async () => {
  const { org, lead } = await createOrganisation({ seats: 100 });
  const bytes = new Uint8Array(fs.readFileSync(path.join(CSV, "good.csv")));
  const before = await handle.db.select({ n: count() }).from(people).where(eq(people.organizationId, org.id));
  const importId = await checkUpload(lead, org.id, "good.csv", bytes);
  const after = await handle.db.select({ n: count() }).from(people).where(eq(people.organizationId, org.id));
  expect(after[0]!.n).toBe(before[0]!.n);
  const preview = await getImportPreview(org.id, importId);
  expect(preview!.counts.invite).toBeGreaterThan(3);
  expect(preview!.fits).toBe(true);
  const summary = await applyImport(lead, org.id, importId);
  expect(summary.invited).toBe(preview!.counts.invite);
  const invitedMails = await handle.db.select({ n: count() }).from(emailOutbox).where(and(eq(emailOutbox.kind, "invitation"), sql`${emailOutbox.recipient} like '%@example.org'`));
  expect(invitedMails[0]!.n).toBeGreaterThanOrEqual(summary.invited!);

  const again = await checkUpload(lead, org.id, "good.csv", bytes);
  const second = await getImportPreview(org.id, again);
  expect(second!.counts).toMatchObject({ invite: 0, update: 0, unchanged: preview!.counts.invite });
  await expect(applyImport(lead, org.id, importId)).rejects.toThrow(/already been applied/);
});

test("rows with problems are listed by line and column and left out; the rest can be applied", async () => {
  const { org, lead } = await createOrganisation({ seats: 100 });
  const importId = await checkUpload(lead, org.id, "mixed-errors.csv", new Uint8Array(fs.readFileSync(path.join(CSV, "mixed-errors.csv"))));
  const preview = await getImportPreview(org.id, importId);
  expect(preview!.counts.rejected).toBeGreaterThan(0);
  for (const e of preview!.rejected) {
    expect(e.line).toBeGreaterThan(1);
    expect(e.message.length).toBeGreaterThan(5);
  }
  const summary = await applyImport(lead, org.id, importId);
  expect(summary.rejected).toBe(preview!.counts.rejected);
  expect(summary.invited).toBe(preview!.counts.invite);
});

test("an import that needs more seats than are free is refused before anything is written", async () => {
  const { org, lead } = await createOrganisation({ seats: 2 });
  const importId = await checkUpload(lead, org.id, "good.csv", new Uint8Array(fs.readFileSync(path.join(CSV, "good.csv"))));
  const preview = await getImportPreview(org.id, importId);
  expect(preview!.fits).toBe(false);
  await expect(applyImport(lead, org.id, importId)).rejects.toBeInstanceOf(SeatLimitError);
  const rows = await handle.db.select({ n: count() }).from(people).where(eq(people.organizationId, org.id));
  expect(rows[0]!.n).toBe(1); // just the lead
});

// A fixed clock, just after midnight in British Summer Time: 23:30 UTC on 15 June 2031 is 00:30 on
// 16 June in London, so a rule that took the UTC date would be a day out. Only Date is faked (the
// database's own now() is the real one, so rows the rules read get literal times below).
const NOW = new Date("2031-06-15T23:30:00Z");
async function atFixedClock(body: () => Promise<void>) {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  try {
    await body();
  } finally {
    vi.useRealTimers();
  }
}

test("assignments: relative due dates count from joining in London days; completing shows completed; extensions are audited", () =>
  atFixedClock(async () => {
    const { org, lead } = await createOrganisation({ seats: 10 });
    const teamId = await createTeam(lead, org.id, "Response Team A");
    const early = await addLearner(org.id, lead, { teamId });
    const assignmentId = await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "team", teamId, personIds: [], dueDate: null, dueDays: 30 });
    const mails = await handle.db.select({ n: count() }).from(emailOutbox).where(and(eq(emailOutbox.recipient, early.learner.email), eq(emailOutbox.kind, "assignment")));
    expect(mails[0]!.n).toBe(1);
    // Assigned at 00:30 on 2 June London time (still 1 June in UTC) to someone who joined in May.
    await handle.db.update(people).set({ joinedAt: new Date("2031-05-01T09:00:00Z") }).where(eq(people.id, early.personId));
    await handle.db.update(assignments).set({ createdAt: new Date("2031-06-01T23:30:00Z") }).where(eq(assignments.id, assignmentId));
    let mine = await learnerAssignments(early.learner.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: "not-started", slug: "sample-basics", due: "2031-07-02" });

    // Someone joining the team later (00:30 on 12 June, London): due 30 days after they joined.
    const late = await addLearner(org.id, lead, { teamId });
    await handle.db.update(people).set({ joinedAt: new Date("2031-06-11T23:30:00Z") }).where(eq(people.id, late.personId));
    expect((await learnerAssignments(late.learner.id))[0]).toMatchObject({ status: "not-started", due: "2031-07-12" });

    await completeModule(early.learner.id, "sample-basics");
    // Completed by the database's clock: put the completion and its certificate the day before NOW.
    await handle.db.update(enrolments).set({ completedAt: new Date("2031-06-14T10:00:00Z") }).where(eq(enrolments.userId, early.learner.id));
    await handle.db.update(certificates).set({ issuedAt: new Date("2031-06-14T10:00:00Z"), expiresAt: new Date("2032-06-14T10:00:00Z") }).where(eq(certificates.userId, early.learner.id));
    mine = await learnerAssignments(early.learner.id);
    expect(mine[0]!.status).toBe("completed");

    // Assigned in April; joined at 00:30 on 16 May, London: due 15 June, which London has just left (UTC has not).
    await handle.db.update(assignments).set({ createdAt: new Date("2031-04-01T10:00:00Z") }).where(eq(assignments.id, assignmentId));
    await handle.db.update(people).set({ joinedAt: new Date("2031-05-15T23:30:00Z") }).where(eq(people.id, late.personId));
    expect((await learnerAssignments(late.learner.id))[0]).toMatchObject({ status: "overdue", due: "2031-06-15" });
    // A day later it is due today, London time: not yet overdue.
    await handle.db.update(people).set({ joinedAt: new Date("2031-05-16T23:30:00Z") }).where(eq(people.id, late.personId));
    expect((await learnerAssignments(late.learner.id))[0]).toMatchObject({ status: "not-started", due: "2031-06-16" });
    await handle.db.update(people).set({ joinedAt: new Date("2031-05-15T23:30:00Z") }).where(eq(people.id, late.personId));
    // An extension moves it and is audited.
    await extendDueDate(lead, org.id, assignmentId, late.personId, "2031-07-06", "Long-term sick leave");
    const extended = (await learnerAssignments(late.learner.id))[0]!;
    expect(extended).toMatchObject({ status: "not-started", due: "2031-07-06" });
    const audits = await handle.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, assignmentId));
    expect(audits.map((a) => a.action)).toEqual(["assignment.created", "assignment.extended"]);
  }));

test("due-soon and overdue reminders and the weekly digest go once each", () =>
  atFixedClock(async () => {
    const { org, lead } = await createOrganisation({ seats: 10 });
    const soon = await addLearner(org.id, lead);
    const late = await addLearner(org.id, lead);
    // Due dates are London calendar days; today there is 16 June 2031 (the boundaries themselves are in jobs-clock.test.ts).
    await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [soon.personId], dueDate: "2031-06-21", dueDays: null });
    const overdueId = await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [late.personId], dueDate: "2031-06-21", dueDays: null });
    await handle.db.update(assignments).set({ dueDate: "2031-06-13" }).where(eq(assignments.id, overdueId));
    await Promise.all([sendDueReminders(NOW), sendDueReminders(NOW)]);
    await sendDueReminders(NOW);
    const kinds = async (email: string) => (await handle.db.select({ kind: emailOutbox.kind }).from(emailOutbox).where(eq(emailOutbox.recipient, email))).map((m) => m.kind).filter((k) => k.startsWith("assignment-"));
    expect(await kinds(soon.learner.email)).toEqual(["assignment-due-soon"]);
    expect(await kinds(late.learner.email)).toEqual(["assignment-overdue"]);
    await sendWeeklyOverdueDigest(NOW);
    await sendWeeklyOverdueDigest(NOW);
    const digests = await handle.db.select({ to: emailOutbox.recipient }).from(emailOutbox).where(eq(emailOutbox.kind, "overdue-digest"));
    expect(digests.filter((d) => d.to === lead.email)).toHaveLength(1);
  }));

