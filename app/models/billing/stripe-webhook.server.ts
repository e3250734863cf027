import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import type { Executor } from "#db/client.ts";
import { stripeEvents } from "#db/schema/index.ts";
import { applyStripeSubscription, type StripeSubscriptionState } from "#app/models/billing/stripe-licence.server.ts";
import { fetchSubscriptionState, subscriptionState } from "#app/models/billing/stripe.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { createLogger } from "#app/services/logger.server.ts";

/**
 * What each Stripe event does to a licence (docs/decisions/011-stripe-integration.md).
 *
 * Stripe may send an event twice, late, or out of order. So:
 * - each event is recorded in stripe_events in the same transaction as its
 *   effect: a repeat finds its id there and changes nothing;
 * - the handler does not trust the order of events: for anything about a
 *   subscription it reads the subscription back from the API and applies
 *   that, its current state, whatever the event said. A snapshot read before
 *   the one already applied is ignored (licences.stripe_updated_at), and an
 *   ended subscription never comes back.
 */

const log = createLogger("stripe-webhook");

export type WebhookOutcome =
  | "duplicate"
  | "ignored"
  | "no-organisation"
  | "unknown-subscription"
  | "created"
  | "updated"
  | "unchanged"
  | "stale";

const EventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

const idOf = z.union([z.string(), z.object({ id: z.string() }).transform((o) => o.id)]);

const CheckoutSessionSchema = z.object({
  object: z.literal("checkout.session"),
  mode: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  subscription: idOf.nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

/** An invoice names its subscription under parent.subscription_details since 2025, at the top before. */
const InvoiceSchema = z.object({
  object: z.literal("invoice"),
  subscription: idOf.nullish(),
  parent: z.object({ subscription_details: z.object({ subscription: idOf }).nullish() }).nullish(),
});

const SubscriptionRefSchema = z.object({ object: z.literal("subscription"), id: z.string() });

type Work = (tx: Executor) => Promise<WebhookOutcome>;

const recordOnly: Work = async () => "ignored";

function applyState(state: StripeSubscriptionState | null, event: { id: string; type: string }): Work {
  if (!state) return async () => "unknown-subscription";
  return (tx) => applyStripeSubscription(tx, state, event);
}

/** Reads what the event is about (from Stripe, when it concerns a subscription) and returns its effect. */
async function plan(event: z.infer<typeof EventSchema>): Promise<Work> {
  const object = event.data.object;
  const ref = { id: event.id, type: event.type };
  switch (event.type) {
    case "checkout.session.completed": {
      const session = CheckoutSessionSchema.parse(object);
      if (session.mode !== "subscription" || !session.subscription) return recordOnly;
      const state = await fetchSubscriptionState(session.subscription);
      // Our session names the organisation itself; it wins over anything on the subscription.
      const orgId = session.client_reference_id || session.metadata?.orgId;
      return applyState(state && orgId ? { ...state, organizationId: orgId } : state, ref);
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.paused":
    case "customer.subscription.resumed": {
      const { id } = SubscriptionRefSchema.parse(object);
      return applyState(await fetchSubscriptionState(id), ref);
    }
    case "customer.subscription.deleted":
      // The end of a subscription is final: the event's own object says all there is to say.
      return applyState(subscriptionState(object, new Date()), ref);
    case "invoice.paid":
    case "invoice.payment_failed": {
      const invoice = InvoiceSchema.parse(object);
      const subscriptionId = invoice.parent?.subscription_details?.subscription ?? invoice.subscription;
      if (!subscriptionId) return recordOnly;
      // The subscription's status says whether a payment is failing now
      // (past_due, unpaid) or was paid since (active), whatever order these arrive in.
      return applyState(await fetchSubscriptionState(subscriptionId), ref);
    }
    default:
      return recordOnly;
  }
}

/**
 * A correctly signed event whose content is not what Stripe documents (a
 * field missing or of the wrong type). Nothing is recorded; the webhook
 * answers 400 naming the field, so the delivery shows as failed in Stripe's
 * dashboard with the reason, instead of a 500 that looks like our outage.
 */
export class MalformedStripeEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedStripeEventError";
  }
}

function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? first.path.join(".") : "the event";
  return `The Stripe event is malformed: ${where}: ${first?.message ?? "not as documented"}.`;
}

async function alreadyProcessed(eventId: string): Promise<boolean> {
  const [row] = await getDb().select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, eventId));
  return !!row;
}

/**
 * Processes one verified event, once. Throws StripeUnavailableError when the
 * API could not be read (nothing is recorded: Stripe will send it again).
 */
export async function processStripeEvent(verified: Stripe.Event): Promise<WebhookOutcome> {
  const parsed = EventSchema.safeParse(verified);
  if (!parsed.success) throw new MalformedStripeEventError(describeIssues(parsed.error));
  const event = parsed.data;
  if (await alreadyProcessed(event.id)) return "duplicate";
  let work: Work;
  try {
    work = await plan(event);
  } catch (error) {
    // plan() parses the event's object for its type; nothing is written yet.
    throw error instanceof z.ZodError ? new MalformedStripeEventError(describeIssues(error)) : error;
  }
  const outcome = await getDb().transaction(async (tx): Promise<WebhookOutcome> => {
    const inserted = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type, createdAt: new Date(event.created * 1000) })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    // Another delivery of the same event got here first.
    if (!inserted[0]) return "duplicate";
    return work(tx);
  });
  const message = `${event.type} ${event.id}: ${outcome}`;
  if (outcome === "no-organisation" || outcome === "unknown-subscription") log.warn(message);
  else log.info(message);
  return outcome;
}
