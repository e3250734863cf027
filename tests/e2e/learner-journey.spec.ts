import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible, markNoJavaScript, opened, signUpVerifiedLearner } from "./helpers.ts";
import { passQuiz } from "./quiz-helpers.ts";

/**
 * Sign up, confirm the email from the outbox, complete the first module
 * (every lesson, then the assessment: failed once, then passed, with no answer
 * key reaching the browser before submission), and see it completed in My
 * learning.
 * Every page on the way must pass axe.
 */
async function journey(browser: Browser, page: Page) {
  await page.goto("/");
  await expectAccessible(page, "home");
  await page.getByRole("link", { name: "Create an account" }).first().click();
  await opened(page, "Create an account");
  await expectAccessible(page, "sign up");
  await signUpVerifiedLearner(browser, page);
  await expectAccessible(page, "my learning (empty)");

  await page.getByRole("link", { name: "Modules", exact: true }).first().click();
  await expect(page.getByRole("heading", { name: "Modules", level: 1 })).toBeVisible();
  await expectAccessible(page, "modules");
  const first = page.locator(".card .card__title a").first();
  const moduleTitle = (await first.textContent()) ?? "";
  await first.click();
  await expect(page.getByRole("heading", { name: moduleTitle, level: 1 })).toBeVisible();
  await expectAccessible(page, "module overview");
  const slug = new URL(page.url()).pathname.split("/")[2] ?? "";

  await page.getByRole("button", { name: "Start module" }).click();
  await page.waitForURL(new RegExp(`/modules/${slug}/[^/]+$`));
  let lessons = 0;
  // Mark each lesson complete until the module sends us to the assessment or back to the overview.
  while (/\/modules\/[^/]+\/(?!quiz)[^/]+$/.test(new URL(page.url()).pathname)) {
    await expect(page.locator("h1")).toBeVisible();
    if (lessons === 0) {
      await expect(page.getByText(/0 of \d+ lessons complete/)).toBeVisible();
      await expectAccessible(page, "lesson");
    }
    lessons++;
    const before = page.url();
    await page.getByRole("button", { name: /Mark complete/ }).click();
    await page.waitForURL((url) => url.href !== before);
    expect(lessons).toBeLessThan(20);
  }
  expect(lessons).toBeGreaterThan(0);

  expect(new URL(page.url()).pathname).toBe(`/modules/${slug}/quiz`);
  await passQuiz(page, slug, { failFirst: true, checkLeaks: true, onPage: (label) => expectAccessible(page, label) });

  await page.getByRole("link", { name: "Modules", exact: true }).first().click();
  await opened(page, "Modules");
  await page.locator(`.card .card__title a[href="/modules/${slug}"]`).click();
  await opened(page, moduleTitle);
  await expect(page.getByRole("table", { name: "Your attempts at this module's assessment" }).getByRole("row")).toHaveCount(3);
  await expectAccessible(page, "module overview (completed, with attempts)");

  await page.getByRole("link", { name: "My learning", exact: true }).click();
  await opened(page, "My learning");
  await expectAccessible(page, "my learning (completed)");
  const completed = page.getByRole("table", { name: "Completed modules" });
  await expect(completed.getByRole("link", { name: moduleTitle, exact: true })).toBeVisible();
  await expect(completed.getByRole("link", { name: new RegExp(`for ${moduleTitle}$`) })).toBeVisible();
  await expect(completed.locator(".tag", { hasText: "Completed" })).toHaveCount(1);
}

// A whole module, twice through the assessment, with axe on every page. The limit catches a
// hang, it does not time the journey.
test.describe.configure({ timeout: 120_000 });

test("a learner signs up, confirms their email and completes the first module", async ({ browser, page }) => {
  await journey(browser, page);
});

test("the learner pages reflow at 320 pixels wide without scrolling sideways", async ({ browser, page }) => {
  await page.setViewportSize({ width: 320, height: 700 });
  await signUpVerifiedLearner(browser, page, "Siobhán Ní Bhriain");
  for (const path of ["/", "/modules", "/modules/recognising-stalking", "/modules/recognising-stalking/what-stalking-is", "/learning", "/certificates", "/verify"]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
  }
});

test("the same journey works with JavaScript disabled", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  markNoJavaScript(page);
  await journey(browser, page);
  await context.close();
});
