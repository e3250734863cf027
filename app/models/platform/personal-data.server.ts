import { and, asc, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import {
  auditEvents,
  certificates,
  cpdReflections,
  enrolments,
  lessonProgress,
  moduleVersions,
  modules,
  organization,
  people,
  quizAttempts,
  scormLaunches,
  team,
  user,
  type StoredResponse,
} from "#db/schema/index.ts";
import type { Database } from "#db/client.ts";
import type { Question } from "#app/content/schema.ts";
import { certificateStatus } from "#app/utils/certificate-status.ts";
import { formatCertificateCode } from "#app/utils/certificate-code.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { certificateColumns } from "#app/models/learning/certificate.server.ts";
import { FOUR_LABELS, isOffence, OFFENCE_LABELS, type FourElement } from "#app/utils/offences.ts";
import { personAssignmentsQuery, runStatusQuery } from "#app/models/organisations/assignment-status.server.ts";

/** Bumped when the shape changes, so a program reading old exports can tell. */
export const PERSONAL_DATA_FORMAT = "distinct-personal-data/1";

const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString());

/** The words of an answer, as the learner saw them (offence names, option texts, FOUR elements). */
function answerWords(question: Question | undefined, response: StoredResponse | undefined) {
  if (!response) return { answer: [] as string[], elements: [] as string[] };
  const option = (id: string) => {
    if (question && question.type !== "classify") return question.options.find((o) => o.id === id)?.text ?? id;
    return isOffence(id) ? OFFENCE_LABELS[id].short : id;
  };
  const chosen = response.choices ?? (response.choice ? [response.choice] : []);
  const isFour = (e: string): e is FourElement => e in FOUR_LABELS;
  return { answer: chosen.map(option), elements: (response.four ?? []).map((e) => (isFour(e) ? FOUR_LABELS[e] : e)) };
}

/**
 * Everything Distinct holds about a learner, for them to download (UK GDPR
 * articles 15 and 20): their account, memberships, learning, every attempt
 * with the answers they gave, certificates, assignments with due dates, and
 * the audit events about them. Answer keys are never included: an open
 * attempt's right answers must not leave the server (DESIGN invariant 1), and
 * a submitted attempt already says which answers were right.
 */
export async function personalData(userId: string, now: Date = new Date()) {
  const db = getDb();
  const account = await accountRow(db, userId);
  if (!account) return null;

  const memberships = await membershipRows(db, userId);
  const orgNames = new Map(memberships.map((m) => [m.organizationId, m.organisation]));
  const enrolmentRows = await enrolmentRowsOf(db, userId);
  const progress = await lessonProgressRows(db, enrolmentRows.map((e) => e.id));
  const attemptRows = await attemptRowsOf(db, userId);
  const reflectionRows = await reflectionRowsOf(db, userId);
  const launchRows = await launchRowsOf(db, userId);
  const certificateRows = await certificateRowsOf(db, userId);
  const assignmentRows = await runStatusQuery(db, personAssignmentsQuery({ userId }, { includeLeft: true }));
  const moduleTitles = await moduleTitlesOf(db, [...new Set(assignmentRows.map((a) => a.moduleId))]);
  const events = await auditEventRows(db, userId, memberships.map((m) => m.id));

  return {
    format: PERSONAL_DATA_FORMAT,
    exportedAt: now.toISOString(),
    account: exportAccount(account),
    memberships: memberships.map(exportMembership),
    enrolments: enrolmentRows.map((e) => exportEnrolment(e, progress)),
    attempts: attemptRows.map(exportAttempt),
    cpdReflections: reflectionRows.map((r) => exportReflection(r, enrolmentRows)),
    lmsLaunches: launchRows.map((l) => ({
      module: enrolmentRows.find((e) => e.id === l.enrolmentId)?.title ?? null,
      organisation: l.organisation,
      lmsLearnerId: l.lmsLearnerId,
      startedAt: iso(l.startedAt),
    })),
    certificates: certificateRows.map((c) => exportCertificate(c, now)),
    assignments: assignmentRows.map((a) => ({
      organisation: orgNames.get(a.organisationId) ?? null,
      module: moduleTitles.get(a.moduleId) ?? null,
      assignedAt: iso(a.assignedAt),
      due: a.due,
      extended: a.extended,
      status: a.status,
      completedAt: iso(a.completedAt),
    })),
    auditEvents: events.map((e) => ({
      at: iso(e.at),
      action: e.action,
      organisation: e.organizationId ? (orgNames.get(e.organizationId) ?? null) : null,
      by: e.actorId === userId ? "you" : e.actor,
      targetType: e.targetType,
      details: e.details,
    })),
  };
}

export type PersonalData = NonNullable<Awaited<ReturnType<typeof personalData>>>;

// ------------------------------------------------------------------ the queries, one statement each

/** One row of what a query function resolves to. */
type RowOf<F extends (...args: never[]) => Promise<readonly unknown[]>> = Awaited<ReturnType<F>>[number];

async function accountRow(db: Database, userId: string) {
  const [account] = await db
    .select({ id: user.id, name: user.name, email: user.email, emailVerified: user.emailVerified, role: user.role, createdAt: user.createdAt })
    .from(user)
    .where(eq(user.id, userId));
  return account;
}

/** Every organisation the user is or was a member of, with their team there. */
function membershipRows(db: Database, userId: string) {
  return db
    .select({
      id: people.id,
      organizationId: people.organizationId,
      organisation: organization.name,
      name: people.name,
      email: people.email,
      staffNumber: people.staffNumber,
      rank: people.rank,
      team: team.name,
      role: people.role,
      status: people.status,
      invitedAt: people.invitedAt,
      joinedAt: people.joinedAt,
      leftAt: people.leftAt,
    })
    .from(people)
    .innerJoin(organization, eq(organization.id, people.organizationId))
    .leftJoin(team, and(eq(team.id, people.teamId), eq(team.organizationId, people.organizationId)))
    .where(eq(people.userId, userId))
    .orderBy(asc(organization.name));
}

/** Each enrolment with its module version's lesson keys and titles. */
function enrolmentRowsOf(db: Database, userId: string) {
  return db
    .select({
      id: enrolments.id,
      slug: modules.slug,
      title: moduleVersions.title,
      version: moduleVersions.version,
      organisation: organization.name,
      startedAt: enrolments.startedAt,
      lastActivityAt: enrolments.lastActivityAt,
      completedAt: enrolments.completedAt,
      lessons: sql<{ key: string; title: string }[]>`(select coalesce(jsonb_agg(jsonb_build_object('key', l->>'key', 'title', l->>'title')), '[]'::jsonb) from jsonb_array_elements(${moduleVersions.lessons}) l)`,
    })
    .from(enrolments)
    .innerJoin(moduleVersions, eq(moduleVersions.id, enrolments.moduleVersionId))
    .innerJoin(modules, eq(modules.id, enrolments.moduleId))
    .leftJoin(organization, eq(organization.id, enrolments.organizationId))
    .where(eq(enrolments.userId, userId))
    .orderBy(asc(enrolments.startedAt));
}

/** The lessons completed in these enrolments; no query when there are none. */
async function lessonProgressRows(db: Database, enrolmentIds: string[]) {
  return enrolmentIds.length
    ? await db
        .select({ enrolmentId: lessonProgress.enrolmentId, lessonKey: lessonProgress.lessonKey, completedAt: lessonProgress.completedAt })
        .from(lessonProgress)
        .where(inArray(lessonProgress.enrolmentId, enrolmentIds))
        .orderBy(asc(lessonProgress.completedAt))
    : [];
}

function attemptRowsOf(db: Database, userId: string) {
  return db
    .select({
      id: quizAttempts.id,
      enrolmentId: quizAttempts.enrolmentId,
      slug: modules.slug,
      title: moduleVersions.title,
      version: moduleVersions.version,
      attemptNumber: quizAttempts.attemptNumber,
      questionIds: quizAttempts.questionIds,
      responses: quizAttempts.responses,
      results: quizAttempts.results,
      startedAt: quizAttempts.startedAt,
      submittedAt: quizAttempts.submittedAt,
      marks: quizAttempts.marks,
      maxMarks: quizAttempts.maxMarks,
      score: quizAttempts.score,
      passed: quizAttempts.passed,
      // Only the questions' wording leaves this query, never the bank's answers.
      questions: sql<Question[] | null>`${moduleVersions.quiz}->'questions'`,
    })
    .from(quizAttempts)
    .innerJoin(moduleVersions, eq(moduleVersions.id, quizAttempts.moduleVersionId))
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(eq(quizAttempts.userId, userId))
    .orderBy(asc(quizAttempts.startedAt));
}

/** The learner's private CPD reflections (issue 19). */
function reflectionRowsOf(db: Database, userId: string) {
  return db
    .select({ enrolmentId: cpdReflections.enrolmentId, learned: cpdReflections.learned, apply: cpdReflections.apply, createdAt: cpdReflections.createdAt, updatedAt: cpdReflections.updatedAt })
    .from(cpdReflections)
    .where(eq(cpdReflections.userId, userId))
    .orderBy(asc(cpdReflections.createdAt));
}

/** The LMS launches that carried their LMS id. */
function launchRowsOf(db: Database, userId: string) {
  return db
    .select({ enrolmentId: scormLaunches.enrolmentId, organisation: organization.name, lmsLearnerId: scormLaunches.lmsLearnerId, startedAt: scormLaunches.startedAt })
    .from(scormLaunches)
    .innerJoin(organization, eq(organization.id, scormLaunches.organizationId))
    .where(eq(scormLaunches.userId, userId))
    .orderBy(asc(scormLaunches.startedAt));
}

function certificateRowsOf(db: Database, userId: string) {
  return db
    .select(certificateColumns)
    .from(certificates)
    .where(eq(certificates.userId, userId))
    .orderBy(asc(certificates.issuedAt));
}

/** Module titles by id, for the assignments; no query when there are none. */
async function moduleTitlesOf(db: Database, moduleIds: string[]) {
  return moduleIds.length
    ? new Map((await db.select({ id: modules.id, title: modules.title }).from(modules).where(inArray(modules.id, moduleIds))).map((m) => [m.id, m.title]))
    : new Map<string, string>();
}

/** Audit events by the user, about their account, or about any of their memberships (`personIds`). */
function auditEventRows(db: Database, userId: string, personIds: string[]) {
  return db
    .select({
      at: auditEvents.at,
      action: auditEvents.action,
      organizationId: auditEvents.organizationId,
      actor: auditEvents.actorLabel,
      actorId: auditEvents.actorId,
      targetType: auditEvents.targetType,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .where(
      or(
        eq(auditEvents.actorId, userId),
        and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, userId)),
        personIds.length ? and(eq(auditEvents.targetType, "person"), inArray(auditEvents.targetId, personIds)) : undefined,
        personIds.length ? and(isNotNull(auditEvents.details), inArray(sql`${auditEvents.details}->>'personId'`, personIds)) : undefined,
      ),
    )
    .orderBy(asc(auditEvents.at), asc(auditEvents.id));
}

// ------------------------------------------------------------------ the export's sections

function exportAccount(account: NonNullable<Awaited<ReturnType<typeof accountRow>>>) {
  return {
    id: account.id,
    name: account.name,
    email: account.email,
    emailVerified: account.emailVerified,
    platformRole: account.role ?? "user",
    createdAt: iso(account.createdAt),
  };
}

function exportMembership(m: RowOf<typeof membershipRows>) {
  return {
    organisation: m.organisation,
    name: m.name,
    email: m.email,
    staffNumber: m.staffNumber,
    roleOrRank: m.rank,
    team: m.team,
    access: m.role === "admin" ? "training lead" : "learner",
    status: m.status,
    invitedAt: iso(m.invitedAt),
    joinedAt: iso(m.joinedAt),
    leftAt: iso(m.leftAt),
  };
}

/** An enrolment with every lesson of its version and when (if ever) the learner completed it. */
function exportEnrolment(e: RowOf<typeof enrolmentRowsOf>, progress: RowOf<typeof lessonProgressRows>[]) {
  const done = new Map(progress.filter((p) => p.enrolmentId === e.id).map((p) => [p.lessonKey, p.completedAt]));
  return {
    module: e.slug,
    title: e.title,
    version: e.version,
    organisation: e.organisation,
    startedAt: iso(e.startedAt),
    lastActivityAt: iso(e.lastActivityAt),
    completedAt: iso(e.completedAt),
    lessons: e.lessons.map((l) => ({ key: l.key, title: l.title, completedAt: iso(done.get(l.key)) })),
  };
}

/** An attempt with each question's wording and the learner's answer; marks only once it is submitted. */
function exportAttempt(a: RowOf<typeof attemptRowsOf>) {
  const bank = new Map((a.questions ?? []).map((q) => [q.id, q]));
  const results = new Map((a.results ?? []).map((r) => [r.questionId, r]));
  return {
    module: a.slug,
    title: a.title,
    version: a.version,
    attemptNumber: a.attemptNumber,
    startedAt: iso(a.startedAt),
    submittedAt: iso(a.submittedAt),
    score: a.score,
    marks: a.marks,
    maxMarks: a.maxMarks,
    passed: a.passed,
    answers: a.questionIds.map((id) => {
      const question = bank.get(id);
      const result = a.submittedAt ? results.get(id) : undefined;
      return {
        questionId: id,
        question: question ? (question.type === "classify" ? question.scenario : question.prompt) : null,
        ...answerWords(question, a.responses[id]),
        correct: result ? result.correct : null,
        marks: result ? result.marks : null,
        maxMarks: result ? result.maxMarks : null,
      };
    }),
  };
}

function exportReflection(r: RowOf<typeof reflectionRowsOf>, enrolmentRows: RowOf<typeof enrolmentRowsOf>[]) {
  const enrolment = enrolmentRows.find((e) => e.id === r.enrolmentId);
  return {
    module: enrolment?.slug ?? null,
    title: enrolment?.title ?? null,
    version: enrolment?.version ?? null,
    learned: r.learned,
    apply: r.apply,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

function exportCertificate(c: RowOf<typeof certificateRowsOf>, now: Date) {
  return {
    code: formatCertificateCode(c.code),
    name: c.learnerName,
    module: c.moduleTitle,
    version: c.moduleVersion,
    organisation: c.organisationName,
    issuedAt: iso(c.issuedAt),
    expiresAt: iso(c.expiresAt),
    cpdMinutes: c.cpdMinutes,
    scorePercent: c.scorePercent,
    status: certificateStatus(c, now),
  };
}
