import { z } from "zod";
import { dateProblem } from "./date-validation.ts";

/** How long each reflection answer may be; the database checks the same (migration 0014). */
export const REFLECTION_MAX = 4000;

const answer = (label: string) => {
  const Label = `${label[0]!.toUpperCase()}${label.slice(1)}`;
  // conform hands an empty field over as undefined: that is an empty answer, not a missing one.
  return z
    .string()
    .transform((s) => s.replace(/\r\n/g, "\n").trim())
    .pipe(
      z
        .string()
        .max(REFLECTION_MAX, `${Label} must be ${REFLECTION_MAX.toLocaleString("en-GB")} characters or fewer`)
        .refine((s) => !s.includes("\u0000"), `${Label} contains a character that cannot be saved`),
    )
    .optional()
    .transform((s) => s ?? "");
};

/** A CPD reflection: both parts optional on their own, but not both empty. */
export const ReflectionSchema = z
  .object({
    learned: answer("what you learned"),
    apply: answer("how you will apply it"),
  })
  .superRefine((value, ctx) => {
    if (value.learned === "" && value.apply === "") {
      ctx.addIssue({ code: "custom", path: ["learned"], message: "Write what you learned, how you will apply it, or both" });
    }
  });

const optionalDate = (label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
    z
      .string()
      .superRefine((value, ctx) => {
        const problem = dateProblem(value, label);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
  );

/** The CPD record's date range (completion dates, inclusive, London days). */
export const CpdRangeSchema = z
  .object({ from: optionalDate("The from date"), to: optionalDate("The to date") })
  .superRefine((value, ctx) => {
    if (value.from && value.to && value.from > value.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "The to date must be the same as or after the from date" });
    }
  });

export type CpdRange = z.infer<typeof CpdRangeSchema>;
