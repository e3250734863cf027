import fs from "node:fs";
import path from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { adminCredentials, ROOT, signIn, STATE_DIR, type Credentials } from "./helpers.ts";

/**
 * With JavaScript on, each role reaches every page the site links to by
 * clicking, as a person would; only the sign-in page is typed. A route module
 * that fails to load in the browser (a Node global such as Buffer in its
 * chunk) does not fail loudly: Remix logs "Error loading route module" and
 * reloads the page the person was on, so the link looks dead. The walk fails
 * on that message, on any console error or uncaught page error, on a 5xx or a
 * 404, and on a Remix link that loaded a whole document instead of
 * navigating in the page.
 *
 * Bounded: one page per route (one person's page stands for all of them),
 * to a depth of 12, at most 80 clicks per role (the header links make every
 * page one click from every other, so depth alone would not bound it).
 */

type Seed = { org: { slug: string }; lead: Credentials; learner: Credentials };
const seed = (): Seed => JSON.parse(fs.readFileSync(path.join(STATE_DIR, "reports-seed.json"), "utf8")) as Seed;

const MAX_CLICKS = 80;
const MAX_DEPTH = 12;

type Walk = { problems: string[]; visited: string[]; routes: Set<string>; clicks: number };

/**
 * Every route's address pattern, one entry per segment, "*" for a parameter,
 * read from the route files as Remix's flat routes name them:
 * "org.$orgSlug.people._index.tsx" is org/×/people.
 */
const ROUTE_PATTERNS: string[][] = fs
  .readdirSync(path.join(ROOT, "app", "routes"))
  .map((file) => file.replace(/\.tsx?$/, ""))
  .filter((id) => id !== "$")
  .map((id) =>
    id
      .split(/\.(?![^[]*\])/)
      .filter((segment) => segment !== "_index" && !segment.startsWith("_"))
      .map((segment) => (segment.startsWith("$") ? "*" : segment.replace(/_$/, "").replace(/\[|\]/g, ""))),
  );

/**
 * The route a path goes to, as a key: the matching pattern with the most
 * fixed segments, as Remix ranks them (people/import before people/$personId).
 */
function routeOf(pathname: string): string {
  const segments = pathname.split("/").filter(Boolean);
  const matches = ROUTE_PATTERNS.filter((p) => p.length === segments.length && p.every((s, i) => s === "*" || s === segments[i]));
  const best = matches.sort((a, b) => b.filter((s) => s !== "*").length - a.filter((s) => s !== "*").length)[0];
  return best ? `/${best.join("/")}` : pathname;
}

/** Links worth clicking on the page as it is now: same origin, a page (not a file), not the page itself. */
async function candidateLinks(page: Page): Promise<{ href: string; remixLink: boolean }[]> {
  return page.evaluate(() => {
    const here = new URL(window.location.href);
    const out: { href: string; remixLink: boolean }[] = [];
    for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>("header a[href], main a[href], footer a[href]"))) {
      const url = new URL(a.href, here);
      if (url.origin !== here.origin) continue;
      if (a.hasAttribute("download") || /\.(pdf|csv|xlsx|json)$/.test(url.pathname) || url.pathname.endsWith("/template")) continue;
      if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/webhooks/")) continue;
      if (url.pathname === here.pathname) continue;
      // Links inside a mail shown in the admin outbox are someone else's (invitations, confirmations).
      if (a.closest(".mail-text")) continue;
      const rect = a.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      // Remix's <Link> marks its anchors for route discovery; a plain <a> loads a whole document by design.
      out.push({ href: url.pathname + url.search, remixLink: a.hasAttribute("data-discover") });
    }
    return out;
  });
}

async function waitForIdle(page: Page) {
  await page.waitForFunction(() => {
    const router = (window as unknown as { __remixRouter?: { state: { navigation: { state: string } } } }).__remixRouter;
    return router !== undefined && router.state.navigation.state === "idle";
  });
}

async function walk(page: Page, walkState: Walk, depth: number) {
  const from = page.url();
  const links = await candidateLinks(page);
  for (const link of links) {
    if (walkState.clicks >= MAX_CLICKS) return;
    const route = routeOf(new URL(link.href, from).pathname);
    if (walkState.routes.has(route)) continue;
    walkState.routes.add(route);
    walkState.clicks++;

    // A marker on window survives a client navigation and is gone after a document load.
    await page.evaluate(() => Object.assign(window, { __clickWalkMarker: true }));
    // Mark the anchor to click by where it leads (its href may be written relative or absolute).
    const marked = await page.evaluate((target) => {
      // The header survives a client navigation, with the mark of an earlier click.
      for (const marked of Array.from(document.querySelectorAll("[data-click-walk]"))) marked.removeAttribute("data-click-walk");
      const anchors = Array.from(document.querySelectorAll<HTMLAnchorElement>("header a[href], main a[href], footer a[href]"));
      const match = anchors.find((a) => {
        const url = new URL(a.href, window.location.href);
        const rect = a.getBoundingClientRect();
        return url.pathname + url.search === target && rect.width > 0 && rect.height > 0;
      });
      match?.setAttribute("data-click-walk", "next");
      return match !== undefined;
    }, link.href);
    if (!marked) {
      // The link was on the page when it was read and is not now: the page was loaded again (coming back to it)
      // after another spec, on the same organisation, changed what it lists (a person removed, say). Not a dead
      // link, and nothing to click: its route stays unwalked, for another link to it.
      walkState.routes.delete(route);
      walkState.clicks--;
      continue;
    }
    try {
      await page.locator('[data-click-walk="next"]').click({ timeout: 5_000 });
      await page.waitForURL((url) => url.href !== from, { timeout: 10_000 });
      await page.waitForLoadState("load");
      await waitForIdle(page);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      walkState.problems.push(`clicking ${link.href} on ${new URL(from).pathname} did not leave the page (a route module that failed to load reloads the page instead): ${reason}`);
      continue;
    }
    const landed = new URL(page.url());
    walkState.visited.push(landed.pathname + landed.search);
    const client = await page.evaluate(() => "__clickWalkMarker" in window);
    if (link.remixLink && !client) {
      walkState.problems.push(`clicking ${link.href} on ${new URL(from).pathname} loaded a whole document instead of navigating in the page`);
    }
    // A redirect can land on a route already walked: then there is nothing new to click there.
    const landedRoute = routeOf(landed.pathname);
    // (The link's own route was marked walked before the click, so a failed click is not retried.)
    const fresh = landedRoute === route || !walkState.routes.has(landedRoute);
    walkState.routes.add(landedRoute);
    if (fresh && depth < MAX_DEPTH) await walk(page, walkState, depth + 1);
    if (page.url() !== from) {
      await page.goBack();
      await page.waitForURL(from);
      await waitForIdle(page);
    }
  }
}

async function walkAs(browser: Browser, user: Credentials, expectShapes: RegExp[]) {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  const walkState: Walk = { problems: [], visited: [], routes: new Set(), clicks: 0 };
  page.on("console", (message) => {
    if (message.type() === "error") walkState.problems.push(`console error on ${new URL(page.url()).pathname}: ${message.text()}`);
  });
  page.on("pageerror", (error) => walkState.problems.push(`page error on ${new URL(page.url()).pathname}: ${error.message}`));
  page.on("response", (response) => {
    const type = response.request().resourceType();
    if (response.status() >= 500 || (response.status() === 404 && (type === "document" || type === "fetch" || type === "script"))) {
      walkState.problems.push(`${response.status()} for ${response.url()} (from ${new URL(page.url()).pathname})`);
    }
  });
  await signIn(page, user);
  await waitForIdle(page);
  const start = new URL(page.url());
  walkState.visited.push(start.pathname);
  walkState.routes.add(routeOf(start.pathname));
  await walk(page, walkState, 1);
  await context.close();
  expect(walkState.problems, `visited: ${walkState.visited.join(", ")}`).toEqual([]);
  for (const shape of expectShapes) {
    expect(walkState.visited.some((v) => shape.test(v)), `reached a page matching ${shape} (visited: ${walkState.visited.join(", ")})`).toBe(true);
  }
}

test("a learner clicks through every page linked from their pages with no error", async ({ browser }) => {
  await walkAs(browser, seed().learner, [/^\/learning$/, /^\/modules$/, /^\/certificates$/, /^\/certificates\/[^/]+$/, /^\/tools\/is-it-stalking/, /^\/verify$/]);
});

test("a training lead clicks through every page of their organisation with no error", async ({ browser }) => {
  const { org } = seed();
  const base = `/org/${org.slug}`;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const under = (p: string) => new RegExp(`^${escape(base + p)}(\\?|$)`);
  await walkAs(browser, seed().lead, [
    under(""),
    under("/people"),
    // The link that was dead: its route module had Buffer in it.
    under("/people/import"),
    under("/people/invite"),
    under("/teams"),
    under("/assignments"),
    under("/assignments/new"),
    under("/reports"),
    under("/billing"),
    under("/audit"),
  ]);
});

test("a platform admin clicks through the administration pages with no error", async ({ browser }) => {
  const admin = await adminCredentials(browser);
  await walkAs(browser, admin, [/^\/admin$/, /^\/admin\/organisations$/, /^\/admin\/organisations\/new$/, /^\/admin\/certificates$/, /^\/admin\/outbox$/]);
});
