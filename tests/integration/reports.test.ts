import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { assignments, certificates, enrolments, moduleUpdateAcks, moduleVersions, organization, user, modules, people, quizAttempts, reportRows, team } from "#db/schema/index.ts";
import { createAssignment, extendDueDate, withdrawAssignment, type NewAssignment } from "#app/models/organisations/assignment.server.ts";
import { personAssignmentsQuery, runStatusQuery } from "#app/models/organisations/assignment-status.server.ts";
import { completeLesson, startModule } from "#app/models/learning/enrolment.server.ts";
import { getCurrentVersion, getQuizBankWithAnswers } from "#app/models/learning/module.server.ts";
import { removePerson, updatePerson } from "#app/models/organisations/people.server.ts";
import { acceptInvitation, invitePerson, resendInvitation, revokeInvitation } from "#app/models/organisations/invitation.server.ts";
import { startAttempt, submitAttempt } from "#app/models/learning/quiz-attempt.server.ts";
import {
  completionOverTime,
  rebuildReport,
  reportContext,
  reportCsvStream,
  reportPage,
  reportRowsInBatches,
  reportSummary,
  resolveQuery,
  ReportQueryError,
  type ReportRow,
} from "#app/models/reporting/report.server.ts";
import { createTeam, deleteTeam } from "#app/models/organisations/team.server.ts";
import { addDays, ASSIGNMENT_STATUSES, assignmentStatus, londonDate } from "#app/utils/assignment-status.ts";
import { CSV_BOM } from "#app/utils/csv.ts";
import { REPORT_CSV_HEADER } from "#app/utils/report-csv.ts";
import { PAGE_SIZE, SORT_KEYS, type ReportQuery, type SortKey } from "#app/utils/report-query.ts";
import { createUser, fixtureModuleCopies, importFixtures, uniqueEmail, type TestUser } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { answerFields } from "#tests/quiz-answers.ts";
import { addLearner, createOrganisation, invitationToken } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();

/*
 * Three modules: the fixture module, a copy in second place, and a copy that
 * ties with it on catalogue order and issues certificates that never expire
 * (so sorting by module has ties, and expiry has nulls).
 */
const CONTENT = fixtureModuleCopies([
  { slug: "sample-basics" },
  { slug: "sample-second", title: "Second sample", order: 2, validity: "certificateValidityMonths: 24" },
  { slug: "sample-third", title: "Third sample", order: 2, validity: "" },
  // Retired by the last test while still assigned.
  { slug: "sample-fourth", title: "Fourth sample", order: 4, validity: "" },
]);
const imported = await importFixtures(handle, CONTENT);
if (imported.problems.length) throw new Error(imported.problems.join("\n"));

const DAY = 86_400_000;
const today = () => londonDate(new Date());
const inDays = (n: number) => addDays(today(), n);

const EVERYONE: ReportQuery = { team: null, module: null, status: null, dueFrom: null, dueTo: null, includeLeft: true, sort: "name", dir: "asc", page: 1 };

type Lead = TestUser;
const assign = (lead: Lead, orgId: string, input: Partial<NewAssignment> & { moduleSlug: string }) =>
  createAssignment(lead, orgId, { target: "organisation", teamId: null, personIds: [], dueDate: null, dueDays: null, ...input });

async function allRows(orgId: string, query: Partial<ReportQuery> = {}, options: { now?: Date; batchSize?: number } = {}) {
  const context = await reportContext(orgId);
  const q = { ...EVERYONE, ...query };
  const { moduleId } = resolveQuery(context, q);
  const rows: ReportRow[] = [];
  const sizes: number[] = [];
  for await (const batch of reportRowsInBatches(context, q, moduleId, { batchSize: options.batchSize, clock: { now: options.now ?? new Date() } })) {
    rows.push(...batch);
    sizes.push(batch.length);
  }
  return { rows, sizes };
}

const keyOf = (r: { personId: string; moduleSlug: string }) => `${r.personId}/${r.moduleSlug}`;

/**
 * What the report should say for every (person, module) assigned in the
 * organisation, worked out from the source tables the other way: the
 * people pages' status query (assignment-status.server.ts), one row per
 * person and module (the assignment due first wins), with the facts that
 * query does not select read from the learning tables, and the status at
 * `now` from the pure rules of assignment-status.ts.
 */
async function expectedFromSource(orgId: string, now: Date) {
  const source = await runStatusQuery(handle.db, personAssignmentsQuery({ organisationId: orgId }, { includeLeft: true }));
  const chosen = new Map<string, (typeof source)[number]>();
  const dueRank = (due: string | null) => due ?? "9999-99-99";
  for (const row of source) {
    const key = `${row.personId}/${row.moduleId}`;
    const held = chosen.get(key);
    // The assignment asking for the newest version first (docs/decisions/036), then the one due first.
    const newer = (row.requiredVersion ?? 0) - (held?.requiredVersion ?? 0);
    if (!held || newer > 0 || (newer === 0 && (dueRank(row.due) < dueRank(held.due) || (dueRank(row.due) === dueRank(held.due) && row.assignedAt < held.assignedAt)))) chosen.set(key, row);
  }
  const personIds = [...new Set(source.map((s) => s.personId))];
  const userIds = [...new Set(source.flatMap((s) => (s.userId ? [s.userId] : [])))];
  const roster = personIds.length
    ? await handle.db
        .select({ id: people.id, name: people.name, email: people.email, staffNumber: people.staffNumber, status: people.status, team: team.name })
        .from(people)
        .leftJoin(team, eq(team.id, people.teamId))
        .where(inArray(people.id, personIds))
    : [];
  const mods = await handle.db.select({ id: modules.id, slug: modules.slug, title: modules.title, currentVersionId: modules.currentVersionId }).from(modules);
  const versions = await handle.db.select({ id: moduleVersions.id, moduleId: moduleVersions.moduleId, version: moduleVersions.version, material: moduleVersions.materialChange }).from(moduleVersions);
  const acks = userIds.length ? await handle.db.select().from(moduleUpdateAcks).where(inArray(moduleUpdateAcks.userId, userIds)) : [];
  const learning = userIds.length
    ? await handle.db
        .select({ id: enrolments.id, userId: enrolments.userId, moduleId: enrolments.moduleId, startedAt: enrolments.startedAt, completedAt: enrolments.completedAt, version: moduleVersions.version })
        .from(enrolments)
        .innerJoin(moduleVersions, eq(moduleVersions.id, enrolments.moduleVersionId))
        .where(inArray(enrolments.userId, userIds))
    : [];
  const attempts = userIds.length
    ? await handle.db
        .select({ userId: quizAttempts.userId, moduleId: enrolments.moduleId, score: quizAttempts.score, submittedAt: quizAttempts.submittedAt })
        .from(quizAttempts)
        .innerJoin(enrolments, eq(enrolments.id, quizAttempts.enrolmentId))
        .where(and(inArray(quizAttempts.userId, userIds), isNotNull(quizAttempts.submittedAt)))
    : [];
  const certs = userIds.length
    ? await handle.db.select({ code: certificates.code, revokedAt: certificates.revokedAt }).from(certificates).where(inArray(certificates.userId, userIds))
    : [];
  const iso = (d: Date | null) => (d ? d.toISOString() : null);

  return [...chosen.values()].map((s) => {
    const person = roster.find((p) => p.id === s.personId)!;
    const mod = mods.find((m) => m.id === s.moduleId)!;
    const mine = learning.filter((e) => e.userId === s.userId && e.moduleId === s.moduleId);
    const open = mine.find((e) => e.completedAt === null) ?? null;
    const completed = s.completedAt ? mine.find((e) => e.completedAt?.getTime() === s.completedAt!.getTime())! : null;
    const tries = attempts.filter((a) => a.userId === s.userId && a.moduleId === s.moduleId).sort((a, b) => b.submittedAt!.getTime() - a.submittedAt!.getTime());
    const revoked = !!certs.find((c) => c.code === s.certificateCode)?.revokedAt;
    const lastCompleted = mine.filter((e) => e.completedAt).sort((a, b) => b.completedAt!.getTime() - a.completedAt!.getTime())[0] ?? null;
    const current = versions.find((v) => v.id === mod.currentVersionId) ?? null;
    const older = lastCompleted && current && lastCompleted.version < current.version;
    const materialSince = versions.some((v) => v.moduleId === mod.id && older && v.version > lastCompleted.version && v.version <= current.version && v.material);
    const ack = acks.find((a) => a.userId === s.userId && a.moduleVersionId === current?.id);
    const status = assignmentStatus({
      latestCompletion: s.completedAt ? { certificateExpiresAt: s.certificateExpiresAt, certificateRevoked: revoked } : null,
      inProgress: s.startedAt !== null,
      due: s.due,
      now,
    });
    return {
      sqlStatus: s.status,
      row: {
        personId: s.personId,
        staffNumber: person.staffNumber,
        name: person.name,
        email: person.email,
        personStatus: person.status,
        team: person.team,
        moduleTitle: mod.title,
        moduleSlug: mod.slug,
        moduleVersion: completed?.version ?? open?.version ?? null,
        status,
        assignedAt: s.assignedAt.toISOString(),
        due: s.due,
        extended: s.extended,
        startedAt: iso(s.startedAt ?? completed?.startedAt ?? null),
        completedAt: iso(s.completedAt),
        score: s.score ?? tries[0]?.score ?? null,
        attempts: tries.length,
        certificateCode: s.certificateCode,
        certificateExpiresAt: iso(s.certificateExpiresAt),
        certificateRevoked: revoked,
        lastCompletedVersion: lastCompleted?.version ?? null,
        currentVersion: current?.version ?? null,
        changeAcknowledgement: !older ? null : !materialSince ? { state: "corrections-only" } : ack ? { state: "acknowledged", at: ack.acknowledgedAt.toISOString() } : { state: "not-acknowledged" },
      } satisfies ReportRow,
    };
  });
}

/**
 * The report (all rows, people who left included) agrees with the status
 * pages for every assigned (person, module), at `now`. Without a moved clock
 * the people pages' SQL status must agree too. Returns the report's rows by
 * person and module slug for the scenario's own expectations.
 */
async function expectAgreement(orgId: string, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const [{ rows }, expected] = await Promise.all([allRows(orgId, {}, { now }), expectedFromSource(orgId, now)]);
  const byKey = new Map(rows.map((r) => [keyOf(r), r]));
  expect(byKey.size, "one report row per person and module").toBe(rows.length);
  const sortRows = <T extends { personId: string; moduleSlug: string }>(list: T[]) => [...list].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  expect(sortRows(rows)).toEqual(sortRows(expected.map((e) => e.row)));
  if (!options.now) {
    for (const e of expected) expect(byKey.get(keyOf(e.row))?.status, `${e.row.name} on ${e.row.moduleSlug}`).toBe(e.sqlStatus);
  }
  return {
    rows,
    get(personId: string, slug: string) {
      const row = byKey.get(`${personId}/${slug}`);
      if (!row) throw new Error(`no report row for ${personId} on ${slug}`);
      return row;
    },
    has: (personId: string, slug: string) => byKey.has(`${personId}/${slug}`),
  };
}

async function startAndFinishLessons(userId: string, slug: string) {
  await startModule({ userId, slug });
  const version = await getCurrentVersion(slug);
  for (const lesson of version!.lessons) await completeLesson({ userId, slug, lessonKey: lesson.key });
}

/** One submitted assessment attempt, everything right or everything wrong. */
async function attempt(userId: string, slug: string, right: boolean) {
  const attemptId = await startAttempt(userId, slug);
  const [row] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  const bank = await getQuizBankWithAnswers(row!.moduleVersionId);
  const questions = row!.questionIds.map((id) => bank!.questions.find((q) => q.id === id)!);
  return submitAttempt(userId, attemptId, answerFields(questions, right));
}

test("assigned, not started: one row per person with the assignment's due date, the same as the people pages", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const a = await addLearner(org.id, lead, { name: "Ann Able" });
  const invited = await invitePerson(lead, org.id, { email: uniqueEmail("invited"), name: "Ivy Invited", staffNumber: "S-9", rank: null, teamId: null, role: "member" });
  await assign(lead, org.id, { moduleSlug: "sample-basics", dueDate: inDays(20) });
  await assign(lead, org.id, { moduleSlug: "sample-second", dueDays: 14 });
  const report = await expectAgreement(org.id);
  // Everyone on the roster (the lead too) has both modules.
  const roster = await handle.db.select({ id: people.id }).from(people).where(eq(people.organizationId, org.id));
  expect(report.rows).toHaveLength(roster.length * 2);
  for (const personId of [a.personId, invited.personId]) {
    expect(report.get(personId, "sample-basics")).toMatchObject({ status: "not-started", due: inDays(20), startedAt: null, attempts: 0, moduleVersion: null });
    expect(report.get(personId, "sample-second")).toMatchObject({ status: "not-started", due: inDays(14) });
  }
  expect(report.get(invited.personId, "sample-basics").personStatus).toBe("invited");
});

test("started, completed with a certificate, then the certificate expires (clock moved) and is renewed", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const starter = await addLearner(org.id, lead, { name: "Sam Starter" });
  const finisher = await addLearner(org.id, lead, { name: "Fay Finisher" });
  await assign(lead, org.id, { moduleSlug: "sample-basics", dueDate: inDays(30) });
  await startModule({ userId: starter.learner.id, slug: "sample-basics" });
  await completeModule(finisher.learner.id, "sample-basics");

  const now = await expectAgreement(org.id);
  const started = now.get(starter.personId, "sample-basics");
  expect(started.status).toBe("in-progress");
  expect(started.startedAt).not.toBeNull();
  expect(started.moduleVersion).toBe((await getCurrentVersion("sample-basics"))!.version);
  const done = now.get(finisher.personId, "sample-basics");
  expect(done).toMatchObject({ status: "completed", attempts: 1, certificateRevoked: false });
  expect(done.certificateCode).not.toBeNull();
  expect(done.score).not.toBeNull();
  expect(done.certificateExpiresAt! > done.completedAt!).toBe(true);

  // A day after the certificate expires (and after the due date): expired, not overdue.
  const later = new Date(new Date(done.certificateExpiresAt!).getTime() + DAY);
  const afterExpiry = await expectAgreement(org.id, { now: later });
  expect(afterExpiry.get(finisher.personId, "sample-basics").status).toBe("expired");
  expect(afterExpiry.get(starter.personId, "sample-basics").status).toBe("overdue");
  // The same instant seen with the real clock: the certificate expired in the database.
  await handle.db
    .update(certificates)
    .set({ expiresAt: new Date(Date.now() - DAY) })
    .where(eq(certificates.userId, finisher.learner.id));
  expect((await expectAgreement(org.id)).get(finisher.personId, "sample-basics").status).toBe("expired");
  // Renewing: an open enrolment after an expired certificate is in progress.
  await startModule({ userId: finisher.learner.id, slug: "sample-basics" });
  const renewing = (await expectAgreement(org.id)).get(finisher.personId, "sample-basics");
  expect(renewing.status).toBe("in-progress");
  expect(renewing.completedAt).toBe(done.completedAt);
});

test("a revoked certificate no longer counts: the person is back to not started (or overdue)", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const a = await addLearner(org.id, lead, { name: "Rae Revoked" });
  const b = await addLearner(org.id, lead, { name: "Rob Revoked" });
  await assign(lead, org.id, { moduleSlug: "sample-basics", target: "people", personIds: [a.personId], dueDate: inDays(10) });
  await assign(lead, org.id, { moduleSlug: "sample-basics", target: "people", personIds: [b.personId], dueDate: inDays(-3) });
  await completeModule(a.learner.id, "sample-basics");
  await completeModule(b.learner.id, "sample-basics");
  expect((await expectAgreement(org.id)).get(b.personId, "sample-basics").status).toBe("completed");
  await handle.db.update(certificates).set({ revokedAt: new Date(), revokedReason: "test" }).where(inArray(certificates.userId, [a.learner.id, b.learner.id]));
  const report = await expectAgreement(org.id);
  expect(report.get(a.personId, "sample-basics")).toMatchObject({ status: "not-started", certificateRevoked: true });
  expect(report.get(b.personId, "sample-basics")).toMatchObject({ status: "overdue", certificateRevoked: true });
});

test("overdue when the due date has passed (or the clock passes it); an extension moves the due date", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const late = await addLearner(org.id, lead, { name: "Lea Late" });
  const soon = await addLearner(org.id, lead, { name: "Sol Soon" });
  const pastId = await assign(lead, org.id, { moduleSlug: "sample-basics", target: "people", personIds: [late.personId], dueDate: inDays(-2) });
  await assign(lead, org.id, { moduleSlug: "sample-basics", target: "people", personIds: [soon.personId], dueDate: inDays(3) });
  await startModule({ userId: soon.learner.id, slug: "sample-basics" });
  const before = await expectAgreement(org.id);
  expect(before.get(late.personId, "sample-basics")).toMatchObject({ status: "overdue", due: inDays(-2), extended: false });
  expect(before.get(soon.personId, "sample-basics").status).toBe("in-progress");
  // Four days on, the in-progress one is overdue too; on its due day it is not yet.
  const fourDaysOn = await expectAgreement(org.id, { now: new Date(Date.now() + 4 * DAY) });
  expect(fourDaysOn.get(soon.personId, "sample-basics").status).toBe("overdue");

  await extendDueDate(lead, org.id, pastId, late.personId, inDays(7), "Long-term sick");
  const extended = await expectAgreement(org.id);
  expect(extended.get(late.personId, "sample-basics")).toMatchObject({ status: "not-started", due: inDays(7), extended: true });
  // A second extension: the latest counts.
  await extendDueDate(lead, org.id, pastId, late.personId, inDays(5), "Back early");
  expect((await expectAgreement(org.id)).get(late.personId, "sample-basics").due).toBe(inDays(5));
});

test("moving a person to another team moves their rows and their team assignments", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const north = await createTeam(lead, org.id, "North");
  const south = await createTeam(lead, org.id, "South");
  const mover = await addLearner(org.id, lead, { name: "Mo Mover", teamId: north });
  await assign(lead, org.id, { moduleSlug: "sample-basics" });
  await assign(lead, org.id, { moduleSlug: "sample-second", target: "team", teamId: north, dueDate: inDays(9) });
  await assign(lead, org.id, { moduleSlug: "sample-third", target: "team", teamId: south, dueDate: inDays(11) });
  const before = await expectAgreement(org.id);
  expect(before.get(mover.personId, "sample-basics").team).toBe("North");
  expect(before.has(mover.personId, "sample-second")).toBe(true);
  expect(before.has(mover.personId, "sample-third")).toBe(false);

  await updatePerson(lead, org.id, mover.personId, { name: "Mo Mover", staffNumber: null, rank: "PC", teamId: south, role: "member" });
  const after = await expectAgreement(org.id);
  expect(after.get(mover.personId, "sample-basics").team).toBe("South");
  expect(after.has(mover.personId, "sample-second")).toBe(false);
  expect(after.get(mover.personId, "sample-third")).toMatchObject({ team: "South", due: inDays(11) });
});

test("people who left are kept but only shown when asked for", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const stayer = await addLearner(org.id, lead, { name: "Stu Stayer" });
  const leaver = await addLearner(org.id, lead, { name: "Len Leaver" });
  await assign(lead, org.id, { moduleSlug: "sample-basics", dueDate: inDays(5) });
  await completeModule(leaver.learner.id, "sample-basics");
  await removePerson(lead, org.id, leaver.personId);
  const all = await expectAgreement(org.id);
  expect(all.get(leaver.personId, "sample-basics")).toMatchObject({ personStatus: "left", status: "completed" });
  const { rows: current } = await allRows(org.id, { includeLeft: false });
  expect(current.map((r) => r.personId)).not.toContain(leaver.personId);
  expect(current.map((r) => r.personId)).toContain(stayer.personId);
  expect(current).toEqual(all.rows.filter((r) => r.personStatus !== "left"));
});

test("a withdrawn or deleted assignment takes its rows away, unless another assignment still covers them", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const a = await addLearner(org.id, lead, { name: "Wen Withdrawn" });
  const b = await addLearner(org.id, lead, { name: "Del Deleted" });
  const withdrawn = await assign(lead, org.id, { moduleSlug: "sample-second", dueDate: inDays(3) });
  const orgWide = await assign(lead, org.id, { moduleSlug: "sample-basics", dueDate: inDays(30) });
  const named = await assign(lead, org.id, { moduleSlug: "sample-basics", target: "people", personIds: [b.personId], dueDate: inDays(4) });
  const before = await expectAgreement(org.id);
  expect(before.has(a.personId, "sample-second")).toBe(true);
  expect(before.get(b.personId, "sample-basics").due).toBe(inDays(4));

  await withdrawAssignment(lead, org.id, withdrawn);
  const afterWithdraw = await expectAgreement(org.id);
  expect(afterWithdraw.rows.filter((r) => r.moduleSlug === "sample-second")).toEqual([]);

  // Deleting the named assignment: the organisation-wide one still covers b.
  await handle.db.delete(assignments).where(eq(assignments.id, named));
  const afterDelete = await expectAgreement(org.id);
  expect(afterDelete.get(b.personId, "sample-basics").due).toBe(inDays(30));
  await handle.db.delete(assignments).where(eq(assignments.id, orgWide));
  expect((await expectAgreement(org.id)).rows).toEqual([]);
});

test("the same module assigned twice to one person is one row, due at the earlier date", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const crew = await createTeam(lead, org.id, "Crew");
  const twice = await addLearner(org.id, lead, { name: "Tom Twice", teamId: crew });
  await assign(lead, org.id, { moduleSlug: "sample-basics", dueDate: inDays(40) });
  await assign(lead, org.id, { moduleSlug: "sample-basics", target: "team", teamId: crew, dueDate: inDays(12) });
  await assign(lead, org.id, { moduleSlug: "sample-basics", target: "people", personIds: [twice.personId] });
  const report = await expectAgreement(org.id);
  expect(report.rows.filter((r) => r.personId === twice.personId)).toHaveLength(1);
  expect(report.get(twice.personId, "sample-basics").due).toBe(inDays(12));
  // Only the later one left: its date.
  await extendDueDate(lead, org.id, (await handle.db.select({ id: assignments.id }).from(assignments).where(and(eq(assignments.organizationId, org.id), eq(assignments.target, "team"))))[0]!.id, twice.personId, inDays(50), "Leave");
  expect((await expectAgreement(org.id)).get(twice.personId, "sample-basics")).toMatchObject({ due: inDays(40), extended: false });
});

test("assessment attempts are counted across enrolments with the latest score; restarting after completion and a new version", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const learner = await addLearner(org.id, lead, { name: "Quinn Quiz" });
  await assign(lead, org.id, { moduleSlug: "sample-third", dueDate: inDays(15) });
  await startAndFinishLessons(learner.learner.id, "sample-third");
  const failed = await attempt(learner.learner.id, "sample-third", false);
  expect(failed).toMatchObject({ kind: "graded", passed: false });
  const afterFail = (await expectAgreement(org.id)).get(learner.personId, "sample-third");
  expect(afterFail).toMatchObject({ status: "in-progress", attempts: 1, completedAt: null });
  expect(afterFail.score).toBeLessThan(75);

  await attempt(learner.learner.id, "sample-third", true);
  const first = (await expectAgreement(org.id)).get(learner.personId, "sample-third");
  expect(first).toMatchObject({ status: "completed", attempts: 2, certificateExpiresAt: null });
  expect(first.score).toBeGreaterThanOrEqual(75);
  const firstVersion = first.moduleVersion!;

  // A new version is published; the learner starts again: still completed on the old version.
  const lesson = path.join(CONTENT, "sample-third", "02-second.mdx");
  fs.writeFileSync(lesson, fs.readFileSync(lesson, "utf8") + "\nA new paragraph for the next version.\n");
  const republished = await importFixtures(handle, CONTENT);
  expect(republished.published).toEqual([{ slug: "sample-third", version: firstVersion + 1 }]);
  await startModule({ userId: learner.learner.id, slug: "sample-third" });
  const restarted = (await expectAgreement(org.id)).get(learner.personId, "sample-third");
  expect(restarted).toMatchObject({ status: "completed", moduleVersion: firstVersion, completedAt: first.completedAt, attempts: 2 });
  // The learner's progress is not their status: they are taking the new version.
  await startAndFinishLessons(learner.learner.id, "sample-third");
  await attempt(learner.learner.id, "sample-third", true);
  const second = (await expectAgreement(org.id)).get(learner.personId, "sample-third");
  expect(second).toMatchObject({ status: "completed", moduleVersion: firstVersion + 1, attempts: 3 });
  expect(second.completedAt! > first.completedAt!).toBe(true);
  expect(second.certificateCode).not.toBe(first.certificateCode);
});

test("renaming a person changes their name and place in the name order", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const b = await addLearner(org.id, lead, { name: "Bea Baker" });
  const c = await addLearner(org.id, lead, { name: "Cal Carter" });
  await assign(lead, org.id, { moduleSlug: "sample-basics", target: "people", personIds: [b.personId, c.personId] });
  const names = async () => (await allRows(org.id)).rows.map((r) => r.name);
  expect(await names()).toEqual(["Bea Baker", "Cal Carter"]);
  await updatePerson(lead, org.id, c.personId, { name: "Abe Adams", staffNumber: null, rank: "PC", teamId: null, role: "member" });
  await expectAgreement(org.id);
  expect(await names()).toEqual(["Abe Adams", "Bea Baker"]);
  const { rows: desc } = await allRows(org.id, { dir: "desc" });
  expect(desc.map((r) => r.name)).toEqual(["Bea Baker", "Abe Adams"]);
});

/**
 * One busy organisation for the tests that only read its report (sorting, summary, filters, CSV):
 * built once, at the first of them, instead of once each. Tests in a file run one after another,
 * and none of these writes, so none sees another's changes.
 */
let sharedBusy: ReturnType<typeof busyOrganisation> | undefined;
const sharedBusyOrganisation = () => (sharedBusy ??= busyOrganisation());

/**
 * An organisation with a spread of everything the report sorts and filters
 * by, and ties on every key: two teams and no team, same names, same due
 * dates, the three modules, every status, people who left.
 */
async function busyOrganisation() {
  const { org, lead } = await createOrganisation({ seats: 30 });
  const red = await createTeam(lead, org.id, "Red");
  const blue = await createTeam(lead, org.id, "Blue");
  const names = ["Ada Ash", "Ada Ash", "ben bell", "Cy Cole", "=HYPERLINK(\"x\")", "Zoë Ó'Brien", "李雷", "Dee, \"Dot\" Dunn", "Eve Eden", "Fin Ford"];
  const learners = [];
  for (const [i, name] of names.entries()) {
    learners.push(await addLearner(org.id, lead, { name, teamId: [red, blue, null][i % 3]!, staffNumber: i % 3 === 0 ? null : `S${10 - i}` }));
  }
  await assign(lead, org.id, { moduleSlug: "sample-basics", dueDate: inDays(-1) });
  await assign(lead, org.id, { moduleSlug: "sample-second", target: "team", teamId: red, dueDate: inDays(10) });
  await assign(lead, org.id, { moduleSlug: "sample-second", target: "team", teamId: blue, dueDate: inDays(10) });
  await assign(lead, org.id, { moduleSlug: "sample-third", target: "people", personIds: learners.slice(0, 6).map((l) => l.personId), dueDays: 10 });
  await completeModule(learners[0]!.learner.id, "sample-basics");
  await completeModule(learners[1]!.learner.id, "sample-basics");
  await completeModule(learners[1]!.learner.id, "sample-second");
  await completeModule(learners[3]!.learner.id, "sample-third");
  await startModule({ userId: learners[2]!.learner.id, slug: "sample-basics" });
  await startModule({ userId: learners[4]!.learner.id, slug: "sample-second" });
  await startAndFinishLessons(learners[5]!.learner.id, "sample-third");
  await attempt(learners[5]!.learner.id, "sample-third", false);
  // An expired certificate and a revoked one.
  await completeModule(learners[6]!.learner.id, "sample-basics");
  await handle.db.update(certificates).set({ expiresAt: new Date(Date.now() - DAY) }).where(eq(certificates.userId, learners[6]!.learner.id));
  await completeModule(learners[7]!.learner.id, "sample-basics");
  await handle.db.update(certificates).set({ revokedAt: new Date() }).where(eq(certificates.userId, learners[7]!.learner.id));
  await removePerson(lead, org.id, learners[9]!.personId);
  return { org, lead, red, blue, learners };
}

/** The value a row is sorted by, as the report defines it (no value last going up, except score: none is lowest). */
function sortValue(key: SortKey, row: ReportRow, moduleOrder: Map<string, number>): string | number {
  const time = (v: string | null) => (v ? new Date(v).getTime() : Infinity);
  switch (key) {
    case "name":
      return row.name.toLowerCase();
    case "staff":
      return row.staffNumber ?? "";
    case "team":
      return row.team ?? "";
    case "module":
      return moduleOrder.get(row.moduleSlug)!;
    case "status":
      return ASSIGNMENT_STATUSES.indexOf(row.status);
    case "due":
      return time(row.due);
    case "started":
      return time(row.startedAt);
    case "completed":
      return time(row.completedAt);
    case "score":
      return row.score ?? -1;
    case "attempts":
      return row.attempts;
    case "expires":
      return time(row.certificateExpiresAt);
  }
}

/** Text keys are ordered by the database's collation: ask it for the order of the values alone. */
async function databaseTextOrder(values: string[], dir: "asc" | "desc") {
  const result = (await handle.db.execute(
    sql`select v from json_array_elements_text(${JSON.stringify(values)}::json) v order by v ${sql.raw(dir)}`,
  )) as unknown as { rows: { v: string }[] };
  return result.rows.map((r) => r.v);
}

// The first of the tests on the shared busy organisation, so it builds it: 60 s, not the usual 30.
test("every sort key, both ways: the same rows, in the key's order, and keyset batches of 3 lose or repeat none", { timeout: 120_000 }, async () => {
  const { org } = await sharedBusyOrganisation();
  const reference = await expectAgreement(org.id);
  const multiset = (rows: ReportRow[]) => rows.map(keyOf).sort();
  const mods = await handle.db.select({ slug: modules.slug, order: modules.sortOrder }).from(modules);
  const moduleOrder = new Map(mods.map((m) => [m.slug, m.order]));
  const context = await reportContext(org.id);
  // One page holds them all, so the page can be compared with the whole list.
  expect(reference.rows.length).toBeGreaterThan(20);
  expect(reference.rows.length).toBeLessThanOrEqual(PAGE_SIZE);
  for (const sort of SORT_KEYS) {
    for (const dir of ["asc", "desc"] as const) {
      const label = `${sort} ${dir}`;
      const { rows: full, sizes } = await allRows(org.id, { sort, dir });
      expect(sizes, label).toHaveLength(1);
      expect(multiset(full), label).toEqual(multiset(reference.rows));
      const values = full.map((r) => sortValue(sort, r, moduleOrder));
      if (typeof values[0] === "number") {
        const sorted = [...(values as number[])].sort((a, b) => (dir === "asc" ? a - b : b - a));
        expect(values, label).toEqual(sorted);
      } else {
        expect(values, label).toEqual(await databaseTextOrder(values as string[], dir));
      }
      // The key has ties here, so the batches cross them.
      expect(new Set(values).size, `${label} has ties`).toBeLessThan(values.length);
      const batched = await allRows(org.id, { sort, dir }, { batchSize: 3 });
      expect(batched.rows, label).toEqual(full);
      expect(batched.sizes.slice(0, -1).every((n) => n === 3), label).toBe(true);
      // The page shows the same rows in the same order.
      const page = await reportPage(context, { ...EVERYONE, sort, dir }, null);
      expect(page.rows, label).toEqual(full);
      expect(page.total, label).toBe(full.length);
    }
  }
});

/**
 * The order of every sort key, as it was before issue 18 gave each key its index or its group
 * paging (captured then): the names down the table, going up, and going down where the order is
 * read a group at a time (team, module, status). Same-named people tie on everything shown here.
 */
const ORDER_BY_KEY: Record<string, string[]> = {
  "name asc": ["=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "Ada Ash", "Ada Ash", "Ada Ash", "Ada Ash", "ben bell", "ben bell", "Cy Cole", "Cy Cole", "Cy Cole", "Dee, \"Dot\" Dunn", "Dee, \"Dot\" Dunn", "Eve Eden", "Fin Ford", "Fin Ford", "Lee Lead", "Zoë Ó'Brien", "Zoë Ó'Brien", "李雷", "李雷"],
  "staff asc": ["Ada Ash", "Ada Ash", "Ada Ash", "Cy Cole", "Cy Cole", "Cy Cole", "Fin Ford", "Fin Ford", "Lee Lead", "李雷", "李雷", "Eve Eden", "Dee, \"Dot\" Dunn", "Dee, \"Dot\" Dunn", "Zoë Ó'Brien", "Zoë Ó'Brien", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "ben bell", "ben bell", "Ada Ash", "Ada Ash", "Ada Ash"],
  "team asc": ["ben bell", "ben bell", "Eve Eden", "Lee Lead", "Zoë Ó'Brien", "Zoë Ó'Brien", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "Ada Ash", "Dee, \"Dot\" Dunn", "Dee, \"Dot\" Dunn", "Ada Ash", "Ada Ash", "Ada Ash", "Cy Cole", "Cy Cole", "Cy Cole", "Fin Ford", "Fin Ford", "李雷", "李雷"],
  "team desc": ["李雷", "李雷", "Fin Ford", "Fin Ford", "Cy Cole", "Cy Cole", "Cy Cole", "Ada Ash", "Ada Ash", "Ada Ash", "Dee, \"Dot\" Dunn", "Dee, \"Dot\" Dunn", "Ada Ash", "Ada Ash", "Ada Ash", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "Zoë Ó'Brien", "Zoë Ó'Brien", "Lee Lead", "Eve Eden", "ben bell", "ben bell"],
  "module asc": ["=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "ben bell", "Cy Cole", "Dee, \"Dot\" Dunn", "Eve Eden", "Fin Ford", "Lee Lead", "Zoë Ó'Brien", "李雷", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "Ada Ash", "Ada Ash", "ben bell", "Cy Cole", "Cy Cole", "Dee, \"Dot\" Dunn", "Fin Ford", "Zoë Ó'Brien", "李雷"],
  "module desc": ["李雷", "Zoë Ó'Brien", "Fin Ford", "Dee, \"Dot\" Dunn", "Cy Cole", "Cy Cole", "ben bell", "Ada Ash", "Ada Ash", "Ada Ash", "Ada Ash", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "李雷", "Zoë Ó'Brien", "Lee Lead", "Fin Ford", "Eve Eden", "Dee, \"Dot\" Dunn", "Cy Cole", "ben bell", "Ada Ash", "Ada Ash", "=HYPERLINK(\"x\")"],
  "status asc": ["=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "Ada Ash", "ben bell", "Cy Cole", "Dee, \"Dot\" Dunn", "Fin Ford", "李雷", "=HYPERLINK(\"x\")", "Zoë Ó'Brien", "=HYPERLINK(\"x\")", "ben bell", "Cy Cole", "Dee, \"Dot\" Dunn", "Eve Eden", "Fin Ford", "Lee Lead", "Zoë Ó'Brien", "Ada Ash", "Ada Ash", "Ada Ash", "Cy Cole", "李雷"],
  "status desc": ["李雷", "Cy Cole", "Ada Ash", "Ada Ash", "Ada Ash", "Zoë Ó'Brien", "Lee Lead", "Fin Ford", "Eve Eden", "Dee, \"Dot\" Dunn", "Cy Cole", "ben bell", "=HYPERLINK(\"x\")", "Zoë Ó'Brien", "=HYPERLINK(\"x\")", "李雷", "Fin Ford", "Dee, \"Dot\" Dunn", "Cy Cole", "ben bell", "Ada Ash", "Ada Ash", "Ada Ash", "=HYPERLINK(\"x\")"],
  "due asc": ["=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "ben bell", "Cy Cole", "Dee, \"Dot\" Dunn", "Eve Eden", "Fin Ford", "Lee Lead", "Zoë Ó'Brien", "李雷", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "Ada Ash", "Ada Ash", "ben bell", "Cy Cole", "Cy Cole", "Dee, \"Dot\" Dunn", "Fin Ford", "Zoë Ó'Brien", "李雷"],
  "started asc": ["Ada Ash", "Ada Ash", "Ada Ash", "Cy Cole", "ben bell", "=HYPERLINK(\"x\")", "Zoë Ó'Brien", "李雷", "Dee, \"Dot\" Dunn", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "Ada Ash", "ben bell", "Cy Cole", "Cy Cole", "Dee, \"Dot\" Dunn", "Eve Eden", "Fin Ford", "Fin Ford", "Lee Lead", "Zoë Ó'Brien", "李雷"],
  "completed asc": ["Ada Ash", "Ada Ash", "Ada Ash", "Cy Cole", "李雷", "Dee, \"Dot\" Dunn", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "Ada Ash", "ben bell", "ben bell", "Cy Cole", "Cy Cole", "Dee, \"Dot\" Dunn", "Eve Eden", "Fin Ford", "Fin Ford", "Lee Lead", "Zoë Ó'Brien", "Zoë Ó'Brien", "李雷"],
  "score asc": ["=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "Ada Ash", "ben bell", "ben bell", "Cy Cole", "Cy Cole", "Dee, \"Dot\" Dunn", "Eve Eden", "Fin Ford", "Fin Ford", "Lee Lead", "Zoë Ó'Brien", "李雷", "Zoë Ó'Brien", "Ada Ash", "Ada Ash", "Ada Ash", "Cy Cole", "Dee, \"Dot\" Dunn", "李雷"],
  "attempts asc": ["=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "Ada Ash", "ben bell", "ben bell", "Cy Cole", "Cy Cole", "Dee, \"Dot\" Dunn", "Eve Eden", "Fin Ford", "Fin Ford", "Lee Lead", "Zoë Ó'Brien", "李雷", "Ada Ash", "Ada Ash", "Ada Ash", "Cy Cole", "Dee, \"Dot\" Dunn", "Zoë Ó'Brien", "李雷"],
  "expires asc": ["李雷", "Ada Ash", "Ada Ash", "Dee, \"Dot\" Dunn", "Ada Ash", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "Ada Ash", "Ada Ash", "Ada Ash", "ben bell", "ben bell", "Cy Cole", "Cy Cole", "Cy Cole", "Dee, \"Dot\" Dunn", "Eve Eden", "Fin Ford", "Fin Ford", "Lee Lead", "Zoë Ó'Brien", "Zoë Ó'Brien", "李雷"],
};

test("every sort key's order is the one it had: the names down the page, literally", async () => {
  const { org } = await busyOrganisation();
  const context = await reportContext(org.id);
  const actual: Record<string, string[]> = {};
  for (const sort of SORT_KEYS) {
    for (const dir of ["asc", "desc"] as const) {
      if (dir === "desc" && !["team", "module", "status"].includes(sort)) continue;
      const page = await reportPage(context, { ...EVERYONE, sort, dir }, null);
      actual[`${sort} ${dir}`] = page.rows.map((r) => r.name);
    }
  }
  if (process.env.PRINT_REPORT_ORDERS) console.log(JSON.stringify(actual, null, 2));
  expect(actual).toEqual(ORDER_BY_KEY);
}, 120_000);

test("sorted by team, module or status a page is read a group at a time: every page across the groups' edges holds the sorted rows", async () => {
  const { org, lead, red, blue } = await busyOrganisation();
  // Longer than a page (without the leaver too), so pages start and end inside groups.
  for (let i = 0; i < 10; i++) await addLearner(org.id, lead, { name: `Extra ${String.fromCharCode(65 + i)}`, teamId: [blue, null, red][i % 3]! });
  await assign(lead, org.id, { moduleSlug: "sample-third", dueDate: inDays(20) });
  const context = await reportContext(org.id);
  const queries: Partial<ReportQuery>[] = [{}, { includeLeft: false }, { status: "not-started" }, { module: "sample-second" }, { team: red }, { team: "none" }];
  let crossed = 0;
  for (const sort of ["team", "module", "status"] as const) {
    for (const dir of ["asc", "desc"] as const) {
      for (const filters of queries) {
        const query = { ...EVERYONE, ...filters, sort, dir };
        const label = `${sort} ${dir} ${JSON.stringify(filters)}`;
        const { rows: sorted } = await allRows(org.id, query);
        const { moduleId } = resolveQuery(context, query);
        const paged: ReportRow[] = [];
        const first = await reportPage(context, query, moduleId);
        for (let page = 1; page <= first.pages; page++) {
          const { rows, total } = page === 1 ? first : await reportPage(context, { ...query, page }, moduleId);
          expect(total, label).toBe(sorted.length);
          paged.push(...rows);
        }
        expect(paged, label).toEqual(sorted);
        if (first.pages > 1) crossed++;
      }
    }
  }
  // The unfiltered table and the one without leavers are two pages, both ways, for each key.
  expect(crossed).toBeGreaterThanOrEqual(12);
}, 120_000);

test("sorted by status, the rows of expired (read keys first off the expiry index) page exactly as the sorted rows: deep, across the edges, with each filter", async () => {
  const { org, lead } = await createOrganisation({ seats: 40 });
  const red = await createTeam(lead, org.id, "Red");
  // Names repeat, so pages split ties that only the person and module decide.
  const learners = [];
  for (let i = 0; i < 33; i++) {
    learners.push(await addLearner(org.id, lead, { name: ["Ada Ash", "ben bell", `Kim ${String.fromCharCode(65 + (i % 26))}`][i % 3]!, teamId: i % 3 === 1 ? red : null }));
  }
  await assign(lead, org.id, { moduleSlug: "sample-basics", dueDate: inDays(10) });
  await assign(lead, org.id, { moduleSlug: "sample-second", dueDate: inDays(10) });
  for (const [i, { learner }] of learners.entries()) {
    if (i % 11 === 10) continue;
    await completeModule(learner.id, "sample-basics");
    if (i % 11 !== 9) await completeModule(learner.id, "sample-second");
  }
  // Not expired however late: a retake open after the completion, and a revoked certificate.
  const [renewed] = await handle.db.select({ id: certificates.id }).from(certificates).where(eq(certificates.userId, learners[0]!.learner.id)).limit(1);
  await handle.db.update(certificates).set({ expiresAt: new Date(Date.now() - DAY) }).where(eq(certificates.id, renewed!.id));
  await startModule({ userId: learners[0]!.learner.id, slug: "sample-basics" });
  await handle.db.update(certificates).set({ revokedAt: new Date() }).where(eq(certificates.userId, learners[3]!.learner.id));
  await removePerson(lead, org.id, learners[4]!.personId);
  const context = await reportContext(org.id);
  const queries: Partial<ReportQuery>[] = [{}, { includeLeft: false }, { team: red }, { team: "none" }, { module: "sample-second" }, { status: "expired" }];
  let deep = 0;
  // 18 months on: the first module's certificates (12 months) have expired, the second's (24) not; 3 years on, both.
  for (const months of [18, 36]) {
    const now = new Date(Date.now() + months * 30.5 * DAY);
    const { rows: everything } = await allRows(org.id, { sort: "status" }, { now });
    const expired = everything.filter((r) => r.status === "expired");
    expect(expired.length, `${months} months`).toBeGreaterThan(months === 36 ? PAGE_SIZE : 20);
    // The retake, overdue by then.
    expect(everything.some((r) => r.status === "overdue" && r.completedAt !== null && !r.certificateRevoked), "the retake").toBe(true);
    for (const dir of ["asc", "desc"] as const) {
      for (const filters of queries) {
        const query = { ...EVERYONE, ...filters, sort: "status" as const, dir };
        const label = `${months} months ${dir} ${JSON.stringify(filters)}`;
        const { rows: sorted } = await allRows(org.id, query, { now });
        const { moduleId } = resolveQuery(context, query);
        const paged: ReportRow[] = [];
        const first = await reportPage(context, query, moduleId, { now });
        for (let page = 1; page <= first.pages; page++) {
          const { rows, total } = page === 1 ? first : await reportPage(context, { ...query, page }, moduleId, { now });
          expect(total, label).toBe(sorted.length);
          paged.push(...rows);
          // A page that starts inside expired: read with an offset into the group.
          const before = sorted.slice(0, (page - 1) * PAGE_SIZE);
          if (rows[0]?.status === "expired" && before.at(-1)?.status === "expired") deep++;
        }
        expect(paged, label).toEqual(sorted);
      }
    }
    // A status filter's pages are read keys first too ("expired" off the expiry index): the same rows as the
    // whole table in that order with the other statuses taken out (worked out from each row's status).
    for (const sort of ["name", "completed", "expires", "score"] as const) {
      for (const dir of ["asc", "desc"] as const) {
        const { rows: whole } = await allRows(org.id, { sort, dir }, { now });
        for (const status of ["expired", "completed", "overdue"] as const) {
          for (const filters of [{}, { team: red }] as Partial<ReportQuery>[]) {
            const query = { ...EVERYONE, ...filters, status, sort, dir };
            const label = `${months} months ${sort} ${dir} ${JSON.stringify(query)}`;
            const expected = whole.filter((r) => r.status === status && (!query.team || r.team === "Red"));
            const paged: ReportRow[] = [];
            const first = await reportPage(context, query, null, { now });
            for (let page = 1; page <= first.pages; page++) paged.push(...(page === 1 ? first : await reportPage(context, { ...query, page }, null, { now })).rows);
            expect(first.total, label).toBe(expected.length);
            expect(paged, label).toEqual(expected);
            if (first.pages > 1) deep++;
          }
        }
      }
    }
  }
  expect(deep).toBeGreaterThanOrEqual(12);
}, 120_000);

test("summary counts by module, team and status are the counts of the rows, within the filters", async () => {
  const { org } = await sharedBusyOrganisation();
  const context = await reportContext(org.id);
  for (const query of [EVERYONE, { ...EVERYONE, includeLeft: false }, { ...EVERYONE, module: "sample-second" }]) {
    const { moduleId } = resolveQuery(context, query);
    const { rows } = await allRows(org.id, query);
    const summary = await reportSummary(context, query, moduleId);
    const count = (filter: (r: ReportRow) => boolean) => {
      const mine = rows.filter(filter);
      return { ...Object.fromEntries(ASSIGNMENT_STATUSES.map((s) => [s, mine.filter((r) => r.status === s).length])), total: mine.length };
    };
    expect(summary.overall).toEqual(count(() => true));
    expect(summary.byModule.map((m) => m.slug).sort()).toEqual([...new Set(rows.map((r) => r.moduleSlug))].sort());
    for (const m of summary.byModule) expect(m.counts, m.slug).toEqual(count((r) => r.moduleSlug === m.slug));
    expect(summary.byTeam.map((t) => t.teamId === null ? null : t.name).sort()).toEqual([...new Set(rows.map((r) => r.team))].sort());
    for (const t of summary.byTeam) expect(t.counts, t.name).toEqual(count((r) => r.team === (t.teamId === null ? null : t.name)));
    // "No team" comes last, the teams by name before it.
    const named = summary.byTeam.filter((t) => t.teamId !== null).map((t) => t.name);
    expect(named).toEqual([...named].sort((a, b) => a.localeCompare(b, "en-GB")));
    if (rows.some((r) => r.team === null)) expect(summary.byTeam.at(-1)?.teamId).toBeNull();

    // Completion over time: this month's completions (not revoked) are the rows'; a year on, all are "before".
    const done = rows.filter((r) => r.completedAt && !r.certificateRevoked);
    expect(done.length).toBeGreaterThan(0);
    const series = await completionOverTime(context, query, moduleId, summary.overall.total);
    expect(series).toHaveLength(12);
    expect(series.at(-1)).toMatchObject({ month: today().slice(0, 7), completions: done.length, cumulative: done.length });
    expect(series.at(-1)!.percent).toBeCloseTo((100 * done.length) / summary.overall.total, 1);
    const yearOn = await completionOverTime(context, query, moduleId, summary.overall.total, { now: new Date(Date.now() + 400 * DAY) });
    expect(yearOn.every((p) => p.completions === 0 && p.cumulative === done.length)).toBe(true);
  }
});

test("each filter keeps exactly the rows that match it", async () => {
  const { org, red } = await sharedBusyOrganisation();
  const { rows: everything } = await allRows(org.id);
  expect(new Set(everything.map((r) => r.status)).size).toBe(ASSIGNMENT_STATUSES.length);
  const cases: [Partial<ReportQuery>, (r: ReportRow) => boolean][] = [
    [{ includeLeft: false }, (r) => r.personStatus !== "left"],
    [{ team: red }, (r) => r.team === "Red"],
    [{ team: "none" }, (r) => r.team === null],
    [{ module: "sample-third" }, (r) => r.moduleSlug === "sample-third"],
    ...ASSIGNMENT_STATUSES.map((status): [Partial<ReportQuery>, (r: ReportRow) => boolean] => [{ status }, (r) => r.status === status]),
    [{ dueFrom: inDays(0) }, (r) => r.due !== null && r.due >= inDays(0)],
    [{ dueTo: inDays(9) }, (r) => r.due !== null && r.due <= inDays(9)],
    [{ dueFrom: inDays(-1), dueTo: inDays(-1) }, (r) => r.due === inDays(-1)],
    [{ team: red, module: "sample-second", status: "not-started", includeLeft: false }, (r) => r.team === "Red" && r.moduleSlug === "sample-second" && r.status === "not-started" && r.personStatus !== "left"],
  ];
  for (const [filter, keep] of cases) {
    const { rows } = await allRows(org.id, filter);
    const expected = everything.filter(keep);
    expect(rows, JSON.stringify(filter)).toEqual(expected);
    expect(expected.length, `${JSON.stringify(filter)} narrows`).toBeLessThan(everything.length);
    expect(expected.length, `${JSON.stringify(filter)} keeps some`).toBeGreaterThan(0);
    const context = await reportContext(org.id);
    const q = { ...EVERYONE, ...filter };
    const page = await reportPage(context, q, resolveQuery(context, q).moduleId);
    expect(page.total).toBe(expected.length);
  }
});

test("the CSV export: a BOM, the header, then the page's rows, which parse back to the same values", async () => {
  const { org, learners } = await sharedBusyOrganisation();
  const context = await reportContext(org.id);
  const query = { ...EVERYONE, sort: "team" as const };
  const page = await reportPage(context, query, null);
  const bytes = Buffer.from(await new Response(reportCsvStream(context, query, null, { batchSize: 4 })).arrayBuffer());
  const text = bytes.toString("utf8");
  expect(text.startsWith(CSV_BOM)).toBe(true);
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  expect(text.slice(1).split("\r\n")[0]).toBe(REPORT_CSV_HEADER.map((h) => `"${h}"`).join(","));
  expect(text.replace(/\r\n/g, "").includes("\n")).toBe(false);
  const records = parse(text, { bom: true, relax_column_count: false }) as string[][];
  expect(records[0]).toEqual([...REPORT_CSV_HEADER]);
  // One record per row of the page, in its order.
  expect(records.slice(1).map((r) => [r[2], r[5]])).toEqual(page.rows.map((r) => [r.email, r.moduleTitle]));
  // Whole records written out: the dates are today's and yesterday's London dates (assigned now, due
  // yesterday); the version is blank until someone starts.
  const record = (name: string, module: string) => records.find((r) => r[1] === name && r[5] === module);
  expect(record("Zoë Ó'Brien", "Sample basics")).toEqual(["S5", "Zoë Ó'Brien", learners[5]!.learner.email, "Active", "", "Sample basics", "", "Overdue", today(), inDays(-1), "", "", "", "0", "", "", "", "1", "", ""]);
  expect(record("'=HYPERLINK(\"x\")", "Second sample")).toEqual(["S6", "'=HYPERLINK(\"x\")", learners[4]!.learner.email, "Active", "Blue", "Second sample", "1", "In progress", today(), inDays(10), today(), "", "", "0", "", "", "", "1", "", ""]);
  expect(record("Fin Ford", "Sample basics")).toEqual(["", "Fin Ford", learners[9]!.learner.email, "Left", "Red", "Sample basics", "", "Overdue", today(), inDays(-1), "", "", "", "0", "", "", "", "1", "", ""]);
  const revoked = record("Dee, \"Dot\" Dunn", "Sample basics")!;
  expect(revoked.slice(0, 8)).toEqual(["S3", "Dee, \"Dot\" Dunn", learners[7]!.learner.email, "Active", "Blue", "Sample basics", "1", "Overdue"]);
  expect(revoked[14]).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3} \(revoked\)$/);
  expect(records.slice(1).map((r) => r[1])).toContain("'=HYPERLINK(\"x\")");
  expect(records.slice(1).map((r) => r[1])).toContain("Zoë Ó'Brien");
});

test("rebuildReport reproduces exactly what the triggers kept", async () => {
  const { org } = await busyOrganisation();
  const snapshot = async () => {
    const rows = await handle.db.select().from(reportRows).where(eq(reportRows.organizationId, org.id));
    return rows.map(({ refreshedAt: _refreshed, ...rest }) => rest).sort((a, b) => `${a.personId}/${a.moduleId}`.localeCompare(`${b.personId}/${b.moduleId}`));
  };
  const kept = await snapshot();
  expect(kept.length).toBeGreaterThan(0);
  await rebuildReport(org.id);
  expect(await snapshot()).toEqual(kept);
  // And from nothing.
  await handle.db.delete(reportRows).where(eq(reportRows.organizationId, org.id));
  expect(await snapshot()).toEqual([]);
  await rebuildReport(org.id);
  expect(await snapshot()).toEqual(kept);
}, 120_000);

test("an organisation's report never holds another organisation's people, even a learner in both", async () => {
  const first = await createOrganisation({ seats: 5 });
  const second = await createOrganisation({ seats: 5 });
  const shared = await addLearner(first.org.id, first.lead, { name: "Pat Both" });
  // The same account joins the second organisation too.
  const { personId: secondPersonId } = await invitePerson(second.lead, second.org.id, { email: shared.learner.email, name: "Pat Both", staffNumber: null, rank: null, teamId: null, role: "member" });
  await acceptInvitation(await invitationToken(shared.learner.email), shared.learner);
  await addLearner(second.org.id, second.lead, { name: "Only Second" });
  await assign(first.lead, first.org.id, { moduleSlug: "sample-basics", dueDate: inDays(5) });
  await assign(second.lead, second.org.id, { moduleSlug: "sample-basics", dueDate: inDays(-5) });
  await completeModule(shared.learner.id, "sample-basics");
  for (const { org } of [first, second]) {
    const report = await expectAgreement(org.id);
    const roster = await handle.db.select({ id: people.id }).from(people).where(eq(people.organizationId, org.id));
    const ids = new Set(roster.map((p) => p.id));
    expect(report.rows.length).toBeGreaterThan(0);
    for (const row of report.rows) expect(ids.has(row.personId)).toBe(true);
  }
  // The learner's completion shows in both.
  expect((await expectAgreement(first.org.id)).get(shared.personId, "sample-basics").status).toBe("completed");
  expect((await expectAgreement(second.org.id)).get(secondPersonId, "sample-basics").status).toBe("completed");
  // A team of the other organisation is refused, named by its parameter; so is an unknown module.
  const otherTeam = await createTeam(second.lead, second.org.id, "Elsewhere");
  const context = await reportContext(first.org.id);
  expect(() => resolveQuery(context, { ...EVERYONE, team: otherTeam })).toThrow(ReportQueryError);
  expect(() => resolveQuery(context, { ...EVERYONE, team: otherTeam })).toThrow(expect.objectContaining({ param: "team" }));
  expect(() => resolveQuery(context, { ...EVERYONE, module: "no-such-module" })).toThrow(expect.objectContaining({ param: "module" }));
  expect(resolveQuery(context, { ...EVERYONE, module: "sample-second", team: "none" }).moduleId).toBe(
    (await handle.db.select({ id: modules.id }).from(modules).where(eq(modules.slug, "sample-second")))[0]!.id,
  );
});

test("roster changes: an invitation accepted late, resent, revoked; a leaver invited back; a team deleted; a due date changed", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const gone = await createTeam(lead, org.id, "Disbanded");
  const member = await addLearner(org.id, lead, { name: "Tia Team", teamId: gone });
  const email = uniqueEmail("late");
  const late = await invitePerson(lead, org.id, { email, name: "Lou Late", staffNumber: null, rank: null, teamId: null, role: "member" });
  const revoked = await invitePerson(lead, org.id, { email: uniqueEmail("revoked"), name: "Rex Revoked", staffNumber: null, rank: null, teamId: null, role: "member" });
  const leaver = await addLearner(org.id, lead, { name: "Bo Back" });
  const relative = await assign(lead, org.id, { moduleSlug: "sample-basics", dueDays: 30 });
  await assign(lead, org.id, { moduleSlug: "sample-second", target: "people", personIds: [leaver.personId], dueDate: inDays(2) });
  await expectAgreement(org.id);

  // Joined (and invited) later than assigned: due counts from then.
  const later = new Date(Date.now() + 5 * DAY);
  await handle.db.update(people).set({ invitedAt: later }).where(eq(people.id, late.personId));
  expect((await expectAgreement(org.id)).get(late.personId, "sample-basics").due).toBe(addDays(londonDate(later), 30));
  await resendInvitation(lead, org.id, late.personId);
  expect((await expectAgreement(org.id)).get(late.personId, "sample-basics").due).toBe(inDays(30));
  const account = await createUser({ email, name: "Lou Late" });
  await completeModule(account.id, "sample-basics");
  await acceptInvitation(await invitationToken(email), account);
  expect((await expectAgreement(org.id)).get(late.personId, "sample-basics")).toMatchObject({ personStatus: "active", status: "completed" });

  await revokeInvitation(lead, org.id, revoked.personId);
  expect((await expectAgreement(org.id)).rows.some((r) => r.personId === revoked.personId)).toBe(false);

  await removePerson(lead, org.id, leaver.personId);
  await invitePerson(lead, org.id, { email: leaver.learner.email, name: "Bo Back", staffNumber: null, rank: null, teamId: null, role: "member" });
  expect((await expectAgreement(org.id)).get(leaver.personId, "sample-second").personStatus).toBe("invited");

  await handle.db.update(assignments).set({ dueDays: null, dueDate: inDays(-1) }).where(eq(assignments.id, relative));
  const report = await expectAgreement(org.id);
  expect(report.get(member.personId, "sample-basics")).toMatchObject({ due: inDays(-1), status: "overdue", team: "Disbanded" });
  await withdrawAssignment(lead, org.id, relative);
  await deleteTeam(lead, org.id, gone);
  await assign(lead, org.id, { moduleSlug: "sample-third" });
  expect((await expectAgreement(org.id)).get(member.personId, "sample-third").team).toBeNull();
});

test("a module retired while assigned stays in the report, its summary and its module filter", async () => {
  const { org, lead } = await createOrganisation({ seats: 5 });
  const learner = await addLearner(org.id, lead, { name: "Ray Retired" });
  await assign(lead, org.id, { moduleSlug: "sample-fourth", dueDate: inDays(8) });
  await assign(lead, org.id, { moduleSlug: "sample-basics", dueDate: inDays(8) });
  await completeModule(learner.learner.id, "sample-fourth");
  fs.rmSync(path.join(CONTENT, "sample-fourth"), { recursive: true });
  expect((await importFixtures(handle, CONTENT)).retired).toEqual(["sample-fourth"]);

  const report = await expectAgreement(org.id);
  expect(report.get(learner.personId, "sample-fourth").status).toBe("completed");
  const context = await reportContext(org.id);
  const { moduleId } = resolveQuery(context, { ...EVERYONE, module: "sample-fourth" });
  const summary = await reportSummary(context, EVERYONE, null);
  expect(summary.byModule.map((m) => m.slug).sort()).toEqual(["sample-basics", "sample-fourth"]);
  expect(summary.byModule.reduce((n, m) => n + m.counts.total, 0)).toBe(summary.overall.total);
  const only = await reportSummary(context, { ...EVERYONE, module: "sample-fourth" }, moduleId);
  expect(only.overall.total).toBe(report.rows.filter((r) => r.moduleSlug === "sample-fourth").length);
  // Another organisation that never had it is not offered it.
  const other = await createOrganisation();
  expect((await reportContext(other.org.id)).modules.map((m) => m.slug)).not.toContain("sample-fourth");
});

test("deleting a learner's account or a whole organisation leaves the report consistent", async () => {
  const { org, lead } = await createOrganisation({ seats: 5 });
  const other = await createOrganisation({ seats: 5 });
  const goner = await addLearner(org.id, lead, { name: "Gil Gone" });
  const stays = await addLearner(other.org.id, other.lead, { name: "Sue Stays" });
  await assign(lead, org.id, { moduleSlug: "sample-basics", dueDate: inDays(3) });
  await assign(lead, org.id, { moduleSlug: "sample-second", target: "people", personIds: [goner.personId] });
  await assign(other.lead, other.org.id, { moduleSlug: "sample-basics", dueDate: inDays(3) });
  await completeModule(goner.learner.id, "sample-basics");
  await completeModule(stays.learner.id, "sample-basics");
  expect((await expectAgreement(org.id)).get(goner.personId, "sample-basics").status).toBe("completed");

  await handle.db.delete(user).where(eq(user.id, goner.learner.id));
  const after = await expectAgreement(org.id);
  expect(after.get(goner.personId, "sample-basics")).toMatchObject({ status: "not-started", completedAt: null, attempts: 0 });

  await handle.db.delete(organization).where(eq(organization.id, org.id));
  expect(await handle.db.select().from(reportRows).where(eq(reportRows.organizationId, org.id))).toEqual([]);
  expect((await expectAgreement(other.org.id)).get(stays.personId, "sample-basics").status).toBe("completed");
});
