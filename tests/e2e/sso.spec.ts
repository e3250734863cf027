import { expect, type Browser, type Page } from "@playwright/test";
import { listenLoopback, startOidcProvider } from "../oidc-idp.ts";
import { makeSigningKey, startSamlIdpServer } from "../saml-idp.ts";
// test from ./nu.ts records every page of ours for the W3C Nu HTML check at the end of the run.
import { skipNuForOrigin, test } from "./nu.ts";
import { adminCredentials, expectAccessible, linkFromLatestMail, markNoJavaScript, openAddOrganisation, opened, signIn, uid } from "./helpers.ts";

// The limit catches a hang, it does not time the journey.
test.describe.configure({ timeout: 120_000 });

const port = Number(process.env.E2E_PORT ?? "3100");
const APP = `http://localhost:${port}`;

/** Console errors and page errors of every page opened here; each journey ends expecting none. */
const pageErrors: string[] = [];

async function newPage(browser: Browser, javaScript: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => pageErrors.push(e.stack ?? e.message));
  return page;
}

/** A platform admin adds a force with an email domain; its training lead accepts and opens the single sign-on page. */
async function forceWithLead(browser: Browser, javaScript: boolean, run: string) {
  const slug = `sso-${run}`;
  const domain = `${run}.police.example`;
  const admin = await newPage(browser, javaScript);
  await signIn(admin, await adminCredentials(browser));
  await openAddOrganisation(admin);
  await admin.getByLabel("Name", { exact: true }).fill(`SSO Constabulary ${run}`);
  await admin.getByLabel("Short address").fill(slug);
  await admin.getByLabel("Email domains (optional)").fill(domain);
  await admin.getByLabel("Full name").fill("Sol Lead");
  const leadEmail = `lead.${run}@force.example.org`;
  await admin.getByLabel("Email address").fill(leadEmail);
  await admin.getByRole("button", { name: "Add organisation" }).click();
  await expect(admin.getByText(`SSO Constabulary ${run} has been added`)).toBeVisible();
  await admin.context().close();

  const lead = await newPage(browser, javaScript);
  await lead.goto(await linkFromLatestMail(browser, leadEmail, /has invited you to Distinct/));
  await lead.getByLabel("Create a password").fill("lead pass phrase words");
  await lead.getByLabel("Confirm password").fill("lead pass phrase words");
  await lead.getByRole("button", { name: "Create account and join" }).click();
  await expect(lead.getByRole("heading", { name: `SSO Constabulary ${run}`, level: 1 })).toBeVisible();
  await lead.getByRole("link", { name: "Single sign-on" }).click();
  await expect(lead.getByRole("heading", { name: "Single sign-on", level: 1 })).toBeVisible();
  return { lead, slug, domain };
}

/**
 * A platform admin adds a force with an email domain; its training lead joins
 * and sets up single sign-on with a real OpenID provider on loopback; an
 * officer then signs in through "Sign in with your force account", first time
 * (account made, joined) and again.
 */
async function flow(browser: Browser, javaScript: boolean) {
  const run = uid();
  const slug = `sso-${run}`;
  const domain = `${run}.police.example`;
  const listening = await listenLoopback(port + 1000);
  skipNuForOrigin(listening.issuer);
  const idp = await startOidcProvider({ clientId: `distinct-${run}`, clientSecret: `secret-${run}-secret`, redirectUris: [`${APP}/api/auth/sso/callback/${slug}`], listening });
  try {
    const admin = await newPage(browser, javaScript);
    await signIn(admin, await adminCredentials(browser));
    await openAddOrganisation(admin);
    await admin.getByLabel("Name", { exact: true }).fill(`SSO Constabulary ${run}`);
    await admin.getByLabel("Short address").fill(slug);
    await admin.getByLabel("Email domains (optional)").fill(domain);
    await admin.getByLabel("Full name").fill("Sol Lead");
    const leadEmail = `lead.${run}@force.example.org`;
    await admin.getByLabel("Email address").fill(leadEmail);
    await admin.getByRole("button", { name: "Add organisation" }).click();
    await expect(admin.getByText(`SSO Constabulary ${run} has been added`)).toBeVisible();

    const lead = await newPage(browser, javaScript);
    await lead.goto(await linkFromLatestMail(browser, leadEmail, /has invited you to Distinct/));
    await lead.getByLabel("Create a password").fill("lead pass phrase words");
    await lead.getByLabel("Confirm password").fill("lead pass phrase words");
    await lead.getByRole("button", { name: "Create account and join" }).click();
    await expect(lead.getByRole("heading", { name: `SSO Constabulary ${run}`, level: 1 })).toBeVisible();
    await lead.getByRole("link", { name: "Single sign-on" }).click();
    await expect(lead.getByRole("heading", { name: "Single sign-on", level: 1 })).toBeVisible();
    await expect(lead.getByText(`${APP}/api/auth/sso/callback/${slug}`)).toBeVisible();
    await expectAccessible(lead, "single sign-on settings");
    await lead.getByRole("button", { name: "Save single sign-on" }).click();
    await expect(lead.getByRole("heading", { name: "There is a problem" })).toBeVisible();
    await expectAccessible(lead, "single sign-on settings (errors)");
    await lead.getByLabel("Issuer").fill(idp.issuer);
    await lead.getByLabel("Client ID").fill(`distinct-${run}`);
    await lead.getByLabel("Client secret").fill(`secret-${run}-secret`);
    await lead.getByRole("button", { name: "Save single sign-on" }).click();
    await expect(lead.getByText("Single sign-on saved.")).toBeVisible();

    const officerEmail = `officer.${run}@${domain}`;
    idp.accounts.set(`officer-${run}`, { email: officerEmail, email_verified: true, name: "Olu Officer" });
    for (const time of ["first", "again"]) {
      const officer = await newPage(browser, javaScript);
      await officer.goto("/login");
      await expectAccessible(officer, "sign in: email first");
      await officer.getByLabel("Email address").fill(officerEmail);
      await officer.getByRole("button", { name: "Continue" }).click();
      await expect(officer.getByRole("button", { name: "Sign in with your force account" })).toBeVisible();
      await expectAccessible(officer, "sign in: force account");
      await officer.getByRole("button", { name: "Sign in with your force account" }).click();
      // The provider's own sign-in page (oidc-provider's development page).
      await officer.getByPlaceholder("Enter any login").fill(`officer-${run}`);
      await officer.getByPlaceholder("and password").fill("anything");
      await officer.getByRole("button", { name: "Sign-in" }).click();
      await expect(officer.getByRole("button", { name: "Sign out" }), `${time} sign-in`).toBeVisible();
      expect(new URL(officer.url()).pathname).toBe("/learning");
      await officer.context().close();
    }

    // The officer is on the force's people list (joined through the first sign-in).
    await lead.getByRole("navigation", { name: /training$/ }).getByRole("link", { name: "People", exact: true }).click();
    await opened(lead, "People");
    await expect(lead.getByRole("link", { name: "Olu Officer" })).toBeVisible();
  } finally {
    await idp.close();
  }
}

test("an officer signs in with their force account (OpenID Connect), JavaScript on", async ({ browser }) => {
  await flow(browser, true);
});

test("an officer signs in with their force account (OpenID Connect), JavaScript off", async ({ browser }) => {
  await flow(browser, false);
});

/**
 * SAML 2.0: the lead enters the test IdP's entity ID, sign-on URL and signing
 * certificate; an officer signs in through "Sign in with your force account",
 * the IdP's sign-in page and its auto-posted answer (a button without
 * JavaScript), first time and again. Then the lead removes single sign-on,
 * which asks first (and going back changes nothing).
 */
async function samlFlow(browser: Browser, javaScript: boolean) {
  pageErrors.length = 0;
  const run = uid();
  const signing = makeSigningKey();
  const idp = await startSamlIdpServer({ port: port + 1001, signing });
  skipNuForOrigin(idp.origin);
  try {
    const { lead, slug, domain } = await forceWithLead(browser, javaScript, run);
    await lead.getByRole("link", { name: "SAML 2.0" }).click();
    await expect(lead.getByText(`${APP}/api/auth/sso/saml2/sp/acs/${slug}`)).toBeVisible();
    await expect(lead.getByText(`${APP}/api/auth/sso/saml2/sp/metadata?providerId=${slug}`)).toBeVisible();
    await expectAccessible(lead, "single sign-on settings (SAML)");
    await lead.getByLabel("Signing certificate").fill("-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----");
    await lead.getByRole("button", { name: "Save SAML single sign-on" }).click();
    await expect(lead.getByRole("heading", { name: "There is a problem" })).toBeVisible();
    await expect(lead.getByRole("link", { name: "Enter the identity provider's entity ID (its Identifier or Issuer), or paste its metadata XML" })).toBeVisible();
    await expectAccessible(lead, "single sign-on settings (SAML errors)");
    await lead.getByLabel("Identity provider entity ID").fill(idp.idp.entityId);
    await lead.getByLabel("Sign-on URL").fill(idp.idp.ssoUrl);
    await lead.getByLabel("Signing certificate").fill("-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----");
    await lead.getByRole("button", { name: "Save SAML single sign-on" }).click();
    await expect(lead.getByText("This is not a certificate").first()).toBeVisible();
    await lead.getByLabel("Signing certificate").fill(signing.cert);
    await lead.getByRole("button", { name: "Save SAML single sign-on" }).click();
    await expect(lead.getByRole("status", { name: "SAML single sign-on saved." })).toBeVisible();
    await expect(lead.getByText("CN=Test Identity Provider")).toBeVisible();

    const officerEmail = `saml.officer.${run}@${domain}`;
    idp.people.set(`saml-officer-${run}`, { email: officerEmail, givenName: "Sade", surname: "Officer", emailVerified: true });
    for (const time of ["first", "again"]) {
      const officer = await newPage(browser, javaScript);
      await officer.goto("/login");
      await officer.getByLabel("Email address").fill(officerEmail);
      await officer.getByRole("button", { name: "Continue" }).click();
      await officer.getByRole("button", { name: "Sign in with your force account" }).click();
      // The IdP's own sign-in page, then its form that posts the signed answer to our ACS.
      await officer.getByLabel("Username").fill(`saml-officer-${run}`);
      await officer.getByRole("button", { name: "Sign in to the test IdP" }).click();
      if (!javaScript) await officer.getByRole("button", { name: "Continue" }).click();
      await expect(officer.getByRole("button", { name: "Sign out" }), `${time} sign-in`).toBeVisible();
      expect(new URL(officer.url()).pathname).toBe("/learning");
      await officer.context().close();
    }
    await lead.getByRole("navigation", { name: /training$/ }).getByRole("link", { name: "People", exact: true }).click();
    await opened(lead, "People");
    await expect(lead.getByRole("link", { name: "Sade Officer" })).toBeVisible();

    // Removing asks first; "No, go back" changes nothing.
    await lead.getByRole("link", { name: "Single sign-on" }).click();
    await lead.getByRole("link", { name: "Remove single sign-on" }).click();
    await expect(lead.getByRole("heading", { name: "Remove single sign-on?", level: 1 })).toBeVisible();
    await expect(lead.getByText("Are you sure? This will:")).toBeVisible();
    await expect(lead.getByText(`stop everyone on ${domain} signing in with their force account (SAML 2.0)`)).toBeVisible();
    await expect(lead.getByText("leave the 1 person who signed in that way with their accounts and training records", { exact: false })).toBeVisible();
    await expectAccessible(lead, "confirm removing single sign-on");
    await lead.getByRole("link", { name: "No, go back" }).click();
    await expect(lead.getByText("Set up with SAML 2.0 for")).toBeVisible();
    await lead.getByRole("link", { name: "Remove single sign-on" }).click();
    await lead.getByRole("button", { name: "Yes, remove single sign-on" }).click();
    await expect(lead.getByRole("status", { name: "Single sign-on removed" })).toContainText("Everyone signs in with a password or an emailed link.");
    await expect(lead.getByRole("link", { name: "Remove single sign-on" })).toHaveCount(0);
    await expectAccessible(lead, "single sign-on removed");

    // The officer's address now goes to the password step.
    const after = await newPage(browser, javaScript);
    await after.goto("/login");
    await after.getByLabel("Email address").fill(officerEmail);
    await after.getByRole("button", { name: "Continue" }).click();
    await expect(after.getByLabel("Password", { exact: true })).toBeVisible();
    await expect(after.getByRole("button", { name: "Sign in with your force account" })).toHaveCount(0);
    // A refused form is answered with a 400, which Chrome reports as a failed resource: that one is expected.
    expect(pageErrors.filter((e) => !e.includes("the server responded with a status of 400"))).toEqual([]);
  } finally {
    await idp.close();
  }
}

test("an officer signs in with their force account (SAML 2.0), and the lead removes single sign-on after a confirmation, JavaScript on", async ({ browser }) => {
  await samlFlow(browser, true);
});

test("an officer signs in with their force account (SAML 2.0), and the lead removes single sign-on after a confirmation, JavaScript off", async ({ browser }) => {
  await samlFlow(browser, false);
});
