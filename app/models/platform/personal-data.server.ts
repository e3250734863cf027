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
import type { Question } from "#app/content/schema.ts";
import { certificateStatus } from "#app/utils/certificate-status.ts";
import { formatCertificateCode } from "#app/utils/certificate-code.ts";
import { getDb } from "#app/models/platform/db.server.ts";
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
  const [account] = await db
    .select({ id: user.id, name: user.name, email: user.email, emailVerified: user.emailVerified, role: user.role, createdAt: user.createdAt })
    .from(user)
    .where(eq(user.id, userId));
  if (!account) return null;

  const memberships = await db
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
  const orgNames = new Map(memberships.map((m) => [m.organizationId, m.organisation]));

  const enrolmentRows = await db
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
  const progress = enrolmentRows.length
    ? await db
        .select({ enrolmentId: lessonProgress.enrolmentId, lessonKey: lessonProgress.lessonKey, completedAt: lessonProgress.completedAt })
        .from(lessonProgress)
        .where(inArray(lessonProgress.enrolmentId, enrolmentRows.map((e) => e.id)))
        .orderBy(asc(lessonProgress.completedAt))
    : [];

  const attemptRows = await db
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

  // The learner's private CPD reflections (issue 19) and the LMS launches that carried their LMS id.
  const reflectionRows = await db
    .select({ enrolmentId: cpdReflections.enrolmentId, learned: cpdReflections.learned, apply: cpdReflections.apply, createdAt: cpdReflections.createdAt, updatedAt: cpdReflections.updatedAt })
    .from(cpdReflections)
    .where(eq(cpdReflections.userId, userId))
    .orderBy(asc(cpdReflections.createdAt));
  const launchRows = await db
    .select({ enrolmentId: scormLaunches.enrolmentId, organisation: organization.name, lmsLearnerId: scormLaunches.lmsLearnerId, startedAt: scormLaunches.startedAt })
    .from(scormLaunches)
    .innerJoin(organization, eq(organization.id, scormLaunches.organizationId))
    .where(eq(scormLaunches.userId, userId))
    .orderBy(asc(scormLaunches.startedAt));

  const certificateRows = await db
    .select({
      code: certificates.code,
      learnerName: certificates.learnerName,
      moduleTitle: certificates.moduleTitle,
      moduleVersion: certificates.moduleVersion,
      organisationName: certificates.organisationName,
      issuedAt: certificates.issuedAt,
      expiresAt: certificates.expiresAt,
      cpdMinutes: certificates.cpdMinutes,
      scorePercent: certificates.scorePercent,
      revokedAt: certificates.revokedAt,
    })
    .from(certificates)
    .where(eq(certificates.userId, userId))
    .orderBy(asc(certificates.issuedAt));

  const assignmentRows = await runStatusQuery(
    db,
    personAssignmentsQuery({ userId }, { includeLeft: true }),
  );
  const moduleIds = [...new Set(assignmentRows.map((a) => a.moduleId))];
  const moduleTitles = moduleIds.length
    ? new Map((await db.select({ id: modules.id, title: modules.title }).from(modules).where(inArray(modules.id, moduleIds))).map((m) => [m.id, m.title]))
    : new Map<string, string>();

  const personIds = memberships.map((m) => m.id);
  const events = await db
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

  return {
    format: PERSONAL_DATA_FORMAT,
    exportedAt: now.toISOString(),
    account: {
      id: account.id,
      name: account.name,
      email: account.email,
      emailVerified: account.emailVerified,
      platformRole: account.role ?? "user",
      createdAt: iso(account.createdAt),
    },
    memberships: memberships.map((m) => ({
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
    })),
    enrolments: enrolmentRows.map((e) => {
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
    }),
    attempts: attemptRows.map((a) => {
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
    }),
    cpdReflections: reflectionRows.map((r) => {
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
    }),
    lmsLaunches: launchRows.map((l) => ({
      module: enrolmentRows.find((e) => e.id === l.enrolmentId)?.title ?? null,
      organisation: l.organisation,
      lmsLearnerId: l.lmsLearnerId,
      startedAt: iso(l.startedAt),
    })),
    certificates: certificateRows.map((c) => ({
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
    })),
    assignments: assignmentRows.map((a) => ({
      organisation: orgNames.get(a.organizationId) ?? null,
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
