import { z } from "zod";

/**
 * Schemas for the learner pages' forms. In a module of their own (not at the
 * top of the route files) so the browser bundle of a page that only posts a
 * button does not carry zod: this package is side-effect free, and what the
 * client does not import is dropped.
 */

export const StartModuleSchema = z.object({ intent: z.literal("start") });

export const LessonActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("complete") }),
  z.object({ intent: z.literal("start") }),
]);

export const StartAttemptSchema = z.object({ intent: z.literal("start") });

export const AttemptIntentSchema = z.enum(["save", "submit"], { error: "Use the Save or Submit button." });

export const RecertifySchema = z.object({
  intent: z.literal("recertify"),
  slug: z.string().regex(/^[a-z0-9-]{1,80}$/, "Unknown module"),
});
