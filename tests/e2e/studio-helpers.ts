import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { markNoJavaScript, signIn, STATE_DIR } from "./helpers.ts";

/** The studio specs' people, written by tests/e2e/seed-reports.ts before the server started. */
type Account = { email: string; password: string };
export type StudioSeed = { org: { slug: string }; lead: Account; midway: Account; completed: Account; authors: (Account & { name: string })[] };
export const studioSeed = (): StudioSeed => JSON.parse(fs.readFileSync(path.join(STATE_DIR, "studio-seed.json"), "utf8")) as StudioSeed;

/** A new browser context, JavaScript on or off, signed in as `account` through the sign-in form. */
export async function pageAs(browser: Browser, account: Account, javaScript: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  await signIn(page, account);
  return page;
}
