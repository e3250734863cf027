import fs from "node:fs";
import path from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible, linkFromLatestMail, markNoJavaScript, signIn, STATE_DIR, uid, type Credentials } from "./helpers.ts";

/**
 * Issue 15, item 5: every delete, removal, withdrawal and revocation asks
 * first ("Are you sure? This will …"), lets the person go back, and says
 * afterwards what changed, with JavaScript on and off. Works in a force the
 * seed made for it alone, so neither the reports spec's figures nor the
 * audit log the bad-input spec compares change under another worker.
 */

type Seed = { confirm: { lead: Credentials } };
const seed = (): Seed => JSON.parse(fs.readFileSync(path.join(STATE_DIR, "reports-seed.json"), "utf8")) as Seed;

async function leadPage(browser: Browser, javaScript: boolean): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.stack ?? e.message));
  await signIn(page, seed().confirm.lead);
  await page.getByRole("link", { name: "manage training as a training lead" }).click();
  return { page, errors };
}

const section = (page: Page, name: string) => page.getByRole("navigation", { name: /training$/ }).getByRole("link", { name, exact: true }).click();

for (const javaScript of [true, false]) {
  const js = `JavaScript ${javaScript ? "on" : "off"}`;

  test(`deleting a team asks first and then says what changed (${js})`, async ({ browser }) => {
    const { page, errors } = await leadPage(browser, javaScript);
    const teamName = `Night Shift ${uid()}`;
    await section(page, "Teams");
    await page.getByLabel("New team").fill(teamName);
    await page.getByRole("button", { name: "Add team" }).click();
    await expect(page.getByRole("link", { name: teamName, exact: true })).toBeVisible();

    await page.getByRole("link", { name: `Delete ${teamName}` }).click();
    await expect(page.getByRole("heading", { name: `Delete the team “${teamName}”?`, level: 1 })).toBeVisible();
    await expect(page.getByText("Are you sure? This will:")).toBeVisible();
    await expect(page.getByText("affect no one: the team has no people")).toBeVisible();
    await expectAccessible(page, "confirm deleting a team");
    // Going back changes nothing.
    await page.getByRole("link", { name: "No, go back" }).click();
    await expect(page.getByRole("link", { name: teamName, exact: true })).toBeVisible();

    await page.getByRole("link", { name: `Delete ${teamName}` }).click();
    await page.getByRole("button", { name: "Yes, delete the team" }).click();
    await expect(page.getByRole("status", { name: `Team “${teamName}” deleted` })).toContainText("It had no people.");
    await expect(page.getByRole("link", { name: teamName, exact: true })).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test(`withdrawing an invitation, removing a person and withdrawing an assignment ask first and say what changed (${js})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const { page, errors } = await leadPage(browser, javaScript);
    const invitee = { name: `Ian Invitee ${uid()}`, email: `ian-${uid()}@agency.example.org` };
    const joiner = { name: `Jan Joiner ${uid()}`, email: `jan-${uid()}@agency.example.org` };
    for (const person of [invitee, joiner]) {
      await section(page, "People");
      await page.getByRole("link", { name: "Invite someone" }).click();
      await page.getByLabel("Full name").fill(person.name);
      await page.getByLabel("Email address").fill(person.email);
      await page.getByRole("button", { name: "Send invitation" }).click();
      await expect(page.getByRole("heading", { name: person.name, level: 1 })).toBeVisible();
    }

    // The invitee's page, reached from the list.
    await section(page, "People");
    await page.getByRole("link", { name: invitee.name }).click();
    await page.getByRole("link", { name: "Withdraw the invitation" }).click();
    await expect(page.getByRole("heading", { name: `Withdraw the invitation to ${invitee.name}?`, level: 1 })).toBeVisible();
    await expect(page.getByText("stop the link in their invitation email from working")).toBeVisible();
    await expectAccessible(page, "confirm withdrawing an invitation");
    await page.getByRole("button", { name: "Yes, withdraw the invitation" }).click();
    await expect(page.getByRole("status", { name: `Invitation to ${invitee.name} (${invitee.email}) withdrawn` })).toBeVisible();
    await expect(page.getByRole("link", { name: invitee.name })).toHaveCount(0);

    // The joiner accepts; then the lead removes them.
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const joinerPage = await context.newPage();
    await joinerPage.goto(await linkFromLatestMail(browser, joiner.email, /has invited you to Distinct/));
    await joinerPage.getByLabel("Create a password").fill("joiner pass phrase words");
    await joinerPage.getByLabel("Confirm password").fill("joiner pass phrase words");
    await joinerPage.getByRole("button", { name: "Create account and join" }).click();
    await expect(joinerPage.getByRole("heading", { name: "My learning" })).toBeVisible();
    await context.close();

    await section(page, "People");
    await page.getByRole("link", { name: joiner.name }).click();
    await page.getByRole("link", { name: `Remove ${joiner.name}` }).click();
    await expect(page.getByRole("heading", { name: new RegExp(`^Remove ${joiner.name} from .+\\?$`), level: 1 })).toBeVisible();
    await expect(page.getByText("keep their training records and certificates; reports show them as left")).toBeVisible();
    await expectAccessible(page, "confirm removing a person");
    await page.getByRole("link", { name: "No, go back" }).click();
    await expect(page.getByRole("link", { name: `Remove ${joiner.name}` })).toBeVisible();
    await page.getByRole("link", { name: `Remove ${joiner.name}` }).click();
    await page.getByRole("button", { name: `Yes, remove ${joiner.name}` }).click();
    await expect(page.getByRole("status", { name: new RegExp(`^${joiner.name} has been removed from `) })).toContainText("their seat is free");

    // An assignment to everyone, withdrawn.
    await section(page, "Assignments");
    await page.getByRole("link", { name: "Assign a module" }).click();
    await page.getByLabel("Module").selectOption({ label: "Risk and response" });
    await page.getByRole("radio", { name: "Everyone in the organisation" }).check();
    await page.getByLabel("No due date").check();
    await page.getByRole("button", { name: "Assign module" }).click();
    await expect(page.getByRole("status", { name: /^Module assigned to/ })).toBeVisible();
    await page.getByRole("link", { name: "Withdraw assignment" }).click();
    await expect(page.getByRole("heading", { name: /^Withdraw “Risk and response” from \d+ (person|people)\?$/, level: 1 })).toBeVisible();
    await expectAccessible(page, "confirm withdrawing an assignment");
    await page.getByRole("button", { name: "Yes, withdraw the assignment" }).click();
    await expect(page.getByRole("status", { name: "“Risk and response” withdrawn" })).toContainText("Their progress and certificates are kept.");
    expect(errors).toEqual([]);
  });
}
