import { and, eq, isNull } from "drizzle-orm";
import Stripe from "stripe";
import { z } from "zod";
import { organisationSettings } from "#db/schema/index.ts";
import type { Organisation } from "#app/models/organisations/organisation.server.ts";
import type { StripeSubscriptionState } from "#app/models/billing/stripe-licence.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { getEnv } from "#app/services/env.server.ts";
import { createLogger } from "#app/services/logger.server.ts";

/**
 * Card billing through Stripe (docs/decisions/011-stripe-integration.md):
 * the client, Checkout for buying seats, the customer portal, and reading a
 * subscription back. Off unless STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and
 * STRIPE_PRICE_ID are all set (the environment check insists on all or none).
 */

const log = createLogger("stripe");

export type StripeSettings = { secretKey: string; webhookSecret: string; priceId: string; apiBase: string | undefined };

/** The Stripe settings, or null when billing by card is off. */
export function stripeSettings(): StripeSettings | null {
  const env = getEnv();
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET || !env.STRIPE_PRICE_ID) return null;
  return {
    secretKey: env.STRIPE_SECRET_KEY,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    priceId: env.STRIPE_PRICE_ID,
    apiBase: env.STRIPE_API_BASE,
  };
}

export function billingByCardEnabled(): boolean {
  return stripeSettings() !== null;
}

/** Billing by card is off: the caller says so rather than failing. */
export class BillingNotConfiguredError extends Error {
  constructor() {
    super("Paying by card is not set up on this service. Buy seats by invoice instead.");
    this.name = "BillingNotConfiguredError";
  }
}

/** Stripe could not be reached or refused the request: try again later. */
export class StripeUnavailableError extends Error {
  constructor(cause: unknown) {
    super("Stripe could not be reached just now. Nothing has been charged. Try again in a few minutes.", { cause });
    this.name = "StripeUnavailableError";
  }
}

let cached: { key: string; client: Stripe } | undefined;

function requireSettings(): StripeSettings {
  const settings = stripeSettings();
  if (!settings) throw new BillingNotConfiguredError();
  return settings;
}

/**
 * The Stripe client, pointed at STRIPE_API_BASE when set (tests use a local
 * stub; production leaves it unset and talks to api.stripe.com).
 */
export function getStripe(): Stripe {
  const settings = requireSettings();
  const key = `${settings.secretKey}|${settings.apiBase ?? ""}`;
  if (cached?.key === key) return cached.client;
  const base = settings.apiBase ? new URL(settings.apiBase) : null;
  const client = new Stripe(settings.secretKey, {
    appInfo: { name: "Distinct" },
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "http:" ? 80 : 443),
          protocol: base.protocol === "http:" ? ("http" as const) : ("https" as const),
        }
      : {}),
  });
  cached = { key, client };
  return client;
}

async function call<T>(what: string, fn: (stripe: Stripe) => Promise<T>): Promise<T> {
  const stripe = getStripe();
  try {
    return await fn(stripe);
  } catch (error) {
    log.warn(`${what} failed`, { error: error instanceof Error ? error.message : String(error) });
    throw new StripeUnavailableError(error);
  }
}

// ------------------------------------------------------------ customers

export async function getStripeCustomerId(organisationId: string): Promise<string | null> {
  const [row] = await getDb()
    .select({ stripeCustomerId: organisationSettings.stripeCustomerId })
    .from(organisationSettings)
    .where(eq(organisationSettings.organizationId, organisationId));
  return row?.stripeCustomerId ?? null;
}

/**
 * The organisation's Stripe customer, created the first time and kept in
 * organisation_settings. Two leads buying at once may both create one: the
 * first saved wins and the other is left unused in Stripe (harmless).
 */
async function ensureCustomer(organisation: Organisation, buyer: { email: string }): Promise<string> {
  const existing = await getStripeCustomerId(organisation.id);
  if (existing) return existing;
  const customer = await call("creating a customer", (stripe) =>
    stripe.customers.create({ name: organisation.name, email: buyer.email, metadata: { orgId: organisation.id } }),
  );
  const db = getDb();
  await db.insert(organisationSettings).values({ organizationId: organisation.id }).onConflictDoNothing();
  await db
    .update(organisationSettings)
    .set({ stripeCustomerId: customer.id })
    .where(and(eq(organisationSettings.organizationId, organisation.id), isNull(organisationSettings.stripeCustomerId)));
  return (await getStripeCustomerId(organisation.id)) ?? customer.id;
}

// ------------------------------------------------------------ checkout and portal

const billingUrl = (organisation: Organisation) => `${getEnv().APP_URL}/org/${organisation.slug}/billing`;

/**
 * A Checkout Session for a yearly subscription of `seats` seats at
 * STRIPE_PRICE_ID. The organisation's id goes in client_reference_id and in
 * the metadata of both the session and the subscription, so every webhook
 * about it can find the organisation. Returns the URL to send the lead to.
 */
export async function startCheckout(organisation: Organisation, buyer: { email: string }, seats: number): Promise<string> {
  const { priceId } = requireSettings();
  const customer = await ensureCustomer(organisation, buyer);
  const base = billingUrl(organisation);
  const session = await call("creating a Checkout Session", (stripe) =>
    stripe.checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: organisation.id,
      line_items: [{ price: priceId, quantity: seats }],
      metadata: { orgId: organisation.id },
      subscription_data: { metadata: { orgId: organisation.id } },
      billing_address_collection: "required",
      success_url: `${base}?checkout=success`,
      cancel_url: `${base}?checkout=cancelled`,
    }),
  );
  if (!session.url) throw new StripeUnavailableError(new Error("Checkout Session without a URL"));
  return session.url;
}

/** No customer yet: nothing to manage until the organisation buys by card. */
export class NoStripeCustomerError extends Error {
  constructor() {
    super("This organisation has not paid by card yet, so there is no card billing to manage.");
    this.name = "NoStripeCustomerError";
  }
}

/** A customer portal session (card, invoices, number of seats, cancelling). Returns its URL. */
export async function openBillingPortal(organisation: Organisation): Promise<string> {
  requireSettings();
  const customer = await getStripeCustomerId(organisation.id);
  if (!customer) throw new NoStripeCustomerError();
  const session = await call("creating a billing portal session", (stripe) =>
    stripe.billingPortal.sessions.create({ customer, return_url: billingUrl(organisation) }),
  );
  return session.url;
}

// ------------------------------------------------------------ reading subscriptions back

const idOf = z.union([z.string(), z.object({ id: z.string() }).transform((o) => o.id)]);

/**
 * The parts of a subscription we use, checked rather than trusted: the API
 * version decides where fields live (the period moved onto the items in
 * 2025), and a shape we do not expect must fail loudly, not grant seats.
 */
const SubscriptionSchema = z.object({
  id: z.string(),
  object: z.literal("subscription"),
  customer: idOf,
  status: z.string(),
  metadata: z.record(z.string(), z.string()).nullish(),
  start_date: z.number(),
  ended_at: z.number().nullish(),
  current_period_end: z.number().optional(),
  items: z.object({
    data: z.array(z.object({ quantity: z.number().int().nonnegative().optional(), current_period_end: z.number().optional() })),
  }),
});

const fromUnix = (seconds: number) => new Date(seconds * 1000);

/** A subscription object (from the API or an event) as a licence snapshot read at `readAt`. */
export function subscriptionState(raw: unknown, readAt: Date): StripeSubscriptionState {
  const sub = SubscriptionSchema.parse(raw);
  const ends = sub.items.data.map((i) => i.current_period_end).filter((n): n is number => typeof n === "number");
  const periodEnd = ends.length > 0 ? Math.max(...ends) : sub.current_period_end ?? sub.start_date;
  const orgId = sub.metadata?.orgId;
  return {
    subscriptionId: sub.id,
    customerId: sub.customer,
    organizationId: orgId && orgId.length > 0 ? orgId : null,
    status: sub.status,
    // Every item counts: a subscription we create has one, at STRIPE_PRICE_ID;
    // one moved to a new price by the trust keeps its seats.
    seats: sub.items.data.reduce((sum, i) => sum + (i.quantity ?? 0), 0),
    startedAt: fromUnix(sub.start_date),
    periodEnd: fromUnix(periodEnd),
    endedAt: sub.ended_at ? fromUnix(sub.ended_at) : null,
    readAt,
  };
}

/**
 * The subscription as Stripe has it now, or null if Stripe does not know it
 * (deleted test data). Any other failure throws StripeUnavailableError, so
 * the webhook answers 503 and Stripe sends the event again later.
 */
export async function fetchSubscriptionState(subscriptionId: string): Promise<StripeSubscriptionState | null> {
  const stripe = getStripe();
  try {
    const subscription = await stripe.subscriptions.retrieve(subscriptionId);
    return subscriptionState(subscription, new Date());
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return null;
    log.warn("reading a subscription failed", { subscriptionId, error: error instanceof Error ? error.message : String(error) });
    throw new StripeUnavailableError(error);
  }
}

// ------------------------------------------------------------ webhooks

/** Thrown when a webhook's signature is missing or wrong: the caller answers 400 and changes nothing. */
export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookSignatureError";
  }
}

/**
 * Checks the Stripe-Signature header against the raw body with
 * STRIPE_WEBHOOK_SECRET, before anything parses the body, and returns the event.
 */
export function verifyWebhook(rawBody: string, signature: string | null): Stripe.Event {
  const { webhookSecret } = requireSettings();
  if (!signature) throw new WebhookSignatureError("The Stripe-Signature header is missing.");
  try {
    return Stripe.webhooks.constructEvent(rawBody, signature, webhookSecret);
  } catch (error) {
    throw new WebhookSignatureError(
      error instanceof Stripe.errors.StripeSignatureVerificationError
        ? "The Stripe signature does not match this request."
        : "The request is not a Stripe event.",
    );
  }
}
