import { parse } from "csv-parse/sync";
import { expect, test } from "vitest";
import { STATUS_LABELS } from "#app/utils/assignment-status.ts";
import { formatCertificateCode } from "#app/utils/certificate-code.ts";
import { CSV_BOM, csvCell, csvLine } from "#app/utils/csv.ts";
import { REPORT_CSV_HEADER, reportCsvCells, reportCsvHeaderLine, reportCsvLine, type ReportCsvRow } from "#app/utils/report-csv.ts";

/** What a spreadsheet (or any RFC 4180 reader) gets back from one line. */
const readBack = (line: string) => parse(line, { bom: true }) as string[][];

test.each([
  "plain",
  "Smith, John",
  'She said "no"',
  "two\nlines",
  "windows\r\nline",
  "Zoë Ó'Brien",
  "李雷",
  "Ødegård-Łukasz",
  "",
  "'already quoted",
])("text %j is quoted and reads back unchanged", (value) => {
  const cell = csvCell(value);
  expect(cell.startsWith('"') && cell.endsWith('"')).toBe(true);
  expect(readBack(csvLine([value, "next"]))).toEqual([[value, "next"]]);
});

test("quotes inside a cell are doubled", () => {
  expect(csvCell('a "b" c')).toBe('"a ""b"" c"');
});

test.each(["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR", "=1"])(
  "text %j that a spreadsheet would run as a formula gets a leading apostrophe",
  (value) => {
    expect(readBack(csvLine([value]))).toEqual([[`'${value}`]]);
  },
);

test.each(["a=b", "1+1", "x@example.org", "O'Brien", " =not at the start"])("text %j with formula characters later on is left alone", (value) => {
  expect(readBack(csvLine([value]))).toEqual([[value]]);
});

test("numbers are written as numbers, negative ones too; empty and non-finite values are empty cells", () => {
  expect(csvCell(42)).toBe("42");
  expect(csvCell(0)).toBe("0");
  expect(csvCell(-5)).toBe("-5");
  expect(csvCell(12.5)).toBe("12.5");
  expect(csvCell(Number.NaN)).toBe("");
  expect(csvCell(Number.POSITIVE_INFINITY)).toBe("");
  expect(csvCell(null)).toBe("");
  expect(csvCell(undefined)).toBe("");
  // The same digits as text are text, and a leading minus in text is guarded.
  expect(csvCell("-5")).toBe(`"'-5"`);
  expect(csvLine([1, null, "x", -3])).toBe(`1,,"x",-3\r\n`);
});

test("every line ends with CRLF, even when a cell holds a bare newline", () => {
  const lines = csvLine(["a\nb", "c"]) + csvLine(["d", 1]);
  expect(lines.endsWith("\r\n")).toBe(true);
  expect(lines.split("\r\n")).toHaveLength(3);
  expect(readBack(lines)).toEqual([
    ["a\nb", "c"],
    ["d", "1"],
  ]);
});

test("the BOM is the UTF-8 byte-order mark", () => {
  expect([...Buffer.from(CSV_BOM, "utf8")]).toEqual([0xef, 0xbb, 0xbf]);
});

const row = (change: Partial<ReportCsvRow> = {}): ReportCsvRow => ({
  staffNumber: "AB12",
  name: "Zoë Ó'Brien",
  email: "zoe@example.org",
  personStatus: "active",
  team: "Response, North",
  moduleTitle: "Stalking: the basics",
  moduleVersion: 3,
  status: "completed",
  assignedAt: "2026-01-05T23:30:00.000Z",
  due: "2026-02-01",
  startedAt: "2026-06-30T23:15:00.000Z",
  completedAt: "2026-07-01T10:00:00.000Z",
  score: 88,
  attempts: 2,
  certificateCode: "0123456789A",
  certificateExpiresAt: "2027-07-01T10:00:00.000Z",
  certificateRevoked: false,
  lastCompletedVersion: 3,
  currentVersion: 3,
  changeAcknowledgement: null,
  ...change,
});

test("a report line has one cell per header, dates as London calendar days", () => {
  const [header] = readBack(reportCsvHeaderLine());
  expect(header).toEqual([...REPORT_CSV_HEADER]);
  const [cells] = readBack(reportCsvLine(row()));
  expect(cells).toHaveLength(REPORT_CSV_HEADER.length);
  const named = Object.fromEntries(REPORT_CSV_HEADER.map((h, i) => [h, cells![i]]));
  expect(named).toMatchObject({
    "Staff number": "AB12",
    Name: "Zoë Ó'Brien",
    Team: "Response, North",
    "Person status": "Active",
    "Module version": "3",
    Status: STATUS_LABELS.completed,
    // 23:30 UTC on 5 January is still the 5th in London (GMT); 23:15 UTC on 30 June is 1 July (BST).
    Assigned: "2026-01-05",
    Started: "2026-07-01",
    Due: "2026-02-01",
    "Score (%)": "88",
    Attempts: "2",
    "Certificate code": formatCertificateCode("0123456789A"),
  });
});

test("a revoked certificate is marked; missing values are empty cells; people who left or are invited say so", () => {
  const revoked = reportCsvCells(row({ certificateRevoked: true }));
  expect(revoked[REPORT_CSV_HEADER.indexOf("Certificate code")]).toBe(`${formatCertificateCode("0123456789A")} (revoked)`);
  const [cells] = readBack(
    reportCsvLine(row({ staffNumber: null, team: null, moduleVersion: null, startedAt: null, completedAt: null, score: null, certificateCode: null, certificateExpiresAt: null, due: null, personStatus: "left" })),
  );
  for (const h of ["Staff number", "Team", "Module version", "Started", "Completed", "Score (%)", "Certificate code", "Certificate expires", "Due"] as const) {
    expect(cells![REPORT_CSV_HEADER.indexOf(h)], h).toBe("");
  }
  expect(cells![REPORT_CSV_HEADER.indexOf("Person status")]).toBe("Left");
  expect(reportCsvCells(row({ personStatus: "invited" }))[REPORT_CSV_HEADER.indexOf("Person status")]).toBe("Invited");
});

test("a name written as a formula is exported as text", () => {
  const [cells] = readBack(reportCsvLine(row({ name: "=cmd|' /C calc'!A0", team: "@team" })));
  expect(cells![REPORT_CSV_HEADER.indexOf("Name")]).toBe("'=cmd|' /C calc'!A0");
  expect(cells![REPORT_CSV_HEADER.indexOf("Team")]).toBe("'@team");
});
