import { z } from "zod";

/**
 * The one rule for a date typed into a form or an address (YYYY-MM-DD): a
 * real calendar day in the years 1900-2200.
 *
 * Why a range: "0000-01-01" is a valid JavaScript date but not a PostgreSQL
 * one (there is no year 0), so it reached the database and failed there as a
 * 500; "9999-12-31" plus a few days overflows what both can hold. No date
 * this service deals with (due dates, extensions, report filters) falls
 * outside these years. An impossible month ("2026-13-01") makes an invalid
 * Date whose toISOString() throws, so the parts are checked as numbers.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = ISO_DAY.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Why `value` is not accepted, in words that name the field (for messages). */
export function dateProblem(value: string, label: string): string | null {
  if (isCalendarDate(value)) return null;
  const year = ISO_DAY.exec(value)?.[1];
  if (year !== undefined && (Number(year) < MIN_YEAR || Number(year) > MAX_YEAR)) {
    return `${label} must be in the years ${MIN_YEAR} to ${MAX_YEAR}`;
  }
  return `${label} must be a real date written as YYYY-MM-DD, like 2026-12-31`;
}

/** A form field holding a date; the message names the field. */
export const DateFieldSchema = (label: string) =>
  z
    .string({ error: `Enter the ${label.toLowerCase()}` })
    .trim()
    .superRefine((value, ctx) => {
      const problem = dateProblem(value, label);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
