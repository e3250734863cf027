import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { expect, type Browser, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible, markNoJavaScript, opened, signIn, STATE_DIR } from "./helpers.ts";

/** Written by tests/e2e/seed-reports.ts before the server started. */
type Seed = {
  org: { slug: string; name: string };
  lead: { email: string; password: string };
  otherLead: { email: string; password: string };
  leaver: string;
  teams: { response: string; ppu: string };
  rows: number;
};
const seed = (): Seed => JSON.parse(fs.readFileSync(path.join(STATE_DIR, "reports-seed.json"), "utf8")) as Seed;

test.describe.configure({ timeout: 120_000 });

async function leadPage(browser: Browser, javaScript: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, acceptDownloads: true });
  const page = await context.newPage();
  if (!javaScript) markNoJavaScript(page);
  await signIn(page, seed().lead);
  return page;
}

/** From My learning, where signing in lands, to the organisation and its Reports page, as the lead would click. */
async function openReports(page: Page) {
  const { org } = seed();
  await page.getByRole("link", { name: "manage training as a training lead" }).click();
  await opened(page, org.name);
  await page.getByRole("navigation", { name: `${org.name} training` }).getByRole("link", { name: "Reports" }).click();
  await opened(page, "Reports");
}

/** The per-person table as text, one object per row, keyed by column heading. */
async function tableRows(page: Page): Promise<Record<string, string>[]> {
  await page.waitForLoadState("load");
  const table = page.locator("#report-rows");
  await table.waitFor();
  // A sortable heading also says, to screen readers, how it sorts ("Due, sort ascending").
  const headings = (await table.locator("thead th").allInnerTexts()).map((h) => h.split(",")[0]!.replace(/[▲▼]/g, "").trim());
  const rows = await table.locator("tbody tr").all();
  const out: Record<string, string>[] = [];
  for (const row of rows) {
    // The name is the row's header cell (th), the rest are data cells.
    const cells = await row.locator("th, td").allInnerTexts();
    out.push(Object.fromEntries(headings.map((h, i) => [h, (cells[i] ?? "").trim()])));
  }
  return out;
}

test("a training lead filters, sorts and exports the report; the CSV matches the table", async ({ browser }) => {
  const { org } = seed();
  const page = await leadPage(browser, true);
  await openReports(page);
  await expectAccessible(page, "reports");

  // Everyone (but the person who left): the seed's rows less the leaver's.
  const all = await tableRows(page);
  expect(all.length).toBeGreaterThan(10);
  expect(all.map((r) => r.Name)).not.toContain(seed().leaver);
  const caption = await page.locator("#report-rows caption").innerText();
  expect(caption).toContain(`${all.length} rows`);

  // Status by module: each row's total is the number of table rows for that module.
  const byModule = page.locator("#status-by-module-caption").locator("xpath=..");
  for (const moduleRow of await byModule.locator("tbody tr").all()) {
    const title = (await moduleRow.locator("th").innerText()).trim();
    const total = Number((await moduleRow.locator("td").last().innerText()).replace(/,/g, ""));
    expect(total, title).toBe(all.filter((r) => r.Module === title).length);
  }

  // Filter: one team, overdue only.
  await page.getByLabel("Team", { exact: true }).selectOption({ label: "Response, Team A" });
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Overdue" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=overdue/);
  const overdue = await tableRows(page);
  expect(overdue.length).toBeGreaterThan(0);
  expect(overdue.length).toBe(all.filter((r) => r.Team === "Response, Team A" && r.Status!.includes("Overdue")).length);
  for (const row of overdue) {
    expect(row.Team).toBe("Response, Team A");
    expect(row.Status).toContain("Overdue");
  }
  await expectAccessible(page, "reports, filtered");

  // Sort by attempts, most first; then back to name.
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(new RegExp(`/org/${org.slug}/reports$`));
  await expect(page.getByLabel("Team", { exact: true })).toHaveValue("");
  await page.getByRole("link", { name: /^Attempts/ }).click();
  await expect(page.locator("th[aria-sort='ascending']")).toContainText("Attempts");
  await page.getByRole("link", { name: /^Attempts/ }).click();
  await expect(page.locator("th[aria-sort='descending']")).toContainText("Attempts");
  const byAttempts = (await tableRows(page)).map((r) => Number(r.Attempts));
  expect(byAttempts).toEqual([...byAttempts].sort((a, b) => b - a));
  expect(byAttempts[0]).toBeGreaterThan(0);
  await expectAccessible(page, "reports, sorted");
  const shown = await tableRows(page);

  // Export what is shown: same rows, same order.
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: /Download these \d+ rows as CSV/ }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${org.slug}-training-report-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const bytes = fs.readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...records] = parse(bytes.toString("utf8"), { bom: true }) as string[][];
  const col = (name: string) => header!.indexOf(name);
  expect(records).toHaveLength(shown.length);
  records.forEach((record, i) => {
    const row = shown[i]!;
    // A value that would run as a formula in a spreadsheet is kept as text with a leading apostrophe.
    const unescape = (value: string) => (/^'[=+\-@]/.test(value) ? value.slice(1) : value);
    expect(unescape(record[col("Staff number")]!)).toBe(row["Staff number"]);
    expect(unescape(record[col("Name")]!)).toBe(row.Name);
    expect(record[col("Team")]).toBe(row.Team);
    expect(record[col("Module")]).toBe(row.Module);
    expect(record[col("Module version")]).toBe(row.Version);
    // One of the five labels, never blank, and the one the table shows (the table may add "extended").
    expect(record[col("Status")]).toMatch(/^(Not started|In progress|Overdue|Completed|Expired)$/);
    // The table's tag starts with an icon ("✓ Completed"), so status is not told by colour alone.
    const shownStatus = row.Status!.replace(/^[^A-Za-z]+/, "");
    expect(shownStatus.startsWith(record[col("Status")]!), `${row.Status} shows ${record[col("Status")]}`).toBe(true);
    expect(record[col("Attempts")]).toBe(row.Attempts);
    expect(record[col("Score (%)")]).toBe(row.Score!.replace("%", ""));
  });
  const names = records.map((r) => r[col("Name")]);
  expect(names).toContain("Smith, John");
  expect(names).toContain('Jo "JJ" Bloggs');
  expect(names).toContain("李雷");
  expect(names).toContain(`'=HYPERLINK("http://example.org","click")`);

  // The same rows as an Excel workbook: text stays text, numbers are numbers.
  const workbookDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: /Download these \d+ rows as an Excel workbook \(XLSX\)/ }).click();
  const xlsx = await workbookDownload;
  expect(xlsx.suggestedFilename()).toMatch(new RegExp(`^${org.slug}-training-report-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile((await xlsx.path())!);
  const sheet = workbook.getWorksheet("Training report")!;
  const sheetNames: unknown[] = [];
  sheet.eachRow((row, number) => {
    if (number > 1) sheetNames.push(row.getCell(2).value);
  });
  expect(sheetNames).toEqual(records.map((r) => unescapeFormula(r[col("Name")]!)));
  expect(sheetNames).toContain(`=HYPERLINK("http://example.org","click")`);
  await page.context().close();
});

const unescapeFormula = (value: string) => (/^'[=+\-@]/.test(value) ? value.slice(1) : value);

for (const javaScript of [true, false]) {
  test(`the people table at 1280 px uses the page's width with every inspector column in view and the name kept in view; at 320 px rows stack (JavaScript ${javaScript ? "on" : "off"})`, async ({
    browser,
  }, testInfo) => {
    const page = await leadPage(browser, javaScript);
    await page.setViewportSize({ width: 1280, height: 900 });
    await openReports(page);
    const region = page.getByRole("region", { name: /rows?, sorted by/ });
    await expect(region).toHaveAttribute("tabindex", "0");
    const box = (await region.boundingBox())!;
    // The full width less the page's margins, not a 650 px reading column.
    expect(box.width).toBeGreaterThan(1150);
    for (const name of ["Due", "Completed", "Score", "Certificate"]) {
      const heading = (await page.locator("#report-rows").getByRole("columnheader", { name: new RegExp(`^${name}\\s*($|,)`) }).boundingBox({ timeout: 10_000 }))!;
      expect(heading.x + heading.width, name).toBeLessThanOrEqual(box.x + box.width);
    }
    await testInfo.attach("reports-1280.png", { body: await region.screenshot(), contentType: "image/png" });

    // Narrower: the table scrolls inside its region, and the name column stays at its left edge.
    await page.setViewportSize({ width: 800, height: 900 });
    await region.evaluate((e) => e.scrollTo({ left: 400 }));
    const regionLeft = (await region.boundingBox())!.x;
    const nameCell = page.locator("#report-rows tbody th").first();
    expect(Math.round((await nameCell.boundingBox())!.x)).toBe(Math.round(regionLeft));
    expect(await region.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);

    // Phone width: one block per row, labelled values, nothing to scroll sideways.
    await page.setViewportSize({ width: 320, height: 700 });
    const first = page.locator("#report-rows tbody tr").first();
    const name = (await first.locator("th").boundingBox())!;
    const due = (await first.locator("td[data-label='Module']").boundingBox())!;
    expect(due.y).toBeGreaterThanOrEqual(name.y + name.height - 1);
    expect(Math.round(due.x)).toBe(Math.round(name.x));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await testInfo.attach("reports-320.png", { body: await first.screenshot(), contentType: "image/png" });
    await page.context().close();
  });
}

test("with JavaScript off the filters, sorting and paging links still work", async ({ browser }) => {
  const { org, leaver } = seed();
  const page = await leadPage(browser, false);
  await openReports(page);
  await page.getByLabel("Module", { exact: true }).selectOption({ label: "The law" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/module=the-law/);
  const law = await tableRows(page);
  expect(law.length).toBeGreaterThan(0);
  for (const row of law) expect(row.Module).toBe("The law");
  await expectAccessible(page, "reports without JavaScript");

  await page.getByLabel("Module", { exact: true }).selectOption({ label: "All modules" });
  await page.getByLabel("Include people who have left").check();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/left=1/);
  // Named with a "Left" tag.
  const leaverRow = (await tableRows(page)).find((r) => r.Name!.startsWith(leaver));
  expect(leaverRow?.Name).toMatch(/Left$/);

  await page.getByRole("link", { name: /^Due/ }).click();
  await expect(page.locator("th[aria-sort='ascending']")).toContainText("Due");
  await expect(page).toHaveURL(/left=1/);

  // A date that does not exist: a 400 with the problem named at the field.
  const response = await page.goto(`/org/${org.slug}/reports?dueFrom=2026-02-30`);
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "There is a problem" })).toBeVisible();
  await expect(page.getByText("“Due from” must be a real date written as YYYY-MM-DD, like 2026-12-31").first()).toBeVisible();
  await expectAccessible(page, "reports, bad filter");
  await page.context().close();
});

test("a training lead of another organisation gets 404 for every report address of this one", async ({ browser }) => {
  const { org, teams } = seed();
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, seed().otherLead);
  for (const url of [
    `/org/${org.slug}/reports`,
    `/org/${org.slug}/reports?status=overdue&team=${teams.response}`,
    `/org/${org.slug}/reports/export.csv`,
    `/org/${org.slug}/reports/export.csv?module=the-law`,
  ]) {
    const response = await page.request.get(url);
    expect(response.status(), url).toBe(404);
    expect(await response.text(), url).not.toContain("Zoë");
  }
  const post = await page.request.post(`/org/${org.slug}/reports`, { form: { intent: "weekly-export-on" } });
  expect(post.status()).toBe(404);
  await context.close();
});
