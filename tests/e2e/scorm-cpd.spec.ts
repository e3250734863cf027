import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { unzipSync } from "fflate";
import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible, markNoJavaScript, ROOT, signIn, STATE_DIR } from "./helpers.ts";
import { passQuiz } from "./quiz-helpers.ts";

type Account = { email: string; password: string };
/** Written by tests/e2e/seed-reports.ts before the server started. */
type Seed = { learner: Account & { completedOn: string }; scorm: { org: { slug: string }; lead: Account; learner: Account } };
const seed = (): Seed => JSON.parse(fs.readFileSync(path.join(STATE_DIR, "reports-seed.json"), "utf8")) as Seed;

test.describe.configure({ timeout: 120_000 });

const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date());

async function pageFor(browser: Browser, javaScript: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, acceptDownloads: true });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  return page;
}

for (const javaScript of [true, false]) {
  test(`CPD record: a learner writes a reflection and downloads the record as CSV and PDF (JavaScript ${javaScript ? "on" : "off"})`, async ({ browser }) => {
    const page = await pageFor(browser, javaScript);
    await signIn(page, seed().learner);
    await page.goto("/learning/cpd");
    await expect(page.getByRole("heading", { name: "CPD record", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: /^Recognising stalking, version \d+$/ })).toBeVisible();
    await expectAccessible(page, "CPD record");

    await page.getByRole("link", { name: /(Write a|Edit your) reflection on Recognising stalking/ }).click();
    await expect(page.getByRole("heading", { name: "Your reflection", level: 1 })).toBeVisible();
    await expectAccessible(page, "CPD reflection form");
    await page.getByLabel("What I learned").fill("");
    await page.getByLabel("How I will apply it").fill("");
    await page.getByRole("button", { name: "Save reflection" }).click();
    await expect(page.getByRole("alert").getByRole("link", { name: "Write what you learned, how you will apply it, or both" })).toBeVisible();
    await expectAccessible(page, "CPD reflection form with an error");

    const learned = `Fixation is the thread through a course of conduct (${javaScript ? "on" : "off"}).`;
    await page.getByLabel("What I learned").fill(learned);
    await page.getByLabel("How I will apply it").fill("Ask about FOUR at the first call.");
    await page.getByRole("button", { name: "Save reflection" }).click();
    await expect(page.getByText("Your reflection on Recognising stalking is saved")).toBeVisible();
    await expect(page.getByText(learned)).toBeVisible();

    // From the day the seed completed the module (before midnight, if the run crossed it) to today.
    const { completedOn } = seed().learner;
    await page.getByLabel("From").fill(completedOn);
    await page.getByLabel("To").fill(today);
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(new RegExp(`from=${completedOn}&to=${today}`));
    await expect(page.getByText(learned)).toBeVisible();

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-cpd-e2e-"));
    const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV (for a spreadsheet)" }).click()]);
    const csvFile = path.join(dir, "cpd.csv");
    await csvDownload.saveAs(csvFile);
    const rows: string[][] = parse(fs.readFileSync(csvFile, "utf8").replace(/^\uFEFF/, ""));
    expect(rows[0]).toEqual(["Module", "Version", "Organisation", "Started", "Completed", "Minutes spent (measured)", "Outcomes", "Certificate code", "Certificate link", "What I learned", "How I will apply it"]);
    const row = rows.find((r) => r[0] === "Recognising stalking");
    expect(row?.[4]).toBe(completedOn);
    expect(row?.[9]).toBe(learned);
    expect(row?.[10]).toBe("Ask about FOUR at the first call.");

    const [pdfDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "PDF" }).click()]);
    const pdfFile = path.join(dir, "cpd.pdf");
    await pdfDownload.saveAs(pdfFile);
    const text = execFileSync("pdftotext", ["-layout", pdfFile, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text).toContain("CPD record");
    expect(text).toContain("Recognising stalking, version");
    expect(text).toContain(learned);
    fs.rmSync(dir, { recursive: true });

    // A bad date is a 400 with the message at the field, not a 500.
    const response = await page.goto("/learning/cpd?from=2026-02-30");
    expect(response?.status()).toBe(400);
    await expect(page.getByRole("alert").getByRole("link", { name: "The from date must be a real date written as YYYY-MM-DD, like 2026-12-31" })).toBeVisible();
    await page.context().close();
  });
}

/** A stand-in LMS on loopback: scorm-again's SCORM 1.2 API as window.API, and the package's SCO in a frame. */
async function startLms(files: Record<string, Uint8Array>): Promise<{ url: string; close: () => Promise<void> }> {
  const runtime = fs.readFileSync(path.join(ROOT, "node_modules", "scorm-again", "dist", "scorm12.min.js"));
  const lmsPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="/scorm12.js"></script>
<script>
window.API = new Scorm12API({ autocommit: false, logLevel: 5 });
// session_time is write-only in SCORM 1.2 (LMSGetValue refuses it): the LMS keeps what the SCO sets.
window.sessionTimes = [];
window.API.on("LMSSetValue.cmi.core.session_time", function (element, value) { window.sessionTimes.push(value); });
</script>
</head><body><main><h1>Test LMS course</h1><iframe title="Course content" src="/pkg/launch.html" width="800" height="500"></iframe></main></body></html>`;
  const types: Record<string, string> = { html: "text/html; charset=utf-8", js: "text/javascript", xml: "application/xml" };
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://lms").pathname;
    const send = (body: string | Uint8Array, type: string) => {
      res.writeHead(200, { "Content-Type": type });
      res.end(body);
    };
    if (pathname === "/") return send(lmsPage, types.html!);
    if (pathname === "/scorm12.js") return send(runtime, types.js!);
    const name = pathname.replace(/^\/pkg\//, "");
    const file = files[name];
    if (pathname.startsWith("/pkg/") && file) return send(file, types[name.split(".").pop() ?? ""] ?? "application/octet-stream");
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return { url: `http://127.0.0.1:${address.port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test("SCORM 1.2: a lead exports a package; in an LMS running scorm-again a learner completes it in Distinct and the LMS records passed, the score and the session time", async ({ browser }) => {
  const { scorm } = seed();
  const lead = await pageFor(browser, true);
  await signIn(lead, scorm.lead);
  await lead.goto(`/org/${scorm.org.slug}/scorm`);
  await expect(lead.getByRole("heading", { name: "SCORM export", level: 1 })).toBeVisible();
  await expectAccessible(lead, "SCORM export");
  await lead.getByLabel("Module version").selectOption({ label: "Recording it right, version 1 (current)" });
  await lead.getByRole("button", { name: "Make a SCORM package" }).click();
  await expect(lead.getByText("Package made")).toBeVisible();
  await expectAccessible(lead, "SCORM export with a package");
  const [download] = await Promise.all([lead.waitForEvent("download"), lead.getByRole("link", { name: /Download the SCORM package for Recording it right/ }).click()]);
  const zipFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "distinct-scorm-e2e-")), "package.zip");
  await download.saveAs(zipFile);
  const files = unzipSync(fs.readFileSync(zipFile));
  expect(Object.keys(files).sort()).toEqual(["distinct-sco.js", "imsmanifest.xml", "launch.html"]);
  await lead.context().close();

  const lms = await startLms(files);
  try {
    const learner = await pageFor(browser, true);
    await learner.goto(lms.url);
    const sco = learner.frameLocator('iframe[title="Course content"]');
    await expect(sco.getByRole("link", { name: "Open the module in Distinct" })).toBeVisible();
    // The SCO has initialised the LMS session and marked the course started.
    await expect.poll(() => learner.evaluate(() => (window as unknown as { API: { cmi: { core: { lesson_status: string } } } }).API.cmi.core.lesson_status)).toBe("incomplete");

    const [distinct] = await Promise.all([learner.context().waitForEvent("page"), sco.getByRole("link", { name: "Open the module in Distinct" }).click()]);
    // Not signed in to Distinct in this window: sign in, and come back to the launch.
    await expect(distinct.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await distinct.getByLabel("Email address").fill(scorm.learner.email);
    // /login asks for the email first (issue 19), then the password.
    await distinct.getByRole("button", { name: "Continue" }).click();
    await distinct.getByLabel("Password").fill(scorm.learner.password);
    await distinct.getByRole("button", { name: "Sign in" }).click();
    await expect(distinct.getByRole("heading", { name: "Recording it right", level: 1 })).toBeVisible();
    await expectAccessible(distinct, "SCORM launch");
    await distinct.getByRole("button", { name: "Start the module" }).click();
    await distinct.waitForURL(/\/modules\/recording-it-right$/);
    await distinct.getByRole("link", { name: /^(Start first lesson|Continue where you left off)$/ }).click();
    await distinct.waitForURL(/\/modules\/recording-it-right\/[^/]+$/);
    let lessons = 0;
    while (/\/modules\/[^/]+\/(?!quiz)[^/]+$/.test(new URL(distinct.url()).pathname)) {
      const before = distinct.url();
      await distinct.getByRole("button", { name: /Mark complete/ }).click();
      await distinct.waitForURL((url) => url.href !== before);
      expect(++lessons).toBeLessThan(20);
    }
    await passQuiz(distinct, "recording-it-right");

    // Back in the LMS: the SCO polled Distinct and reported the result through scorm-again.
    await expect(sco.getByText("Completed: you passed with 100%. Your result is recorded.")).toBeVisible({ timeout: 30_000 });
    const cmi = await learner.evaluate(() => {
      // Read from scorm-again's data model: the SCO has called LMSFinish, after which LMSGetValue answers nothing.
      const lms = window as unknown as { API: { cmi: { core: { lesson_status: string; score: { raw: string; min: string; max: string } } } }; sessionTimes: string[] };
      const core = lms.API.cmi.core;
      return { status: core.lesson_status, raw: core.score.raw, min: core.score.min, max: core.score.max, time: lms.sessionTimes.at(-1) };
    });
    expect(cmi.status).toBe("passed");
    expect(cmi.raw).toBe("100");
    expect(cmi.min).toBe("0");
    expect(cmi.max).toBe("100");
    expect(cmi.time).toMatch(/^\d{4}:\d{2}:\d{2}\.\d{2}$/);
    expect(cmi.time).not.toBe("0000:00:00.00");
    await learner.context().close();
  } finally {
    await lms.close();
  }
});
