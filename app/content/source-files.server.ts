import fs from "node:fs";
import path from "node:path";

/** A module's source as files: name inside content/modules/<slug>/ → text. */
export type SourceFileMap = Record<string, string>;

/** File names a module folder may hold: no folders, no dot files, no "..". */
export const FILE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const TEXT_FILE = /\.(mdx|yaml)$/;

/**
 * Reads a module folder's text files, as stored with each version so the
 * studio can diff and export it (ADR 028).
 */
export function readSourceFiles(dir: string): SourceFileMap {
  const files: SourceFileMap = {};
  for (const name of fs.readdirSync(dir).sort()) {
    if (!FILE_NAME_PATTERN.test(name) || !TEXT_FILE.test(name)) continue;
    const full = path.join(dir, name);
    if (fs.statSync(full).isFile()) files[name] = fs.readFileSync(full, "utf8");
  }
  return files;
}
