import { and, desc, eq, ilike, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import {
  certificates,
  enrolments,
  moduleVersions,
  modules,
  organization,
  quizAttempts,
  sentNotifications,
  user,
} from "#db/schema/index.ts";
import { audit } from "#app/models/platform/audit.server.ts";
import { addMonths, certificateStatus, dueReminder, type CertificateStatus } from "#app/utils/certificate-status.ts";
import { checkCertificateCode, formatCertificateCode, generateCertificateCode } from "#app/utils/certificate-code.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { enqueueEmail } from "#app/models/platform/email.server.ts";
import { composeEmail } from "#app/utils/email-templates.ts";
import { getEnv } from "#app/services/env.server.ts";
import { formatDate } from "#app/utils/format.ts";
import type { SessionUser } from "#app/utils/session-user.ts";

export const verifyUrl = (code: string) => `${getEnv().APP_URL}/verify/${formatCertificateCode(code)}`;

/**
 * Issues the certificate for a just-completed enrolment, inside the
 * transaction that completed it. Copies what the certificate states (name,
 * module title and version, organisation) as they are now. Idempotent: one
 * certificate per enrolment.
 */
export async function issueCertificate(tx: Executor, enrolmentId: string): Promise<string | null> {
  const [facts] = await tx
    .select({
      userId: enrolments.userId,
      organizationId: enrolments.organizationId,
      moduleId: enrolments.moduleId,
      moduleVersionId: enrolments.moduleVersionId,
      completedAt: enrolments.completedAt,
      learnerName: user.name,
      moduleTitle: moduleVersions.title,
      moduleVersion: moduleVersions.version,
      meta: moduleVersions.meta,
      organisationName: organization.name,
    })
    .from(enrolments)
    .innerJoin(user, eq(user.id, enrolments.userId))
    .innerJoin(moduleVersions, eq(moduleVersions.id, enrolments.moduleVersionId))
    .leftJoin(organization, eq(organization.id, enrolments.organizationId))
    .where(eq(enrolments.id, enrolmentId))
    .limit(1);
  if (!facts?.completedAt) return null;
  const [best] = await tx
    .select({ score: sql<number>`max(${quizAttempts.score})::int` })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.enrolmentId, enrolmentId), eq(quizAttempts.passed, true)));
  const issuedAt = facts.completedAt;
  const months = facts.meta.certificateValidityMonths;
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = generateCertificateCode();
    const inserted = await tx
      .insert(certificates)
      .values({
        code,
        userId: facts.userId,
        organizationId: facts.organizationId,
        enrolmentId,
        moduleId: facts.moduleId,
        moduleVersionId: facts.moduleVersionId,
        learnerName: facts.learnerName,
        moduleTitle: facts.moduleTitle,
        moduleVersion: facts.moduleVersion,
        organisationName: facts.organisationName ?? null,
        issuedAt,
        expiresAt: months ? addMonths(issuedAt, months) : null,
        cpdMinutes: facts.meta.durationMinutes,
        scorePercent: best?.score ?? null,
      })
      .onConflictDoNothing()
      .returning({ code: certificates.code });
    if (inserted[0]) return inserted[0].code;
    // Either this enrolment already has its certificate, or (vanishingly rarely) the code was taken.
    const [existing] = await tx.select({ code: certificates.code }).from(certificates).where(eq(certificates.enrolmentId, enrolmentId));
    if (existing) return existing.code;
  }
  throw new Error("Could not find a free certificate code");
}

/** What a certificate says, without its id: the columns shown to anyone with the code, and in a learner's own data. */
export const certificateColumns = {
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
};

const publicColumns = { id: certificates.id, ...certificateColumns };

/** What a certificate states about the learner and the module (also what its PDF prints). */
export type CertificateFacts = {
  learnerName: string;
  moduleTitle: string;
  moduleVersion: number;
  organisationName: string | null;
  issuedAt: Date;
  expiresAt: Date | null;
  cpdMinutes: number;
  scorePercent: number | null;
};

export type CertificateRow = CertificateFacts & { id: string; code: string; revokedAt: Date | null };

export type LearnerCertificate = CertificateRow & {
  slug: string;
  status: CertificateStatus;
  formattedCode: string;
  /** A later certificate for the same module exists (this one is history). */
  superseded: boolean;
  /** The learner has an enrolment in progress on this module (recertifying). */
  recertifying: boolean;
};

/** The learner's certificates, newest first, with status and whether each is superseded. */
export async function listLearnerCertificates(userId: string, now: Date = new Date()): Promise<LearnerCertificate[]> {
  const db = getDb();
  const rows = await db
    .select({ ...publicColumns, moduleId: certificates.moduleId, slug: modules.slug })
    .from(certificates)
    .innerJoin(modules, eq(modules.id, certificates.moduleId))
    .where(eq(certificates.userId, userId))
    .orderBy(desc(certificates.issuedAt));
  const open = await db
    .select({ moduleId: enrolments.moduleId })
    .from(enrolments)
    .where(and(eq(enrolments.userId, userId), isNull(enrolments.completedAt)));
  const openModules = new Set(open.map((o) => o.moduleId));
  const seen = new Set<string>();
  return rows.map(({ moduleId, ...row }) => {
    const superseded = seen.has(moduleId);
    seen.add(moduleId);
    return {
      ...row,
      status: certificateStatus(row, now),
      formattedCode: formatCertificateCode(row.code),
      superseded,
      recertifying: !superseded && openModules.has(moduleId),
    };
  });
}

/** One certificate for its owner (or a platform admin); null for anyone else. */
export async function getCertificateFor(viewer: Pick<SessionUser, "id" | "role">, code: string) {
  const checked = checkCertificateCode(code);
  if (checked.status !== "valid") return null;
  const [row] = await getDb()
    .select({ ...publicColumns, userId: certificates.userId, revokedReason: certificates.revokedReason, slug: modules.slug })
    .from(certificates)
    .innerJoin(modules, eq(modules.id, certificates.moduleId))
    .where(
      viewer.role === "admin"
        ? eq(certificates.code, checked.code)
        : and(eq(certificates.code, checked.code), eq(certificates.userId, viewer.id)),
    )
    .limit(1);
  if (!row) return null;
  return { ...row, status: certificateStatus(row), formattedCode: formatCertificateCode(row.code), verifyUrl: verifyUrl(row.code) };
}

export type VerifyResult =
  | { kind: "malformed" }
  | { kind: "typo" }
  | { kind: "unknown"; code: string }
  /** The holder deleted their account: no name, no status, nothing to vouch for (docs/decisions/020). */
  | { kind: "withdrawn"; code: string; formattedCode: string; withdrawnAt: Date }
  | {
      kind: "found";
      code: string;
      formattedCode: string;
      status: CertificateStatus;
      learnerName: string;
      moduleTitle: string;
      moduleVersion: number;
      issuedAt: Date;
      expiresAt: Date | null;
      revokedAt: Date | null;
    };

/**
 * Public verification: what anyone may know from a code. The learner's name,
 * the module and the dates, nothing else personal (no email, organisation,
 * score or revocation reason).
 */
export async function verifyCertificate(input: string): Promise<VerifyResult> {
  const checked = checkCertificateCode(input);
  if (checked.status === "malformed") return { kind: "malformed" };
  if (checked.status === "typo") return { kind: "typo" };
  const [row] = await getDb()
    .select({
      code: certificates.code,
      learnerName: certificates.learnerName,
      moduleTitle: certificates.moduleTitle,
      moduleVersion: certificates.moduleVersion,
      issuedAt: certificates.issuedAt,
      expiresAt: certificates.expiresAt,
      revokedAt: certificates.revokedAt,
      holderErasedAt: certificates.holderErasedAt,
    })
    .from(certificates)
    .where(eq(certificates.code, checked.code))
    .limit(1);
  if (!row) return { kind: "unknown", code: checked.code };
  const { holderErasedAt, ...found } = row;
  if (holderErasedAt) return { kind: "withdrawn", code: row.code, formattedCode: formatCertificateCode(row.code), withdrawnAt: holderErasedAt };
  return { kind: "found", ...found, formattedCode: formatCertificateCode(row.code), status: certificateStatus(row) };
}

export class CertificateNotFoundError extends Error {}

/** Revokes a certificate with a reason; the record and its public address stay. Audited. */
export async function revokeCertificate(admin: SessionUser, code: string, reason: string): Promise<void> {
  const checked = checkCertificateCode(code);
  if (checked.status !== "valid") throw new CertificateNotFoundError("No certificate has this code");
  await getDb().transaction(async (tx) => {
    const changed = await tx
      .update(certificates)
      .set({ revokedAt: sql`now()`, revokedBy: admin.id, revokedReason: reason })
      .where(and(eq(certificates.code, checked.code), isNull(certificates.revokedAt)))
      .returning({ id: certificates.id, organizationId: certificates.organizationId });
    const row = changed[0];
    if (!row) {
      const [exists] = await tx.select({ id: certificates.id }).from(certificates).where(eq(certificates.code, checked.code));
      if (!exists) throw new CertificateNotFoundError("No certificate has this code");
      return; // already revoked: nothing to do
    }
    await audit(tx, {
      actor: admin,
      action: "certificate.revoked",
      organisationId: row.organizationId,
      target: { type: "certificate", id: checked.code },
      details: { reason },
    });
  });
}

/** Reinstates a revoked certificate. Audited with its reason; the earlier revocation stays in the audit log. */
export async function reinstateCertificate(admin: SessionUser, code: string, reason: string): Promise<void> {
  const checked = checkCertificateCode(code);
  if (checked.status !== "valid") throw new CertificateNotFoundError("No certificate has this code");
  await getDb().transaction(async (tx) => {
    const [before] = await tx
      .select({ id: certificates.id, revokedReason: certificates.revokedReason, organizationId: certificates.organizationId })
      .from(certificates)
      .where(and(eq(certificates.code, checked.code), isNotNull(certificates.revokedAt)))
      .for("update");
    if (!before) {
      const [exists] = await tx.select({ id: certificates.id }).from(certificates).where(eq(certificates.code, checked.code));
      if (!exists) throw new CertificateNotFoundError("No certificate has this code");
      return; // not revoked: nothing to do
    }
    await tx
      .update(certificates)
      .set({ revokedAt: null, revokedBy: null, revokedReason: null })
      .where(eq(certificates.id, before.id));
    await audit(tx, {
      actor: admin,
      action: "certificate.reinstated",
      organisationId: before.organizationId,
      target: { type: "certificate", id: checked.code },
      details: { reason, previousRevocationReason: before.revokedReason },
    });
  });
}

export const CERTIFICATE_PAGE_SIZE = 25;

/** Platform admins' search: by code, learner name or email. */
export async function searchCertificates(options: { q: string; page: number }) {
  const db = getDb();
  const q = options.q.trim();
  const checked = q ? checkCertificateCode(q) : null;
  const where: SQL | undefined = q
    ? or(
        checked?.status === "valid" ? eq(certificates.code, checked.code) : undefined,
        ilike(certificates.learnerName, `%${q}%`),
        ilike(user.email, `%${q}%`),
        ilike(certificates.moduleTitle, `%${q}%`),
      )
    : undefined;
  const [rows, total] = await Promise.all([
    db
      .select({ ...publicColumns, email: user.email, revokedReason: certificates.revokedReason })
      .from(certificates)
      .innerJoin(user, eq(user.id, certificates.userId))
      .where(where)
      .orderBy(desc(certificates.issuedAt))
      .limit(CERTIFICATE_PAGE_SIZE)
      .offset((options.page - 1) * CERTIFICATE_PAGE_SIZE),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(certificates)
      .innerJoin(user, eq(user.id, certificates.userId))
      .where(where),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, status: certificateStatus(r), formattedCode: formatCertificateCode(r.code) })),
    total: total[0]?.n ?? 0,
  };
}

/** The facts the PDF prints, for its owner or a platform admin. */
export async function certificatePdfData(viewer: Pick<SessionUser, "id" | "role">, code: string) {
  const cert = await getCertificateFor(viewer, code);
  if (!cert) return null;
  return {
    learnerName: cert.learnerName,
    moduleTitle: cert.moduleTitle,
    moduleVersion: cert.moduleVersion,
    organisationName: cert.organisationName,
    issuedAt: cert.issuedAt,
    expiresAt: cert.expiresAt,
    cpdMinutes: cert.cpdMinutes,
    scorePercent: cert.scorePercent,
    code: cert.code,
    verifyUrl: cert.verifyUrl,
    revoked: cert.revokedAt ? { at: cert.revokedAt, reason: "This certificate has been revoked." } : null,
  };
}

/**
 * Expiry reminders: 30 and 7 days before and on expiry, to the learner,
 * through the outbox. Skips revoked certificates and ones already replaced by
 * a newer certificate for the same module. Each (certificate, milestone) mails
 * once: the key goes into sent_notifications in the same transaction as the
 * mail, so concurrent runs on many instances cannot both send it.
 */
export async function sendCertificateExpiryReminders(now: Date = new Date()): Promise<{ sent: number }> {
  const db = getDb();
  const horizon = new Date(now.getTime() + 31 * 24 * 3600_000);
  const candidates = await db
    .select({
      id: certificates.id,
      code: certificates.code,
      userId: certificates.userId,
      moduleId: certificates.moduleId,
      slug: modules.slug,
      moduleTitle: certificates.moduleTitle,
      expiresAt: certificates.expiresAt,
      issuedAt: certificates.issuedAt,
      email: user.email,
      name: user.name,
    })
    .from(certificates)
    .innerJoin(user, eq(user.id, certificates.userId))
    .innerJoin(modules, eq(modules.id, certificates.moduleId))
    .where(
      and(
        isNull(certificates.revokedAt),
        // A deleted account has no one to remind.
        isNull(certificates.holderErasedAt),
        isNotNull(certificates.expiresAt),
        sql`${certificates.expiresAt} <= ${horizon.toISOString()}::timestamptz`,
        sql`${certificates.expiresAt} > ${new Date(now.getTime() - 15 * 24 * 3600_000).toISOString()}::timestamptz`,
        // Not superseded by a later certificate for the same module.
        sql`not exists (select 1 from ${certificates} newer where newer.user_id = ${certificates.userId} and newer.module_id = ${certificates.moduleId} and newer.issued_at > ${certificates.issuedAt} and newer.revoked_at is null)`,
      ),
    );
  let sent = 0;
  for (const cert of candidates) {
    if (!cert.expiresAt) continue;
    const milestone = dueReminder(cert.expiresAt, now);
    if (!milestone) continue;
    const key = `certificate-expiry:${cert.id}:${milestone}`;
    await db.transaction(async (tx) => {
      const claimed = await tx.insert(sentNotifications).values({ key }).onConflictDoNothing().returning({ key: sentNotifications.key });
      if (claimed.length === 0) return;
      const appUrl = getEnv().APP_URL;
      const when = formatDate(cert.expiresAt);
      const expired = milestone === "expired";
      await enqueueEmail(tx, {
        to: cert.email,
        kind: `certificate-expiry-${milestone}`,
        priority: "bulk",
        subject: expired ? `Your certificate for ${cert.moduleTitle} has expired` : `Your certificate for ${cert.moduleTitle} expires on ${when}`,
        ...composeEmail({
          heading: expired ? "Your certificate has expired" : `Your certificate expires on ${when}`,
          paragraphs: [
            `Hello ${cert.name},`,
            expired
              ? `Your certificate ${formatCertificateCode(cert.code)} for ${cert.moduleTitle} expired on ${when}. It still shows in your history, but it is no longer valid.`
              : `Your certificate ${formatCertificateCode(cert.code)} for ${cert.moduleTitle} expires on ${when}.`,
            "Take the module again to renew it: you will start on the current version and get a new certificate when you finish.",
          ],
          action: { label: "Renew your certificate", url: `${appUrl}/certificates` },
        }),
      });
      sent++;
    });
  }
  return { sent };
}
