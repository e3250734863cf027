import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type Browser, type Frame, type Page } from "@playwright/test";

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
 * 2.1). axe itself is JavaScript (its timers never fire in a page with
 * JavaScript off), so for such a page it runs on a copy of the document that
 * page holds (the HTML it received: no script ran there), served at the same
 * address to a page with JavaScript on so styles load alike. Its scripts are
 * taken out so the copy stays as the user saw it. A page reached by posting a
 * form is checked as answered, not as its GET: the check fails rather than
 * fall back to fetching the address.
 */
export async function expectAccessible(page: Page, label?: string) {
  let target = page;
  let release: (() => void) | null = null;
  if (javaScriptOff.has(page)) {
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser");
    // The document as this page holds it: without JavaScript, what the server sent (a POST's answer included).
    const received = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
    const url = new URL(page.url());
    url.hash = "";
    ({ page: target, release } = await axePage(browser));
    let served = false;
    await target.route(
      (u) => u.href === url.href,
      (route) => {
        served = true;
        return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: received });
      },
      { times: 1 },
    );
    try {
      await target.goto(url.href);
      // Never a fresh GET of the address in place of the copy.
      if (!served) throw new Error(`axe would have checked a fresh GET of ${url.href}, not the page received`);
    } catch (error) {
      release();
      throw error;
    } finally {
      await target.unrouteAll();
    }
  }
  try {
    const violations = await axeViolations(target);
    const summary = violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    expect(summary, `axe violations on ${label ?? page.url()}`).toEqual([]);
  } finally {
    release?.();
  }
}

/**
 * axe-core as @axe-core/playwright runs it (its own copy, so the same version and rules), but put into a
 * document once: a page that goes on to another check after a client-side navigation keeps it. AxeBuilder
 * sent all 0.5 MB of axe to the page two or three times a check and finished each run in a new tab (its
 * "partial" mode, for cross-origin frames: the app has none); that was most of the browser's CPU in the
 * suite (ADR 048).
 */
const AXE_SOURCE = (createRequire(createRequire(import.meta.url).resolve("@axe-core/playwright"))("axe-core") as { source: string }).source;
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
type AxeViolation = { id: string; help: string; nodes: { target: string[] }[] };

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Every frame of the page gets axe (axe.run asks each same-origin frame's copy for its part); as with
  // AxeBuilder, a child frame that cannot take it (gone, or another origin's) is left out, the page itself never.
  const inject = async (frame: Frame) => {
    if (await frame.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === "object")) return;
    await frame.evaluate(`${AXE_SOURCE};axe.configure({ allowedOrigins: ["<same_origin>"], branding: { application: "playwright" } });`);
  };
  await Promise.all(page.frames().map((frame) => (frame === page.mainFrame() ? inject(frame) : inject(frame).catch(() => undefined))));
  // Only violations are read: axe then skips listing every passing and inapplicable node (the same rules run).
  return page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe
        .run(document, { resultTypes: ["violations"], runOnly: { type: "tag", values: tags } })
        .then((results) => results.violations),
    WCAG_AA,
  );
}

/**
 * One page with JavaScript on, per browser, where axe checks the copies: no
 * cookies (the copy is served to it whole; styles and fonts are public, and
 * stay in its cache from one check to the next). One check at a time.
 */
const axePages = new WeakMap<Browser, { page: Promise<Page>; queue: Promise<void> }>();
async function axePage(browser: Browser): Promise<{ page: Page; release: () => void }> {
  let entry = axePages.get(browser);
  if (!entry) {
    entry = { page: browser.newContext().then((context) => context.newPage()), queue: Promise.resolve() };
    axePages.set(browser, entry);
  }
  const previous = entry.queue;
  let release!: () => void;
  entry.queue = new Promise<void>((resolve) => (release = resolve));
  await previous;
  return { page: await entry.page, release };
}

/**
 * Waits for the page a click opened: its main heading shown and, with
 * JavaScript on, Remix's router idle (no navigation, revalidation or fetcher
 * still under way that could replace the page under the next check).
 */
export async function opened(page: Page, heading: string | RegExp) {
  await expect(page.getByRole("heading", { level: 1, name: heading, exact: typeof heading === "string" })).toBeVisible();
  await page.waitForFunction(() => {
    const router = (window as unknown as { __remixRouter?: { state: { navigation: { state: string }; revalidation: string; fetchers: Map<string, { state: string }> } } }).__remixRouter;
    if (!router) return true;
    const { navigation, revalidation, fetchers } = router.state;
    return navigation.state === "idle" && revalidation === "idle" && [...fetchers.values()].every((f) => f.state === "idle");
  });
}

/** From any page, a platform admin follows the header's Admin link, the Organisations menu and its button to add one. */
export async function openAddOrganisation(page: Page) {
  await page.getByRole("link", { name: "Admin", exact: true }).click();
  await opened(page, "Administration");
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Organisations" }).click();
  await opened(page, "Organisations");
  await page.getByRole("link", { name: "Add an organisation" }).click();
  await opened(page, "Add an organisation");
}

/** The one-time /setup link the server printed in its log, as an operator would find it. */
export function readSetupUrl(): string | null {
  const log = fs.readFileSync(path.join(STATE_DIR, "server.log"), "utf8");
  const match = /Create the first one within \d+ hours at: (\S+)/.exec(log);
  return match?.[1] ?? null;
}

export type Credentials = { name: string; email: string; password: string };

/**
 * Runs `make` in one worker at a time (Playwright's workers are processes): a lock directory in .state,
 * made atomically. A worker that finds it taken waits for the one holding it to finish.
 */
async function oneWorkerAtATime<T>(name: string, make: () => Promise<T>): Promise<T> {
  const lock = path.join(STATE_DIR, `${name}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await make();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Written whole or not at all: another worker may read the file as soon as it exists. */
function writeWhole(file: string, text: string) {
  fs.writeFileSync(`${file}.${process.pid}.tmp`, text);
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

/**
 * The platform admin for this run: created through /setup the first time
 * (the real first-run path), remembered in .state for later tests. The
 * one-time link works once, so one worker makes the admin and the others
 * wait for it.
 */
export async function adminCredentials(browser: Browser): Promise<Credentials> {
  const file = path.join(STATE_DIR, "admin.json");
  const read = () => JSON.parse(fs.readFileSync(file, "utf8")) as Credentials;
  if (fs.existsSync(file)) return read();
  return oneWorkerAtATime("admin", async () => (fs.existsSync(file) ? read() : createAdmin(browser, file)));
}

async function createAdmin(browser: Browser, file: string): Promise<Credentials> {
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
  writeWhole(file, JSON.stringify(admin));
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
  const context = await browser.newContext({ storageState: await adminSession(browser) });
  const page = await context.newPage();
  // The mail is queued in the transaction of the change it reports, so it is there once that page answered;
  // the outbox is searched again (no pause) only while another process's commit could still be landing.
  let href: string | null = null;
  for (let attempt = 0; attempt < 10 && !href; attempt++) {
    await page.goto(`/admin/outbox?q=${encodeURIComponent(to)}`);
    const link = page.getByRole("link", { name: subject }).first();
    if (await link.count()) {
      await link.click();
      href = await page.locator(".mail-text a").first().getAttribute("href");
    }
  }
  await context.close();
  if (!href) throw new Error(`No mail to ${to} matching ${subject}`);
  const url = new URL(href);
  return `${url.pathname}${url.search}`;
}

/**
 * The platform admin's signed-in session, made once per run and reused (one sign-in, not one per mail
 * or per spec) where signing in is not what is tested: a storageState file for browser.newContext().
 */
export async function adminSession(browser: Browser): Promise<string> {
  const file = path.join(STATE_DIR, "admin-session.json");
  if (fs.existsSync(file)) return file;
  return oneWorkerAtATime("admin-session", async () => {
    if (fs.existsSync(file)) return file;
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, await adminCredentials(browser));
    writeWhole(file, JSON.stringify(await context.storageState()));
    await context.close();
    return file;
  });
}

/** Signs up through the form and confirms the address from the mail, which signs them in. */
export async function signUpVerifiedLearner(browser: Browser, page: Page, name = "Łukasz Nowak"): Promise<Credentials> {
  const learner = { name, email: `learner-${uid()}@force.example.org`, password: "three random words" };
  // The sign-up page, unless the journey has just clicked its way there.
  if (new URL(page.url()).pathname !== "/signup") await page.goto("/signup");
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
