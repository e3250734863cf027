import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test as base, type BrowserContext, type Response } from "@playwright/test";

/**
 * The W3C Nu HTML checker over every page the journeys visit.
 *
 * Each spec takes `test` from here: every browser context it uses (the
 * `page` fixture's, and those a spec opens with `browser.newContext()`)
 * records the HTML of each document it receives into NU_DIR, one file per
 * distinct document. tests/e2e/nu-global.ts then checks the whole folder in
 * one Java run at the end (one JVM start, not one per page) and fails the run
 * on any error. Client-side navigations with JavaScript fetch data, not
 * documents, so the pages seen only that way are covered by the same journeys
 * run without JavaScript.
 */
export const NU_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", ".cache", "nu-html");

const recorded = new WeakSet<BrowserContext>();
/** Pages served by other parties' test servers (an identity provider's sign-in page) are theirs to check, not ours. */
const foreignOrigins = new Set<string>();
export function skipNuForOrigin(origin: string) {
  foreignOrigins.add(origin);
}
const pending = new Set<Promise<void>>();

function recordDocuments(context: BrowserContext) {
  if (recorded.has(context)) return;
  recorded.add(context);
  context.on("response", (response) => {
    if (response.request().resourceType() !== "document") return;
    const saving = saveDocument(response).finally(() => pending.delete(saving));
    pending.add(saving);
  });
}

async function saveDocument(response: Response) {
  if (foreignOrigins.has(new URL(response.url()).origin)) return;
  if (!(response.headers()["content-type"] ?? "").startsWith("text/html")) return;
  let html: string;
  try {
    html = await response.text();
  } catch {
    // A redirect has no body, and a context closed mid-read has no page left to check.
    return;
  }
  // The same document (the same page in the same state) is checked once; each
  // response has its own CSP nonce, which is left out of the comparison.
  const hash = crypto.createHash("sha256").update(html.replace(/nonce="[^"]*"/g, "")).digest("hex").slice(0, 16);
  const url = new URL(response.url());
  if (foreignOrigins.has(url.origin)) return;
  const name = `${url.pathname.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "home"}-${hash}.html`;
  fs.mkdirSync(NU_DIR, { recursive: true });
  // The first line says where the page came from, for the checker's report. Written aside and renamed into
  // place: another worker may be saving the same document under the same name.
  const file = path.join(NU_DIR, name);
  fs.writeFileSync(`${file}.${process.pid}.tmp`, html.replace(/^(<!DOCTYPE html>)?/i, `$1<!-- ${url.pathname}${url.search} -->`));
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

export const test = base.extend<{ nuContext: void }, { nuBrowser: void }>({
  // Contexts a spec opens itself are recorded too.
  nuBrowser: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const context = await newContext(...args);
        recordDocuments(context);
        return context;
      };
      await use();
      browser.newContext = newContext;
    },
    { scope: "worker", auto: true },
  ],
  nuContext: [
    async ({ context }, use) => {
      recordDocuments(context);
      await use();
      await Promise.all([...pending]);
    },
    { auto: true },
  ],
});
