import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { organization, user } from "./auth.ts";

const id = () =>
  text("id")
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID());
const at = (name: string) => timestamp(name, { withTimezone: true });

/** What a compiled lesson looks like inside a module version. */
export type StoredLesson = {
  key: string;
  title: string;
  minutes: number;
  /** mdx-bundler output: the function body that renders the lesson. */
  code: string;
};

/** Module metadata as published (frontmatter of index.mdx, validated). */
export type StoredModuleMeta = {
  summary: string;
  audience: string[];
  outcomes: string[];
  durationMinutes: number;
  passMark: number | null;
  certificateValidityMonths: number | null;
  order: number;
  /** mdx-bundler output for the module overview (body of index.mdx). */
  overviewCode: string;
};

export const modules = pgTable("modules", {
  id: id(),
  slug: text("slug").notNull().unique(),
  title: text("title").notNull(),
  /** The version new learners start on. Null until the first import. */
  currentVersionId: text("current_version_id"),
  sortOrder: integer("sort_order").notNull().default(100),
  /** Set when the module's folder disappears from content/: hidden from the catalogue, records kept. */
  retiredAt: at("retired_at"),
  createdAt: at("created_at").notNull().defaultNow(),
  updatedAt: at("updated_at").notNull().defaultNow(),
});

/**
 * A published module version. Immutable once written (a trigger in the
 * migrations refuses UPDATE): enrolments, attempts and certificates point here.
 */
export const moduleVersions = pgTable(
  "module_versions",
  {
    id: id(),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id),
    version: integer("version").notNull(),
    sourceHash: text("source_hash").notNull(),
    title: text("title").notNull(),
    meta: jsonb("meta").$type<StoredModuleMeta>().notNull(),
    lessons: jsonb("lessons").$type<StoredLesson[]>().notNull(),
    /** The quiz bank WITH answer keys. Server only: never select it for a page. */
    quiz: jsonb("quiz"),
    changeNote: text("change_note"),
    materialChange: boolean("material_change").notNull().default(true),
    publishedAt: at("published_at").notNull().defaultNow(),
    publishedBy: text("published_by").notNull(),
  },
  (t) => [uniqueIndex("module_versions_module_version_uidx").on(t.moduleId, t.version)],
);

export const enrolments = pgTable(
  "enrolments",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** The organisation the learner was training for, if any. */
    organizationId: text("organization_id").references(() => organization.id, {
      onDelete: "set null",
    }),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id),
    moduleVersionId: text("module_version_id")
      .notNull()
      .references(() => moduleVersions.id),
    startedAt: at("started_at").notNull().defaultNow(),
    lastActivityAt: at("last_activity_at").notNull().defaultNow(),
    lastLessonKey: text("last_lesson_key"),
    completedAt: at("completed_at"),
  },
  (t) => [
    index("enrolments_user_idx").on(t.userId),
    index("enrolments_module_version_idx").on(t.moduleVersionId),
    // One open enrolment per learner and module: starting twice is idempotent.
    uniqueIndex("enrolments_open_uidx")
      .on(t.userId, t.moduleId)
      .where(sql`completed_at is null`),
  ],
);

export const lessonProgress = pgTable(
  "lesson_progress",
  {
    enrolmentId: text("enrolment_id")
      .notNull()
      .references(() => enrolments.id, { onDelete: "cascade" }),
    lessonKey: text("lesson_key").notNull(),
    completedAt: at("completed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.enrolmentId, t.lessonKey] })],
);
