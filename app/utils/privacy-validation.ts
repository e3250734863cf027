import { z } from "zod";

/**
 * How long an organisation keeps the details of people who have left before
 * the retention job anonymises them (docs/decisions/020). Months, because
 * that is how retention schedules are written. The database checks the same
 * bounds (migration 0008_privacy).
 *
 * - Default 24: long enough to answer a former employer's or a new force's
 *   question about someone's training, an inspection's look back over two
 *   years, or a misconduct case that starts after someone leaves.
 * - At least 6: a mistaken "left" (wrong person removed, someone rejoining
 *   after a career break) must be undoable before the details are gone.
 * - At most 84 (7 years): the usual UK retention for employment records is 6
 *   years after leaving; a force's own HR system is the record of longer duty.
 */
export const RETENTION_DEFAULT_MONTHS = 24;
export const RETENTION_MIN_MONTHS = 6;
export const RETENTION_MAX_MONTHS = 84;

export const RetentionSchema = z.object({
  retentionMonths: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z
      .string({ error: "Enter the number of months" })
      .min(1, "Enter the number of months")
      .regex(/^\d{1,3}$/, "Enter the number of months as a whole number, like 24")
      .transform(Number)
      .pipe(
        z
          .number()
          .min(RETENTION_MIN_MONTHS, `Keep details for at least ${RETENTION_MIN_MONTHS} months`)
          .max(RETENTION_MAX_MONTHS, `Keep details for at most ${RETENTION_MAX_MONTHS} months (7 years)`),
      ),
  ),
});

/** The text a learner types to confirm deleting their account (as well as their password). */
export const DELETE_CONFIRMATION_WORD = "delete";

export const DeleteAccountSchema = z.object({
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(128, "Enter your password"),
  confirm: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.literal(DELETE_CONFIRMATION_WORD, { error: `Type ${DELETE_CONFIRMATION_WORD} to confirm` }),
  ),
});
