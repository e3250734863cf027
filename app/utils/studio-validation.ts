import { z } from "zod";
import { SLUG_PATTERN } from "#db/schema/quiz-bank.ts";

/** Form schemas of the authoring studio, with the messages shown next to each field. */

const noNul = (s: string) => !s.includes("\0");

export const CreateModuleSchema = z.object({
  intent: z.literal("create"),
  title: z.string().trim().min(1, "Enter the module's title").max(120, "The title must be at most 120 characters").refine(noNul, "The title contains a character that is not allowed"),
  slug: z
    .string()
    .trim()
    .min(1, "Enter the module's address")
    .max(60, "The address must be at most 60 characters")
    .regex(SLUG_PATTERN, "The address must be lower-case words joined by hyphens, like online-stalking"),
});

const revision = z.coerce.number({ error: "The form is missing its revision: reload the page" }).int().min(1);
const draftId = z.string().min(1).max(64);

export const SaveFileSchema = z.object({
  intent: z.enum(["save", "preview"]),
  draftId,
  revision,
  text: z
    .string()
    .max(200_000, "A file may hold at most 200,000 characters")
    .refine(noNul, "The text contains a NUL character: remove it")
    .transform((s) => s.replace(/\r\n/g, "\n")),
});

export const DeleteFileSchema = z.object({ intent: z.literal("delete"), draftId, revision });

export const AddLessonSchema = z.object({
  intent: z.literal("add-lesson"),
  draftId,
  revision,
  title: z.string().trim().min(1, "Enter the lesson's title").max(120, "The title must be at most 120 characters").refine(noNul, "The title contains a character that is not allowed"),
  key: z
    .string()
    .trim()
    .min(1, "Enter the lesson's address")
    .max(60, "The address must be at most 60 characters")
    .regex(SLUG_PATTERN, "The address must be lower-case words joined by hyphens, like first-contact"),
});

export const SubmitSchema = z.object({
  intent: z.literal("submit"),
  draftId,
  revision,
  changeNote: z.string().trim().min(1, "Say what changed and why").max(500, "The change note must be at most 500 characters").refine(noNul, "The change note contains a character that is not allowed"),
  kind: z.enum(["material", "correction"], { error: "Choose whether this is a material change or a correction" }),
});

export const SimpleDraftIntentSchema = z.object({ intent: z.enum(["open-draft", "discard", "retire", "restore"]), draftId: z.string().max(64).optional() });

export const ReviewSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), draftId, revision }),
  z.object({
    intent: z.literal("return"),
    draftId,
    body: z.string().trim().min(1, "Give the reasons for returning the draft").max(4000, "At most 4,000 characters").refine(noNul, "The text contains a character that is not allowed"),
  }),
  z.object({
    intent: z.literal("comment"),
    draftId,
    body: z.string().trim().min(1, "Write a comment").max(4000, "At most 4,000 characters").refine(noNul, "The text contains a character that is not allowed"),
  }),
]);

/** The first message per field of a failed parse. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}
