import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";

const here = path.dirname(fileURLToPath(import.meta.url));
export const STATE_DIR = path.join(here, ".state");
export const ROOT = path.resolve(here, "..", "..");

export const uid = () => crypto.randomBytes(4).toString("hex");

const javaScriptOff = new WeakSet<Page>();

/** Marks a page as running with JavaScript disabled (axe then runs on a copy of what it received). */
export function markNoJavaScript(page: Page) {
  javaScriptOff.add(page);
}

/**
 * Zero axe violations against WCAG 2.2 AA (and the A/AA rules of 2.0 and
 * 2.1). axe itself is JavaScript, so for a page with JavaScript off it runs on
 * a copy of the document that page holds (the HTML it received: no script ran
 * there), served at the same address in a JavaScript-on twin so styles load
 * alike. Its scripts are taken out so the copy stays as the user saw it. A
 * page reached by posting a form is checked as answered, not as its GET.
 */
export async function expectAccessible(page: Page, label?: string) {
  let target = page;
  let twin: Awaited<ReturnType<Browser["newContext"]>> | null = null;
  if (javaScriptOff.has(page)) {
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser");
    const url = page.url();
    const received = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
    twin = await browser.newContext({ storageState: await page.context().storageState() });
    target = await twin.newPage();
    await target.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: received }), { times: 1 });
    await target.goto(url);
  }
  const results = await new AxeBuilder({ page: target }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  await twin?.close();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary, `axe violations on ${label ?? page.url()}`).toEqual([]);
}

/** The one-time /setup link the server printed in its log, as an operator would find it. */
export function readSetupUrl(): string | null {
  const log = fs.readFileSync(path.join(STATE_DIR, "server.log"), "utf8");
  const match = /Create the first one within \d+ hours at: (\S+)/.exec(log);
  return match?.[1] ?? null;
}

export type Credentials = { name: string; email: string; password: string };

/**
 * The platform admin for this run: created through /setup the first time
 * (the real first-run path), remembered in .state for later tests.
 */
export async function adminCredentials(browser: Browser): Promise<Credentials> {
  const file = path.join(STATE_DIR, "admin.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as Credentials;
  const setupUrl = readSetupUrl();
  if (!setupUrl) throw new Error("The server log has no /setup link");
  const admin = { name: "Ada Admin", email: `admin-${uid()}@trust.example.org`, password: "trust admin pass phrase" };
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL(setupUrl).pathname + new URL(setupUrl).search);
  await page.getByLabel("Full name").fill(admin.name);
  await page.getByLabel("Email address").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByLabel("Confirm password").fill(admin.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.getByRole("heading", { name: "Administration", level: 1 })).toBeVisible();
  await context.close();
  fs.writeFileSync(file, JSON.stringify(admin));
  return admin;
}

export async function signIn(page: Page, user: Pick<Credentials, "email" | "password">) {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(user.email);
  // /login asks for the email first (issue 19), then the password.
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/**
 * The newest mail to `to` whose subject matches, read from the admin outbox
 * (the mail is kept there when no SMTP server is configured). Returns the
 * first link in it.
 */
export async function linkFromLatestMail(browser: Browser, to: string, subject: RegExp): Promise<string> {
  const admin = await adminCredentials(browser);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, admin);
  let href: string | null = null;
  for (let attempt = 0; attempt < 20 && !href; attempt++) {
    await page.goto(`/admin/outbox?q=${encodeURIComponent(to)}`);
    const link = page.getByRole("link", { name: subject }).first();
    if (await link.count()) {
      await link.click();
      href = await page.locator(".mail-text a").first().getAttribute("href");
    } else {
      await page.waitForTimeout(500);
    }
  }
  await context.close();
  if (!href) throw new Error(`No mail to ${to} matching ${subject}`);
  const url = new URL(href);
  return `${url.pathname}${url.search}`;
}

/** Signs up through the form and confirms the address from the mail, which signs them in. */
export async function signUpVerifiedLearner(browser: Browser, page: Page, name = "Łukasz Nowak"): Promise<Credentials> {
  const learner = { name, email: `learner-${uid()}@force.example.org`, password: "three random words" };
  await page.goto("/signup");
  await page.getByLabel("Full name").fill(learner.name);
  await page.getByLabel("Email address").fill(learner.email);
  await page.getByLabel("Create a password").fill(learner.password);
  await page.getByLabel("Confirm password").fill(learner.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const link = await linkFromLatestMail(browser, learner.email, /Confirm your email address/);
  await page.goto(link);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  // Confirming signs them in and takes them to their learning (issue 15): no second sign-in.
  await expect(page.getByRole("heading", { name: "My learning" })).toBeVisible();
  return learner;
}
