import { expect, type Browser, type Page } from "@playwright/test";
import { listenLoopback, startOidcProvider } from "../oidc-idp.ts";
// test from ./nu.ts records every page of ours for the W3C Nu HTML check at the end of the run.
import { skipNuForOrigin, test } from "./nu.ts";
import { adminCredentials, expectAccessible, linkFromLatestMail, markNoJavaScript, signIn, uid } from "./helpers.ts";

// The limit catches a hang, it does not time the journey.
test.describe.configure({ timeout: 120_000 });

const port = Number(process.env.E2E_PORT ?? "3100");
const APP = `http://localhost:${port}`;

async function newPage(browser: Browser, javaScript: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  return page;
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
    await admin.goto("/admin/organisations/new");
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
    await lead.goto(`/org/${slug}/people`);
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
