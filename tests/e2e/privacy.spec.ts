import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { adminCredentials, expectAccessible, markNoJavaScript, openAddOrganisation, signIn, signUpVerifiedLearner, uid } from "./helpers.ts";

// Signing up goes through the outbox as an admin would read it; with JavaScript off the whole journey took 35 s
// on a 2-core machine under a load of 20 (December 2026): the limit catches a hang.
test.describe.configure({ timeout: 120_000 });

async function newPage(browser: Browser, javaScript: boolean): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, acceptDownloads: true });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  const errors: string[] = [];
  page.on("console", (message) => {
    // Chromium logs every 4xx answer as an error; the journey posts bad forms (and a wrong password) on purpose, which are 400s.
    if (message.type() === "error" && !message.text().includes("the server responded with a status of 400")) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.stack ?? error.message));
  return { page, errors };
}

async function download(page: Page, link: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: link }).click()]);
  return fs.readFileSync((await file.path())!);
}

async function journey(browser: Browser, javaScript: boolean) {
  const { page, errors } = await newPage(browser, javaScript);
  const name = javaScript ? "Gwenllïan Ŵyn" : "Łukasz Żółć";
  const learner = await signUpVerifiedLearner(browser, page, name);

  // Some learning to find in the download: the first lesson of a module.
  await page.getByRole("link", { name: "Choose a module" }).click();
  await page.getByRole("link", { name: "Recognising stalking" }).first().click();
  await page.getByRole("button", { name: "Start module" }).click();
  await page.getByRole("button", { name: /Mark complete/ }).click();

  // From the learner's home to their account page.
  await page.getByRole("link", { name: "My learning" }).first().click();
  await page.getByRole("link", { name: "Your account and data" }).click();
  await expect(page.getByRole("heading", { name: "Your account and data", level: 1 })).toBeVisible();
  await expect(page.getByText(learner.email)).toBeVisible();
  await expectAccessible(page, "account");

  const json = JSON.parse((await download(page, "All your data (JSON)")).toString("utf8")) as {
    account: { name: string; email: string };
    enrolments: { title: string; lessons: { completedAt: string | null }[] }[];
  };
  expect(json.account).toMatchObject({ name, email: learner.email });
  expect(json.enrolments.map((e) => e.title)).toEqual(["Recognising stalking"]);
  expect(json.enrolments[0]!.lessons.filter((l) => l.completedAt).length).toBe(1);

  const pdf = await download(page, "Your training record (PDF)");
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const text = execFileSync("pdftotext", ["-", "-"], { input: pdf, encoding: "utf8" }).normalize("NFC").replace(/\s+/g, " ");
  expect(text).toContain(`Training record ${name}`);
  expect(text).toContain("Recognising stalking, version");
  expect(text).toContain("in progress, 1 of");

  // Deleting: the consequences first, then a form that checks before it acts.
  await page.getByRole("link", { name: "Delete your account" }).click();
  await expect(page.getByRole("heading", { name: "Delete your account", level: 1 })).toBeVisible();
  await expect(page.getByText("you have no certificates, so nothing needs checking later")).toBeVisible();
  await expectAccessible(page, "delete account");
  await page.getByRole("button", { name: "Delete my account" }).click();
  const summary = page.getByRole("alert");
  await expect(summary.getByRole("link", { name: "Enter your password" })).toBeVisible();
  await expect(summary.getByRole("link", { name: "Type delete to confirm" })).toBeVisible();
  await expectAccessible(page, "delete account (errors)");
  await page.getByLabel("Your password").fill("not my password at all");
  await page.getByLabel("Type “delete” to confirm").fill("delete");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(summary.getByRole("link", { name: "The password is not right" })).toBeVisible();
  await page.getByLabel("Your password").fill(learner.password);
  await page.getByLabel("Type “delete” to confirm").fill("delete");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByRole("heading", { name: "Your account has been deleted", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
  await expectAccessible(page, "account deleted");

  // Signed out, and the account cannot come back.
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await page.getByRole("link", { name: "Sign in" }).first().click();
  await page.getByLabel("Email address").fill(learner.email);
  // /login asks for the email first (issue 19): an address without an account gets the password step too.
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Password").fill(learner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("The email address or password is not right")).toBeVisible();

  expect(errors).toEqual([]);
  await page.context().close();
}

test("a learner downloads their data and record, then deletes their account (JavaScript on)", async ({ browser }) => {
  await journey(browser, true);
});

test("the same, with JavaScript off", async ({ browser }) => {
  await journey(browser, false);
});

for (const javaScript of [true, false]) {
  test(`an organisation's retention period is set from its pages, within bounds (JavaScript ${javaScript ? "on" : "off"})`, async ({ browser }) => {
    const { page, errors } = await newPage(browser, javaScript);
    const run = uid();
    // A platform admin adds a force, then sets its retention as its training lead could.
    await signIn(page, await adminCredentials(browser));
    await openAddOrganisation(page);
    await page.getByLabel("Name", { exact: true }).fill(`Retention Constabulary ${run}`);
    await page.getByLabel("Short address").fill(`retention-${run}`);
    await page.getByLabel("Full name").fill("Rita Lead");
    await page.getByLabel("Email address").fill(`rita.${run}@force.example.org`);
    await page.getByRole("button", { name: "Add organisation" }).click();
    // Adding it opens its overview, whose menu leads to its retention page.
    await expect(page.getByText(`Retention Constabulary ${run} has been added`)).toBeVisible();
    await page.getByRole("navigation", { name: `Retention Constabulary ${run} training` }).getByRole("link", { name: "Data retention" }).click();
    await expect(page.getByRole("heading", { name: "Data retention", level: 1 })).toBeVisible();
    await expect(page.getByText("Details of people who left are kept for 24 months.")).toBeVisible();
    await expectAccessible(page, "retention");
    const field = page.getByLabel("Months to keep the details of people who left");
    await field.fill("3");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("alert").getByRole("link", { name: "Keep details for at least 6 months" })).toBeVisible();
    await expectAccessible(page, "retention (error)");
    await field.fill("36");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Saved: details of people who left are kept for 36 months.")).toBeVisible();
    await expect(field).toHaveValue("36");
    await page.getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByText("Retention period changed")).toBeVisible();
    expect(errors).toEqual([]);
    await page.context().close();
  });
}
