import { Form } from "@remix-run/react";
import { formatDate, plural } from "#app/utils/format.ts";
import { MAX_SEAT_REQUEST_MESSAGE } from "#app/utils/seat-request-validation.ts";
import { Button } from "./ui/button.tsx";
import { Notification } from "./ui/notification.tsx";
import { TextAreaField, TextField } from "./ui/field.tsx";

/** What the page knows of the organisation's open request (loader data: dates may arrive as strings). */
export type OpenSeatRequest = { seats: number; message: string | null; requestedByName: string; createdAt: Date | string; updatedAt: Date | string };

/** The server's answer to a failed request: messages by field, and what was typed. */
export type SeatRequestErrors = { seats?: string[]; message?: string[] };

/**
 * "Ask for more seats": how many, and an optional message. Works without
 * JavaScript (a plain post; the action validates). While a request is open,
 * the same form changes it.
 */
export function SeatRequestForm({
  id,
  action,
  defaultSeats,
  open,
  errors,
  values,
}: {
  id: string;
  action?: string;
  defaultSeats?: number;
  open: OpenSeatRequest | null;
  errors?: SeatRequestErrors;
  values?: { seats?: string; message?: string };
}) {
  return (
    <Form method="post" action={action} id={id} noValidate className="two-thirds">
      <input type="hidden" name="intent" value="request-seats" />
      {open ? (
        <p>
          You have an open request for {plural(open.seats, "seat")} (asked by {open.requestedByName} on {formatDate(open.createdAt)}). Sending
          this form again changes that request; it does not make a second one.
        </p>
      ) : null}
      <TextField
        id={`${id}-seats`}
        name="seats"
        label="How many more seats?"
        hint="One for each learner you want to add; training leads do not need one."
        defaultValue={values?.seats ?? String(open?.seats ?? defaultSeats ?? "")}
        errors={errors?.seats}
        inputMode="numeric"
        autoComplete="off"
        className="input--narrow"
      />
      <TextAreaField
        id={`${id}-message`}
        name="message"
        label="Message (optional)"
        hint={`For example, a purchase order reference or when you need them. Up to ${MAX_SEAT_REQUEST_MESSAGE.toLocaleString("en-GB")} characters.`}
        defaultValue={values?.message ?? open?.message ?? ""}
        errors={errors?.message}
        rows={3}
      />
      <Button variant={open ? "secondary" : "primary"}>{open ? "Change my request" : "Ask for more seats"}</Button>
    </Form>
  );
}

/**
 * After asking for seats (or changing the request): that it went, and what happens next. The page
 * passes its `?seats=` notice; any other value shows nothing.
 */
export function SeatRequestSent({ notice, email }: { notice: string | null; email: string }) {
  if (notice !== "requested" && notice !== "changed") return null;
  return (
    <Notification tone="success" title={notice === "requested" ? "Your request for more seats has been sent" : "Your request for more seats has been changed"}>
      <SeatRequestNext email={email} />
    </Notification>
  );
}

/** What happens after asking: said on the page the lead lands on. */
function SeatRequestNext({ email }: { email: string }) {
  return (
    <p>
      The platform administrators who grant seats have been emailed. They will add the seats to your licence, or reply to you at {email} if
      they need a purchase order or more detail. When they mark your request handled, you get an email with their note, and it shows on the
      Seats and billing page.
    </p>
  );
}
