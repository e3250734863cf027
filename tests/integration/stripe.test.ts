import crypto from "node:crypto";
import { afterAll, expect, test } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { auditEvents, licences, member, organisationSettings, people, stripeEvents } from "#db/schema/index.ts";
import { seatSummary } from "#app/models/billing/licence.server.ts";
import { applyStripeSubscription } from "#app/models/billing/stripe-licence.server.ts";
import { createOrganisation } from "#app/models/organisations/organisation.server.ts";
import { action as billingAction, loader as billingLoader } from "#app/routes/org.$orgSlug.billing.tsx";
import { action as webhookAction } from "#app/routes/webhooks.stripe.ts";
import { createUser, sessionCookie } from "#tests/factories.ts";
import {
  completedCheckoutSession,
  invoiceObject,
  signedPayload,
  startStripeStub,
  stripeEvent,
  subscriptionObject,
} from "#tests/stripe-stub.ts";
import { openTestDatabase } from "./database.ts";

// Card billing on, against the local stub: set before anything reads the environment.
const stub = await startStripeStub();
afterAll(() => stub.close());
const WEBHOOK_SECRET = `whsec_${crypto.randomBytes(16).toString("hex")}`;
const PRICE_ID = "price_test_seat";
Object.assign(process.env, {
  STRIPE_SECRET_KEY: "sk_test_stub",
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_PRICE_ID: PRICE_ID,
  STRIPE_API_BASE: stub.url,
});

const handle = await openTestDatabase();

const DAY = 24 * 3600;
const unixNow = () => Math.floor(Date.now() / 1000);

async function organisationWithLead(name = "Test Constabulary") {
  const org = await createOrganisation(handle.db, "system", { name, slug: `test-${crypto.randomBytes(4).toString("hex")}`, domains: [] });
  const lead = await createUser({ name: "Lee Lead" });
  await handle.db
    .insert(member)
    .values({ id: crypto.randomUUID(), organizationId: org.id, userId: lead.id, role: "admin", createdAt: new Date() });
  await handle.db
    .insert(people)
    .values({ organizationId: org.id, email: lead.email, name: lead.name, role: "admin", status: "active", userId: lead.id });
  return { org, lead };
}

async function setCustomer(organizationId: string, customerId = `cus_${crypto.randomBytes(6).toString("hex")}`) {
  await handle.db
    .update(organisationSettings)
    .set({ stripeCustomerId: customerId })
    .where(eq(organisationSettings.organizationId, organizationId));
  return customerId;
}

/** Posts an event to the webhook the way Stripe does: raw JSON, signed, no Origin. */
async function deliver(event: ReturnType<typeof stripeEvent>, options: { signature?: string | null; body?: string } = {}) {
  const { payload, signature } = signedPayload(event, WEBHOOK_SECRET);
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8" };
  const sig = options.signature === undefined ? signature : options.signature;
  if (sig !== null) headers["Stripe-Signature"] = sig;
  const request = new Request("http://localhost:3999/webhooks/stripe", { method: "POST", body: options.body ?? payload, headers });
  const response = await webhookAction({ request, params: {}, context: undefined as never });
  return { status: response.status, text: await response.text() };
}

async function licenceOf(subscriptionId: string) {
  const [row] = await handle.db.select().from(licences).where(eq(licences.stripeSubscriptionId, subscriptionId));
  return row;
}

async function eventRecorded(id: string) {
  const [row] = await handle.db.select().from(stripeEvents).where(eq(stripeEvents.id, id));
  return row ?? null;
}

function post(path: string, cookie: string, form: Record<string, string>) {
  return new Request(`http://localhost:3999${path}`, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
}

async function callAction(req: Request, params: Record<string, string>) {
  try {
    return await billingAction({ request: req, params, context: undefined as never });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type Reply = { data: { result: { error?: Record<string, string[] | null> } }; init: { status: number } | null };

test("a webhook with a bad or missing signature is a 400 and writes nothing", async () => {
  const { org } = await organisationWithLead();
  const customer = await setCustomer(org.id);
  const sub = subscriptionObject({ customer, orgId: org.id, quantity: 40 });
  stub.subscriptions.set(sub.id, sub);
  const event = stripeEvent("customer.subscription.created", sub);
  const before = stub.requests.length;

  expect((await deliver(event, { signature: null })).status).toBe(400);
  expect((await deliver(event, { signature: "t=1,v1=deadbeef" })).status).toBe(400);
  const wrongSecret = signedPayload(event, "whsec_not_the_secret").signature;
  expect((await deliver(event, { signature: wrongSecret })).status).toBe(400);
  // A valid signature over a different body: someone changed the seats on the way.
  const tampered = JSON.stringify({ ...event, data: { object: { ...sub, items: { data: [{ quantity: 9999 }] } } } });
  expect((await deliver(event, { body: tampered })).status).toBe(400);
  // A signature from long ago (a replay) is refused too.
  const { payload } = signedPayload(event, WEBHOOK_SECRET);
  const old = (await import("stripe")).default.webhooks.generateTestHeaderString({
    payload,
    secret: WEBHOOK_SECRET,
    timestamp: unixNow() - 3600,
  });
  expect((await deliver(event, { signature: old })).status).toBe(400);

  expect(await eventRecorded(event.id)).toBeNull();
  expect(await licenceOf(sub.id)).toBeUndefined();
  expect(stub.requests.length).toBe(before);
});

test("a correctly signed but malformed event is a 400 naming what is wrong, and records nothing", async () => {
  const deliverSigned = async (body: unknown) => {
    const { payload, signature } = signedPayload(body, WEBHOOK_SECRET);
    const request = new Request("http://localhost:3999/webhooks/stripe", {
      method: "POST",
      body: payload,
      headers: { "Content-Type": "application/json; charset=utf-8", "Stripe-Signature": signature },
    });
    const response = await webhookAction({ request, params: {}, context: undefined as never });
    return { status: response.status, text: await response.text() };
  };
  const noData = { id: "evt_malformed_1", object: "event", type: "customer.subscription.updated", created: unixNow() };
  expect(await deliverSigned(noData)).toEqual({ status: 400, text: "The Stripe event is malformed: data: Invalid input: expected object, received undefined." });
  const subscriptionWithoutId = stripeEvent("customer.subscription.updated", { object: "subscription" }, { id: "evt_malformed_2" });
  expect(await deliverSigned(subscriptionWithoutId)).toEqual({
    status: 400,
    text: "The Stripe event is malformed: id: Invalid input: expected string, received undefined.",
  });
  const deletedWithoutItems = stripeEvent("customer.subscription.deleted", { object: "subscription", id: "sub_x" }, { id: "evt_malformed_3" });
  expect((await deliverSigned(deletedWithoutItems)).status).toBe(400);
  expect(await eventRecorded("evt_malformed_1")).toBeNull();
  expect(await eventRecorded("evt_malformed_2")).toBeNull();
  expect(await eventRecorded("evt_malformed_3")).toBeNull();
});

test("checkout.session.completed links the subscription to the organisation: seats = quantity, valid until the period end", async () => {
  const { org } = await organisationWithLead();
  const customer = `cus_${crypto.randomBytes(6).toString("hex")}`;
  const periodEnd = unixNow() + 365 * DAY;
  const sub = subscriptionObject({ customer, orgId: org.id, quantity: 40, periodEnd });
  stub.subscriptions.set(sub.id, sub);
  const event = stripeEvent("checkout.session.completed", completedCheckoutSession({ customer, subscription: sub.id, orgId: org.id }));

  const response = await deliver(event);
  expect(response).toEqual({ status: 200, text: "created" });
  expect(stub.requestsTo(`/v1/subscriptions/${sub.id}`)).toHaveLength(1);
  expect(await licenceOf(sub.id)).toMatchObject({
    organizationId: org.id,
    source: "stripe",
    seats: 40,
    validUntil: new Date(periodEnd * 1000),
    stripeCustomerId: customer,
    stripeStatus: "active",
    endedAt: null,
    paymentFailedAt: null,
  });
  expect(await seatSummary(org.id)).toMatchObject({ state: "licensed", seats: 40, source: "stripe", paymentFailed: false });
  expect(await eventRecorded(event.id)).toMatchObject({ type: "checkout.session.completed", createdAt: new Date(event.created * 1000) });
  // The customer is remembered, so "Manage billing" works.
  const [settings] = await handle.db.select().from(organisationSettings).where(eq(organisationSettings.organizationId, org.id));
  expect(settings!.stripeCustomerId).toBe(customer);
  const [audited] = await handle.db
    .select({ action: auditEvents.action, actorLabel: auditEvents.actorLabel, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, "licence.stripe-created")));
  expect(audited).toMatchObject({ actorLabel: "system", details: { event: event.id, subscription: sub.id, seats: 40 } });
});

test("the same event delivered twice (even at once) is processed once; the repeat is a 200 that changes nothing", async () => {
  const { org } = await organisationWithLead();
  const customer = await setCustomer(org.id);
  const sub = subscriptionObject({ customer, orgId: org.id, quantity: 10 });
  stub.subscriptions.set(sub.id, sub);
  const event = stripeEvent("customer.subscription.created", sub);
  const both = await Promise.all([deliver(event), deliver(event)]);
  expect(both.map((r) => r.status)).toEqual([200, 200]);
  expect(both.map((r) => r.text).sort()).toEqual(["created", "duplicate"]);

  // Stripe's state moves on; a third delivery of the old event must not apply anything.
  stub.subscriptions.set(sub.id, subscriptionObject({ id: sub.id, customer, orgId: org.id, quantity: 99 }));
  const fetchesBefore = stub.requestsTo(`/v1/subscriptions/${sub.id}`).length;
  expect(await deliver(event)).toEqual({ status: 200, text: "duplicate" });
  expect(stub.requestsTo(`/v1/subscriptions/${sub.id}`)).toHaveLength(fetchesBefore);
  expect((await licenceOf(sub.id))!.seats).toBe(10);
  const rows = await handle.db.select().from(licences).where(eq(licences.organizationId, org.id));
  expect(rows).toHaveLength(1);
  const recorded = await handle.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
  expect(recorded).toHaveLength(1);
});

test("events out of order leave the licence as the subscription is now", async () => {
  const { org } = await organisationWithLead();
  const customer = await setCustomer(org.id);
  const created = unixNow() - 120;
  const laterEnd = unixNow() + 400 * DAY;
  const v1 = subscriptionObject({ customer, orgId: org.id, quantity: 10 });
  const v2 = subscriptionObject({ id: v1.id, customer, orgId: org.id, quantity: 25, periodEnd: laterEnd });
  // Stripe now has v2. The update (v2) arrives first, the creation (v1) a minute late.
  stub.subscriptions.set(v1.id, v2);
  const update = stripeEvent("customer.subscription.updated", v2, { created: created + 60 });
  const creation = stripeEvent("customer.subscription.created", v1, { created });
  expect((await deliver(update)).text).toBe("created");
  expect((await deliver(creation)).status).toBe(200);
  expect(await licenceOf(v1.id)).toMatchObject({ seats: 25, validUntil: new Date(laterEnd * 1000) });
  expect(await seatSummary(org.id)).toMatchObject({ seats: 25 });
  // Both events are recorded: neither will be applied again.
  expect(await eventRecorded(update.id)).not.toBeNull();
  expect(await eventRecorded(creation.id)).not.toBeNull();
});

test("a snapshot read before the one applied is ignored, and a cancelled subscription never comes back", async () => {
  const { org } = await organisationWithLead();
  const customer = await setCustomer(org.id);
  const id = `sub_${crypto.randomBytes(6).toString("hex")}`;
  const base = {
    subscriptionId: id,
    customerId: customer,
    organizationId: org.id,
    startedAt: new Date(Date.now() - 86_400_000),
    periodEnd: new Date(Date.now() + 300 * 86_400_000),
    endedAt: null,
  };
  const ref = { id: "evt_test", type: "customer.subscription.updated" };
  const later = new Date();
  const earlier = new Date(later.getTime() - 1000);
  await handle.db.transaction((tx) => applyStripeSubscription(tx, { ...base, status: "active", seats: 30, readAt: later }, ref));
  expect(
    await handle.db.transaction((tx) => applyStripeSubscription(tx, { ...base, status: "active", seats: 5, readAt: earlier }, ref)),
  ).toBe("stale");
  expect((await licenceOf(id))!.seats).toBe(30);

  const cancelledAt = new Date();
  await handle.db.transaction((tx) =>
    applyStripeSubscription(
      tx,
      { ...base, status: "canceled", seats: 30, endedAt: cancelledAt, readAt: new Date(later.getTime() + 1000) },
      ref,
    ),
  );
  const revived = await handle.db.transaction((tx) =>
    applyStripeSubscription(tx, { ...base, status: "active", seats: 30, readAt: new Date(later.getTime() + 5000) }, ref),
  );
  expect(revived).toBe("stale");
  expect(await licenceOf(id)).toMatchObject({ stripeStatus: "canceled", endedAt: cancelledAt });
  expect(await seatSummary(org.id)).toMatchObject({ state: "expired", seats: 0 });
});

test("a failed payment shows a banner without taking seats; paying clears it and extends validity; cancelling ends the licence", async () => {
  const { org, lead } = await organisationWithLead();
  const customer = await setCustomer(org.id);
  const firstEnd = unixNow() + 30 * DAY;
  const sub = subscriptionObject({ customer, orgId: org.id, quantity: 15, periodEnd: firstEnd });
  stub.subscriptions.set(sub.id, sub);
  await deliver(stripeEvent("customer.subscription.created", sub));

  // The renewal fails: Stripe marks the subscription past_due and moves its period on while it retries.
  const secondEnd = firstEnd + 365 * DAY;
  stub.subscriptions.set(
    sub.id,
    subscriptionObject({
      id: sub.id,
      customer,
      orgId: org.id,
      quantity: 15,
      status: "past_due",
      periodStart: firstEnd,
      periodEnd: secondEnd,
    }),
  );
  const failed = stripeEvent("invoice.payment_failed", invoiceObject({ subscription: sub.id, customer, status: "open" }));
  expect((await deliver(failed)).text).toBe("updated");
  expect(await seatSummary(org.id)).toMatchObject({ state: "licensed", seats: 15, paymentFailed: true });
  const failedAt = (await licenceOf(sub.id))!.paymentFailedAt;
  expect(failedAt).toBeInstanceOf(Date);
  // The lead sees the banner on the billing page.
  const page = await billingLoader({
    request: new Request(`http://localhost:3999/org/${org.slug}/billing`, { headers: { Cookie: await sessionCookie(lead) } }),
    params: { orgSlug: org.slug },
    context: undefined as never,
  });
  expect(page).toMatchObject({ summary: { paymentFailed: true }, card: { enabled: true, canManage: true } });
  expect(page.licences[0]!.status.label).toBe("Current: payment failed");

  // A retry succeeds.
  stub.subscriptions.set(
    sub.id,
    subscriptionObject({ id: sub.id, customer, orgId: org.id, quantity: 15, periodStart: firstEnd, periodEnd: secondEnd }),
  );
  expect((await deliver(stripeEvent("invoice.paid", invoiceObject({ subscription: sub.id, customer, status: "paid" })))).text).toBe(
    "updated",
  );
  const paid = await licenceOf(sub.id);
  expect(paid).toMatchObject({ paymentFailedAt: null, stripeStatus: "active", validUntil: new Date(secondEnd * 1000) });
  expect(await seatSummary(org.id)).toMatchObject({ paymentFailed: false, seats: 15 });

  // The failure notice arriving late (after the payment) does not bring the banner back.
  expect(
    (await deliver(stripeEvent("invoice.payment_failed", invoiceObject({ subscription: sub.id, customer, status: "open" })))).text,
  ).toBe("unchanged");
  expect(await seatSummary(org.id)).toMatchObject({ paymentFailed: false });

  // Cancelled: the licence ends, and so does the banner.
  const cancelled = subscriptionObject({
    id: sub.id,
    customer,
    orgId: org.id,
    quantity: 15,
    status: "canceled",
    periodStart: firstEnd,
    periodEnd: secondEnd,
  });
  expect((await deliver(stripeEvent("customer.subscription.deleted", cancelled))).text).toBe("updated");
  expect(await licenceOf(sub.id)).toMatchObject({ stripeStatus: "canceled", endedAt: new Date(Number(cancelled.ended_at) * 1000) });
  expect(await seatSummary(org.id)).toMatchObject({ state: "expired", seats: 0, paymentFailed: false });
  const actions = await handle.db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, org.id), sql`${auditEvents.action} like 'licence.stripe-%'`))
    .orderBy(asc(auditEvents.id));
  expect(actions.map((a) => a.action)).toEqual([
    "licence.stripe-created",
    "licence.stripe-updated",
    "licence.stripe-updated",
    "licence.stripe-ended",
  ]);
});

test("unknown events and subscriptions of no known organisation are recorded and answered 200, changing nothing", async () => {
  const unknown = stripeEvent("customer.created", { id: "cus_new", object: "customer" });
  expect(await deliver(unknown)).toEqual({ status: 200, text: "ignored" });
  expect(await eventRecorded(unknown.id)).toMatchObject({ type: "customer.created" });
  expect(await deliver(unknown)).toEqual({ status: 200, text: "duplicate" });

  const stranger = subscriptionObject({ customer: "cus_nobody_knows", quantity: 3 });
  stub.subscriptions.set(stranger.id, stranger);
  const event = stripeEvent("customer.subscription.created", stranger);
  expect(await deliver(event)).toEqual({ status: 200, text: "no-organisation" });
  expect(await licenceOf(stranger.id)).toBeUndefined();
  expect(await eventRecorded(event.id)).not.toBeNull();

  // Without metadata, the organisation is found by its Stripe customer.
  const { org } = await organisationWithLead();
  const customer = await setCustomer(org.id);
  const bare = subscriptionObject({ customer, quantity: 4 });
  stub.subscriptions.set(bare.id, bare);
  expect((await deliver(stripeEvent("customer.subscription.updated", bare))).text).toBe("created");
  expect(await licenceOf(bare.id)).toMatchObject({ organizationId: org.id, seats: 4 });

  // Stripe does not know the subscription (deleted test data): recorded, nothing changes.
  const gone = stripeEvent("invoice.paid", invoiceObject({ subscription: "sub_gone", customer, status: "paid" }));
  expect(await deliver(gone)).toEqual({ status: 200, text: "unknown-subscription" });
});

test("when Stripe cannot be read the webhook answers 503 and records nothing, so Stripe sends the event again", async () => {
  const { org } = await organisationWithLead();
  const customer = await setCustomer(org.id);
  const sub = subscriptionObject({ customer, orgId: org.id, quantity: 12 });
  stub.subscriptions.set(sub.id, sub);
  const event = stripeEvent("customer.subscription.created", sub);
  stub.down = true;
  try {
    expect((await deliver(event)).status).toBe(503);
  } finally {
    stub.down = false;
  }
  expect(await eventRecorded(event.id)).toBeNull();
  expect(await licenceOf(sub.id)).toBeUndefined();
  expect(await deliver(event)).toEqual({ status: 200, text: "created" });
});

test("Buy seats creates the customer once and a Checkout Session for the seats, then sends the lead to Stripe (303)", async () => {
  const { org, lead } = await organisationWithLead("Southshire Police");
  const cookie = await sessionCookie(lead);
  const path = `/org/${org.slug}/billing`;
  const params = { orgSlug: org.slug };

  const response = await callAction(post(path, cookie, { intent: "buy", seats: "12" }), params);
  expect(response).toBeInstanceOf(Response);
  const redirect = response as Response;
  expect(redirect.status).toBe(303);
  expect(redirect.headers.get("Location")).toMatch(new RegExp(`^${stub.url}/checkout/cs_test_`));

  const customers = stub.requestsTo("/v1/customers").filter((r) => r.form["metadata[orgId]"] === org.id);
  expect(customers).toHaveLength(1);
  expect(customers[0]!.form).toMatchObject({ name: "Southshire Police", email: lead.email });
  expect(customers[0]!.headers.authorization).toBe("Bearer sk_test_stub");
  const [settings] = await handle.db.select().from(organisationSettings).where(eq(organisationSettings.organizationId, org.id));
  expect(settings!.stripeCustomerId).toMatch(/^cus_/);

  const sessions = stub.requestsTo("/v1/checkout/sessions").filter((r) => r.form.client_reference_id === org.id);
  expect(sessions).toHaveLength(1);
  expect(sessions[0]!.form).toEqual({
    mode: "subscription",
    customer: settings!.stripeCustomerId,
    client_reference_id: org.id,
    "line_items[0][price]": PRICE_ID,
    "line_items[0][quantity]": "12",
    "metadata[orgId]": org.id,
    "subscription_data[metadata][orgId]": org.id,
    billing_address_collection: "required",
    success_url: `http://localhost:3999/org/${org.slug}/billing?checkout=success`,
    cancel_url: `http://localhost:3999/org/${org.slug}/billing?checkout=cancelled`,
  });

  // A second purchase reuses the customer.
  await callAction(post(path, cookie, { intent: "buy", seats: "3" }), params);
  expect(stub.requestsTo("/v1/customers").filter((r) => r.form["metadata[orgId]"] === org.id)).toHaveLength(1);
  const second = stub.requestsTo("/v1/checkout/sessions").filter((r) => r.form.client_reference_id === org.id);
  expect(second).toHaveLength(2);
  expect(second[1]!.form).toMatchObject({ customer: settings!.stripeCustomerId, "line_items[0][quantity]": "3" });

  // Manage billing opens the customer portal for that customer, coming back to the billing page.
  const portal = (await callAction(post(path, cookie, { intent: "manage" }), params)) as Response;
  expect(portal.status).toBe(303);
  expect(portal.headers.get("Location")).toMatch(new RegExp(`^${stub.url}/portal/bps_`));
  const portals = stub.requestsTo("/v1/billing_portal/sessions").filter((r) => r.form.customer === settings!.stripeCustomerId);
  expect(portals.map((r) => r.form)).toEqual([
    { customer: settings!.stripeCustomerId, return_url: `http://localhost:3999/org/${org.slug}/billing` },
  ]);
});

test("buying with a bad number of seats is a 400 that calls nothing; no customer yet means nothing to manage; Stripe down is a 503 with a message", async () => {
  const { org, lead } = await organisationWithLead();
  const cookie = await sessionCookie(lead);
  const path = `/org/${org.slug}/billing`;
  const params = { orgSlug: org.slug };
  const before = stub.requests.length;
  for (const [seats, message] of [
    ["", /whole number/],
    ["0", /1 or more/],
    ["2.5", /whole number/],
    ["100000", /5,000 or fewer: for more, buy by invoice/],
  ] as const) {
    const result = (await callAction(post(path, cookie, { intent: "buy", seats }), params)) as unknown as Reply;
    expect(result.init?.status).toBe(400);
    expect(result.data.result.error?.seats?.[0]).toMatch(message);
  }
  expect(stub.requests.length).toBe(before);

  const manage = (await callAction(post(path, cookie, { intent: "manage" }), params)) as unknown as Reply;
  expect(manage.init?.status).toBe(400);
  expect(manage.data.result.error?.[""]?.[0]).toMatch(/not paid by card yet/);

  stub.down = true;
  try {
    const down = (await callAction(post(path, cookie, { intent: "buy", seats: "5" }), params)) as unknown as Reply;
    expect(down.init?.status).toBe(503);
    expect(down.data.result.error?.[""]?.[0]).toMatch(/Stripe could not be reached.+Nothing has been charged/);
  } finally {
    stub.down = false;
  }
});

test("the billing page with card billing on offers Buy seats, and Manage billing once there is a customer", async () => {
  const { org, lead } = await organisationWithLead();
  const cookie = await sessionCookie(lead);
  const load = async (query = "") =>
    billingLoader({
      request: new Request(`http://localhost:3999/org/${org.slug}/billing${query}`, { headers: { Cookie: cookie } }),
      params: { orgSlug: org.slug },
      context: undefined as never,
    });
  expect(await load()).toMatchObject({ card: { enabled: true, canManage: false }, checkout: null, summary: { state: "trial" } });
  await setCustomer(org.id);
  expect(await load("?checkout=success")).toMatchObject({ card: { enabled: true, canManage: true }, checkout: "success" });
  expect(await load("?checkout=<script>")).toMatchObject({ checkout: null });
});
