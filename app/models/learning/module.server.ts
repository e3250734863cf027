import { and, asc, eq, isNull, isNotNull } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { modules, moduleVersions, type StoredModuleMeta } from "#db/schema/index.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import type { Quiz } from "#app/content/schema.ts";

/** What a page may know about a module version: never the quiz bank. */
export type VersionSummary = {
  id: string;
  moduleId: string;
  slug: string;
  version: number;
  title: string;
  meta: Omit<StoredModuleMeta, "overviewCode">;
  lessons: { key: string; title: string; minutes: number }[];
  hasQuiz: boolean;
  quizRequired: boolean;
  publishedAt: Date;
  changeNote: string | null;
};

const versionColumns = {
  id: moduleVersions.id,
  moduleId: moduleVersions.moduleId,
  slug: modules.slug,
  version: moduleVersions.version,
  title: moduleVersions.title,
  meta: moduleVersions.meta,
  lessons: moduleVersions.lessons,
  quiz: moduleVersions.quiz,
  publishedAt: moduleVersions.publishedAt,
  changeNote: moduleVersions.changeNote,
};

type VersionRow = {
  id: string;
  moduleId: string;
  slug: string;
  version: number;
  title: string;
  meta: StoredModuleMeta;
  lessons: { key: string; title: string; minutes: number; code: string }[];
  quiz: Quiz | null;
  publishedAt: Date;
  changeNote: string | null;
};

function quizSettings(quiz: Quiz | null): { hasQuiz: boolean; quizRequired: boolean } {
  return quiz ? { hasQuiz: true, quizRequired: quiz.requiredForCompletion } : { hasQuiz: false, quizRequired: false };
}

function toSummary(row: VersionRow): VersionSummary {
  const { overviewCode: _code, ...meta } = row.meta;
  return {
    id: row.id,
    moduleId: row.moduleId,
    slug: row.slug,
    version: row.version,
    title: row.title,
    meta,
    lessons: row.lessons.map(({ key, title, minutes }) => ({ key, title, minutes })),
    publishedAt: row.publishedAt,
    changeNote: row.changeNote,
    ...quizSettings(row.quiz),
  };
}

/** What a module's card shows (the home page and the modules list). */
export function moduleCard(m: VersionSummary) {
  return { slug: m.slug, title: m.title, summary: m.meta.summary, durationMinutes: m.meta.durationMinutes, lessons: m.lessons.length, hasQuiz: m.hasQuiz };
}

/** The published modules new learners can start, in catalogue order. */
export async function listCatalogue(): Promise<VersionSummary[]> {
  const rows = await getDb()
    .select({ versionId: modules.currentVersionId })
    .from(modules)
    .where(and(isNull(modules.retiredAt), isNotNull(modules.currentVersionId)))
    .orderBy(asc(modules.sortOrder), asc(modules.title));
  const versions = await Promise.all(rows.map((r) => (r.versionId ? getVersionById(r.versionId) : null)));
  return versions.filter((v): v is VersionSummary => v !== null);
}

/** The current version of a module by slug (null: no such module, or retired). */
export async function getCurrentVersion(slug: string): Promise<VersionSummary | null> {
  const [row] = await getDb()
    .select({ versionId: modules.currentVersionId })
    .from(modules)
    .where(and(eq(modules.slug, slug), isNull(modules.retiredAt)))
    .limit(1);
  return row?.versionId ? getVersionById(row.versionId) : null;
}

// Published versions never change (invariant 2, enforced by a trigger), so
// this process may keep them: a lesson view needs no query for its version.
type CachedVersion = { summary: VersionSummary; lessonCode: Map<string, string>; overviewCode: string };
const versionCache = new Map<string, CachedVersion>();
const VERSION_CACHE_MAX = 200;

async function loadVersion(id: string): Promise<CachedVersion | null> {
  const cached = versionCache.get(id);
  if (cached) return cached;
  const [row] = await getDb()
    .select(versionColumns)
    .from(moduleVersions)
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(eq(moduleVersions.id, id))
    .limit(1);
  if (!row) return null;
  const entry: CachedVersion = {
    summary: toSummary(row),
    lessonCode: new Map(row.lessons.map((l) => [l.key, l.code])),
    overviewCode: row.meta.overviewCode,
  };
  if (versionCache.size >= VERSION_CACHE_MAX) {
    const oldest = versionCache.keys().next().value;
    if (oldest !== undefined) versionCache.delete(oldest);
  }
  versionCache.set(id, entry);
  return entry;
}

export async function getVersionById(id: string): Promise<VersionSummary | null> {
  return (await loadVersion(id))?.summary ?? null;
}

/** One lesson's compiled code (rendered to HTML once per process by render-mdx). */
export async function getLessonCode(versionId: string, key: string): Promise<string | null> {
  return (await loadVersion(versionId))?.lessonCode.get(key) ?? null;
}

export async function getOverviewCode(versionId: string): Promise<string | null> {
  return (await loadVersion(versionId))?.overviewCode ?? null;
}

/**
 * The quiz bank WITH answer keys, for grading on the server. Never pass the
 * result to a page: pages get questions through the quiz model's view types.
 */
export async function getQuizBankWithAnswers(versionId: string, db: Executor = getDb()): Promise<Quiz | null> {
  if (quizCache.has(versionId)) return quizCache.get(versionId) ?? null;
  const [row] = await db
    .select({ quiz: moduleVersions.quiz })
    .from(moduleVersions)
    .where(eq(moduleVersions.id, versionId))
    .limit(1);
  if (!row) return null;
  // Kept like the version cache above (the row can never change), read through the caller's executor so a
  // transaction on PGlite's one connection never waits on itself. Frozen: every caller shares the object.
  const quiz = row.quiz ? deepFreeze(row.quiz) : null;
  if (quizCache.size >= VERSION_CACHE_MAX) {
    const oldest = quizCache.keys().next().value;
    if (oldest !== undefined) quizCache.delete(oldest);
  }
  quizCache.set(versionId, quiz);
  return quiz;
}

// A submit and the attempt page re-read the whole bank (every question with its keys and feedback) per request
// without this: one statement and the bank's JSON parse each time (ADR 040, quiz submit).
const quizCache = new Map<string, Quiz | null>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
