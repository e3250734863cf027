import fs from "node:fs";
import { and, desc, eq, isNotNull, isNull, notInArray, sql } from "drizzle-orm";
import type { Database, DatabaseHandle } from "#db/client.ts";
import { modules, moduleVersions, type StoredModuleMeta } from "#db/schema/index.ts";
import { compileModule, knownPaths } from "./compile-module.server.ts";
import { formatProblem, readContent } from "./read.server.ts";
import { readSourceFiles } from "./source-files.server.ts";

export type ImportReport = {
  /** Human lines for the log: what was published, what stayed. */
  lines: string[];
  /** `file:line: message` for every problem; those modules were not published. */
  problems: string[];
  published: { slug: string; version: number }[];
  unchanged: string[];
  retired: string[];
  /** Modules published from the studio whose folder changed: proposed as drafts for review (ADR 029). */
  proposed: string[];
};

/**
 * What the importer does with a module the studio has published (ADR 029):
 * the folder no longer overwrites it; a changed folder is handed here to be
 * proposed as a draft. Given by the caller, so content/ needs no model.
 */
export type ProposeFromFiles = (db: Database, input: { slug: string; dir: string }) => Promise<boolean>;

/**
 * Imports content/modules into the database. A new or changed module becomes
 * a new published, immutable module version; an unchanged one (same source
 * hash) imports nothing and compiles nothing. A module with problems is not
 * published: its last good version stays current. A module whose folder is
 * gone is retired (hidden from the catalogue; records kept).
 *
 * Runs under the startup lock, so instances starting together import once.
 */
export async function importContent(options: {
  handle: DatabaseHandle;
  contentDir: string;
  publishedBy: string;
  proposeFromFiles?: ProposeFromFiles;
}): Promise<ImportReport> {
  const report: ImportReport = { lines: [], problems: [], published: [], unchanged: [], retired: [], proposed: [] };
  const { modules: sources, problems, strayLessons } = readContent(options.contentDir);
  const known = knownPaths(sources, strayLessons);
  const folders = fs.existsSync(options.contentDir)
    ? fs
        .readdirSync(options.contentDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith("."))
        .map((e) => e.name)
    : [];

  await options.handle.withStartupLock(async (db) => {
    for (const source of sources) {
      const latest = await latestVersion(db, source.slug);
      if (latest && latest.sourceHash === source.sourceHash) {
        report.unchanged.push(source.slug);
        continue;
      }
      if (latest?.studioPublishedAt) {
        // The studio owns this module now (ADR 029): a folder that matches any of its versions (the seed
        // it started from, or an exported version) is unchanged; a changed one is a proposal, not a version.
        const known = await hasVersionWithHash(db, source.slug, source.sourceHash);
        if (!known && options.proposeFromFiles && (await options.proposeFromFiles(db, { slug: source.slug, dir: source.dir }))) {
          report.proposed.push(source.slug);
        } else {
          report.unchanged.push(source.slug);
        }
        continue;
      }
      const compiled = await compileModule(source, known, problems);
      if (!compiled) continue;
      const fm = source.frontmatter;
      const meta: StoredModuleMeta = {
        summary: fm.summary,
        audience: fm.audience,
        outcomes: fm.outcomes,
        durationMinutes: fm.durationMinutes,
        passMark: source.quiz?.passMark ?? null,
        certificateValidityMonths: fm.certificateValidityMonths,
        order: fm.order,
        overviewCode: compiled.overviewCode,
      };
      const version = (latest?.version ?? 0) + 1;
      await db.transaction(async (tx) => {
        const [mod] = await tx
          .insert(modules)
          .values({ slug: source.slug, title: fm.title, sortOrder: fm.order })
          .onConflictDoUpdate({
            target: modules.slug,
            set: { title: fm.title, sortOrder: fm.order, retiredAt: null, updatedAt: sql`now()` },
          })
          .returning({ id: modules.id });
        if (!mod) throw new Error(`could not save module ${source.slug}`);
        const [row] = await tx
          .insert(moduleVersions)
          .values({
            moduleId: mod.id,
            version,
            sourceHash: source.sourceHash,
            title: fm.title,
            meta,
            lessons: compiled.lessons,
            quiz: source.quiz,
            changeNote: fm.versionNote ?? null,
            materialChange: latest ? fm.materialChange : true,
            publishedBy: options.publishedBy,
            sourceFiles: readSourceFiles(source.dir),
          })
          .returning({ id: moduleVersions.id });
        if (!row) throw new Error(`could not save a version of ${source.slug}`);
        await tx.update(modules).set({ currentVersionId: row.id }).where(eq(modules.id, mod.id));
      });
      report.published.push({ slug: source.slug, version });
    }

    // Folders that are gone: retire their modules. Folders with problems are
    // still present, so their modules stay as they were.
    const retired = await db
      .update(modules)
      .set({ retiredAt: sql`now()` })
      .where(
        and(
          isNull(modules.retiredAt),
          // Modules created or published in the studio have no folder to lose.
          isNull(modules.studioPublishedAt),
          isNotNull(modules.currentVersionId),
          folders.length > 0 ? notInArray(modules.slug, folders) : sql`true`,
        ),
      )
      .returning({ slug: modules.slug });
    report.retired.push(...retired.map((r) => r.slug));
  });

  report.problems = problems.map(formatProblem);
  for (const p of report.published) report.lines.push(`published ${p.slug} version ${p.version}`);
  if (report.unchanged.length > 0) report.lines.push(`unchanged: ${report.unchanged.join(", ")}`);
  for (const slug of report.proposed) report.lines.push(`proposed ${slug} as a draft for review: the studio publishes this module, so its changed folder is not published (ADR 029)`);
  for (const slug of report.retired) report.lines.push(`retired ${slug}: its folder is no longer in content/`);
  if (report.problems.length > 0) {
    report.lines.push(`${report.problems.length} content problem(s): the affected modules keep their last published version`);
  }
  return report;
}

async function latestVersion(db: Database, slug: string) {
  const [row] = await db
    .select({ version: moduleVersions.version, sourceHash: moduleVersions.sourceHash, studioPublishedAt: modules.studioPublishedAt })
    .from(moduleVersions)
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(eq(modules.slug, slug))
    .orderBy(desc(moduleVersions.version))
    .limit(1);
  return row ?? null;
}

async function hasVersionWithHash(db: Database, slug: string, sourceHash: string): Promise<boolean> {
  const [row] = await db
    .select({ id: moduleVersions.id })
    .from(moduleVersions)
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(and(eq(modules.slug, slug), eq(moduleVersions.sourceHash, sourceHash)))
    .limit(1);
  return row !== undefined;
}
