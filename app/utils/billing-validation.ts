import { z } from "zod";

/**
 * Schemas and date rules for the seats-and-billing forms: the training lead's
 * "Buy seats" and the platform admin's manual licences. Shared by the pages
 * (client hints) and the actions (the gate).
 */

export const MAX_SEATS = 100_000;
/** One card purchase is for at most this many seats; larger orders go by invoice. */
export const MAX_CARD_SEATS = 5_000;
/** Manual licences run for at most this many years from their start. */
export const MAX_LICENCE_YEARS = 5;

// ------------------------------------------------------------ dates
//
// Licences are granted in whole days, UK time: "valid from 1 April 2027"
// starts at midnight in London, "valid until 31 March 2028" runs to the last
// millisecond of that day (so formatting `validUntil` shows the day the
// admin typed, in GMT and BST alike).

const LONDON = "Europe/London";
const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes London is ahead of UTC at this instant (0 in winter, 60 in summer). */
function londonOffsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: LONDON, timeZoneName: "longOffset" }).formatToParts(at);
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === "-" ? -minutes : minutes;
}

/** True for a real calendar day written YYYY-MM-DD (not 2027-02-30). */
export function isCalendarDay(value: string): boolean {
  const match = isoDay.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 2000 && y <= 2200;
}

/** Midnight at the start of this day in London, as an instant. */
export function startOfLondonDay(day: string): Date {
  const match = isoDay.exec(day);
  if (!match) throw new Error(`Not a day: ${day}`);
  const utcMidnight = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Clocks change at 01:00 UTC, so London's offset at UTC midnight is its offset at local midnight.
  return new Date(utcMidnight - londonOffsetMinutes(new Date(utcMidnight)) * 60_000);
}

/** The last millisecond of this day in London. */
export function endOfLondonDay(day: string): Date {
  const start = startOfLondonDay(day);
  const next = new Date(start.getTime() + 36 * 3600_000);
  const nextDay = londonDay(next);
  return new Date(startOfLondonDay(nextDay).getTime() - 1);
}

/** The London calendar day of an instant, YYYY-MM-DD (for date inputs). */
const LONDON_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: LONDON, year: "numeric", month: "2-digit", day: "2-digit" });

export function londonDay(at: Date): string {
  return LONDON_DAY.format(at);
}

const DaySchema = (label: string) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .refine(isCalendarDay, `The ${label} must be a real date, like 2027-03-31`);

// ------------------------------------------------------------ fields

const seats = (max: number, more: string) =>
  z
    .number({ error: "Enter the number of seats as a whole number, like 50" })
    .int("Enter the number of seats as a whole number, like 50")
    .min(1, "The number of seats must be 1 or more")
    .max(max, `The number of seats must be ${max.toLocaleString("en-GB")} or fewer${more}`);

const PurchaseOrderSchema = z.string().trim().max(100, "The purchase order reference must be 100 characters or fewer").optional();

const NoteSchema = z.string().trim().max(500, "The note must be 500 characters or fewer").optional();

const LicenceIdSchema = z.string({ error: "Choose a licence" }).trim().min(1, "Choose a licence").max(100);

// ------------------------------------------------------------ training lead: card billing

export const BuySeatsSchema = z.object({
  intent: z.literal("buy"),
  seats: seats(MAX_CARD_SEATS, ": for more, buy by invoice"),
});

export const ManageBillingSchema = z.object({ intent: z.literal("manage") });

export const BillingActionSchema = z.discriminatedUnion("intent", [BuySeatsSchema, ManageBillingSchema], {
  error: "Use the Buy seats or Manage billing button.",
});

// ------------------------------------------------------------ platform admin: manual licences

export const GrantLicenceSchema = z
  .object({
    intent: z.literal("grant"),
    seats: seats(MAX_SEATS, ""),
    validFrom: DaySchema("start date"),
    validUntil: DaySchema("end date"),
    purchaseOrder: PurchaseOrderSchema,
    note: NoteSchema,
  })
  .superRefine(
    (value, ctx) => {
      if (!isCalendarDay(value.validFrom) || !isCalendarDay(value.validUntil)) return;
      if (value.validUntil < value.validFrom) {
        ctx.addIssue({ code: "custom", path: ["validUntil"], message: "The end date must be the same as or after the start date" });
        return;
      }
      const limit = new Date(startOfLondonDay(value.validFrom));
      limit.setUTCFullYear(limit.getUTCFullYear() + MAX_LICENCE_YEARS);
      if (startOfLondonDay(value.validUntil) > limit) {
        ctx.addIssue({ code: "custom", path: ["validUntil"], message: `A licence can run for at most ${MAX_LICENCE_YEARS} years` });
      }
    },
    // Check the dates against each other even when another field (the seats) is wrong, so every problem shows at once.
    { when: (payload) => payload.issues.every((issue) => issue.path?.[0] !== "validFrom" && issue.path?.[0] !== "validUntil") },
  );

export const ExtendLicenceSchema = z.object({
  intent: z.literal("extend"),
  licenceId: LicenceIdSchema,
  validUntil: DaySchema("new end date"),
  purchaseOrder: PurchaseOrderSchema,
});

export const ChangeSeatsSchema = z.object({
  intent: z.literal("change-seats"),
  licenceId: LicenceIdSchema,
  seats: seats(MAX_SEATS, ""),
  purchaseOrder: PurchaseOrderSchema,
});

export const EndLicenceSchema = z.object({
  intent: z.literal("end"),
  licenceId: LicenceIdSchema,
  reason: z
    .string({ error: "Enter the reason for ending this licence" })
    .trim()
    .min(5, "Enter the reason for ending this licence (at least 5 characters)")
    .max(500, "The reason must be 500 characters or fewer"),
});

export const LicenceAdminSchema = z.discriminatedUnion(
  "intent",
  [GrantLicenceSchema, ExtendLicenceSchema, ChangeSeatsSchema, EndLicenceSchema],
  { error: "Use one of the licence buttons." },
);

/** Which change form the admin page shows (?change=...&licence=...); anything else shows the list. */
export const LicenceChangeQuerySchema = z.object({
  change: z.enum(["extend", "seats", "end"]),
  licence: z.string().min(1).max(100),
});
