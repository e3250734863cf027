import fs from "node:fs";
import path from "node:path";
import { expect } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { adminCredentials, expectAccessible, markNoJavaScript, signIn, STATE_DIR, type Credentials } from "./helpers.ts";

/**
 * Issue 15, item 3 (in part): the upload page shows the seats before the
 * upload, and the billing page says where to send a purchase order (here,
 * with no SUPPORT_EMAIL set, the platform administrator's address).
 */

type Seed = { org: { slug: string; name: string }; lead: Credentials };
const seed = (): Seed => JSON.parse(fs.readFileSync(path.join(STATE_DIR, "reports-seed.json"), "utf8")) as Seed;

for (const javaScript of [true, false]) {
  test(`a lead sees the seats before uploading and where to ask for more (JavaScript ${javaScript ? "on" : "off"})`, async ({ browser }) => {
    const admin = await adminCredentials(browser);
    const { org, lead } = seed();
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const page = await context.newPage();
    if (!javaScript) markNoJavaScript(page);
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await signIn(page, lead);
    await page.getByRole("link", { name: "manage training as a training lead" }).click();
    await page.getByRole("navigation", { name: `${org.name} training` }).getByRole("link", { name: "People", exact: true }).click();
    await page.getByRole("link", { name: "Upload a staff list (CSV)" }).click();
    const seats = page.getByRole("region", { name: "Seats" });
    await expect(seats).toContainText(/^\d+ seats? free of 50/);
    await expect(seats.getByRole("link", { name: admin.email })).toHaveAttribute("href", `mailto:${admin.email}?subject=${encodeURIComponent(`More Distinct seats for ${org.name}`)}`);
    await expectAccessible(page, "upload staff list (seats)");

    await seats.getByRole("link", { name: "See seats and billing" }).click();
    await expect(page.getByRole("heading", { name: "Buy seats by invoice" })).toBeVisible();
    await expect(page.getByRole("link", { name: admin.email })).toHaveAttribute("href", `mailto:${admin.email}?subject=${encodeURIComponent(`Purchase order for Distinct seats: ${org.name}`)}`);
    await expectAccessible(page, "billing (purchase order address)");
    expect(errors).toEqual([]);
    await context.close();
  });
}
