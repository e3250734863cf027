import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Browser, type Locator, type Page, type Request } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { adminCredentials, expectAccessible, linkFromLatestMail, markNoJavaScript, openAddOrganisation, opened, signIn, uid } from "./helpers.ts";
import { passQuiz } from "./quiz-helpers.ts";

// The limit catches a hang, it does not time the journey.
test.describe.configure({ timeout: 120_000 });

/**
 * Follows a link of the organisation's menu to the page it names. With
 * JavaScript on, Remix moves there without loading a document (nothing
 * replaces the page once it is shown); without, the link loads one.
 */
async function fromMenu(page: Page, menu: Locator, item: string, javaScript: boolean) {
  const documents: string[] = [];
  const onRequest = (request: Request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) documents.push(new URL(request.url()).pathname);
  };
  page.on("request", onRequest);
  const link = menu.getByRole("link", { name: item, exact: true });
  const href = await link.getAttribute("href");
  await link.click();
  await opened(page, item);
  page.off("request", onRequest);
  expect(documents, `documents loaded by the menu's “${item}” link`).toEqual(javaScript ? [] : [href]);
}

async function newPage(browser: Browser, javaScript: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  return page;
}

/** A staff list for this run: unique addresses, so the flow can run twice against one server. */
function staffFiles(run: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-e2e-csv-"));
  const rows = [
    `jo.bloggs.${run}@force.example.org,Jo Bloggs,JB${run.slice(0, 4).toUpperCase()}1,Response Team A,PC,learner`,
    `sam.patel.${run}@force.example.org,Sam Patel,SP${run.slice(0, 4).toUpperCase()}2,Public Protection Unit,Sergeant,learner`,
    `"Nowak, Łukasz ${run}"@force.example.org,Łukasz Nowak,,Response Team A,Call handler,`,
  ];
  const header = "email,name,staff number,team,role,access";
  const bad = [header, rows[0], rows[1], `not-an-email,Broken Row,,,,`, `ann.other.${run}@force.example.org,,,,,`].join("\r\n");
  const good = [header, rows[0], rows[1], `ann.other.${run}@force.example.org,Ann Other,,Victim Hub,Caseworker,learner`].join("\r\n");
  fs.writeFileSync(path.join(dir, "staff-with-errors.csv"), `\uFEFF${bad}\r\n`);
  fs.writeFileSync(path.join(dir, "staff.csv"), `\uFEFF${good}\r\n`);
  return { bad: path.join(dir, "staff-with-errors.csv"), good: path.join(dir, "staff.csv"), learnerEmail: `jo.bloggs.${run}@force.example.org` };
}

async function flow(browser: Browser, javaScript: boolean) {
  const run = uid();
  const slug = `force-${run}`;
  const files = staffFiles(run);

  // A platform admin creates the force and gives it seats.
  const admin = await newPage(browser, javaScript);
  await signIn(admin, await adminCredentials(browser));
  // From the header to the list of organisations, and its button to add one.
  await openAddOrganisation(admin);
  await expectAccessible(admin, "new organisation");
  await admin.getByRole("button", { name: "Add organisation" }).click();
  await expect(admin.getByRole("heading", { name: "There is a problem" })).toBeVisible();
  await expectAccessible(admin, "new organisation (errors)");
  await admin.getByLabel("Name", { exact: true }).fill(`Test Constabulary ${run}`);
  await admin.getByLabel("Short address").fill(slug);
  await admin.getByLabel("Email domains (optional)").fill(`${run}.police.example`);
  await admin.getByLabel("Full name").fill("Terry Lead");
  const leadEmail = `lead.${run}@force.example.org`;
  await admin.getByLabel("Email address").fill(leadEmail);
  await admin.getByRole("button", { name: "Add organisation" }).click();
  await expect(admin.getByText(`Test Constabulary ${run} has been added`)).toBeVisible();
  await admin.getByRole("link", { name: "Admin", exact: true }).click();
  await opened(admin, "Administration");
  await admin.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Organisations" }).click();
  await opened(admin, "Organisations");
  await admin.getByRole("link", { name: `Licences of Test Constabulary ${run}` }).click();
  await opened(admin, "Licences");
  await admin.getByLabel("Number of seats").fill("50");
  await admin.getByLabel("Purchase order reference (optional)").fill(`PO-${run}`);
  await admin.getByRole("button", { name: "Grant licence" }).click();
  await expect(admin.getByText(`PO-${run}`).first()).toBeVisible();

  // The training lead accepts and uploads a staff list with problems, then the fixed one.
  const lead = await newPage(browser, javaScript);
  await lead.goto(await linkFromLatestMail(browser, leadEmail, /has invited you to Distinct/));
  await expectAccessible(lead, "invitation");
  await lead.getByLabel("Create a password").fill("lead pass phrase words");
  await lead.getByLabel("Confirm password").fill("lead pass phrase words");
  await lead.getByRole("button", { name: "Create account and join" }).click();
  await expect(lead.getByRole("heading", { name: `Test Constabulary ${run}`, level: 1 })).toBeVisible();
  await expectAccessible(lead, "organisation overview");

  // The organisation's menu leads to each of its pages.
  const menu = lead.getByRole("navigation", { name: `Test Constabulary ${run} training` });
  await fromMenu(lead, menu, "People", javaScript);
  await lead.getByRole("link", { name: "Upload a staff list" }).click();
  await opened(lead, "Upload a staff list");
  await expectAccessible(lead, "upload staff list");
  await lead.getByLabel("Staff list (CSV, up to 20,000 rows)").setInputFiles(files.bad);
  await lead.getByRole("button", { name: "Check the file" }).click();
  await expect(lead.getByRole("heading", { name: "Check the staff list before you apply it" })).toBeVisible();
  const problems = lead.getByRole("table", { name: "Rows with problems, by line in the file" });
  await expect(problems.getByRole("row")).toHaveCount(3); // header + 2 bad rows
  await expect(problems.getByText("4", { exact: true })).toBeVisible();
  await expectAccessible(lead, "check staff list (problems)");
  await lead.getByRole("button", { name: "Cancel" }).click();
  await lead.waitForURL(new RegExp(`/org/${slug}/people/import$`));

  await lead.getByLabel("Staff list (CSV, up to 20,000 rows)").setInputFiles(files.good);
  await lead.getByRole("button", { name: "Check the file" }).click();
  await expect(lead.getByRole("button", { name: "Apply: invite 3, update 0" })).toBeVisible();
  await lead.getByRole("button", { name: "Apply: invite 3, update 0" }).click();
  await expect(lead.getByRole("heading", { name: "Staff list applied" })).toBeVisible({ timeout: 30_000 });
  await expectAccessible(lead, "staff list applied");

  await fromMenu(lead, menu, "Teams", javaScript);
  await lead.getByLabel("New team").fill("Neighbourhood Policing");
  await lead.getByRole("button", { name: "Add team" }).click();
  await expect(lead.getByRole("link", { name: "Neighbourhood Policing", exact: true })).toBeVisible();
  await expectAccessible(lead, "teams");

  await fromMenu(lead, menu, "Assignments", javaScript);
  await lead.getByRole("link", { name: "Assign a module" }).click();
  await opened(lead, "Assign a module");
  await expectAccessible(lead, "assign a module");
  await lead.getByLabel("Module").selectOption({ label: "Recognising stalking" });
  await lead.getByLabel("Everyone in the organisation").check();
  await lead.getByLabel("Within a number of days of being assigned").check();
  await lead.getByLabel("Number of days", { exact: true }).fill("30");
  await lead.getByRole("button", { name: "Assign module" }).click();
  await expect(lead.getByText("Module assigned")).toBeVisible();
  await expectAccessible(lead, "assignment");

  // A learner from the list accepts, sees the assignment, completes it.
  const learner = await newPage(browser, javaScript);
  await learner.goto(await linkFromLatestMail(browser, files.learnerEmail, /has invited you to Distinct/));
  await learner.getByLabel("Create a password").fill("learner pass phrase words");
  await learner.getByLabel("Confirm password").fill("learner pass phrase words");
  await learner.getByRole("button", { name: "Create account and join" }).click();
  await expect(learner.getByRole("heading", { name: "My learning" })).toBeVisible();
  const assigned = learner.getByRole("table", { name: "Modules your organisation has assigned to you" });
  await expect(assigned.getByRole("link", { name: "Recognising stalking" })).toBeVisible();
  await expect(assigned.getByText("Not started")).toBeVisible();
  await expectAccessible(learner, "my learning (assigned)");
  await assigned.getByRole("link", { name: "Recognising stalking" }).click();
  await learner.getByRole("button", { name: "Start module" }).click();
  await learner.waitForURL(/\/modules\/recognising-stalking\/[^/]+$/);
  while (!new URL(learner.url()).pathname.endsWith("/quiz")) {
    const before = learner.url();
    await learner.getByRole("button", { name: /Mark complete/ }).click();
    await learner.waitForURL((url) => url.href !== before);
  }
  await passQuiz(learner, "recognising-stalking");
  await learner.getByRole("link", { name: "My learning" }).click();
  await opened(learner, "My learning");
  await expect(learner.getByRole("table", { name: "Modules your organisation has assigned to you" }).getByText("Completed")).toBeVisible();

  // The training lead sees them completed.
  await fromMenu(lead, menu, "Assignments", javaScript);
  await lead.getByRole("main").getByRole("link", { name: "Recognising stalking" }).click();
  await opened(lead, /Recognising stalking/);
  const row = lead.getByRole("row", { name: /Jo Bloggs/ });
  await expect(row.getByText("Completed")).toBeVisible();
  await fromMenu(lead, menu, "Audit log", javaScript);
  await expect(lead.getByText("Staff imported from a file")).toBeVisible();
  await expectAccessible(lead, "audit log");
  for (const page of [admin, lead, learner]) await page.context().close();
}

test("a platform admin creates a force; its lead imports staff, makes a team and assigns a module; a learner completes it", async ({ browser }) => {
  await flow(browser, true);
});

test("the same with JavaScript disabled", async ({ browser }) => {
  await flow(browser, false);
});
