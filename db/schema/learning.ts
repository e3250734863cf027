import { sql } from "drizzle-orm";
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { Quiz } from "./quiz-bank.ts";
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
  /** Who retired it in the studio (null: retired by the content import). */
  retiredBy: text("retired_by"),
  /**
   * Set when a version was first published from the studio: from then on a
   * changed folder in content/ becomes a draft "proposed from files" instead
   * of a version (ADR 029).
   */
  studioPublishedAt: at("studio_published_at"),
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
    quiz: jsonb("quiz").$type<Quiz>(),
    changeNote: text("change_note"),
    materialChange: boolean("material_change").notNull().default(true),
    publishedAt: at("published_at").notNull().defaultNow(),
    publishedBy: text("published_by").notNull(),
    /** Studio publishes: who wrote the draft and who approved it (null for versions imported from files). */
    authorName: text("author_name"),
    reviewerName: text("reviewer_name"),
    /**
     * The module's source files as published (path → text), so history can
     * diff any two versions and export one as a folder content:check accepts.
     */
    sourceFiles: jsonb("source_files").$type<Record<string, string>>(),
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

/** A learner's answer to one question, as saved while the attempt is open. */
export type StoredResponse = {
  /** classify: the offence key; single: the option id. */
  choice?: string;
  /** multiple: the option ids chosen. */
  choices?: string[];
  /** classify with FOUR: the elements the learner ticked. */
  four?: string[];
};

/** Grading of one question, stored at submission and shown in the review. */
export type StoredResult = {
  questionId: string;
  correct: boolean;
  marks: number;
  maxMarks: number;
  /** For classify questions with FOUR: whether the elements were all right (scored separately). */
  fourCorrect?: boolean;
};

export const quizAttempts = pgTable(
  "quiz_attempts",
  {
    id: id(),
    enrolmentId: text("enrolment_id")
      .notNull()
      .references(() => enrolments.id, { onDelete: "cascade" }),
    /** Denormalised from the enrolment so every lookup is scoped by the learner. */
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    moduleVersionId: text("module_version_id")
      .notNull()
      .references(() => moduleVersions.id),
    attemptNumber: integer("attempt_number").notNull(),
    seed: text("seed").notNull(),
    /** The questions drawn for this attempt, in the order shown. */
    questionIds: jsonb("question_ids").$type<string[]>().notNull(),
    /** The shuffled option order per question (option ids or offence keys). */
    optionOrder: jsonb("option_order").$type<Record<string, string[]>>().notNull(),
    /** Answers saved so far (survive a reload); final at submission. */
    responses: jsonb("responses").$type<Record<string, StoredResponse>>().notNull().default({}),
    startedAt: at("started_at").notNull().defaultNow(),
    submittedAt: at("submitted_at"),
    marks: integer("marks"),
    maxMarks: integer("max_marks"),
    /** Whole-number percentage. */
    score: integer("score"),
    passed: boolean("passed"),
    results: jsonb("results").$type<StoredResult[]>(),
  },
  (t) => [
    uniqueIndex("quiz_attempts_enrolment_number_uidx").on(t.enrolmentId, t.attemptNumber),
    // One open attempt per enrolment: starting twice returns the same attempt.
    uniqueIndex("quiz_attempts_open_uidx").on(t.enrolmentId).where(sql`submitted_at is null`),
    index("quiz_attempts_user_idx").on(t.userId),
  ],
);

/**
 * One row per classify answer at submission: what the learner chose against
 * the right offence. The confusion reports aggregate this table.
 */
export const classifyAnswers = pgTable(
  "classify_answers",
  {
    attemptId: text("attempt_id")
      .notNull()
      .references(() => quizAttempts.id, { onDelete: "cascade" }),
    questionId: text("question_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    organizationId: text("organization_id"),
    moduleVersionId: text("module_version_id")
      .notNull()
      .references(() => moduleVersions.id),
    expected: text("expected").notNull(),
    chosen: text("chosen").notNull(),
    answeredAt: at("answered_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.attemptId, t.questionId] }),
    index("classify_answers_org_idx").on(t.organizationId, t.expected, t.chosen),
    index("classify_answers_question_idx").on(t.questionId),
    // The part of the month a "since" date falls in, on or after it: classify_counts cannot split a month.
    index("classify_answers_answered_idx").on(t.answeredAt),
  ],
);

/**
 * classify_answers counted by organisation (null: a learner in none),
 * module, question, right and chosen offence and London month answered:
 * what the confusion matrices sum, so a force's two million answers are a
 * few thousand rows. Kept by statement triggers on classify_answers
 * (migration 0006) as append-only deltas, folded by compact_classify_counts();
 * see docs/decisions/014.
 */
export const classifyCounts = pgTable(
  "classify_counts",
  {
    organizationId: text("organization_id"),
    moduleId: text("module_id").notNull(),
    questionId: text("question_id").notNull(),
    expected: text("expected").notNull(),
    chosen: text("chosen").notNull(),
    /** First day of the London month answered. */
    answeredMonth: date("answered_month", { mode: "string" }).notNull(),
    n: integer("n").notNull(),
  },
  (t) => [index("classify_counts_org_idx").on(t.organizationId, t.moduleId)],
);

/**
 * A certificate as issued: the learner's name, module title and version and
 * organisation are copied at issue, so the certificate reads the same for its
 * whole life whatever changes later. Revocation keeps the row (the public
 * address stays valid and says "revoked").
 */
export const certificates = pgTable(
  "certificates",
  {
    id: id(),
    /** Canonical code (11 characters, last one a check character); shown as 4-4-3 groups. */
    code: text("code").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    organizationId: text("organization_id"),
    /** One certificate per completed enrolment. */
    enrolmentId: text("enrolment_id")
      .notNull()
      .unique()
      .references(() => enrolments.id),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id),
    moduleVersionId: text("module_version_id")
      .notNull()
      .references(() => moduleVersions.id),
    learnerName: text("learner_name").notNull(),
    moduleTitle: text("module_title").notNull(),
    moduleVersion: integer("module_version").notNull(),
    organisationName: text("organisation_name"),
    issuedAt: at("issued_at").notNull().defaultNow(),
    /** Null: does not expire. */
    expiresAt: at("expires_at"),
    cpdMinutes: integer("cpd_minutes").notNull(),
    /** The passing score, when the module has an assessment. */
    scorePercent: integer("score_percent"),
    revokedAt: at("revoked_at"),
    revokedBy: text("revoked_by"),
    revokedReason: text("revoked_reason"),
    /**
     * The holder deleted their account: the name is erased and the public
     * address says the certificate can no longer be verified (docs/decisions/020).
     */
    holderErasedAt: at("holder_erased_at"),
  },
  (t) => [
    index("certificates_user_idx").on(t.userId),
    index("certificates_org_idx").on(t.organizationId),
    index("certificates_expires_idx").on(t.expiresAt),
  ],
);

/**
 * Notifications already sent, by a key naming the event (e.g.
 * "certificate-expiry:<id>:30d"). Inserting the key and queueing the mail in
 * one transaction means one event mails once, however many instances run the job.
 */
export const sentNotifications = pgTable("sent_notifications", {
  key: text("key").primaryKey(),
  sentAt: at("sent_at").notNull().defaultNow(),
});

/**
 * A learner's private CPD reflection on one completed module (issue 19): what
 * they learned and how they will apply it. Theirs alone: no training lead or
 * admin page reads it; it leaves Distinct only in their own exports, and goes
 * with their account (cascade, and deleted explicitly in account deletion).
 */
export const cpdReflections = pgTable(
  "cpd_reflections",
  {
    enrolmentId: text("enrolment_id")
      .primaryKey()
      .references(() => enrolments.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    learned: text("learned").notNull().default(""),
    apply: text("apply").notNull().default(""),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [index("cpd_reflections_user_idx").on(t.userId)],
);

/**
 * A SCORM 1.2 launch package a training lead exported for their organisation
 * (docs/decisions/031). The zip carries this row's id and a signature over it;
 * revoking the row stops every copy of the package from launching.
 */
export const scormPackages = pgTable(
  "scorm_packages",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    moduleVersionId: text("module_version_id")
      .notNull()
      .references(() => moduleVersions.id),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: at("created_at").notNull().defaultNow(),
    revokedAt: at("revoked_at"),
  },
  (t) => [index("scorm_packages_org_idx").on(t.organizationId)],
);

/**
 * One launch of a package from an LMS: the SCO made up a random key, the
 * learner opened Distinct with it and signed in; the SCO polls the result with
 * the same key. Only the key's SHA-256 is stored.
 */
export const scormLaunches = pgTable(
  "scorm_launches",
  {
    id: id(),
    packageId: text("package_id")
      .notNull()
      .references(() => scormPackages.id, { onDelete: "cascade" }),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    keyHash: text("key_hash").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    enrolmentId: text("enrolment_id")
      .notNull()
      .references(() => enrolments.id, { onDelete: "cascade" }),
    /** What the LMS called the learner (cmi.core.student_id), for the lead to match records; never used to sign anyone in. */
    lmsLearnerId: text("lms_learner_id"),
    startedAt: at("started_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("scorm_launches_key_uidx").on(t.keyHash), index("scorm_launches_user_idx").on(t.userId)],
);
