import JSZip from "jszip";
import { and, eq, inArray } from "drizzle-orm";
import { moduleDrafts, modules, moduleVersions, type SourceFiles } from "#db/schema/index.ts";
import { FILE_NAME_PATTERN } from "#app/content/source-files.server.ts";
import { audit } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { insertDraft, StudioError, versionSourceFiles, type StudioActor } from "./drafts.server.ts";

export const MAX_ZIP_BYTES = 1024 * 1024;
const MAX_UNZIPPED_BYTES = 4 * 1024 * 1024;
const MAX_ENTRIES = 200;

/** A version's source as a zip of `<slug>/…`, the folder content/modules/<slug>/ that content:check accepts. */
export async function exportVersionZip(slug: string, version: number): Promise<Uint8Array | null> {
  const db = getDb();
  const [row] = await db
    .select({ id: moduleVersions.id })
    .from(moduleVersions)
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(and(eq(modules.slug, slug), eq(moduleVersions.version, version)))
    .limit(1);
  if (!row) return null;
  const files = await versionSourceFiles(db, row.id, slug);
  if (!files) return null;
  const zip = new JSZip();
  const folder = zip.folder(slug);
  if (!folder) return null;
  // A fixed date, so the same version always gives the same bytes.
  const date = new Date(Date.UTC(2020, 0, 1));
  for (const name of Object.keys(files).sort()) folder.file(name, files[name] ?? "", { date });
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", platform: "UNIX" });
}

/**
 * Reads a zip of a module folder: files at the top or inside one folder
 * (`<slug>/` or `content/modules/<slug>/`). Only .mdx and .yaml files with
 * safe names; limits on entries and unzipped size stop a zip bomb.
 */
export async function readModuleZip(bytes: Uint8Array): Promise<SourceFiles> {
  if (bytes.byteLength > MAX_ZIP_BYTES) throw new StudioError("The zip is larger than 1 MB.");
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new StudioError("This file is not a zip that can be read.");
  }
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  if (entries.length > MAX_ENTRIES) throw new StudioError(`The zip holds more than ${MAX_ENTRIES} files.`);
  const files: SourceFiles = {};
  let total = 0;
  for (const entry of entries) {
    const parts = entry.name.split("/");
    const name = parts[parts.length - 1] ?? "";
    if (parts.some((p) => p === ".." || p.startsWith(".")) || name.startsWith(".") || parts[0] === "__MACOSX") continue;
    if (!/\.(mdx|yaml)$/.test(name)) continue;
    if (!FILE_NAME_PATTERN.test(name)) throw new StudioError(`"${entry.name}" is not a file name a module may use.`);
    if (files[name] !== undefined) throw new StudioError(`The zip holds two files named ${name}: zip one module folder.`);
    const text = await entry.async("string");
    total += text.length;
    if (total > MAX_UNZIPPED_BYTES) throw new StudioError("The zip unpacks to more than 4 MB: zip one module folder.");
    if (text.includes("\0")) throw new StudioError(`${name} is not a text file.`);
    files[name] = text;
  }
  if (!files["index.mdx"]) throw new StudioError("The zip has no index.mdx: zip the module's folder, content/modules/<slug>/.");
  return files;
}

/** Imports a zip as the module's new draft ("imported from a zip"), for review like any other. */
export async function importZipAsDraft(actor: StudioActor, slug: string, bytes: Uint8Array): Promise<string> {
  const files = await readModuleZip(bytes);
  return getDb().transaction(async (tx) => {
    const [mod] = await tx.select({ id: modules.id, currentVersionId: modules.currentVersionId }).from(modules).where(eq(modules.slug, slug)).limit(1);
    if (!mod) throw new StudioError("There is no module at this address.", 404);
    const [open] = await tx
      .select({ id: moduleDrafts.id })
      .from(moduleDrafts)
      .where(and(eq(moduleDrafts.moduleId, mod.id), inArray(moduleDrafts.status, ["editing", "in_review"])))
      .limit(1);
    if (open) throw new StudioError("This module has an open draft: publish or discard it before importing.", 409);
    const draftId = await insertDraft(tx, actor, { moduleId: mod.id, baseVersionId: mod.currentVersionId, files, origin: "zip" });
    await audit(tx, { actor, action: "studio.zip_imported", target: { type: "module", id: mod.id }, details: { slug, draftId, files: Object.keys(files).length } });
    return draftId;
  });
}
