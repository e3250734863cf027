import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { adminCredentials, expectAccessible, linkFromLatestMail, markNoJavaScript, openAddOrganisation, opened, signIn, uid } from "./helpers.ts";

/**
 * Issue 15, item 3: a force on the free trial (5 seats) uploads a staff list
 * of 8 learners, applies the 5 that fit (in file order), sees the 3 left out,
 * and asks for more seats; a platform admin follows the mail to the seat
 * requests, marks it handled with a note (mailed to the lead) and grants the
 * seats; the lead checks the rows left out again and applies them.
 */

// The limit catches a hang, it does not time the journey.
test.describe.configure({ timeout: 120_000 });

async function newPage(browser: Browser, javaScript: boolean): Promise<{ page: Page; errors: string[] }> {
  // The browser is in another time zone than the server (Europe/London formatting, UTC or London machines): the times on
  // the seat requests page must hydrate to the same text all the same (React error 418 otherwise, caught as a console error).
  const context = await browser.newContext({ javaScriptEnabled: javaScript, timezoneId: "America/New_York" });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  const errors: string[] = [];
  // The 400 of a refused form (a bad number, a missing note) is expected; anything else is a fault.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().includes("the server responded with a status of 400")) errors.push(m.text());
  });
  return { page, errors };
}

/** Follows the organisation's menu to one of its pages, as a lead does. */
async function fromMenu(page: Page, organisation: string, item: string, heading = item) {
  await page.getByRole("navigation", { name: `${organisation} training` }).getByRole("link", { name: item, exact: true }).click();
  await opened(page, heading);
}

function staffList(run: string): string {
  const lines = ["email,name,staff number,team,role,access"];
  for (let i = 1; i <= 8; i++) lines.push(`officer.${i}.${run}@force.example.org,Officer ${i} ${run},,Response,PC,learner`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "distinct-e2e-seats-")), "staff.csv");
  fs.writeFileSync(file, `${lines.join("\r\n")}\r\n`);
  return file;
}

for (const javaScript of [true, false]) {
  test(`a trial force applies the rows that fit and asks for seats; an admin handles the request (JavaScript ${javaScript ? "on" : "off"})`, async ({ browser }) => {
    const run = uid();
    const name = `Seatless Constabulary ${run}`;
    const slug = `seatless-${run}`;
    const leadEmail = `lead.${run}@force.example.org`;
    const adminUser = await adminCredentials(browser);

    // A platform admin adds the force, with no licence: the free trial.
    const { page: admin, errors: adminErrors } = await newPage(browser, javaScript);
    await signIn(admin, adminUser);
    await openAddOrganisation(admin);
    await admin.getByLabel("Name", { exact: true }).fill(name);
    await admin.getByLabel("Short address").fill(slug);
    await admin.getByLabel("Full name").fill("Terry Lead");
    await admin.getByLabel("Email address").fill(leadEmail);
    await admin.getByRole("button", { name: "Add organisation" }).click();
    await expect(admin.getByText(`${name} has been added`)).toBeVisible();

    const { page: lead, errors: leadErrors } = await newPage(browser, javaScript);
    await lead.goto(await linkFromLatestMail(browser, leadEmail, /has invited you to Distinct/));
    await lead.getByLabel("Create a password").fill("lead pass phrase words");
    await lead.getByLabel("Confirm password").fill("lead pass phrase words");
    await lead.getByRole("button", { name: "Create account and join" }).click();
    await expect(lead.getByRole("heading", { name, level: 1, exact: true })).toBeVisible();

    // Seats are shown before the upload, reached from the organisation's overview.
    await lead.getByRole("link", { name: "Upload a staff list" }).click();
    await opened(lead, "Upload a staff list");
    await expect(lead.getByRole("region", { name: "Seats" })).toContainText("5 seats free of 5 (the free trial)");
    await lead.getByLabel("Staff list (CSV, up to 20,000 rows)").setInputFiles(staffList(run));
    await lead.getByRole("button", { name: "Check the file" }).click();
    await expect(lead.getByRole("heading", { name: "Check the staff list before you apply it" })).toBeVisible();
    await expect(lead.getByText("Not enough seats.")).toBeVisible();
    const wouldLeave = lead.getByRole("table", { name: "Rows that would be left out, by line in the file" });
    await expect(wouldLeave.getByRole("row")).toHaveCount(4); // header + lines 7, 8, 9
    await expect(wouldLeave.getByRole("row").nth(1)).toContainText(`7Officer 6 ${run}`);
    await expect(lead.getByRole("button", { name: /^Apply: invite/ })).toHaveCount(0);
    await expectAccessible(lead, "check staff list (not enough seats)");

    await lead.getByRole("button", { name: "Apply the 5 rows that fit, leave out 3" }).click();
    await expect(lead.getByRole("heading", { name: "Staff list applied" })).toBeVisible({ timeout: 30_000 });
    await expect(lead.getByText("3 rows: no seat was free for them")).toBeVisible();
    const leftOut = lead.getByRole("table", { name: "Rows left out, by line in the file" });
    await expect(leftOut.getByRole("row")).toHaveCount(4);
    await expect(leftOut.getByRole("row").nth(3)).toContainText(`9Officer 8 ${run}officer.8.${run}@force.example.orgNo seat: the organisation's seats were full`);
    await expectAccessible(lead, "staff list applied (rows left out)");

    // Ask for more seats from there: a bad number first.
    const seats = lead.getByLabel("How many more seats?");
    await expect(seats).toHaveValue("3");
    await seats.fill("0");
    await lead.getByRole("button", { name: "Ask for more seats" }).click();
    await expect(lead.getByRole("heading", { name: "There is a problem" })).toBeVisible();
    await expect(lead.getByRole("link", { name: "The number of seats must be 1 or more" })).toBeVisible();
    await expectAccessible(lead, "ask for seats (error)");
    await lead.getByLabel("How many more seats?").fill("10");
    await lead.getByLabel("Message (optional)").fill(`Purchase order PO-${run} follows`);
    await lead.getByRole("button", { name: "Ask for more seats" }).click();
    await expect(lead.getByText("Your request for more seats has been sent")).toBeVisible();
    await expect(lead.getByText(`reply to you at ${leadEmail}`)).toBeVisible();
    await expectAccessible(lead, "ask for seats (sent)");

    await fromMenu(lead, name, "Seats and billing");
    const pending = lead.getByRole("region", { name: "Your open seat request" });
    await expect(pending).toContainText("Waiting: a request for 10 more seats, asked by Terry Lead");
    await expect(pending).toContainText(`Message: Purchase order PO-${run} follows`);
    await expectAccessible(lead, "billing (open seat request)");

    // The platform admin follows the mail to the open requests.
    await admin.goto(await linkFromLatestMail(browser, adminUser.email, new RegExp(`Seat request: ${name} asks for 10 more seats`)));
    await expect(admin.getByRole("heading", { name: "Seat requests", level: 1 })).toBeVisible();
    const card = admin.getByRole("listitem").filter({ has: admin.getByRole("heading", { name: `${name}: 10 more seats` }) });
    await expect(card).toContainText(`Purchase order PO-${run} follows`);
    await expect(card).toContainText("A staff-list upload");
    await expectAccessible(admin, "seat requests (open)");
    await card.getByRole("button", { name: "Mark handled and email Terry Lead" }).click();
    await expect(admin.getByRole("link", { name: "Enter a note for the training lead: what was done, or why not" })).toBeVisible();
    await expectAccessible(admin, "seat requests (note missing)");
    await admin.getByLabel("Note to Terry Lead").fill(`Granted 10 seats for a year against PO-${run}`);
    await admin.getByRole("button", { name: "Mark handled and email Terry Lead" }).click();
    await expect(admin.getByText(`Request from ${name} marked handled`)).toBeVisible();
    await expect(admin.getByRole("table", { name: "Seat requests handled recently, newest first" }).getByRole("row", { name: new RegExp(name) })).toContainText(`Granted 10 seats for a year against PO-${run}`);
    await expectAccessible(admin, "seat requests (handled)");

    // The admin grants the seats on the force's licences page (reached from the handled request).
    await admin.getByRole("link", { name }).first().click();
    await admin.getByLabel("Number of seats").fill("10");
    await admin.getByRole("button", { name: "Grant licence" }).click();
    await expect(admin.getByText("Licence granted")).toBeVisible();

    // The lead is mailed the note, and sees the answer on the billing page.
    const answer = await linkFromLatestMail(browser, leadEmail, /Your request for 10 more seats for/);
    expect(answer).toBe(`/org/${slug}/billing`);
    await lead.goto(answer);
    await expect(lead.getByText(`Your last request, for 10 seats, was handled by`)).toContainText(`Granted 10 seats for a year against PO-${run}`);

    // The rows left out, checked again now that there are seats, and applied.
    await fromMenu(lead, name, "People");
    await lead.getByRole("link", { name: "Upload a staff list (CSV)" }).click();
    await lead.getByRole("link", { name: "staff.csv", exact: true }).click();
    await lead.getByRole("button", { name: "Check the 3 rows left out again" }).click();
    await expect(lead.getByText("staff.csv (rows left out)")).toBeVisible();
    await lead.getByRole("button", { name: "Apply: invite 3, update 0" }).click();
    await expect(lead.getByRole("heading", { name: "Staff list applied" })).toBeVisible({ timeout: 30_000 });
    await fromMenu(lead, name, "Seats and billing");
    await expect(lead.locator("dl.summary-list").first()).toContainText("Free seats2");

    expect(adminErrors).toEqual([]);
    expect(leadErrors).toEqual([]);
    await admin.context().close();
    await lead.context().close();
  });
}
