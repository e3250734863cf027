import fs from "node:fs";
import path from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible, linkFromLatestMail, markNoJavaScript, opened, signIn, STATE_DIR, uid, type Credentials } from "./helpers.ts";

/**
 * Issue 15, items 2 and 4: a training lead assigns a module to named people
 * (by email and by staff number), with JavaScript on and off. The
 * confirmation names who was emailed and who will be when they accept; the
 * invited person, accepting, gets a mail listing the assignment.
 */

/** A force of its own (tests/e2e/seed-reports.ts), so the people and assignments added here change no other spec's counts. */
type Seed = { org: { slug: string; name: string }; lead: Credentials };
const seed = (): Seed => (JSON.parse(fs.readFileSync(path.join(STATE_DIR, "reports-seed.json"), "utf8")) as { assign: Seed }).assign;

async function leadPage(browser: Browser, javaScript: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.stack ?? e.message));
  page.on("close", () => expect(errors, "console errors").toEqual([]));
  await signIn(page, seed().lead);
  return page;
}

for (const javaScript of [true, false]) {
  test(`a lead assigns a module to named people by email and staff number, and is told who was emailed (JavaScript ${javaScript ? "on" : "off"})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const { org } = seed();
    const page = await leadPage(browser, javaScript);
    const newcomer = { name: `Nia Newcomer ${uid()}`, email: `nia-${uid()}@force.example.org` };

    // Invite someone by the form, who stays invited. Each page is opened before the next click, as a person
    // would: a click on a page still loading interrupts its navigation (an AbortError in the console).
    await page.getByRole("link", { name: "manage training as a training lead" }).click();
    await opened(page, org.name);
    await page.getByRole("navigation", { name: `${org.name} training` }).getByRole("link", { name: "People" }).click();
    await opened(page, "People");
    await page.getByRole("link", { name: "Invite someone" }).click();
    await opened(page, "Invite someone");
    await page.getByLabel("Full name").fill(newcomer.name);
    await page.getByLabel("Email address").fill(newcomer.email);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByRole("heading", { name: newcomer.name, level: 1 })).toBeVisible();

    // Assign to them by email (in capitals) and to a seeded learner by staff number (K1001 is 李雷, who has joined the seed's force).
    await page.getByRole("navigation", { name: `${org.name} training` }).getByRole("link", { name: "Assignments" }).click();
    await opened(page, "Assignments");
    await page.getByRole("link", { name: "Assign a module" }).click();
    await opened(page, "Assign a module");
    await page.getByLabel("Module").selectOption({ label: "The law" });
    await page.getByRole("radio", { name: "Named people" }).check();
    await page.getByLabel("People (if for named people)").fill(`${newcomer.email.toUpperCase()}\nk1001`);
    await page.getByLabel("No due date").check();
    await page.getByRole("button", { name: "Assign module" }).click();

    const notice = page.getByRole("status", { name: "Module assigned to 2 people" });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText("Emailed now (1 person who has joined): 李雷.");
    await expect(notice).toContainText(`Still invited, so emailed when they accept their invitation (1 person): ${newcomer.name}.`);
    const table = page.getByRole("table", { name: "2 people assigned" });
    await expect(table.getByRole("link", { name: newcomer.name })).toBeVisible();
    await expect(table.getByRole("link", { name: "李雷" })).toBeVisible();
    await expectAccessible(page, "assignment to named people");
    await page.close();

    // The invited person accepts and is mailed the assignment.
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const invited = await context.newPage();
    await invited.goto(await linkFromLatestMail(browser, newcomer.email, /has invited you to Distinct/));
    await invited.getByLabel("Create a password").fill("newcomer pass phrase words");
    await invited.getByLabel("Confirm password").fill("newcomer pass phrase words");
    await invited.getByRole("button", { name: "Create account and join" }).click();
    await expect(invited.getByRole("heading", { name: "My learning" })).toBeVisible();
    await context.close();
    // One mail for each assignment they now have: this one, and the seed's to everyone in the force.
    expect(await linkFromLatestMail(browser, newcomer.email, new RegExp(`New training from ${org.name}: The law`))).toBe("/learning");
    expect(await linkFromLatestMail(browser, newcomer.email, new RegExp(`New training from ${org.name}: Recognising stalking`))).toBe("/learning");
  });
}
