import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page of ours for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible, linkFromLatestMail, markNoJavaScript, signUpVerifiedLearner } from "./helpers.ts";

// The limit catches a hang, it does not time the journey.
test.describe.configure({ timeout: 120_000 });

async function newPage(browser: Browser, javaScript: boolean, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(e.stack ?? e.message));
  return page;
}

/**
 * Issue 19: a person without their password asks /login for an emailed link,
 * opens it from the mail (the outbox here), presses the button on the link's
 * page (a GET only shows it: mail scanners follow links) and is signed in.
 * The same link opened again is refused with a message.
 */
for (const javaScript of [true, false]) {
  const js = `JavaScript ${javaScript ? "on" : "off"}`;

  test(`an emailed sign-in link signs in once; used again it is refused (${js})`, async ({ browser }) => {
    const errors: string[] = [];
    const signUp = await newPage(browser, javaScript, errors);
    const learner = await signUpVerifiedLearner(browser, signUp, "Mair Link");
    await signUp.context().close();

    const page = await newPage(browser, javaScript, errors);
    await page.goto("/login");
    await page.getByLabel("Email address").fill(learner.email);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(page.getByRole("heading", { name: "Check your email", level: 1 })).toBeVisible();
    await expect(page.getByText(`If ${learner.email} has a Distinct account, we have sent it a sign-in link.`)).toBeVisible();
    await expectAccessible(page, "sign-in link sent");

    // Opening the link from the mail shows a button; nothing is used up yet.
    const link = await linkFromLatestMail(browser, learner.email, /Your Distinct sign-in link/);
    expect(link).toMatch(/^\/login\/magic-link\?token=/);
    await page.goto(link);
    await expect(page.getByRole("heading", { name: "Sign in to Distinct", level: 1 })).toBeVisible();
    await expectAccessible(page, "sign in with an emailed link");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "My learning", level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await page.context().close();

    // The same link, used: refused, with a way to ask for another.
    const again = await newPage(browser, javaScript, errors);
    await again.goto(link);
    await again.getByRole("button", { name: "Sign in" }).click();
    await expect(again.getByRole("heading", { name: "There is a problem" })).toBeVisible();
    await expect(again.getByText("This sign-in link has expired or has already been used. Ask for a new one.").first()).toBeVisible();
    await expect(again.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    await expectAccessible(again, "a used sign-in link");
    await again.getByRole("link", { name: "Go to sign in" }).click();
    await expect(again.getByRole("heading", { name: "Sign in", level: 1 })).toBeVisible();
    await again.context().close();
    // The refused link is answered with a 400, which the browser reports as a failed resource: that one is expected.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
}
