import crypto from "node:crypto";
import { expect, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { hashPassword } from "better-auth/crypto";
import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client.ts";
import { account, assignments, classifyAnswers, enrolments, member, modules, organisationSettings, organization, people, quizAttempts, user } from "#db/schema/index.ts";
import { OFFENCES } from "#app/utils/offences.ts";
import { expectAccessible, markNoJavaScript, uid, type Credentials } from "./helpers.ts";
import { curriculumDataDir, startOwnServer, type OwnServer } from "./own-server.ts";
import { readBank } from "./quiz-helpers.ts";

/**
 * The trust insight page, end to end. Answers to scenario questions cannot be
 * made quickly through the quiz UI in the numbers the page needs (10 or more
 * per figure), so this file starts its own production server on an embedded
 * database it has seeded first (a copy of the e2e database with the curriculum
 * and nobody in it), under DATA_DIR's lock like any other tool
 * (tests/e2e/own-server.ts, as billing.spec.ts does): a platform admin, an author, a learner
 * with no trust role, one organisation with an assignment, and answers.
 */

const ORG_NAME = "Northshire Constabulary";
const SLUG = "the-law";

type World = { url: string; admin: Credentials; author: Credentials; learner: Credentials; moduleTitle: string };

async function seedUser(db: Database, who: Credentials, role: "admin" | "author" | "user") {
  const id = crypto.randomUUID();
  await db.insert(user).values({ id, name: who.name, email: who.email, emailVerified: true, role });
  await db.insert(account).values({ id: crypto.randomUUID(), accountId: id, providerId: "credential", userId: id, password: await hashPassword(who.password), updatedAt: new Date() });
  return id;
}

async function seed(world: Omit<World, "url" | "moduleTitle">): Promise<{ dataDir: string; moduleTitle: string }> {
  let moduleTitle = "";
  const dataDir = await curriculumDataDir("insight", async (handle) => {
    const db = handle.db;
    const adminId = await seedUser(db, world.admin, "admin");
    await seedUser(db, world.author, "author");
    const learnerId = await seedUser(db, world.learner, "user");

    const orgId = crypto.randomUUID();
    await db.insert(organization).values({ id: orgId, name: ORG_NAME, slug: `northshire-${uid()}`, createdAt: new Date() });
    await db.insert(organisationSettings).values({ organizationId: orgId });
    await db.insert(member).values({ id: crypto.randomUUID(), organizationId: orgId, userId: learnerId, role: "member", createdAt: new Date() });
    await db.insert(people).values([
      { organizationId: orgId, email: world.learner.email, name: world.learner.name, status: "active", userId: learnerId },
      { organizationId: orgId, email: `officer-${uid()}@northshire.police.example`, name: "Officer Two", status: "active" },
    ]);
    const [mod] = await db.select({ id: modules.id, title: modules.title, versionId: modules.currentVersionId }).from(modules).where(eq(modules.slug, SLUG));
    if (!mod?.versionId) throw new Error(`no module ${SLUG}`);
    await db.insert(assignments).values({ organizationId: orgId, moduleId: mod.id, target: "organisation", dueDays: 30, createdBy: adminId });

    // Answers: one scenario answered 47 times lately and 12 times in 2020, another only 4 times.
    const classify = readBank(SLUG).flatMap((q) => (q.type === "classify" ? [q] : []));
    const first = classify[0];
    // A second scenario with another right answer, so its few answers make a row of their own.
    const second = classify.find((q) => q.answer !== first?.answer);
    if (!first || !second) throw new Error("the module needs two scenario questions with different answers");
    // A question without its own option list offers the whole vocabulary.
    const wrong = (first.options ?? OFFENCES).filter((o) => o !== first.answer);
    const answers = [
      ...Array.from({ length: 30 }, () => ({ q: first, chosen: first.answer, at: new Date() })),
      ...Array.from({ length: 14 }, () => ({ q: first, chosen: wrong[0]!, at: new Date() })),
      ...Array.from({ length: 3 }, () => ({ q: first, chosen: wrong[1]!, at: new Date() })),
      ...Array.from({ length: 12 }, () => ({ q: first, chosen: wrong[0]!, at: new Date("2020-03-01T12:00:00Z") })),
      ...Array.from({ length: 4 }, () => ({ q: second, chosen: second.answer, at: new Date() })),
    ];
    const [enrolment] = await db
      .insert(enrolments)
      .values({ userId: learnerId, organizationId: orgId, moduleId: mod.id, moduleVersionId: mod.versionId })
      .returning({ id: enrolments.id });
    const attempts = await db
      .insert(quizAttempts)
      .values(
        answers.map((_, i) => ({
          enrolmentId: enrolment!.id,
          userId: learnerId,
          moduleVersionId: mod.versionId!,
          attemptNumber: i + 1,
          seed: `seed-${i}`,
          questionIds: [],
          optionOrder: {},
          submittedAt: new Date(),
        })),
      )
      .returning({ id: quizAttempts.id });
    await db.insert(classifyAnswers).values(
      answers.map((a, i) => ({
        attemptId: attempts[i]!.id,
        questionId: a.q.id,
        userId: learnerId,
        organizationId: orgId,
        moduleVersionId: mod.versionId!,
        expected: a.q.answer,
        chosen: a.chosen,
        answeredAt: a.at,
      })),
    );
    const [{ rows } = { rows: 0 }] = await db.select({ rows: sql<number>`count(*)::int` }).from(sql`report_rows`);
    if (rows < 2) throw new Error("the report rows were not built");
    moduleTitle = mod.title;
  });
  return { dataDir, moduleTitle };
}

let world: World;
let server: OwnServer | undefined;

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  const people = {
    admin: { name: "Ada Admin", email: `admin-${uid()}@trust.example.org`, password: "trust admin pass phrase" },
    author: { name: "Arthur Author", email: `author-${uid()}@trust.example.org`, password: "trust author pass phrase" },
    learner: { name: "Lou Learner", email: `learner-${uid()}@northshire.police.example`, password: "learner pass phrase" },
  };
  const { dataDir, moduleTitle } = await seed(people);
  server = await startOwnServer("insight", dataDir);
  world = { ...people, url: server.url, moduleTitle };
});

test.afterAll(async () => {
  await server?.stop();
});

async function signInAt(page: Page, who: Credentials) {
  await page.goto(`${world.url}/login`);
  await page.getByLabel("Email address").fill(who.email);
  // /login asks for the email first (issue 19), then the password.
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

test("a platform admin sees the matrix with small figures withheld, the worst scenarios, and completion by organisation", async ({ page }) => {
  await signInAt(page, world.admin);
  await page.goto(`${world.url}/admin`);
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Insight" }).click();
  await expect(page.getByRole("heading", { name: "Insight", level: 1 })).toBeVisible();

  const matrix = page.getByRole("table", { name: /Answers given, by right answer/ });
  await expect(matrix).toBeVisible();
  // 59 answers to the first scenario's right answer: the correct cell is labelled in words.
  await expect(matrix.getByRole("cell", { name: /Correct/ }).first()).toBeVisible();
  await expect(matrix.getByText("fewer than 10").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Most common confusions" })).toBeVisible();
  await expect(page.locator(".confusion__list li").first()).toContainText(/answered as .*: 44% \(of 59 answers\)/);

  const questions = page.getByRole("table", { name: /scenario/ });
  await expect(questions.getByRole("row")).toHaveCount(3);
  await expect(questions.getByRole("row").nth(2)).toContainText("fewer than 10");

  await expect(page.getByRole("table", { name: "Completion by organisation" })).toContainText(ORG_NAME);
  await expect(page.getByRole("table", { name: "Completion by module, all organisations" })).toContainText(world.moduleTitle);
  await expectAccessible(page, "/admin/insight as a platform admin");
});

test("an author reaches Insight from the admin area, and sees no organisation at all", async ({ page }) => {
  await signInAt(page, world.author);
  await page.goto(`${world.url}/admin`);
  const nav = page.getByRole("navigation", { name: "Administration" });
  await expect(nav.getByRole("link", { name: "Organisations" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Insight" })).toBeVisible();
  await page.getByRole("heading", { name: "Insight", level: 2 }).getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Insight", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: /Answers given, by right answer/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Completion by organisation" })).toHaveCount(0);
  const html = await (await page.request.get(`${world.url}/admin/insight`)).text();
  const data = await (await page.request.get(`${world.url}/admin/insight.data`)).text();
  expect(html).not.toContain(ORG_NAME);
  expect(data).not.toContain(ORG_NAME);
  await expectAccessible(page, "/admin/insight as an author");
});

test("without JavaScript the filter works, and a bad value is a 400 that names it; learners are refused", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  markNoJavaScript(page);
  await signInAt(page, world.admin);
  await page.goto(`${world.url}/admin/insight`);
  await page.getByLabel("Module", { exact: true }).selectOption({ label: world.moduleTitle });
  await page.getByLabel("Answers since").fill("2024-01-01");
  await page.getByRole("button", { name: "Apply filter" }).click();
  await expect(page).toHaveURL(new RegExp(`module=${SLUG}&since=2024-01-01`));
  const matrix = page.getByRole("table", { name: new RegExp(`“${world.moduleTitle}”, answers since 1 January 2024`) });
  await expect(matrix).toBeVisible();
  // The twelve answers from 2020 are left out: 47 remain.
  await expect(page.locator(".confusion__list li").first()).toContainText("(of 47 answers)");
  await expectAccessible(page, "/admin/insight filtered, without JavaScript");

  const bad = await page.goto(`${world.url}/admin/insight?since=31-12-2024`);
  expect(bad?.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "There is a problem with the request" })).toBeVisible();
  await expect(page.getByText(/parameter “since”/)).toBeVisible();
  await context.close();

  const learnerContext = await browser.newContext();
  const learnerPage = await learnerContext.newPage();
  await signInAt(learnerPage, world.learner);
  const refused = await learnerPage.goto(`${world.url}/admin/insight`);
  expect(refused?.status()).toBe(403);
  await learnerContext.close();
});
