import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { expect, test } from "vitest";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { startModule } from "#app/models/learning/enrolment.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { londonDate } from "#app/utils/assignment-status.ts";
import { importFixtures, sessionCookie } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { loader as csvLoader } from "#app/routes/org.$orgSlug.reports.export[.csv].ts";
import { loader as xlsxLoader } from "#app/routes/org.$orgSlug.reports.export[.xlsx].ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

const HEADER = [
  "Staff number",
  "Name",
  "Email",
  "Person status",
  "Team",
  "Module",
  "Module version",
  "Status",
  "Assigned",
  "Due",
  "Started",
  "Completed",
  "Score (%)",
  "Attempts",
  "Certificate code",
  "Certificate expires",
  "Completed version",
  "Current version",
  "Completed the current version",
  "Change acknowledged",
];

/** A force with accented and formula-like values, one person at each stage. */
async function force() {
  const { org, lead } = await createOrganisation({ seats: 50 });
  const hub = await createTeam(lead, org.id, "Équipe Hub");
  const people = [
    await addLearner(org.id, lead, { name: "Zoë O'Brien, \"Zed\"", teamId: hub, staffNumber: "=1+2" }),
    await addLearner(org.id, lead, { name: "李雷", teamId: hub, staffNumber: "A100" }),
    await addLearner(org.id, lead, { name: "Gwenllïan Ŵyn", teamId: null, staffNumber: "A101" }),
  ];
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "organisation", teamId: null, personIds: [], dueDate: "2031-03-31", dueDays: null });
  await startModule({ userId: people[1]!.learner.id, slug: "sample-basics", organizationId: org.id });
  await completeModule(people[2]!.learner.id, "sample-basics", { organizationId: org.id });
  return { org, lead, hub };
}

const get = async (loader: typeof xlsxLoader, url: string, cookie: string, orgSlug: string) =>
  (await loader({ request: new Request(url, { headers: { Cookie: cookie } }), params: { orgSlug }, context: {} })) as Response;

async function readWorkbook(bytes: ArrayBuffer) {
  const workbook = new ExcelJS.Workbook();
  // exceljs declares its own Buffer as an ArrayBuffer; JSZip reads either.
  await workbook.xlsx.load(bytes);
  const sheet = workbook.getWorksheet("Training report");
  if (!sheet) throw new Error("no 'Training report' sheet");
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    // exceljs rows are 1-based: values[0] is always empty.
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows.push(Array.from({ length: HEADER.length }, (_, i) => values[i] ?? null));
  });
  return { sheet, rows };
}

test("the XLSX export: the same rows and order as the CSV, with typed dates and numbers and a frozen header row", async () => {
  const { org, lead } = await force();
  const cookie = await sessionCookie(lead);
  const base = `http://localhost/org/${org.slug}/reports`;
  const response = await get(xlsxLoader, `${base}/export.xlsx?module=sample-basics`, cookie, org.slug);
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  expect(response.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="${org.slug}-training-report-\\d{4}-\\d{2}-\\d{2}\\.xlsx"$`));
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  const bytes = await response.arrayBuffer();
  // A zip file (PK), as every XLSX is.
  expect([...new Uint8Array(bytes, 0, 2)]).toEqual([0x50, 0x4b]);

  const { sheet, rows } = await readWorkbook(bytes);
  expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  expect(rows[0]).toEqual(HEADER);
  expect(sheet.getRow(1).font?.bold).toBe(true);

  // The same people in the same order as the CSV export.
  const csv = parse(await (await get(csvLoader, `${base}/export.csv?module=sample-basics`, cookie, org.slug)).text(), { bom: true }) as string[][];
  expect(rows.map((r) => r[1])).toEqual(csv.map((r) => r[1]));
  expect(rows.slice(1).map((r) => r[1])).toContain("Zoë O'Brien, \"Zed\"");

  const today = new Date(`${londonDate(new Date())}T00:00:00Z`);
  const zoe = rows.find((r) => r[1] === "Zoë O'Brien, \"Zed\"")!;
  // Text stays text: no apostrophe is needed, and none is added.
  expect(zoe[0]).toBe("=1+2");
  // Not started: no module version yet.
  expect(zoe.slice(3, 8)).toEqual(["Active", "Équipe Hub", "Sample basics", null, "Not started"]);
  expect(zoe[8]).toEqual(today);
  expect(zoe[9]).toEqual(new Date("2031-03-31T00:00:00Z"));
  expect(zoe.slice(10, 14)).toEqual([null, null, null, 0]);

  const done = rows.find((r) => r[1] === "Gwenllïan Ŵyn")!;
  expect(done[6]).toBe(1);
  expect(done[7]).toBe("Completed");
  expect(done[11]).toEqual(today);
  expect(done[12]).toBe(100);
  expect(done[13]).toBe(1);
  expect(done[14]).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{3,4}$/);
  expect(done[15]).toBeInstanceOf(Date);
  // Completed the current version (1 of 1): nothing to acknowledge.
  expect(done.slice(16, 20)).toEqual([1, 1, "Yes", null]);
  // Dates are shown as days, whatever the reader's locale.
  expect(sheet.getRow(rows.indexOf(done) + 1).getCell(12).numFmt).toBe("yyyy-mm-dd");
});

test("filters narrow the XLSX as they do the CSV; a bad filter is a 400 naming it; another organisation's lead gets 404", async () => {
  const { org, lead, hub } = await force();
  const cookie = await sessionCookie(lead);
  const base = `http://localhost/org/${org.slug}/reports`;
  const { rows } = await readWorkbook(await (await get(xlsxLoader, `${base}/export.xlsx?team=${hub}&status=in-progress`, cookie, org.slug)).arrayBuffer());
  expect(rows.map((r) => r[1])).toEqual(["Name", "李雷"]);

  const bad = await get(xlsxLoader, `${base}/export.xlsx?status=finished`, cookie, org.slug);
  expect(bad.status).toBe(400);
  expect(await bad.text()).toMatch(/^The status “finished” is not one of/);

  const other = await createOrganisation();
  const otherCookie = await sessionCookie(other.lead);
  const refused = await get(xlsxLoader, `${base}/export.xlsx`, otherCookie, org.slug).then(
    (r) => r.status,
    (thrown: unknown) => (thrown instanceof Response ? thrown.status : 0),
  );
  expect(refused).toBe(404);
});

const soffice = spawnSync("sh", ["-c", "command -v soffice"], { encoding: "utf8" }).stdout.trim();

// LibreOffice reads the workbook as a person's spreadsheet would: accents intact, dates as days.
test.runIf(soffice !== "")("LibreOffice opens the XLSX with every name and date intact (soffice --headless --convert-to csv)", { timeout: 120_000 }, async () => {
  const { org, lead } = await force();
  const cookie = await sessionCookie(lead);
  const bytes = Buffer.from(await (await get(xlsxLoader, `http://localhost/org/${org.slug}/reports/export.xlsx?module=sample-basics`, cookie, org.slug)).arrayBuffer());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-xlsx-"));
  fs.writeFileSync(path.join(dir, "report.xlsx"), bytes);
  // 44,34,76: comma-separated, double quotes, UTF-8. A private profile, so a running LibreOffice is not disturbed.
  const run = spawnSync(
    soffice,
    [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--convert-to", 'csv:Text - txt - csv (StarCalc):44,34,76', "--outdir", dir, path.join(dir, "report.xlsx")],
    { encoding: "utf8", timeout: 110_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  const records = parse(fs.readFileSync(path.join(dir, "report.csv"), "utf8"), { bom: true }) as string[][];
  fs.rmSync(dir, { recursive: true, force: true });
  expect(records[0]).toEqual(HEADER);
  const names = records.slice(1).map((r) => r[1]);
  expect(names).toContain("Zoë O'Brien, \"Zed\"");
  expect(names).toContain("李雷");
  expect(names).toContain("Gwenllïan Ŵyn");
  const zoe = records.find((r) => r[1] === "Zoë O'Brien, \"Zed\"")!;
  expect(zoe[0]).toBe("=1+2");
  expect(zoe[4]).toBe("Équipe Hub");
  expect(zoe[9]).toBe("2031-03-31");
  expect(zoe[13]).toBe("0");
});
