import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { uploadedImages } from "#db/schema/index.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { getEnv } from "#app/services/env.server.ts";
import { checkAlt, checkImageBytes } from "#app/utils/image-validation.ts";
import { IMAGE_HASH_PATTERN } from "#app/content/mdx-allow-list.ts";

/**
 * Lesson images (docs/decisions/030): checked by their bytes, stored under
 * DATA_DIR/images named by their SHA-256, described by a row in
 * uploaded_images. A file is written before its row, by rename, so a row
 * never points at a half-written file; the same bytes uploaded again are the
 * same image.
 */

const imagesDir = () => path.resolve(getEnv().DATA_DIR, "images");
const fileOf = (hash: string) => path.join(imagesDir(), hash.slice(0, 2), hash);

export type UploadInput = { bytes: Uint8Array; originalName: string; alt: string; decorative: boolean; uploadedBy: string };
export type UploadResult =
  | { ok: true; hash: string; existed: boolean }
  | { ok: false; field: "file" | "alt"; message: string };

export async function uploadImage(input: UploadInput, db: Executor = getDb()): Promise<UploadResult> {
  const alt = checkAlt(input.alt, input.decorative);
  const image = checkImageBytes(input.bytes);
  if (!image.ok) return { ok: false, field: "file", message: image.message };
  if (!alt.ok) return { ok: false, field: "alt", message: alt.message };
  const hash = crypto.createHash("sha256").update(input.bytes).digest("hex");
  const file = fileOf(hash);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${crypto.randomBytes(6).toString("hex")}.part`;
    fs.writeFileSync(temporary, input.bytes);
    fs.renameSync(temporary, file);
  }
  const inserted = await db
    .insert(uploadedImages)
    .values({
      hash,
      contentType: image.type,
      bytes: input.bytes.length,
      width: image.width,
      height: image.height,
      alt: alt.alt,
      decorative: alt.decorative,
      originalName: input.originalName.slice(0, 200),
      uploadedBy: input.uploadedBy,
    })
    .onConflictDoNothing()
    .returning({ hash: uploadedImages.hash });
  return { ok: true, hash, existed: inserted.length === 0 };
}

export type ImageSummary = {
  hash: string;
  contentType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  alt: string;
  decorative: boolean;
  originalName: string;
  uploadedAt: Date;
};

export async function listImages(db: Executor = getDb()): Promise<ImageSummary[]> {
  return db
    .select({
      hash: uploadedImages.hash,
      contentType: uploadedImages.contentType,
      bytes: uploadedImages.bytes,
      width: uploadedImages.width,
      height: uploadedImages.height,
      alt: uploadedImages.alt,
      decorative: uploadedImages.decorative,
      originalName: uploadedImages.originalName,
      uploadedAt: uploadedImages.uploadedAt,
    })
    .from(uploadedImages)
    .orderBy(desc(uploadedImages.uploadedAt))
    .limit(200);
}

/** An image's bytes and type by hash, or null (unknown hash, or its file is missing). */
export async function readImage(hash: string, db: Executor = getDb()): Promise<{ contentType: string; bytes: Buffer } | null> {
  if (!IMAGE_HASH_PATTERN.test(hash)) return null;
  const [row] = await db.select({ contentType: uploadedImages.contentType }).from(uploadedImages).where(eq(uploadedImages.hash, hash));
  if (!row) return null;
  try {
    return { contentType: row.contentType, bytes: fs.readFileSync(fileOf(hash)) };
  } catch {
    return null;
  }
}
