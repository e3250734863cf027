import { z } from "zod";
import { SLUG_PATTERN, text } from "#db/schema/quiz-bank.ts";

export { SLUG_PATTERN };

/**
 * The content format authors write (documented in content/README.md).
 * Pure zod: used by the importer, `npm run content:check` and the tests.
 */

/** Frontmatter of content/modules/<slug>/index.mdx. */
export const ModuleFrontmatterSchema = z.strictObject({
  title: text("title", 120),
  summary: text("summary", 400),
  audience: z.array(text("an audience entry", 120), { error: "audience must be a list" }).min(1, "audience needs at least one entry"),
  outcomes: z
    .array(text("an outcome", 300), { error: "outcomes must be a list" })
    .min(1, "outcomes needs at least one entry")
    .max(10, "outcomes has at most 10 entries"),
  durationMinutes: z
    .number({ error: "durationMinutes must be a number of minutes" })
    .int("durationMinutes must be a whole number")
    .min(1)
    .max(600),
  /** Position in the catalogue: lower comes first. */
  order: z.number().int().min(0).max(1000).default(100),
  /** Months a certificate stays valid; leave out for certificates that do not expire. */
  certificateValidityMonths: z.number().int().min(1).max(120).nullable().default(null),
  /** What changed in this version, shown in the module's history. */
  versionNote: text("versionNote", 500).optional(),
  /**
   * false for typo-level edits: learners already certified need not recertify.
   * Every change still makes a new immutable version.
   */
  materialChange: z.boolean().default(true),
});
export type ModuleFrontmatter = z.infer<typeof ModuleFrontmatterSchema>;

/** Frontmatter of a lesson file, content/modules/<slug>/NN-<lesson>.mdx. */
export const LessonFrontmatterSchema = z.strictObject({
  title: text("title", 120),
  minutes: z.number({ error: "minutes must be a number" }).int("minutes must be a whole number").min(1).max(240),
  /** Marks the lesson that lists the module's sources (required once per module). */
  references: z.boolean().default(false),
});
export type LessonFrontmatter = z.infer<typeof LessonFrontmatterSchema>;

export const LESSON_FILE_PATTERN = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;

// ---------------------------------------------------------------- quiz.yaml
// The bank's format is the stored column's type, so it lives with the schema.
export {
  ClassifyQuestionSchema,
  MultipleQuestionSchema,
  QuestionSchema,
  QuizSchema,
  SingleQuestionSchema,
  type ChoiceQuestion,
  type ClassifyQuestion,
  type Question,
  type Quiz,
} from "#db/schema/quiz-bank.ts";
