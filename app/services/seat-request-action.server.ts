import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "@remix-run/node";
import { requestSeats } from "#app/models/billing/seat-request.server.ts";
import { SeatRequestSchema } from "#app/utils/seat-request-validation.ts";

/**
 * The "ask for more seats" post, shared by the billing page and the
 * staff-list preview (both already checked the training lead's role): a 400
 * with the messages by field, or the request stored and a redirect back to
 * `returnTo` saying whether it was made or changed.
 */
export async function submitSeatRequest(
  form: FormData,
  lead: { id: string; name: string; email: string },
  organisation: { id: string; name: string; slug: string },
  source: "billing" | "import",
  returnTo: string,
) {
  const submission = parseWithZod(form, { schema: SeatRequestSchema });
  if (submission.status !== "success") {
    const reply = submission.reply();
    return data(
      {
        seatRequest: {
          errors: { seats: reply.error?.seats ?? undefined, message: reply.error?.message ?? undefined },
          values: { seats: String(form.get("seats") ?? ""), message: String(form.get("message") ?? "") },
        },
      },
      { status: 400 },
    );
  }
  const { outcome } = await requestSeats(lead, organisation, { ...submission.value, source });
  const url = new URL(returnTo, "http://x");
  url.searchParams.set("seats", outcome === "created" ? "requested" : "changed");
  throw redirect(`${url.pathname}${url.search}#seat-request`);
}
