import { and, asc, eq, gt, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { enrolments, moduleUpdateAcks, modules, moduleVersions } from "#db/schema/index.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { compareSides, versionSide, type Comparison } from "./compare.server.ts";

/** A module the learner completed on an older version, since materially changed, not yet acknowledged. */
export type ModuleUpdate = { slug: string; title: string; completedVersion: number; currentVersion: number };

/**
 * Material changes a learner should hear about (ADR 028): they completed the
 * module on version V; some version after V up to the current one is marked
 * material; they have not said they read what changed in the current one.
 * Corrections prompt nobody.
 */
export async function pendingUpdates(userId: string, slug?: string): Promise<ModuleUpdate[]> {
  const current = sql`(select version from module_versions where id = ${modules.currentVersionId})`;
  const rows = await getDb()
    .select({
      slug: modules.slug,
      title: modules.title,
      completedVersion: sql<number>`max(${moduleVersions.version})`.mapWith(Number),
      currentVersion: sql<number>`${current}`.mapWith(Number),
      currentVersionId: modules.currentVersionId,
    })
    .from(enrolments)
    .innerJoin(moduleVersions, eq(moduleVersions.id, enrolments.moduleVersionId))
    .innerJoin(modules, eq(modules.id, enrolments.moduleId))
    .where(and(eq(enrolments.userId, userId), isNotNull(enrolments.completedAt), isNull(modules.retiredAt), slug ? eq(modules.slug, slug) : undefined))
    .groupBy(modules.id, modules.slug, modules.title, modules.currentVersionId);
  const updates: ModuleUpdate[] = [];
  for (const row of rows) {
    if (!row.currentVersionId || row.currentVersion <= row.completedVersion) continue;
    const [material] = await getDb()
      .select({ id: moduleVersions.id })
      .from(moduleVersions)
      .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
      .where(and(eq(modules.slug, row.slug), gt(moduleVersions.version, row.completedVersion), lte(moduleVersions.version, row.currentVersion), eq(moduleVersions.materialChange, true)))
      .limit(1);
    if (!material) continue;
    const [ack] = await getDb()
      .select({ at: moduleUpdateAcks.acknowledgedAt })
      .from(moduleUpdateAcks)
      .where(and(eq(moduleUpdateAcks.userId, userId), eq(moduleUpdateAcks.moduleVersionId, row.currentVersionId)))
      .limit(1);
    if (!ack) updates.push({ slug: row.slug, title: row.title, completedVersion: row.completedVersion, currentVersion: row.currentVersion });
  }
  return updates;
}

/** The what-changed page: the change notes since the learner's version, and the lessons' text compared. */
export async function whatChanged(userId: string, slug: string) {
  const [update] = await pendingUpdates(userId, slug);
  if (!update) return null;
  const versions = await getDb()
    .select({ id: moduleVersions.id, version: moduleVersions.version, changeNote: moduleVersions.changeNote, materialChange: moduleVersions.materialChange, publishedAt: moduleVersions.publishedAt })
    .from(moduleVersions)
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(and(eq(modules.slug, slug), gt(moduleVersions.version, update.completedVersion - 1), lte(moduleVersions.version, update.currentVersion)))
    .orderBy(asc(moduleVersions.version));
  const from = versions.find((v) => v.version === update.completedVersion);
  const to = versions.find((v) => v.version === update.currentVersion);
  let comparison: Comparison | null = null;
  if (from && to) {
    const [a, b] = await Promise.all([versionSide(from.id, slug), versionSide(to.id, slug)]);
    if (a && b) comparison = compareSides(a, b);
  }
  // Learners see what changed in the lessons they read, never the question bank.
  const lessons = comparison ? comparison.files.filter((f) => f.rendered !== null).map((f) => ({ file: f.file, status: f.status, parts: f.rendered ?? [] })) : [];
  return {
    ...update,
    notes: versions.filter((v) => v.version > update.completedVersion).map(({ version, changeNote, materialChange, publishedAt }) => ({ version, changeNote, materialChange, publishedAt })),
    lessons,
    currentVersionId: to?.id ?? null,
  };
}

/** The learner has read what changed in the module's current version. Idempotent. */
export async function acknowledgeUpdate(userId: string, slug: string): Promise<boolean> {
  const [mod] = await getDb().select({ currentVersionId: modules.currentVersionId }).from(modules).where(eq(modules.slug, slug)).limit(1);
  if (!mod?.currentVersionId) return false;
  await getDb().insert(moduleUpdateAcks).values({ userId, moduleVersionId: mod.currentVersionId }).onConflictDoNothing();
  return true;
}
