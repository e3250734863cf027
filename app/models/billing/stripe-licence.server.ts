import { eq, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { licences, organisationSettings, organization } from "#db/schema/index.ts";
import { audit } from "#app/models/platform/audit.server.ts";
import { ENDED_STRIPE_STATUSES } from "./licence.server.ts";

/** Statuses meaning a payment failed and the subscription is still alive. */
const PAYMENT_FAILED_STATUSES = new Set(["past_due", "unpaid"]);

/**
 * Card licences: a Stripe subscription kept in step with its licence row (one
 * row per subscription, docs/decisions/011). The webhook handler reads the
 * subscription from Stripe and calls applyStripeSubscription; seat counting
 * and manual licences are licence.server.ts.
 */

/** A Stripe subscription as the webhook handler read it from the API, in our terms. */
export type StripeSubscriptionState = {
  subscriptionId: string;
  customerId: string;
  /** From the subscription's metadata (set when we created the Checkout Session), if any. */
  organizationId: string | null;
  status: string;
  seats: number;
  startedAt: Date;
  periodEnd: Date;
  endedAt: Date | null;
  /** When this snapshot was read from Stripe: an older snapshot never overwrites a newer one. */
  readAt: Date;
};

export type StripeApplyOutcome = "created" | "updated" | "unchanged" | "stale" | "no-organisation";

/** The organisation a subscription belongs to: the licence already linked to it, its metadata, or its customer. */
async function organisationForSubscription(tx: Executor, state: StripeSubscriptionState): Promise<string | null> {
  const [linked] = await tx
    .select({ organizationId: licences.organizationId })
    .from(licences)
    .where(eq(licences.stripeSubscriptionId, state.subscriptionId));
  if (linked) return linked.organizationId;
  if (state.organizationId) return state.organizationId;
  const [byCustomer] = await tx
    .select({ organizationId: organisationSettings.organizationId })
    .from(organisationSettings)
    .where(eq(organisationSettings.stripeCustomerId, state.customerId));
  return byCustomer?.organizationId ?? null;
}

/**
 * Makes the subscription's licence match this snapshot, inside the webhook's
 * transaction (the caller records the event in the same one). One row per
 * subscription, updated in place (history is in the audit log). A snapshot
 * read before the one already applied is ignored, and an ended subscription
 * never comes back to life.
 */
export async function applyStripeSubscription(
  tx: Executor,
  state: StripeSubscriptionState,
  event: { id: string; type: string },
): Promise<StripeApplyOutcome> {
  const organisationId = await organisationForSubscription(tx, state);
  if (!organisationId) return "no-organisation";
  const [org] = await tx.select({ id: organization.id }).from(organization).where(eq(organization.id, organisationId)).for("update");
  if (!org) return "no-organisation";
  const [existing] = await tx.select().from(licences).where(eq(licences.stripeSubscriptionId, state.subscriptionId)).for("update");
  if (existing) {
    if (existing.stripeUpdatedAt && existing.stripeUpdatedAt > state.readAt) return "stale";
    if (ENDED_STRIPE_STATUSES.has(existing.stripeStatus ?? "") && !ENDED_STRIPE_STATUSES.has(state.status)) return "stale";
  }
  const ended = ENDED_STRIPE_STATUSES.has(state.status);
  const failed = PAYMENT_FAILED_STATUSES.has(state.status);
  const values = {
    seats: state.seats,
    validFrom: state.startedAt,
    validUntil: state.periodEnd,
    stripeCustomerId: state.customerId,
    stripeStatus: state.status,
    stripeUpdatedAt: state.readAt,
    paymentFailedAt: failed ? existing?.paymentFailedAt ?? state.readAt : null,
    endedAt: ended ? existing?.endedAt ?? state.endedAt ?? state.readAt : null,
  };
  let outcome: StripeApplyOutcome;
  let licenceId: string;
  if (existing) {
    await tx.update(licences).set(values).where(eq(licences.id, existing.id));
    licenceId = existing.id;
    const changed =
      existing.seats !== values.seats ||
      existing.validUntil.getTime() !== values.validUntil.getTime() ||
      existing.stripeStatus !== values.stripeStatus ||
      !!existing.paymentFailedAt !== !!values.paymentFailedAt ||
      !!existing.endedAt !== !!values.endedAt;
    outcome = changed ? "updated" : "unchanged";
  } else {
    const [row] = await tx
      .insert(licences)
      .values({ organizationId: organisationId, source: "stripe", stripeSubscriptionId: state.subscriptionId, ...values })
      .returning({ id: licences.id });
    if (!row) throw new Error("The licence was not saved");
    licenceId = row.id;
    outcome = "created";
  }
  // Remember the customer, so "Manage billing" works even for a subscription made elsewhere.
  await tx
    .insert(organisationSettings)
    .values({ organizationId: organisationId, stripeCustomerId: state.customerId })
    .onConflictDoUpdate({
      target: organisationSettings.organizationId,
      set: { stripeCustomerId: sql`coalesce(${organisationSettings.stripeCustomerId}, excluded.stripe_customer_id)` },
    });
  if (outcome !== "unchanged") {
    await audit(tx, {
      actor: "system",
      action:
        ended && !existing?.endedAt ? "licence.stripe-ended" : outcome === "created" ? "licence.stripe-created" : "licence.stripe-updated",
      organisationId,
      target: { type: "licence", id: licenceId },
      details: {
        event: event.id,
        eventType: event.type,
        subscription: state.subscriptionId,
        status: state.status,
        seats: state.seats,
        validUntil: state.periodEnd.toISOString(),
        ...(existing
          ? { previous: { status: existing.stripeStatus, seats: existing.seats, validUntil: existing.validUntil.toISOString() } }
          : {}),
      },
    });
  }
  return outcome;
}
