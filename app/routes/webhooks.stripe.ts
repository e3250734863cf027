import type { ActionFunctionArgs } from "@remix-run/node";
import { MalformedStripeEventError, processStripeEvent } from "#app/models/billing/stripe-webhook.server.ts";
import { billingByCardEnabled, StripeUnavailableError, verifyWebhook, WebhookSignatureError } from "#app/models/billing/stripe.server.ts";

const text = (body: string, status: number) =>
  new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/**
 * Stripe's events (register this address in Stripe; the events to send are
 * listed in README.md). Stripe posts without an Origin header, which the
 * server's cross-site check lets through; the signature is the gate.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return text("Use POST.", 405);
  if (!billingByCardEnabled()) return text("Billing by card is not configured on this service.", 404);
  // The signature covers the exact bytes Stripe sent: read them raw and
  // verify before anything parses them.
  const payload = await request.text();
  let event;
  try {
    event = verifyWebhook(payload, request.headers.get("stripe-signature"));
  } catch (error) {
    if (error instanceof WebhookSignatureError) return text(error.message, 400);
    throw error;
  }
  try {
    const outcome = await processStripeEvent(event);
    return text(outcome, 200);
  } catch (error) {
    // Nothing was recorded: Stripe sends the event again later.
    if (error instanceof StripeUnavailableError) return text("Stripe could not be read just now; send this event again later.", 503);
    if (error instanceof MalformedStripeEventError) return text(error.message, 400);
    throw error;
  }
}
