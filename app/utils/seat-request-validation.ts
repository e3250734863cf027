import { z } from "zod";

/**
 * The training lead's "ask for more seats" form (billing page and staff-list
 * preview) and the platform admin's "mark handled" form. Shared by the pages
 * and the actions.
 */

/** A request asks for at most this many seats: more than any force has staff (the largest has about 45,000). */
export const MAX_REQUESTED_SEATS = 100_000;
export const MAX_SEAT_REQUEST_MESSAGE = 1_000;

const whole = "Enter the number of seats as a whole number, like 25";

export const SeatRequestSchema = z.object({
  intent: z.literal("request-seats"),
  seats: z
    .number({ error: whole })
    .int(whole)
    .min(1, "The number of seats must be 1 or more")
    .max(MAX_REQUESTED_SEATS, `The number of seats must be ${MAX_REQUESTED_SEATS.toLocaleString("en-GB")} or fewer`),
  message: z
    .string()
    .trim()
    .max(MAX_SEAT_REQUEST_MESSAGE, `The message must be ${MAX_SEAT_REQUEST_MESSAGE.toLocaleString("en-GB")} characters or fewer`)
    .optional(),
});

export const HandleSeatRequestSchema = z.object({
  intent: z.literal("handle"),
  requestId: z.string({ error: "Choose a request" }).trim().min(1, "Choose a request").max(100, "Choose a request"),
  note: z
    .string({ error: "Enter a note for the training lead: what was done, or why not" })
    .trim()
    .min(1, "Enter a note for the training lead: what was done, or why not")
    .max(MAX_SEAT_REQUEST_MESSAGE, `The note must be ${MAX_SEAT_REQUEST_MESSAGE.toLocaleString("en-GB")} characters or fewer`),
});
