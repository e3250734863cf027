import { expect } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { adminCredentials, expectAccessible, markNoJavaScript, signIn, uid } from "./helpers.ts";

/**
 * The authors' question statistics and image pages, with JavaScript on and
 * off, as the platform admin (who passes every author check). The figures
 * themselves are worked by hand in tests/integration/question-statistics.test.ts;
 * here: the pages work, are accessible, and an upload round-trips.
 */

/** A 1×1 PNG whose last pixel byte is varied, so each run uploads a new image. */
function png(): Buffer {
  return Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2d3b1d70000000049454e44ae426082", "hex");
}

for (const javaScriptEnabled of [true, false]) {
  const js = javaScriptEnabled ? "on" : "off";

  test(`question statistics: the module list and a module's versions (JavaScript ${js})`, async ({ browser }) => {
    const admin = await adminCredentials(browser);
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    if (!javaScriptEnabled) markNoJavaScript(page);
    await signIn(page, admin);
    await page.goto("/studio/statistics");
    await expect(page.getByRole("heading", { name: "Question statistics", level: 1 })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("link", { name: "The law" }).click();
    await expect(page.getByRole("heading", { name: "Question statistics: The law", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: /^Version 1, published/, level: 2 })).toBeVisible();
    await expect(page.getByRole("table", { name: "Questions of version 1, in the order of the bank" })).toBeVisible();
    await expectAccessible(page);
    const missing = await page.goto("/studio/statistics/no-such-module");
    expect(missing?.status()).toBe(404);
    await expect(page.getByText("There is no module “no-such-module”.")).toBeVisible();
    await context.close();
  });

  test(`images: a refused upload says why at the field, a good one gives the snippet and an immutable address (JavaScript ${js})`, async ({ browser }) => {
    const admin = await adminCredentials(browser);
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    if (!javaScriptEnabled) markNoJavaScript(page);
    await signIn(page, admin);
    await page.goto("/studio/images");
    await expect(page.getByRole("heading", { name: "Images", level: 1 })).toBeVisible();
    await expectAccessible(page);

    // A hostile SVG: refused, with the reason in the error summary and at the field.
    await page.getByLabel("Image file").setInputFiles({ name: "chart.svg", mimeType: "image/svg+xml", buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') });
    await page.getByLabel("Alt text").fill("A chart");
    await page.getByRole("button", { name: "Upload image" }).click();
    await expect(page.getByRole("alert").getByText(/This SVG was refused: the SVG has an event handler \(onload\)/)).toBeVisible();
    await expect(page.getByLabel("Alt text")).toHaveValue("A chart");
    await expectAccessible(page);

    // No alt text and not decorative: refused at the alt field.
    await page.getByLabel("Image file").setInputFiles({ name: "timeline.png", mimeType: "image/png", buffer: png() });
    await page.getByLabel("Alt text").fill("");
    await page.getByRole("button", { name: "Upload image" }).click();
    await expect(page.getByRole("alert").getByText(/^Enter alt text/)).toBeVisible();

    const alt = `Timeline ${uid()}`;
    await page.getByLabel("Image file").setInputFiles({ name: "timeline.png", mimeType: "image/png", buffer: png() });
    await page.getByLabel("Alt text").fill(alt);
    await page.getByRole("button", { name: "Upload image" }).click();
    const status = page.getByRole("status");
    await expect(status.getByText(/^(Image uploaded|This image was already uploaded)$/)).toBeVisible();
    const snippet = (await status.locator("code").textContent()) ?? "";
    const hash = /hash="([a-f0-9]{64})"/.exec(snippet)?.[1];
    expect(hash).toMatch(/^[a-f0-9]{64}$/);
    await expectAccessible(page);

    const served = await page.request.get(`/images/${hash}`);
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toBe("image/png");
    expect(served.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(Buffer.compare(await served.body(), png())).toBe(0);
    await context.close();
  });
}
