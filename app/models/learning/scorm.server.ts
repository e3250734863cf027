import crypto from "node:crypto";
import { zipSync, strToU8 } from "fflate";
import { and, desc, eq, isNotNull, isNull } from "drizzle-orm";
import { enrolments, member, moduleVersions, modules, organization, quizAttempts, scormLaunches, scormPackages, user } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { getEnv } from "#app/services/env.server.ts";
import { findEnrolment, startModule } from "./enrolment.server.ts";
import { SCO_SCRIPT, launchHtml, manifestXml } from "./scorm-sco.server.ts";

/**
 * SCORM 1.2 launch packages (docs/decisions/031). A package is a row here and
 * a zip built from it on demand; the zip's launch token is the row's id with
 * an HMAC over it and its organisation, so a token cannot be forged or moved
 * to another organisation, and revoking the row stops every copy.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^[0-9a-f]{48}$/;

export class ScormError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404,
  ) {
    super(message);
  }
}

function signingKey(): Buffer {
  return crypto.createHmac("sha256", getEnv().BETTER_AUTH_SECRET).update("distinct scorm launch token v1").digest();
}

function signature(packageId: string, organisationId: string): string {
  return crypto.createHmac("sha256", signingKey()).update(`${packageId}:${organisationId}`).digest("base64url");
}

export function launchToken(packageId: string, organisationId: string): string {
  return `${packageId}.${signature(packageId, organisationId)}`;
}

const hashKey = (key: string) => crypto.createHash("sha256").update(key).digest("hex");

type LivePackage = { id: string; organizationId: string; organisation: string; moduleVersionId: string; slug: string; title: string; version: number };

/** The package a token names, if the signature is right and the package is not revoked. */
async function packageForToken(token: string | null): Promise<LivePackage> {
  const [id, mac] = (token ?? "").split(".");
  if (!id || !mac || !UUID.test(id)) throw new ScormError("This course's launch link is not valid. Ask your training lead for a new package.", 400);
  const [row] = await getDb()
    .select({
      id: scormPackages.id,
      organizationId: scormPackages.organizationId,
      organisation: organization.name,
      moduleVersionId: scormPackages.moduleVersionId,
      slug: modules.slug,
      title: moduleVersions.title,
      version: moduleVersions.version,
    })
    .from(scormPackages)
    .innerJoin(organization, eq(organization.id, scormPackages.organizationId))
    .innerJoin(moduleVersions, eq(moduleVersions.id, scormPackages.moduleVersionId))
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(and(eq(scormPackages.id, id), isNull(scormPackages.revokedAt)));
  const expected = row ? Buffer.from(signature(row.id, row.organizationId)) : Buffer.alloc(0);
  const given = Buffer.from(mac);
  if (!row || expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) {
    throw new ScormError("This course's launch link is not valid or was withdrawn. Ask your training lead for a new package.", 404);
  }
  return row;
}

/** The module versions a lead can export (each module's published versions, newest first), and the organisation's packages. */
export async function scormOverview(organisationId: string) {
  const db = getDb();
  const versions = await db
    .select({ id: moduleVersions.id, title: moduleVersions.title, version: moduleVersions.version, current: eq(modules.currentVersionId, moduleVersions.id) })
    .from(moduleVersions)
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .orderBy(modules.slug, desc(moduleVersions.version));
  const packages = await db
    .select({ id: scormPackages.id, title: moduleVersions.title, version: moduleVersions.version, createdAt: scormPackages.createdAt, createdBy: user.name, revokedAt: scormPackages.revokedAt })
    .from(scormPackages)
    .innerJoin(moduleVersions, eq(moduleVersions.id, scormPackages.moduleVersionId))
    .leftJoin(user, eq(user.id, scormPackages.createdBy))
    .where(eq(scormPackages.organizationId, organisationId))
    .orderBy(desc(scormPackages.createdAt));
  return { versions, packages };
}

export async function createScormPackage(actor: AuditActor & { id: string }, organisationId: string, moduleVersionId: string): Promise<string | null> {
  if (!UUID.test(moduleVersionId)) return null;
  return getDb().transaction(async (tx) => {
    const [version] = await tx.select({ id: moduleVersions.id, title: moduleVersions.title, version: moduleVersions.version }).from(moduleVersions).where(eq(moduleVersions.id, moduleVersionId));
    if (!version) return null;
    const [row] = await tx.insert(scormPackages).values({ organizationId: organisationId, moduleVersionId, createdBy: actor.id }).returning({ id: scormPackages.id });
    await audit(tx, { actor, action: "scorm.package-exported", organisationId, target: { type: "scorm-package", id: row!.id }, details: { module: version.title, version: version.version } });
    return row!.id;
  });
}

export async function revokeScormPackage(actor: AuditActor, organisationId: string, packageId: string): Promise<boolean> {
  if (!UUID.test(packageId)) return false;
  return getDb().transaction(async (tx) => {
    const revoked = await tx
      .update(scormPackages)
      .set({ revokedAt: new Date() })
      .where(and(eq(scormPackages.id, packageId), eq(scormPackages.organizationId, organisationId), isNull(scormPackages.revokedAt)))
      .returning({ id: scormPackages.id });
    if (revoked.length === 0) return false;
    await audit(tx, { actor, action: "scorm.package-revoked", organisationId, target: { type: "scorm-package", id: packageId } });
    return true;
  });
}

/** The zip of one of the organisation's packages, or null (not theirs, or revoked). */
export async function scormPackageZip(organisationId: string, packageId: string): Promise<{ filename: string; zip: Uint8Array } | null> {
  if (!UUID.test(packageId)) return null;
  const [row] = await getDb()
    .select({ id: scormPackages.id, slug: modules.slug, title: moduleVersions.title, version: moduleVersions.version, quiz: moduleVersions.quiz, organisation: organization.name })
    .from(scormPackages)
    .innerJoin(moduleVersions, eq(moduleVersions.id, scormPackages.moduleVersionId))
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .innerJoin(organization, eq(organization.id, scormPackages.organizationId))
    .where(and(eq(scormPackages.id, packageId), eq(scormPackages.organizationId, organisationId), isNull(scormPackages.revokedAt)));
  if (!row) return null;
  const appUrl = getEnv().APP_URL.replace(/\/$/, "");
  const token = launchToken(row.id, organisationId);
  // Only the pass mark leaves with the package (as the LMS's mastery score), never a question.
  const masteryScore = row.quiz ? row.quiz.passMark : null;
  const zip = zipSync(
    {
      "imsmanifest.xml": strToU8(manifestXml({ identifier: `distinct-${row.slug}-v${row.version}-${row.id.slice(0, 8)}`, title: `${row.title} (version ${row.version})`, masteryScore })),
      "launch.html": strToU8(launchHtml({ title: row.title, appUrl, token, organisation: row.organisation })),
      "distinct-sco.js": strToU8(SCO_SCRIPT),
    },
    { mtime: new Date("2026-01-01T00:00:00Z") },
  );
  return { filename: `distinct-scorm12-${row.slug}-v${row.version}.zip`, zip };
}

/** What the launch page shows before the learner starts: the package's module and organisation. */
export async function describeLaunch(token: string | null) {
  const p = await packageForToken(token);
  return { title: p.title, version: p.version, organisation: p.organisation, slug: p.slug };
}

/**
 * Starts a launch: the signed-in learner, who must be a member of the
 * package's organisation, is put on the module (their open or completed
 * enrolment if they have one, otherwise a new one for that organisation), and
 * the SCO's key is bound to it. Replaying the same key for the same learner
 * is a no-op; a key already bound to someone else is refused.
 */
export async function openLaunch(userId: string, input: { token: string | null; key: string | null; lmsLearnerId: string | null }): Promise<{ slug: string }> {
  const p = await packageForToken(input.token);
  if (!input.key || !KEY.test(input.key)) throw new ScormError("This launch is missing its key. Start again from the course in your learning system.", 400);
  const db = getDb();
  const [membership] = await db.select({ id: member.id }).from(member).where(and(eq(member.organizationId, p.organizationId), eq(member.userId, userId)));
  if (!membership) throw new ScormError(`You are not a member of ${p.organisation} in Distinct. Ask your training lead to invite you, then start again from your learning system.`, 403);
  const existing = await findEnrolment(userId, p.slug);
  const enrolment = existing ?? (await startModule({ userId, slug: p.slug, organizationId: p.organizationId }));
  const keyHash = hashKey(input.key);
  await db
    .insert(scormLaunches)
    .values({ packageId: p.id, organizationId: p.organizationId, keyHash, userId, enrolmentId: enrolment.id, lmsLearnerId: input.lmsLearnerId?.slice(0, 200) || null })
    .onConflictDoNothing({ target: scormLaunches.keyHash });
  const [bound] = await db.select({ userId: scormLaunches.userId }).from(scormLaunches).where(eq(scormLaunches.keyHash, keyHash));
  if (bound?.userId !== userId) throw new ScormError("This launch was started by someone else. Start again from the course in your learning system.", 403);
  return { slug: p.slug };
}

export type LaunchResult = { state: "waiting" | "incomplete" | "passed" | "failed" | "completed"; scoreRaw: number | null };

/**
 * The result the SCO polls for: by token and key, no cookie. Says only the
 * status and the score (a whole percentage) of that one launch's enrolment.
 */
export async function launchResult(token: string | null, key: string | null): Promise<LaunchResult> {
  const p = await packageForToken(token);
  if (!key || !KEY.test(key)) throw new ScormError("The key is missing or malformed.", 400);
  const db = getDb();
  const [launch] = await db
    .select({ enrolmentId: scormLaunches.enrolmentId, completedAt: enrolments.completedAt })
    .from(scormLaunches)
    .innerJoin(enrolments, eq(enrolments.id, scormLaunches.enrolmentId))
    .where(and(eq(scormLaunches.keyHash, hashKey(key)), eq(scormLaunches.packageId, p.id)));
  if (!launch) return { state: "waiting", scoreRaw: null };
  const attempts = await db
    .select({ score: quizAttempts.score, passed: quizAttempts.passed })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.enrolmentId, launch.enrolmentId), isNotNull(quizAttempts.submittedAt)))
    .orderBy(desc(quizAttempts.submittedAt));
  const passed = attempts.find((a) => a.passed);
  // A module with no assessment completes without a score: SCORM's "completed", not "passed".
  if (launch.completedAt) return passed ? { state: "passed", scoreRaw: passed.score } : { state: "completed", scoreRaw: null };
  // Failed until a retake passes; a passed attempt with lessons still to do is not complete yet.
  if (attempts[0] && !attempts[0].passed) return { state: "failed", scoreRaw: attempts[0].score };
  return { state: "incomplete", scoreRaw: null };
}
