import fs from "node:fs";
import path from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible, opened, ROOT, signUpVerifiedLearner, STATE_DIR } from "./helpers.ts";

/**
 * Every module's overview and every lesson of the shipped curriculum must pass
 * axe. One test per module (a module is one journey: from the list of modules,
 * its first lesson, then "Next lesson →" to its last), all as one learner who
 * signed up once.
 */
const MODULES = fs
  .readdirSync(path.join(ROOT, "content", "modules"))
  .filter((dir) => fs.existsSync(path.join(ROOT, "content", "modules", dir, "index.mdx")))
  .sort();

const LEARNER_STATE = path.join(STATE_DIR, "curriculum-learner.json");

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpVerifiedLearner(browser, page, "Gwenllïan Ŵyn");
  await context.storageState({ path: LEARNER_STATE });
  await context.close();
});

async function learnerOnModules(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: LEARNER_STATE });
  const page = await context.newPage();
  await page.goto("/modules");
  await opened(page, "Modules");
  return page;
}

/** From the list of modules, a click on the module's card: its overview, and its lessons as the overview lists them. */
async function openModule(page: Page, slug: string): Promise<{ href: string; title: string }[]> {
  await page.locator(`.card .card__title a[href="/modules/${slug}"]`).click();
  await page.waitForURL(new RegExp(`/modules/${slug}$`));
  // With JavaScript the address changes before React shows the overview: wait for its list.
  await expect(page.locator(".task-list a").first()).toBeVisible();
  return page.locator(".task-list a").evaluateAll((links) =>
    links.map((a) => ({ href: a.getAttribute("href") ?? "", title: a.textContent?.trim() ?? "" })).filter((l) => !l.href.endsWith("/quiz")),
  );
}

test("the list of modules is accessible and offers every module of the curriculum", async ({ browser }) => {
  expect(MODULES.length).toBeGreaterThanOrEqual(4);
  const page = await learnerOnModules(browser);
  await expectAccessible(page, "modules");
  const listed = await page.locator(".card .card__title a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute("href") ?? ""));
  expect(listed.sort()).toEqual(MODULES.map((slug) => `/modules/${slug}`));
  await page.context().close();
});

for (const slug of MODULES) {
  test(`${slug}: its overview and every lesson, reached by "Next lesson", are accessible`, async ({ browser }) => {
    const page = await learnerOnModules(browser);
    const lessons = await openModule(page, slug);
    await expectAccessible(page, `/modules/${slug}`);
    expect(lessons.length).toBeGreaterThanOrEqual(3);
    await page.locator(`.task-list a[href="${lessons[0]!.href}"]`).click();
    for (const [index, { href: lesson, title }] of lessons.entries()) {
      // With JavaScript the address changes before React shows the new lesson (a transition):
      // its heading, not the address, says the page is there for axe to check.
      await opened(page, title);
      expect(new URL(page.url()).pathname).toBe(lesson);
      await expect(page.locator("article.prose")).toBeVisible();
      // The page's own "Next lesson →" is the one way on: the lesson text does not repeat it.
      await expect(page.locator("article.prose").getByText(/^Next:/)).toHaveCount(0);
      const next = page.getByRole("link", { name: /Next lesson/ });
      await expect(next).toHaveCount(index < lessons.length - 1 ? 1 : 0);
      await expectAccessible(page, lesson);
      if (index < lessons.length - 1) await next.click();
    }
  });
}

test("printed, the offence reference table keeps its table and loses the site's header, breadcrumbs, lesson navigation and buttons", async ({ browser }) => {
  const page = await learnerOnModules(browser);
  await page.locator('.card .card__title a[href="/modules/the-law"]').click();
  await page.locator(".task-list").getByRole("link", { name: /Offence reference table/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Offence reference table" })).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Lessons" })).toBeHidden();
  await expect(page.getByRole("table").first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "Offences Against the Person Act 1861, s.16" })).toBeVisible();
  await page.context().close();
});

test("a lesson's own links (next, previous, its contents, the breadcrumb) move within the page with JavaScript, and are plain links without", async ({ browser }) => {
  const slug = MODULES[0]!;
  const page = await learnerOnModules(browser);
  const lessons = await openModule(page, slug);
  await page.locator(`.task-list a[href="${lessons[0]!.href}"]`).click();
  await opened(page, lessons[0]!.title);
  // A mark on this document: a full page load would lose it.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));
  const sameDocument = () => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

  await page.getByRole("link", { name: /Next lesson/ }).click();
  await opened(page, lessons[1]!.title);
  expect(new URL(page.url()).pathname).toBe(lessons[1]!.href);
  await page.getByRole("link", { name: /Previous lesson/ }).click();
  await opened(page, lessons[0]!.title);
  await page.getByText("All lessons in this module").click();
  await page.locator(".lesson-contents").getByRole("link", { name: lessons[2]!.title, exact: true }).click();
  await opened(page, lessons[2]!.title);
  // Back goes to the lesson before, in the same document, as after a <Link>.
  await page.goBack();
  await opened(page, lessons[0]!.title);
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link").last().click();
  await page.waitForURL(new RegExp(`/modules/${slug}$`));
  await expect(page.locator(".task-list")).toBeVisible();
  expect(await sameDocument()).toBe(true);
  await page.context().close();

  // Without JavaScript the same links are ordinary links.
  const context = await browser.newContext({ storageState: LEARNER_STATE, javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto("/modules");
  await openModule(plain, slug);
  await plain.locator(`.task-list a[href="${lessons[0]!.href}"]`).click();
  await opened(plain, lessons[0]!.title);
  await plain.getByRole("link", { name: /Next lesson/ }).click();
  await opened(plain, lessons[1]!.title);
  expect(new URL(plain.url()).pathname).toBe(lessons[1]!.href);
  await plain.getByText("All lessons in this module").click();
  await plain.locator(".lesson-contents").getByRole("link", { name: lessons[2]!.title, exact: true }).click();
  await opened(plain, lessons[2]!.title);
  await context.close();
});
