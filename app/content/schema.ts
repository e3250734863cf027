import { z } from "zod";
import { FOUR_ELEMENTS, OFFENCES } from "#app/utils/offences.ts";

/**
 * The content format authors write (documented in content/README.md).
 * Pure zod: used by the importer, `npm run content:check` and the tests.
 */

const text = (what: string, max = 2000) =>
  z
    .string({ error: `${what} is required and must be text` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`);

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

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

const OffenceSchema = z.enum(OFFENCES, {
  error: (issue) => `"${String(issue.input)}" is not an offence: use one of ${OFFENCES.join(", ")}`,
});
const FourElementSchema = z.enum(FOUR_ELEMENTS, {
  error: (issue) => `"${String(issue.input)}" is not a FOUR element: use one of ${FOUR_ELEMENTS.join(", ")}`,
});
const QuestionIdSchema = z
  .string({ error: "id is required" })
  .regex(SLUG_PATTERN, "id must be lower-case words joined by hyphens, e.g. ex-partner-flowers")
  .max(80);
const OptionIdSchema = z
  .string({ error: "option id is required" })
  .regex(/^[a-z0-9-]{1,40}$/, "option id must be lower-case letters, digits or hyphens");

const QuestionBase = {
  id: QuestionIdSchema,
  /** Shown after submission, whatever the learner answered. Names the legal test that decides it. */
  explanation: text("explanation", 3000),
  /** Optional tags for reports and authors (e.g. ex-partner, online). */
  tags: z.array(z.string().regex(SLUG_PATTERN, "tags are lower-case words joined by hyphens")).default([]),
};

const ChoiceOptionSchema = z.strictObject({
  id: OptionIdSchema,
  text: text("option text", 600),
  correct: z.boolean().default(false),
  /** Shown after submission next to this option. */
  feedback: text("feedback", 1200).optional(),
});

export const ClassifyQuestionSchema = z
  .strictObject({
    ...QuestionBase,
    type: z.literal("classify"),
    /** 2 to 5 sentences describing what happened. */
    scenario: text("scenario", 1500),
    /** The right answer. */
    answer: OffenceSchema,
    /** A subset of the vocabulary to offer; leave out to offer all of it. Must include the answer. */
    options: z.array(OffenceSchema).min(2).optional(),
    /** Feedback per offence chosen, shown after submission. */
    feedback: z.partialRecord(OffenceSchema, text("feedback", 1200)).optional(),
    /** Also ask which FOUR elements are present (scored separately from the offence). */
    four: z
      .strictObject({
        present: z.array(FourElementSchema).max(4),
      })
      .optional(),
    /**
     * The scenario's facts in the decision aid's terms. A test runs them
     * through the aid and expects `answer`: the aid and the quiz must agree.
     */
    facts: z.record(z.string(), z.unknown()),
  })
  .superRefine((q, ctx) => {
    if (q.options && !q.options.includes(q.answer)) {
      ctx.addIssue({ code: "custom", path: ["options"], message: `options must include the answer "${q.answer}"` });
    }
    if (q.options && new Set(q.options).size !== q.options.length) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "options lists an offence twice" });
    }
    const sentences = q.scenario.split(/(?<=[.!?])\s+(?=[A-Z"'“‘])/).filter((s) => s.trim().length > 0);
    if (sentences.length < 2 || sentences.length > 5) {
      ctx.addIssue({
        code: "custom",
        path: ["scenario"],
        message: `scenario must be 2 to 5 sentences (found ${sentences.length})`,
      });
    }
  });

function checkOptions(
  options: { id: string; correct: boolean }[],
  ctx: z.RefinementCtx,
  type: "single" | "multiple",
) {
  const ids = new Set<string>();
  options.forEach((option, index) => {
    if (ids.has(option.id)) {
      ctx.addIssue({ code: "custom", path: ["options", index, "id"], message: `option id "${option.id}" is used twice` });
    }
    ids.add(option.id);
  });
  const correct = options.filter((o) => o.correct).length;
  if (type === "single" && correct !== 1) {
    ctx.addIssue({ code: "custom", path: ["options"], message: `a single question needs exactly one correct option (found ${correct})` });
  }
  if (type === "multiple" && correct < 1) {
    ctx.addIssue({ code: "custom", path: ["options"], message: "a multiple question needs at least one correct option" });
  }
}

export const SingleQuestionSchema = z
  .strictObject({
    ...QuestionBase,
    type: z.literal("single"),
    prompt: text("prompt", 1500),
    options: z.array(ChoiceOptionSchema).min(2, "give at least two options").max(8),
  })
  .superRefine((q, ctx) => checkOptions(q.options, ctx, "single"));

export const MultipleQuestionSchema = z
  .strictObject({
    ...QuestionBase,
    type: z.literal("multiple"),
    prompt: text("prompt", 1500),
    options: z.array(ChoiceOptionSchema).min(2, "give at least two options").max(10),
  })
  .superRefine((q, ctx) => checkOptions(q.options, ctx, "multiple"));

export const QuestionSchema = z.discriminatedUnion(
  "type",
  [ClassifyQuestionSchema, SingleQuestionSchema, MultipleQuestionSchema],
  { error: 'type must be "classify", "single" or "multiple"' },
);
export type Question = z.infer<typeof QuestionSchema>;
export type ClassifyQuestion = z.infer<typeof ClassifyQuestionSchema>;
export type ChoiceQuestion = z.infer<typeof SingleQuestionSchema> | z.infer<typeof MultipleQuestionSchema>;

export const QuizSchema = z
  .strictObject({
    /** Percentage of marks needed to pass. */
    passMark: z.number().int().min(1).max(100),
    /** How many questions each attempt draws from the bank. */
    questionsPerAttempt: z.number().int().min(1).max(100),
    /** Leave out for unlimited attempts. */
    maxAttempts: z.number().int().min(1).max(100).optional(),
    /** Minutes a learner must wait after a failed attempt. */
    waitMinutesBetweenAttempts: z.number().int().min(0).max(60 * 24 * 30).default(0),
    /** Whether the module is complete only once the quiz is passed. */
    requiredForCompletion: z.boolean().default(true),
    questions: z.array(QuestionSchema).min(1, "the bank needs at least one question"),
  })
  .superRefine((quiz, ctx) => {
    const seen = new Map<string, number>();
    quiz.questions.forEach((q, index) => {
      const first = seen.get(q.id);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["questions", index, "id"], message: `question id "${q.id}" is also used by question ${first + 1}` });
      }
      seen.set(q.id, index);
    });
    if (quiz.questionsPerAttempt > quiz.questions.length) {
      ctx.addIssue({
        code: "custom",
        path: ["questionsPerAttempt"],
        message: `questionsPerAttempt (${quiz.questionsPerAttempt}) is more than the ${quiz.questions.length} questions in the bank`,
      });
    }
  });
export type Quiz = z.infer<typeof QuizSchema>;
