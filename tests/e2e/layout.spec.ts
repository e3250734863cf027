import { expect, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { markNoJavaScript } from "./helpers.ts";

/** Where the footer ends, and how tall the window and the document are. */
async function footerPlacement(page: Page) {
  return page.evaluate(() => {
    const footer = document.querySelector(".site-footer");
    if (!footer) throw new Error("no footer");
    return {
      footerBottom: Math.round(footer.getBoundingClientRect().bottom + window.scrollY),
      documentHeight: document.documentElement.scrollHeight,
      windowHeight: window.innerHeight,
    };
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`on a short page the footer sits at the bottom of the window, with nothing under it (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 1400 } });
    const page = await context.newPage();
    if (!javaScriptEnabled) markNoJavaScript(page);
    await page.goto("/verify");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // The verify page is shorter than this window: the footer ends exactly at the window's bottom edge.
    expect(await footerPlacement(page)).toEqual({ footerBottom: 1400, documentHeight: 1400, windowHeight: 1400 });
    await context.close();
  });
}

test("a request the router aborts is not reported as a page error, and any other unhandled rejection still is", async ({ page }) => {
  // An action's redirect aborts the action's own request while single fetch may
  // still be reading it; turbo-stream then leaves that AbortError unhandled
  // (see app/entry.client.tsx). It failed the confirmations journey about one
  // run in ten. The page must mark only that abort handled.
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/verify");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.waitForFunction(() => "__remixRouter" in window);
  await page.evaluate(() => {
    const controller = new AbortController();
    controller.abort();
    void Promise.reject(controller.signal.reason);
    void Promise.reject(new Error("a real fault"));
  });
  await expect.poll(() => errors).toEqual(["a real fault"]);
});
