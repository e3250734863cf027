import { expect, test } from "vitest";
import { createUser, importFixtures, sessionCookie } from "#tests/factories.ts";
import { createAppHandler } from "#tests/remix-handler.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);
const app = await createAppHandler();
const ORIGIN = "http://localhost:3999";
const SENTENCE = "Stalking is a pattern of fixated, obsessive, unwanted and repeated behaviour.";

const get = (pathname: string, cookie: string) => app(new Request(`${ORIGIN}${pathname}`, { headers: { Cookie: cookie } }));
const count = (text: string, needle: string) => text.split(needle).length - 1;

test("a lesson page carries the lesson's HTML once: rendered, not again in the hydration data", async () => {
  const cookie = await sessionCookie(await createUser({ name: "Reads Once" }));
  const page = await get("/modules/sample-basics/first", cookie);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(count(html, SENTENCE)).toBe(1);
  // Inside the article the browser keeps when it hydrates.
  expect(html).toMatch(new RegExp(`<article id="lesson-body" class="prose">[\\s\\S]*${SENTENCE}[\\s\\S]*</article>`));
});

test("a client-side navigation to a lesson brings its HTML in the loader data", async () => {
  const cookie = await sessionCookie(await createUser({ name: "Navigates" }));
  const data = await get("/modules/sample-basics/first.data", cookie);
  expect(data.status).toBe(200);
  expect(count(await data.text(), SENTENCE)).toBe(1);
});

test("every page has its own CSP nonce, and every script on it carries that nonce", async () => {
  const cookie = await sessionCookie(await createUser({ name: "Nonce Reader" }));
  const nonces: string[] = [];
  for (const pathname of ["/accessibility", "/modules/sample-basics/first", "/accessibility"]) {
    const page = await get(pathname, cookie);
    const policy = page.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    const html = await page.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    nonces.push(nonce!);
  }
  expect(new Set(nonces).size).toBe(3);
});
