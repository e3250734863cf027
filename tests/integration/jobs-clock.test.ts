/**
 * Every reminder on both sides of its boundary, with the jobs run at literal
 * moments (the clock reaches the SQL as a parameter, so "as of 2030" means
 * 2030 in the status rules too). Each test works in its own years so that
 * the tests' data do not meet; mails are read by recipient. Concurrent runs
 * are tested on PostgreSQL in jobs-concurrent.postgres.test.ts: the embedded
 * database runs one transaction at a time, so "two at once" here proves nothing.
 */
import { and, asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { certificates, emailOutbox } from "#db/schema/index.ts";
import { runAllJobs } from "#app/jobs/registry.server.ts";
import { createAssignment, sendDueReminders, sendWeeklyOverdueDigest } from "#app/models/organisations/assignment.server.ts";
import { sendCertificateExpiryReminders } from "#app/models/learning/certificate.server.ts";
import { updatePerson } from "#app/models/organisations/people.server.ts";
import { acceptInvitation, invitePerson, joinByEmailDomain } from "#app/models/organisations/invitation.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { createUser, fixtureModuleCopies, importFixtures } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation, invitationToken } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
// An import retires the modules its folder lacks, so the copies include sample-basics.
await importFixtures(handle, fixtureModuleCopies([{ slug: "sample-basics" }, { slug: "sample-module-two", title: "Sample module two" }]));

async function subjectsTo(email: string, kindPrefix: string): Promise<string[]> {
  const rows = await handle.db
    .select({ kind: emailOutbox.kind, subject: emailOutbox.subject })
    .from(emailOutbox)
    .where(eq(emailOutbox.recipient, email))
    .orderBy(asc(emailOutbox.createdAt), asc(emailOutbox.id));
  return rows.filter((r) => r.kind.startsWith(kindPrefix)).map((r) => r.subject);
}

const at = (iso: string) => new Date(iso);

test("the assignment notice goes at once to the active people assigned, and to no one else", async () => {
  const { org, lead } = await createOrganisation({ name: "Notice Constabulary", seats: 10 });
  const teamA = await createTeam(lead, org.id, "Response A");
  const teamB = await createTeam(lead, org.id, "Response B");
  const inTeam = await addLearner(org.id, lead, { teamId: teamA });
  const otherTeam = await addLearner(org.id, lead, { teamId: teamB });
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "team", teamId: teamA, personIds: [], dueDate: "2030-07-15", dueDays: null });
  expect(await subjectsTo(inTeam.learner.email, "assignment")).toEqual(["New training from Notice Constabulary: Sample basics"]);
  expect(await subjectsTo(otherTeam.learner.email, "assignment")).toEqual([]);
  expect(await subjectsTo(lead.email, "assignment")).toEqual([]);
});

test("late joiners get the notice: an invited person when they accept, someone who joins by email domain, someone moved into the team; once each", async () => {
  const domain = `late${crypto.randomUUID().slice(0, 6)}.police.uk`;
  const { org, lead } = await createOrganisation({ name: "Late Joiner Police", seats: 10, domains: [domain] });
  const teamA = await createTeam(lead, org.id, "Late A");
  const teamB = await createTeam(lead, org.id, "Late B");
  const invitee = await createUser({ name: "Ivy Invited" });
  await invitePerson(lead, org.id, { email: invitee.email, name: invitee.name, staffNumber: null, rank: "PC", teamId: teamA, role: "member" });
  const mover = await addLearner(org.id, lead, { teamId: teamB });
  const stayer = await addLearner(org.id, lead, { teamId: teamA });
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "team", teamId: teamA, personIds: [], dueDate: "2030-07-15", dueDays: null });
  await createAssignment(lead, org.id, { moduleSlug: "sample-module-two", target: "organisation", teamId: null, personIds: [], dueDate: null, dueDays: null });
  expect(await subjectsTo(invitee.email, "assignment")).toEqual([]);
  expect(await subjectsTo(mover.learner.email, "assignment")).toEqual(["New training from Late Joiner Police: Sample module two"]);

  const token = await invitationToken(invitee.email);
  await acceptInvitation(token, invitee);
  await acceptInvitation(token, invitee);
  // Both written in one transaction, so at one moment: compared in alphabetical order.
  expect((await subjectsTo(invitee.email, "assignment")).sort()).toEqual([
    "New training from Late Joiner Police: Sample basics",
    "New training from Late Joiner Police: Sample module two",
  ]);
  const [text] = await handle.db.select({ text: emailOutbox.text }).from(emailOutbox).where(and(eq(emailOutbox.recipient, invitee.email), eq(emailOutbox.subject, "New training from Late Joiner Police: Sample basics")));
  expect(text!.text).toContain("Late Joiner Police has asked you to complete “Sample basics” on Distinct by 15 July 2030.");

  const byDomain = await createUser({ email: `dee.domain@${domain}`, name: "Dee Domain" });
  expect(await joinByEmailDomain(byDomain)).toBe("joined");
  expect(await subjectsTo(byDomain.email, "assignment")).toEqual(["New training from Late Joiner Police: Sample module two"]);

  const move = (teamId: string) => updatePerson(lead, org.id, mover.personId, { name: mover.learner.name, staffNumber: null, rank: "PC", teamId, role: "member" });
  await move(teamA);
  await move(teamB);
  await move(teamA);
  expect(await subjectsTo(mover.learner.email, "assignment")).toEqual([
    "New training from Late Joiner Police: Sample module two",
    "New training from Late Joiner Police: Sample basics",
  ]);
  // In the team when it was assigned, out and back again: told once.
  for (const teamId of [teamB, teamA]) {
    await updatePerson(lead, org.id, stayer.personId, { name: stayer.learner.name, staffNumber: null, rank: "PC", teamId, role: "member" });
  }
  expect((await subjectsTo(stayer.learner.email, "assignment")).sort()).toEqual([
    "New training from Late Joiner Police: Sample basics",
    "New training from Late Joiner Police: Sample module two",
  ]);
});

test("due soon: not 8 days before the due date, 7 days before from 00:00 in London (BST), once; not again on the day", async () => {
  const { org, lead } = await createOrganisation({ name: "Due Soon Police", seats: 10 });
  const { learner, personId } = await addLearner(org.id, lead);
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [personId], dueDate: "2030-07-15", dueDays: null });
  const reminders = () => subjectsTo(learner.email, "assignment-");

  await sendDueReminders(at("2030-07-07T12:00:00Z")); // 7 July: 8 days before
  await sendDueReminders(at("2030-07-07T22:59:59Z")); // 23:59:59 on 7 July in London
  expect(await reminders()).toEqual([]);
  await sendDueReminders(at("2030-07-07T23:00:30Z")); // 00:00:30 on 8 July in London, still the 7th in UTC
  expect(await reminders()).toEqual(["Due on 15 July 2030: Sample basics"]);
  await sendDueReminders(at("2030-07-08T09:00:00Z"));
  await sendDueReminders(at("2030-07-12T09:00:00Z"));
  await sendDueReminders(at("2030-07-15T09:00:00Z")); // on the day
  await sendDueReminders(at("2030-07-15T22:59:59Z")); // 23:59:59 on the day in London: not yet overdue
  expect(await reminders()).toEqual(["Due on 15 July 2030: Sample basics"]);
});

test("overdue: from 00:00 in London the day after the due date, once however often the job runs", async () => {
  const { org, lead } = await createOrganisation({ name: "Overdue Police", seats: 10 });
  const { learner, personId } = await addLearner(org.id, lead);
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [personId], dueDate: "2031-01-20", dueDays: null });
  const reminders = () => subjectsTo(learner.email, "assignment-");

  await sendDueReminders(at("2031-01-20T23:59:59Z")); // winter: London is on UTC, still the due day
  expect(await reminders()).toEqual(["Due on 20 January 2031: Sample basics"]);
  await sendDueReminders(at("2031-01-21T00:00:00Z"));
  expect(await reminders()).toEqual(["Due on 20 January 2031: Sample basics", "Overdue: Sample basics"]);
  await sendDueReminders(at("2031-01-21T00:00:01Z"));
  await sendDueReminders(at("2031-01-28T09:00:00Z"));
  await sendDueReminders(at("2031-03-01T09:00:00Z"));
  expect(await reminders()).toEqual(["Due on 20 January 2031: Sample basics", "Overdue: Sample basics"]);
});

test("someone who completes the module before the due date gets neither reminder", async () => {
  const { org, lead } = await createOrganisation({ name: "Done Early Police", seats: 10 });
  const { learner, personId } = await addLearner(org.id, lead);
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [personId], dueDate: "2031-05-10", dueDays: null });
  await completeModule(learner.id, "sample-basics", { organizationId: org.id });
  // Module certificates in the fixtures last long enough to be valid on every date below.
  await handle.db.update(certificates).set({ expiresAt: at("2040-01-01T00:00:00Z") }).where(eq(certificates.userId, learner.id));
  await sendDueReminders(at("2031-05-05T09:00:00Z"));
  await sendDueReminders(at("2031-05-11T09:00:00Z"));
  expect(await subjectsTo(learner.email, "assignment-")).toEqual([]);
});

test("the weekly overdue digest goes once per London week, by the first run of the week: Monday 00:00 in London", async () => {
  const { org, lead } = await createOrganisation({ name: "Digest Police", seats: 10 });
  const { personId } = await addLearner(org.id, lead);
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [personId], dueDate: "2032-07-01", dueDays: null });
  const digests = () => subjectsTo(lead.email, "overdue-digest");

  await sendWeeklyOverdueDigest(at("2032-07-01T12:00:00Z")); // the due day: nobody overdue, nothing to say
  expect(await digests()).toEqual([]);
  await sendWeeklyOverdueDigest(at("2032-07-02T09:00:00Z")); // Friday of week 26: first overdue run sends
  await sendWeeklyOverdueDigest(at("2032-07-04T22:59:59Z")); // Sunday 23:59:59 BST: same week
  expect(await digests()).toEqual(["Digest Police: 1 overdue assignment this week"]);
  await sendWeeklyOverdueDigest(at("2032-07-04T23:00:30Z")); // Monday 00:00:30 BST, Sunday in UTC: week 27
  expect(await digests()).toHaveLength(2);
  for (const day of ["2032-07-06", "2032-07-07", "2032-07-08", "2032-07-09", "2032-07-10", "2032-07-11"]) {
    await sendWeeklyOverdueDigest(at(`${day}T09:00:00Z`));
  }
  expect(await digests()).toHaveLength(2);
  await sendWeeklyOverdueDigest(at("2032-07-11T23:00:00Z")); // Monday 12 July, 00:00 BST
  expect(await digests()).toEqual([
    "Digest Police: 1 overdue assignment this week",
    "Digest Police: 1 overdue assignment this week",
    "Digest Police: 1 overdue assignment this week",
  ]);
});

test("certificate expiry: 30 days before, 7 days before and on expiry, to the second, once each", async () => {
  const learner = await createUser({ name: "Cora Certificate" });
  await completeModule(learner.id, "sample-basics");
  await handle.db.update(certificates).set({ expiresAt: at("2033-09-30T10:00:00Z") }).where(eq(certificates.userId, learner.id));
  const kinds = async () =>
    (await handle.db.select({ kind: emailOutbox.kind }).from(emailOutbox).where(eq(emailOutbox.recipient, learner.email)).orderBy(asc(emailOutbox.createdAt)))
      .map((m) => m.kind)
      .filter((k) => k.startsWith("certificate-expiry"));
  // Each moment, and the kinds sent by then.
  const steps: [string, string[]][] = [
    ["2033-08-31T09:59:59Z", []],
    ["2033-08-31T10:00:00Z", ["certificate-expiry-30d"]],
    ["2033-08-31T10:00:01Z", ["certificate-expiry-30d"]],
    ["2033-09-23T09:59:59Z", ["certificate-expiry-30d"]],
    ["2033-09-23T10:00:00Z", ["certificate-expiry-30d", "certificate-expiry-7d"]],
    ["2033-09-29T12:00:00Z", ["certificate-expiry-30d", "certificate-expiry-7d"]],
    ["2033-09-30T09:59:59Z", ["certificate-expiry-30d", "certificate-expiry-7d"]],
    ["2033-09-30T10:00:00Z", ["certificate-expiry-30d", "certificate-expiry-7d", "certificate-expiry-expired"]],
    ["2033-10-05T10:00:00Z", ["certificate-expiry-30d", "certificate-expiry-7d", "certificate-expiry-expired"]],
  ];
  for (const [moment, expected] of steps) {
    await sendCertificateExpiryReminders(at(moment));
    expect(await kinds(), `after a run at ${moment}`).toEqual(expected);
  }
  expect(await subjectsTo(learner.email, "certificate-expiry")).toEqual([
    "Your certificate for Sample basics expires on 30 September 2033",
    "Your certificate for Sample basics expires on 30 September 2033",
    "Your certificate for Sample basics has expired",
  ]);
});

test("a job that did not run for weeks sends the latest reminder only, and nothing about an expiry more than 14 days old", async () => {
  const late = await createUser();
  await completeModule(late.id, "sample-basics");
  await handle.db.update(certificates).set({ expiresAt: at("2034-03-10T12:00:00Z") }).where(eq(certificates.userId, late.id));
  await sendCertificateExpiryReminders(at("2034-03-05T12:00:00Z")); // first run 5 days before: only the 7-day one
  expect(await subjectsTo(late.email, "certificate-expiry")).toEqual(["Your certificate for Sample basics expires on 10 March 2034"]);

  const stale = await createUser();
  await completeModule(stale.id, "sample-basics");
  await handle.db.update(certificates).set({ expiresAt: at("2034-03-10T12:00:00Z") }).where(eq(certificates.userId, stale.id));
  await sendCertificateExpiryReminders(at("2034-03-24T12:00:00Z")); // 14 days after expiry
  expect(await subjectsTo(stale.email, "certificate-expiry")).toEqual([]);
});

test("runAllJobs runs every job at the moment it is given, each reminder once however often it runs", async () => {
  const { org, lead } = await createOrganisation({ name: "All Jobs Police", seats: 10 });
  const { learner, personId } = await addLearner(org.id, lead);
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [personId], dueDate: "2035-02-10", dueDays: null });
  const results = await runAllJobs(at("2035-02-03T08:00:00Z"));
  expect(results.map((r) => [r.name, r.ok])).toEqual([
    ["certificate-expiry-reminders", true],
    ["assignment-due-reminders", true],
    ["weekly-overdue-digest", true],
    ["weekly-report-export", true],
    ["apply-staff-imports", true],
    ["send-mail", true],
    ["prune-rate-limits", true],
    ["anonymise-leavers-past-retention", true],
    ["compact-report-counts", true],
    ["analyze-embedded-database", true],
  ]);
  await runAllJobs(at("2035-02-03T08:01:00Z"));
  await runAllJobs(at("2035-02-11T08:00:00Z"));
  await runAllJobs(at("2035-02-11T08:01:00Z"));
  expect(await subjectsTo(learner.email, "assignment-")).toEqual(["Due on 10 February 2035: Sample basics", "Overdue: Sample basics"]);
  // Monday 12 February 2035 is a new week; the 11th (Sunday) was the first run of week 6.
  await runAllJobs(at("2035-02-12T00:00:30Z"));
  expect(await subjectsTo(lead.email, "overdue-digest")).toEqual(["All Jobs Police: 1 overdue assignment this week", "All Jobs Police: 1 overdue assignment this week"]);
  // The mail the jobs queued went out (no SMTP in tests: kept in the outbox as logged).
  const statuses = await handle.db
    .select({ kind: emailOutbox.kind, status: emailOutbox.status })
    .from(emailOutbox)
    .where(eq(emailOutbox.recipient, learner.email))
    .orderBy(asc(emailOutbox.createdAt), asc(emailOutbox.id));
  expect(statuses).toEqual([
    { kind: "invitation", status: "logged" },
    { kind: "assignment", status: "logged" },
    { kind: "assignment-due-soon", status: "logged" },
    { kind: "assignment-overdue", status: "logged" },
  ]);
});
