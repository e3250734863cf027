import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { modules, moduleVersions } from "./learning.ts";

const id = () =>
  text("id")
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID());
const at = (name: string) => timestamp(name, { withTimezone: true });

/** A module's source as files: path inside content/modules/<slug>/ → text. */
export type SourceFiles = Record<string, string>;

/** Where a draft came from: written in the studio, proposed by a changed folder in content/, or an uploaded zip. */
export type DraftOrigin = "studio" | "files" | "zip";
/** editing → in_review → published (or back to editing when returned); discarded drafts are kept for the record. */
export type DraftStatus = "editing" | "in_review" | "published" | "discarded";

/**
 * The studio's working copy of a module (ADR 028). Saving changes only this
 * row, never a module version, so learners never see a draft. `revision`
 * goes up by one on every save: a save that names an older revision is
 * refused (optimistic concurrency), so two authors cannot overwrite each other.
 */
export const moduleDrafts = pgTable(
  "module_drafts",
  {
    id: id(),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id),
    /** The published version this draft started from (null for a new module). */
    baseVersionId: text("base_version_id").references(() => moduleVersions.id),
    files: jsonb("files").$type<SourceFiles>().notNull(),
    revision: integer("revision").notNull().default(1),
    status: text("status").$type<DraftStatus>().notNull().default("editing"),
    origin: text("origin").$type<DraftOrigin>().notNull().default("studio"),
    createdById: text("created_by_id").references(() => user.id, { onDelete: "set null" }),
    createdByName: text("created_by_name").notNull(),
    updatedById: text("updated_by_id").references(() => user.id, { onDelete: "set null" }),
    updatedByName: text("updated_by_name").notNull(),
    /** What the last save changed, in words ("lesson 01-first.mdx"), for the refusal message. */
    lastChange: text("last_change"),
    submittedById: text("submitted_by_id").references(() => user.id, { onDelete: "set null" }),
    submittedByName: text("submitted_by_name"),
    submittedAt: at("submitted_at"),
    changeNote: text("change_note"),
    materialChange: boolean("material_change"),
    publishedVersionId: text("published_version_id").references(() => moduleVersions.id),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // One open draft per module: everyone edits the same working copy.
    uniqueIndex("module_drafts_open_uidx")
      .on(t.moduleId)
      .where(sql`status in ('editing', 'in_review')`),
  ],
);

export type DraftCommentKind = "comment" | "submitted" | "returned" | "approved";

/** The review conversation on a draft: submission, comments, return with reasons, approval. */
export const draftComments = pgTable(
  "draft_comments",
  {
    id: id(),
    draftId: text("draft_id")
      .notNull()
      .references(() => moduleDrafts.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => user.id, { onDelete: "set null" }),
    authorName: text("author_name").notNull(),
    kind: text("kind").$type<DraftCommentKind>().notNull(),
    body: text("body").notNull(),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [index("draft_comments_draft_idx").on(t.draftId, t.at)],
);

/** A learner has read what changed in a materially changed version (ADR 028). */
export const moduleUpdateAcks = pgTable(
  "module_update_acks",
  {
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    moduleVersionId: text("module_version_id")
      .notNull()
      .references(() => moduleVersions.id),
    acknowledgedAt: at("acknowledged_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.moduleVersionId] })],
);
