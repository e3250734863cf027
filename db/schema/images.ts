import { boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";

/**
 * Lesson images uploaded in the studio. The bytes live in DATA_DIR/images,
 * named by their SHA-256 (content-addressed: the same file uploaded twice is
 * one image, and its address never changes); this row says what they are.
 * See docs/decisions/030.
 */
export const uploadedImages = pgTable(
  "uploaded_images",
  {
    /** Hex SHA-256 of the bytes: the file's name on disk and in its address. */
    hash: text("hash").primaryKey(),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    width: integer("width"),
    height: integer("height"),
    /** What the image shows; empty when decorative. */
    alt: text("alt").notNull(),
    decorative: boolean("decorative").notNull().default(false),
    originalName: text("original_name").notNull(),
    uploadedBy: text("uploaded_by").references(() => user.id, { onDelete: "set null" }),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("uploaded_images_uploaded_at_idx").on(t.uploadedAt)],
);
