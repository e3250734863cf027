import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test as base } from "./nu.ts";
import { hashPassword } from "better-auth/crypto";
import type { Database } from "#db/client.ts";
import { account, member, organisationSettings, organization, people, user } from "#db/schema/index.ts";
import {
  completedCheckoutSession,
  invoiceObject,
  signedPayload,
  startStripeStub,
  stripeEvent,
  subscriptionObject,
  type StripeStub,
} from "#tests/stripe-stub.ts";
import {
  adminCredentials,
  expectAccessible,
  linkFromLatestMail,
  markNoJavaScript,
  opened,
  signIn,
  uid,
  type Credentials,
} from "./helpers.ts";
import { curriculumDataDir, startOwnServer } from "./own-server.ts";

/**
 * Seats and billing, end to end.
 *
 * Two servers:
 * - the suite's own server (tests/playwright.config.ts), which has no Stripe
 *   keys: billing by card is off there, as on most installations;
 * - a second production server started by this file, with Stripe keys and
 *   STRIPE_API_BASE pointing at a local Stripe stub (tests/stripe-stub.ts)
 *   running in this worker (tests/e2e/own-server.ts). Its embedded database,
 *   a copy of the suite's with the curriculum, is seeded by this file
 *   *before* the server opens it (an organisation, its training lead and a
 *   platform admin), under DATA_DIR's lock like any other tool.
 *   That is what lets the card journey run without the organisation UI.
 *
 * The first test creates its organisation through the admin pages, as a
 * platform admin would: see createOrganisationThroughUi.
 */

// ------------------------------------------------------------ the Stripe-enabled server

type StripeWorld = {
  url: string;
  stub: StripeStub;
  webhookSecret: string;
  priceId: string;
  org: { id: string; name: string; slug: string; customerId: string };
  lead: Credentials;
  admin: Credentials;
};

/** A verified user with a password, stored the way better-auth stores one. */
async function seedUser(db: Database, who: Credentials & { role: "admin" | "user" }) {
  const id = crypto.randomUUID();
  await db.insert(user).values({ id, name: who.name, email: who.email, emailVerified: true, role: who.role });
  await db.insert(account).values({
    id: crypto.randomUUID(),
    accountId: id,
    providerId: "credential",
    userId: id,
    password: await hashPassword(who.password),
    updatedAt: new Date(),
  });
  return id;
}

/** Seeds a copy of the e2e database (migrated, the curriculum imported, nobody in it) before any server opens it. */
async function seedDatabase(world: Omit<StripeWorld, "url" | "stub" | "webhookSecret" | "priceId">): Promise<string> {
  return curriculumDataDir("billing", async (handle) => {
    const db = handle.db;
    await seedUser(db, { ...world.admin, role: "admin" });
    const leadId = await seedUser(db, { ...world.lead, role: "user" });
    await db.insert(organization).values({ id: world.org.id, name: world.org.name, slug: world.org.slug, createdAt: new Date() });
    await db.insert(organisationSettings).values({ organizationId: world.org.id });
    await db
      .insert(member)
      .values({ id: crypto.randomUUID(), organizationId: world.org.id, userId: leadId, role: "admin", createdAt: new Date() });
    await db.insert(people).values([
      { organizationId: world.org.id, email: world.lead.email, name: world.lead.name, role: "admin", status: "active", userId: leadId },
      // A roster to count: 30 learners in, 2 invited, 5 gone.
      ...Array.from({ length: 37 }, (_, i) => ({
        organizationId: world.org.id,
        email: `officer-${i}@westshire.police.example`,
        name: `Officer ${i}`,
        status: i < 30 ? ("active" as const) : i < 32 ? ("invited" as const) : ("left" as const),
      })),
    ]);
  });
}

async function startStripeServer(): Promise<{ world: StripeWorld; stop: () => Promise<void> }> {
  const stub = await startStripeStub();
  const seeded = {
    org: { id: crypto.randomUUID(), name: "Westshire Police", slug: `westshire-${uid()}`, customerId: "" },
    lead: { name: "Lena Lead", email: `lead-${uid()}@westshire.police.example`, password: "lead pass phrase here" },
    admin: { name: "Abe Admin", email: `admin-${uid()}@trust.example.org`, password: "trust admin pass phrase" },
  };
  const webhookSecret = `whsec_${crypto.randomBytes(16).toString("hex")}`;
  const priceId = "price_e2e_seat";
  let server;
  try {
    server = await startOwnServer("billing-stripe", await seedDatabase(seeded), {
      STRIPE_SECRET_KEY: "sk_test_e2e",
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_PRICE_ID: priceId,
      STRIPE_API_BASE: stub.url,
    });
  } catch (error) {
    await stub.close();
    throw error;
  }
  const stop = server.stop;
  return {
    world: { ...seeded, url: server.url, stub, webhookSecret, priceId },
    stop: async () => {
      await stop();
      await stub.close();
    },
  };
}

// Each test gets its own Stripe-enabled server and freshly seeded organisation,
// so no test depends on the seats another one granted.
const test = base.extend<{ stripeWorld: StripeWorld }>({
  stripeWorld: [
    // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const { world, stop } = await startStripeServer();
      await use(world);
      await stop();
    },
    { timeout: 120_000 },
  ],
});

test.describe.configure({ timeout: 120_000 });

async function signInAt(page: Page, baseUrl: string, who: Credentials) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email address").fill(who.email);
  // /login asks for the email first (issue 19), then the password.
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** The value beside a term of the seat summary ("Seats", "Free seats", ...). */
const summaryValue = (page: Page, term: string) =>
  page
    .locator(".summary-list__row")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${term}$`) }) })
    .locator("dd");

async function sendWebhook(world: StripeWorld, event: ReturnType<typeof stripeEvent>, signature?: string) {
  const { payload, signature: valid } = signedPayload(event, world.webhookSecret);
  // Like Stripe: a POST with no Origin header, raw JSON, signed.
  const response = await fetch(`${world.url}/webhooks/stripe`, {
    method: "POST",
    headers: { "Content-Type": "application/json; charset=utf-8", ...(signature === "" ? {} : { "Stripe-Signature": signature ?? valid }) },
    body: payload,
  });
  return { status: response.status, text: await response.text() };
}

// ------------------------------------------------------------ the organisation UI (not in the billing branch)

/**
 * ORGANISATION UI: the only part of this file that depends on it. It needs:
 * - `/admin/organisations/new` (platform admins): fields labelled
 *   "Organisation name", "Web address" and "Training lead's email address",
 *   and a "Create organisation" button, which redirects to
 *   `/admin/organisations/:orgId` (or anywhere with a link to
 *   `/admin/organisations/:orgId/licences` named "Licences");
 * - an invitation mail to the lead whose subject matches /invited/i and whose
 *   first link opens a page with "Full name", "Create a password", "Confirm
 *   password" and an "Accept invitation" button that ends signed in.
 * Adjust the labels here to the real ones once it is merged.
 */
async function createOrganisationThroughUi(browser: Browser, page: Page, name: string) {
  await adminOrganisations(page);
  await page.getByRole("link", { name: "Add an organisation" }).click();
  await opened(page, "Add an organisation");
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${uid()}`;
  const lead = { name: "Tara Lead", email: `lead-${uid()}@eastshire.police.example`, password: "lead pass phrase here" };
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Short address").fill(slug);
  await page.getByLabel("Full name").fill(lead.name);
  await page.getByLabel("Email address").fill(lead.email);
  await page.getByRole("button", { name: "Add organisation" }).click();
  await expect(page.getByText(`${name} has been added`)).toBeVisible();
  await adminOrganisations(page);
  await page.getByRole("link", { name: `Licences of ${name}` }).click();
  await opened(page, "Licences");
  const orgId = /\/admin\/organisations\/([^/]+)\/licences/.exec(page.url())?.[1];
  if (!orgId) throw new Error(`Not on a licences page: ${page.url()}`);

  const invitation = await linkFromLatestMail(browser, lead.email, /invited/i);
  const leadContext = await browser.newContext();
  const leadPage = await leadContext.newPage();
  await leadPage.goto(invitation);
  await leadPage.getByLabel("Create a password").fill(lead.password);
  await leadPage.getByLabel("Confirm password").fill(lead.password);
  await leadPage.getByRole("button", { name: "Create account and join" }).click();
  await expect(leadPage.getByRole("button", { name: "Sign out" })).toBeVisible();
  return { orgId, slug, lead, leadPage, leadContext };
}

/** From any page, through the header's Admin link and the admin menu, to the list of organisations. */
async function adminOrganisations(page: Page) {
  await page.getByRole("link", { name: "Admin", exact: true }).click();
  await opened(page, "Administration");
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Organisations" }).click();
  await opened(page, "Organisations");
}

/** A training lead, signed in on My learning, opens their organisation and one page of its menu. */
async function orgMenu(page: Page, orgName: string, item: string, heading = item) {
  if (!(await page.getByRole("navigation", { name: `${orgName} training` }).count())) {
    await page.getByRole("link", { name: "manage training as a training lead" }).click();
    await opened(page, orgName);
  }
  await page.getByRole("navigation", { name: `${orgName} training` }).getByRole("link", { name: item, exact: true }).click();
  await opened(page, heading);
}

// ------------------------------------------------------------ tests

test("without card billing, a training lead sees the seats a platform admin granted by invoice", async ({ browser, page }) => {
  await signIn(page, await adminCredentials(browser));
  const { leadPage, leadContext } = await createOrganisationThroughUi(browser, page, "Eastshire Police");

  // From here on, only pages of the billing branch (the admin is on the organisation's licences).
  await page.getByLabel("Number of seats").fill("40");
  await page.getByLabel("Purchase order reference (optional)").fill("PO-EAST-1");
  await page.getByRole("button", { name: "Grant licence" }).click();
  await expect(page.getByText("Licence granted")).toBeVisible();

  // The lead joined onto the organisation's overview: its menu leads to the seats.
  await orgMenu(leadPage, "Eastshire Police", "Seats and billing");
  await expect(summaryValue(leadPage, "Seats")).toHaveText("40");
  await expect(summaryValue(leadPage, "Paid by")).toHaveText("Invoice (purchase order)");
  await expect(leadPage.getByText("Paying by card is not set up on this service.")).toBeVisible();
  await expect(leadPage.getByRole("heading", { name: "Buy seats by invoice" })).toBeVisible();
  await expect(leadPage.getByRole("button", { name: "Buy seats" })).toHaveCount(0);
  await expect(leadPage.getByRole("table", { name: /Licences of Eastshire Police/ })).toContainText("PO-EAST-1");
  await expectAccessible(leadPage, "billing (invoice only)");
  await leadContext.close();
});

test("without card billing, the webhook says so, and billing pages of unknown organisations are not found", async ({ browser, page }) => {
  const webhook = await page.request.post("/webhooks/stripe", { data: "{}", headers: { "Content-Type": "application/json" } });
  expect(webhook.status()).toBe(404);

  await signIn(page, await adminCredentials(browser));
  const missing = await page.goto("/admin/organisations/no-such-organisation/licences");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  const billing = await page.goto("/org/no-such-organisation/billing");
  expect(billing?.status()).toBe(404);
});

test("a platform admin grants, extends and resizes seats by invoice; the lead sees them, with errors explained", async ({
  browser,
  stripeWorld: world,
}) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAt(admin, world.url, world.admin);
  await adminOrganisations(admin);
  await admin.getByRole("link", { name: `Licences of ${world.org.name}` }).click();
  await opened(admin, "Licences");
  await expect(summaryValue(admin, "Licence")).toContainText("Free trial");
  await expectAccessible(admin, "admin licences (trial)");

  // Bad input: an error summary linking to each field, the message at the field, nothing granted.
  await admin.getByLabel("Number of seats").fill("none");
  await admin.getByLabel("Valid until").fill("2001-01-01");
  await admin.getByRole("button", { name: "Grant licence" }).click();
  const summary = admin.getByRole("alert");
  await expect(summary.getByRole("link", { name: "Enter the number of seats as a whole number, like 50" })).toBeVisible();
  await expect(summary.getByRole("link", { name: "The end date must be the same as or after the start date" })).toBeVisible();
  await expectAccessible(admin, "admin licences (errors)");
  await admin.getByLabel("Number of seats").fill("50");
  const nextYear = new Date();
  nextYear.setUTCFullYear(nextYear.getUTCFullYear() + 1);
  await admin.getByLabel("Valid until").fill(nextYear.toISOString().slice(0, 10));
  await admin.getByLabel("Purchase order reference (optional)").fill("PO-WEST-2027");
  await admin.getByRole("button", { name: "Grant licence" }).click();
  await expect(admin.getByText("Licence granted")).toBeVisible();
  await expect(summaryValue(admin, "Seats")).toHaveText("50");

  await admin.getByRole("link", { name: /^Change seats/ }).click();
  await expect(admin.getByRole("heading", { name: "Change the number of seats" })).toBeVisible();
  await expectAccessible(admin, "admin change seats");
  await admin.getByLabel("New number of seats").fill("50");
  await admin.getByRole("button", { name: "Change seats" }).click();
  await expect(admin.getByRole("alert").getByRole("link", { name: "This licence already has 50 seats" })).toBeVisible();
  await admin.getByLabel("New number of seats").fill("80");
  await admin.getByRole("button", { name: "Change seats" }).click();
  await expect(admin.getByText("Number of seats changed")).toBeVisible();
  const history = admin.getByRole("table", { name: /Licences of Westshire Police/ });
  await expect(history.getByRole("row")).toHaveCount(3);
  await expect(history).toContainText("Seats changed from 50 to 80");

  // A renewal: the end date moves on, the old row stays in the history.
  await admin.getByRole("link", { name: /^Extend/ }).click();
  await expect(admin.getByRole("heading", { name: "Extend the licence" })).toBeVisible();
  const twoYears = new Date();
  twoYears.setUTCFullYear(twoYears.getUTCFullYear() + 2);
  await admin.getByLabel("New end date").fill(twoYears.toISOString().slice(0, 10));
  await admin.getByRole("button", { name: "Extend licence" }).click();
  await expect(admin.getByText("Licence extended")).toBeVisible();
  await expect(history.getByRole("row")).toHaveCount(4);
  await expect(summaryValue(admin, "Seats")).toHaveText("80");
  await adminContext.close();

  const leadContext = await browser.newContext();
  const lead = await leadContext.newPage();
  await signInAt(lead, world.url, world.lead);
  await orgMenu(lead, world.org.name, "Seats and billing");
  await expect(summaryValue(lead, "Seats")).toHaveText("80");
  await expect(summaryValue(lead, "Learners using a seat")).toHaveText("30");
  await expect(summaryValue(lead, "Invitations waiting")).toHaveText("2");
  await expect(summaryValue(lead, "Free seats")).toHaveText("48");
  await expect(summaryValue(lead, "Paid by")).toHaveText("Invoice (purchase order)");
  await expect(lead.getByRole("table", { name: /Licences of Westshire Police/ })).toContainText("PO-WEST-2027");
  await expectAccessible(lead, "billing (licensed by invoice)");
  await leadContext.close();
});

test("a training lead buys seats by card (without JavaScript); Stripe's webhook adds them; the staff list that did not fit now imports; at the limit an invitation is refused; a failed payment shows a banner", async ({
  browser,
  stripeWorld: world,
}) => {
  // Without JavaScript: a plain form post, a 303 to Checkout (allowed by the CSP's form-action).
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const lead = await noJs.newPage();
  markNoJavaScript(lead);
  await signInAt(lead, world.url, world.lead);
  await orgMenu(lead, world.org.name, "Seats and billing");
  await expect(lead.getByRole("button", { name: "Buy seats" })).toBeVisible();
  await expect(lead.getByRole("button", { name: "Manage billing" })).toHaveCount(0);
  await expectAccessible(lead, "billing (card, before buying)");

  // The roster already uses more than the trial's seats: a staff list of 18 more learners does not fit: the check says so before anything is written.
  const staff = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "distinct-billing-")), "staff.csv");
  fs.writeFileSync(staff, ["email,name", ...Array.from({ length: 18 }, (_, i) => `officer${i}.${uid()}@westshire.police.example,Officer ${i}`)].join("\n"));
  const checkStaff = async () => {
    await orgMenu(lead, world.org.name, "People");
    await lead.getByRole("link", { name: "Upload a staff list" }).click();
    await opened(lead, "Upload a staff list");
    await lead.getByLabel("Staff list (CSV, up to 20,000 rows)").setInputFiles(staff);
    await lead.getByRole("button", { name: "Check the file" }).click();
    await expect(lead.getByRole("heading", { name: "Check the staff list before you apply it" })).toBeVisible();
  };
  await checkStaff();
  await expect(lead.getByText("Not enough seats.")).toBeVisible();
  await expect(lead.getByRole("button", { name: /^Apply/ })).toHaveCount(0);
  await orgMenu(lead, world.org.name, "Seats and billing");

  await lead.getByLabel("Number of seats").fill("0");
  await lead.getByRole("button", { name: "Buy seats" }).click();
  await expect(lead.getByRole("alert").getByRole("link", { name: "The number of seats must be 1 or more" })).toBeVisible();
  await lead.getByLabel("Number of seats").fill("50");
  await lead.getByRole("button", { name: "Buy seats" }).click();
  await expect(lead.getByRole("heading", { name: "Stripe Checkout (test stub)" })).toBeVisible();

  // What we asked Stripe for.
  const [session] = world.stub.requestsTo("/v1/checkout/sessions");
  expect(session?.form).toMatchObject({
    mode: "subscription",
    "line_items[0][price]": world.priceId,
    "line_items[0][quantity]": "50",
    client_reference_id: world.org.id,
    "metadata[orgId]": world.org.id,
    success_url: `${world.url}/org/${world.org.slug}/billing?checkout=success`,
    cancel_url: `${world.url}/org/${world.org.slug}/billing?checkout=cancelled`,
  });
  const customer = session!.form.customer!;
  expect(world.stub.requestsTo("/v1/customers")[0]?.form).toMatchObject({ name: "Westshire Police", email: world.lead.email });

  // The lead pays; Stripe sends them back and tells us about the payment.
  await lead.getByRole("link", { name: "Pay (test stub)" }).click();
  await expect(lead).toHaveURL(`${world.url}/org/${world.org.slug}/billing?checkout=success`);
  await expect(lead.getByText("Thank you: your payment is being confirmed")).toBeVisible();
  const subscription = subscriptionObject({ customer, orgId: world.org.id, quantity: 50, priceId: world.priceId });
  world.stub.subscriptions.set(subscription.id, subscription);
  expect((await sendWebhook(world, stripeEvent("checkout.session.completed", {}), "")).status).toBe(400);
  expect((await sendWebhook(world, stripeEvent("checkout.session.completed", {}), "t=1,v1=forged")).status).toBe(400);
  const completed = stripeEvent(
    "checkout.session.completed",
    completedCheckoutSession({ customer, subscription: subscription.id, orgId: world.org.id }),
  );
  expect(await sendWebhook(world, completed)).toEqual({ status: 200, text: "created" });
  expect(await sendWebhook(world, completed)).toEqual({ status: 200, text: "duplicate" });

  await orgMenu(lead, world.org.name, "Seats and billing");
  const history = lead.getByRole("table", { name: /Licences of Westshire Police/ });
  await expect(history).toContainText("Card (Stripe)");
  await expect(lead.getByRole("button", { name: "Manage billing" })).toBeVisible();

  // With 50 seats the same staff list fits (30 learners and 2 invitations already), and fills the seats; one more invitation is refused, saying why.
  await checkStaff();
  await lead.getByRole("button", { name: "Apply: invite 18, update 0" }).click();
  await expect(lead.getByRole("heading", { name: "Staff list applied" })).toBeVisible({ timeout: 30_000 });
  await orgMenu(lead, world.org.name, "People");
  await lead.getByRole("link", { name: "Invite someone" }).click();
  await opened(lead, "Invite someone");
  await lead.getByLabel("Email address").fill(`one.more.${uid()}@westshire.police.example`);
  await lead.getByLabel("Full name").fill("One More");
  await lead.getByRole("button", { name: "Send invitation" }).click();
  await expect(lead.getByRole("alert")).toContainText("All 50 seats are taken");
  await orgMenu(lead, world.org.name, "Seats and billing");

  // The renewal fails: a banner, and the seats stay.
  world.stub.subscriptions.set(
    subscription.id,
    subscriptionObject({ id: subscription.id, customer, orgId: world.org.id, quantity: 50, status: "past_due" }),
  );
  const failed = stripeEvent("invoice.payment_failed", invoiceObject({ subscription: subscription.id, customer, status: "open" }));
  expect((await sendWebhook(world, failed)).status).toBe(200);
  await lead.reload();
  await expect(lead.getByRole("region", { name: "A card payment failed" })).toBeVisible();
  await expect(history.getByText("Current: payment failed")).toBeVisible();
  await expectAccessible(lead, "billing (payment failed)");
  await noJs.close();

  // With JavaScript: Manage billing goes to Stripe's customer portal.
  const withJs = await browser.newContext();
  const page = await withJs.newPage();
  await signInAt(page, world.url, world.lead);
  await orgMenu(page, world.org.name, "Seats and billing");
  await page.getByRole("button", { name: "Manage billing" }).click();
  await expect(page.getByRole("heading", { name: "Stripe customer portal (test stub)" })).toBeVisible();
  expect(world.stub.requestsTo("/v1/billing_portal/sessions").at(-1)?.form).toEqual({
    customer,
    return_url: `${world.url}/org/${world.org.slug}/billing`,
  });
  await withJs.close();
});
