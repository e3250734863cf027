import { desc, eq, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { modules, moduleVersions, type SourceFiles, type StoredModuleMeta } from "#db/schema/index.ts";
import type { CompiledModule } from "#app/content/compile-module.server.ts";
import type { SourceModule } from "#app/content/read.server.ts";

/**
 * Stores a checked, compiled module as its next immutable version and makes
 * it current: new learners start on it; learners mid-way keep theirs (their
 * enrolment names its version). Call inside the transaction that records why.
 */
export async function insertVersion(
  tx: Executor,
  input: {
    moduleId: string;
    source: SourceModule;
    compiled: CompiledModule;
    files: SourceFiles;
    changeNote: string;
    materialChange: boolean;
    publishedBy: string;
    authorName: string;
    reviewerName: string;
  },
): Promise<{ id: string; version: number }> {
  const fm = input.source.frontmatter;
  const meta: StoredModuleMeta = {
    summary: fm.summary,
    audience: fm.audience,
    outcomes: fm.outcomes,
    durationMinutes: fm.durationMinutes,
    passMark: input.source.quiz?.passMark ?? null,
    certificateValidityMonths: fm.certificateValidityMonths,
    order: fm.order,
    overviewCode: input.compiled.overviewCode,
  };
  const [latest] = await tx
    .select({ version: moduleVersions.version })
    .from(moduleVersions)
    .where(eq(moduleVersions.moduleId, input.moduleId))
    .orderBy(desc(moduleVersions.version))
    .limit(1);
  const version = (latest?.version ?? 0) + 1;
  const [row] = await tx
    .insert(moduleVersions)
    .values({
      moduleId: input.moduleId,
      version,
      sourceHash: input.source.sourceHash,
      title: fm.title,
      meta,
      lessons: input.compiled.lessons,
      quiz: input.source.quiz,
      changeNote: input.changeNote,
      // A module's first version is material by definition: nobody has completed it yet.
      materialChange: latest ? input.materialChange : true,
      publishedBy: input.publishedBy,
      authorName: input.authorName,
      reviewerName: input.reviewerName,
      sourceFiles: input.files,
    })
    .returning({ id: moduleVersions.id });
  if (!row) throw new Error("could not save the version");
  await tx
    .update(modules)
    .set({
      currentVersionId: row.id,
      title: fm.title,
      sortOrder: fm.order,
      studioPublishedAt: sql`coalesce(${modules.studioPublishedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(eq(modules.id, input.moduleId));
  return { id: row.id, version };
}
