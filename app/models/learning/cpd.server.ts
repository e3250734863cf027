import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { certificates, cpdReflections, enrolments, lessonProgress, moduleVersions, modules, organization, quizAttempts, user } from "#db/schema/index.ts";
import { formatCertificateCode } from "#app/utils/certificate-code.ts";
import type { CpdRange } from "#app/utils/cpd-validation.ts";
import type { CpdCsvEntry } from "#app/utils/cpd-csv.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { measuredMinutes } from "#app/utils/time-spent.ts";

/** minutesSpent is measured from the learner's recorded steps (app/utils/time-spent.ts), not the module's estimate. */
export type CpdEntry = Omit<CpdCsvEntry, "reflection"> & {
  enrolmentId: string;
  slug: string;
  reflection: { learned: string; apply: string; updatedAt: string } | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Completion dates are compared as London days, as the learner reads them.
const completedDay = sql`(${enrolments.completedAt} at time zone 'Europe/London')::date`;

/**
 * A learner's CPD record: every module they completed (in the date range, by
 * completion day), with the time they measurably spent, the outcomes as the
 * version they took states them, the certificate and their reflection.
 * Scoped by the learner in every query: nobody else's record is reachable.
 */
export async function cpdRecord(userId: string, range: CpdRange = {}): Promise<CpdEntry[]> {
  const db = getDb();
  const rows = await db
    .select({
      enrolmentId: enrolments.id,
      slug: modules.slug,
      title: moduleVersions.title,
      version: moduleVersions.version,
      organisation: organization.name,
      startedAt: enrolments.startedAt,
      completedAt: enrolments.completedAt,
      outcomes: sql<string[]>`coalesce(${moduleVersions.meta}->'outcomes', '[]'::jsonb)`,
      certificateCode: certificates.code,
      learned: cpdReflections.learned,
      apply: cpdReflections.apply,
      reflectionUpdatedAt: cpdReflections.updatedAt,
    })
    .from(enrolments)
    .innerJoin(moduleVersions, eq(moduleVersions.id, enrolments.moduleVersionId))
    .innerJoin(modules, eq(modules.id, enrolments.moduleId))
    .leftJoin(organization, eq(organization.id, enrolments.organizationId))
    .leftJoin(certificates, and(eq(certificates.enrolmentId, enrolments.id), eq(certificates.userId, userId)))
    .leftJoin(cpdReflections, and(eq(cpdReflections.enrolmentId, enrolments.id), eq(cpdReflections.userId, userId)))
    .where(
      and(
        eq(enrolments.userId, userId),
        isNotNull(enrolments.completedAt),
        range.from ? sql`${completedDay} >= ${range.from}::date` : undefined,
        range.to ? sql`${completedDay} <= ${range.to}::date` : undefined,
      ),
    )
    .orderBy(desc(enrolments.completedAt));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.enrolmentId);
  const [lessonSteps, attemptSteps] = await Promise.all([
    db
      .select({ enrolmentId: lessonProgress.enrolmentId, at: lessonProgress.completedAt })
      .from(lessonProgress)
      .where(inArray(lessonProgress.enrolmentId, ids)),
    db
      .select({ enrolmentId: quizAttempts.enrolmentId, startedAt: quizAttempts.startedAt, submittedAt: quizAttempts.submittedAt })
      .from(quizAttempts)
      .where(and(eq(quizAttempts.userId, userId), inArray(quizAttempts.enrolmentId, ids)))
      .orderBy(asc(quizAttempts.startedAt)),
  ]);
  const steps = new Map<string, (Date | null)[]>(ids.map((id) => [id, []]));
  for (const s of lessonSteps) steps.get(s.enrolmentId)?.push(s.at);
  for (const s of attemptSteps) steps.get(s.enrolmentId)?.push(s.startedAt, s.submittedAt);
  return rows.flatMap((r) =>
    r.completedAt
      ? [
          {
            enrolmentId: r.enrolmentId,
            slug: r.slug,
            title: r.title,
            version: r.version,
            organisation: r.organisation,
            startedAt: r.startedAt.toISOString(),
            completedAt: r.completedAt.toISOString(),
            minutesSpent: measuredMinutes([r.startedAt, ...(steps.get(r.enrolmentId) ?? []), r.completedAt]),
            outcomes: Array.isArray(r.outcomes) ? r.outcomes.filter((o): o is string => typeof o === "string") : [],
            certificateCode: r.certificateCode ? formatCertificateCode(r.certificateCode) : null,
            reflection:
              r.learned !== null && r.apply !== null && r.reflectionUpdatedAt
                ? { learned: r.learned, apply: r.apply, updatedAt: r.reflectionUpdatedAt.toISOString() }
                : null,
          },
        ]
      : [],
  );
}

/** One completed module of the learner's, for the reflection form; null if it is not theirs or not complete. */
export async function cpdEntry(userId: string, enrolmentId: string): Promise<CpdEntry | null> {
  if (!UUID.test(enrolmentId)) return null;
  const entries = await cpdRecord(userId);
  return entries.find((e) => e.enrolmentId === enrolmentId) ?? null;
}

/**
 * Saves (creates or replaces) the learner's reflection on one of their
 * completed modules. Returns false when the enrolment is not theirs or not
 * complete, so the route answers 404 whoever's id was typed in.
 *
 * Not audited: the audit log records what staff and leads do to others'
 * records; a learner's own private note is read by no one else, and putting
 * its edits in a log that admins read would make it less private, not more.
 */
export async function saveReflection(userId: string, enrolmentId: string, input: { learned: string; apply: string }): Promise<boolean> {
  if (!UUID.test(enrolmentId)) return false;
  return getDb().transaction(async (tx) => {
    const [own] = await tx
      .select({ id: enrolments.id })
      .from(enrolments)
      .where(and(eq(enrolments.id, enrolmentId), eq(enrolments.userId, userId), isNotNull(enrolments.completedAt)));
    if (!own) return false;
    await tx
      .insert(cpdReflections)
      .values({ enrolmentId, userId, learned: input.learned, apply: input.apply })
      .onConflictDoUpdate({
        target: cpdReflections.enrolmentId,
        set: { learned: input.learned, apply: input.apply, updatedAt: sql`now()` },
        setWhere: eq(cpdReflections.userId, userId),
      });
    return true;
  });
}

/** The learner's name and email for an export's heading. */
export async function cpdHolder(userId: string): Promise<{ name: string; email: string } | null> {
  const [row] = await getDb().select({ name: user.name, email: user.email }).from(user).where(eq(user.id, userId));
  return row ?? null;
}
