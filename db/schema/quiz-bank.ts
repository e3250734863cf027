import { z } from "zod";

/**
 * What module_versions.quiz holds: the question bank as authors write it in
 * quiz.yaml, with the zod schema that validates it at import. It lives with
 * the schema because the column's type is this shape, and db/ imports nothing
 * from app/ (docs/decisions/026). app/content re-exports it for authors' tools.
 */

/**
 * The one offence vocabulary shared by the whole platform: quiz questions,
 * the decision aid and the confusion reports all speak it, and stored answers
 * hold its keys. Changing a key breaks stored answers: add new keys, never
 * rename. Labels live in app/utils/offences.ts.
 */
export const OFFENCES = [
  "stalking-s2a",
  "stalking-s4a",
  "harassment-s2",
  "harassment-s4",
  "malicious-communications",
  "threatening-communications",
  "controlling-coercive",
  "not-a-crime",
] as const;
export type Offence = (typeof OFFENCES)[number];

/** FOUR: Fixated, Obsessive, Unwanted, Repeated (Veritas Justice; College of Policing). */
export const FOUR_ELEMENTS = ["fixated", "obsessive", "unwanted", "repeated"] as const;
export type FourElement = (typeof FOUR_ELEMENTS)[number];

/** Required, trimmed text of at most `max` characters, with messages that name the field. */
export const text = (what: string, max = 2000) =>
  z
    .string({ error: `${what} is required and must be text` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`);

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

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
  /**
   * A retired question stays in the bank (attempts that drew it still show it)
   * but is never drawn again (docs/decisions/038). Leave out for a live one.
   */
  retired: z.boolean({ error: "retired must be true or false" }).optional(),
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
    const drawable = quiz.questions.filter((q) => !q.retired).length;
    if (quiz.questionsPerAttempt > drawable) {
      const retired = quiz.questions.length - drawable;
      ctx.addIssue({
        code: "custom",
        path: ["questionsPerAttempt"],
        message:
          retired === 0
            ? `questionsPerAttempt (${quiz.questionsPerAttempt}) is more than the ${quiz.questions.length} questions in the bank`
            : `questionsPerAttempt (${quiz.questionsPerAttempt}) is more than the ${drawable} questions in the bank that are not retired`,
      });
    }
  });
export type Quiz = z.infer<typeof QuizSchema>;
