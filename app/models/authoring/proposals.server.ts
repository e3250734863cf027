import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.ts";
import { moduleDrafts, modules } from "#db/schema/index.ts";
import { readSourceFiles } from "#app/content/source-files.server.ts";
import { audit } from "#app/models/platform/audit.server.ts";
import { insertDraft } from "./drafts.server.ts";

const sameFiles = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * ADR 029: once the studio has published a module, its folder in content/
 * is a proposal. A changed folder becomes a draft "proposed from files" for
 * review, unless a draft is already open (the folder never overwrites anyone's
 * work) or these exact files were proposed before. Returns whether it proposed.
 */
export async function proposeFromFiles(db: Database, input: { slug: string; dir: string }): Promise<boolean> {
  const files = readSourceFiles(input.dir);
  const [mod] = await db
    .select({ id: modules.id, currentVersionId: modules.currentVersionId })
    .from(modules)
    .where(eq(modules.slug, input.slug))
    .limit(1);
  if (!mod) return false;
  const drafts = await db
    .select({ status: moduleDrafts.status, files: moduleDrafts.files })
    .from(moduleDrafts)
    .where(and(eq(moduleDrafts.moduleId, mod.id), eq(moduleDrafts.origin, "files")));
  if (drafts.some((d) => sameFiles(d.files, files))) return false;
  const [open] = await db
    .select({ id: moduleDrafts.id })
    .from(moduleDrafts)
    .where(and(eq(moduleDrafts.moduleId, mod.id), eq(moduleDrafts.status, "editing")))
    .limit(1);
  const [reviewing] = await db
    .select({ id: moduleDrafts.id })
    .from(moduleDrafts)
    .where(and(eq(moduleDrafts.moduleId, mod.id), eq(moduleDrafts.status, "in_review")))
    .limit(1);
  if (open || reviewing) return false;
  await db.transaction(async (tx) => {
    const draftId = await insertDraft(tx, { id: null, name: "content/ folder" }, { moduleId: mod.id, baseVersionId: mod.currentVersionId, files, origin: "files" });
    await audit(tx, { actor: "system", action: "studio.draft_proposed_from_files", target: { type: "module", id: mod.id }, details: { slug: input.slug, draftId } });
  });
  return true;
}
