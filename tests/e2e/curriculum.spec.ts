import { expect } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible, signUpVerifiedLearner } from "./helpers.ts";

test.describe.configure({ timeout: 240_000 });

/** Every module's overview and every lesson of the shipped curriculum must pass axe. */
test("every module page and lesson of the curriculum is accessible", async ({ browser, page }) => {
  await signUpVerifiedLearner(browser, page, "Gwenllïan Ŵyn");
  await page.goto("/modules");
  await expectAccessible(page, "modules");
  const modules = await page.locator(".card .card__title a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute("href") ?? ""));
  expect(modules.length).toBeGreaterThanOrEqual(4);
  let lessons = 0;
  for (const href of modules) {
    await page.goto(href);
    await expectAccessible(page, href);
    const lessonLinks = await page
      .locator(".task-list a")
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute("href") ?? "").filter((h) => !h.endsWith("/quiz")));
    expect(lessonLinks.length).toBeGreaterThanOrEqual(3);
    for (const [index, lesson] of lessonLinks.entries()) {
      await page.goto(lesson);
      await expect(page.locator("article.prose")).toBeVisible();
      // The page's own "Next lesson →" is the one way on: the lesson text does not repeat it.
      await expect(page.locator("article.prose").getByText(/^Next:/)).toHaveCount(0);
      await expect(page.getByRole("link", { name: /Next lesson/ })).toHaveCount(index < lessonLinks.length - 1 ? 1 : 0);
      await expectAccessible(page, lesson);
      lessons++;
    }
  }
  expect(lessons).toBeGreaterThanOrEqual(12);

  // The offence reference table is the printable handout: printed, the lesson keeps its table and loses
  // the site's header, breadcrumbs, lesson navigation and buttons.
  await page.goto("/modules/the-law/offence-reference-table");
  await expect(page.getByRole("heading", { level: 1, name: "Offence reference table" })).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Lessons" })).toBeHidden();
  await expect(page.getByRole("table").first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "Offences Against the Person Act 1861, s.16" })).toBeVisible();
  await page.emulateMedia({ media: "screen" });
});
