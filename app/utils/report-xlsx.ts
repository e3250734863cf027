import { londonDate } from "./assignment-status.ts";
import { formatCertificateCode } from "./certificate-code.ts";
import { REPORT_CSV_HEADER, versionCells, whoAndWhatCells, type ReportCsvRow } from "./report-csv.ts";

/**
 * The report export as spreadsheet cells: the same columns and values as the
 * CSV (app/utils/report-csv.ts), but typed, so a spreadsheet sorts and
 * filters dates as dates and scores as numbers without being told.
 */
export type XlsxCell = string | number | Date | null;

const DATE = "yyyy-mm-dd";

/** One entry per CSV header, in the same order: its width in characters and, for dates, the format. */
export const REPORT_XLSX_COLUMNS: readonly { header: (typeof REPORT_CSV_HEADER)[number]; width: number; numFmt?: string }[] = [
  { header: "Staff number", width: 14 },
  { header: "Name", width: 28 },
  { header: "Email", width: 32 },
  { header: "Person status", width: 14 },
  { header: "Team", width: 22 },
  { header: "Module", width: 28 },
  { header: "Module version", width: 10 },
  { header: "Status", width: 14 },
  { header: "Assigned", width: 12, numFmt: DATE },
  { header: "Due", width: 12, numFmt: DATE },
  { header: "Started", width: 12, numFmt: DATE },
  { header: "Completed", width: 12, numFmt: DATE },
  { header: "Score (%)", width: 10 },
  { header: "Attempts", width: 10 },
  { header: "Certificate code", width: 20 },
  { header: "Certificate expires", width: 12, numFmt: DATE },
  { header: "Completed version", width: 10 },
  { header: "Current version", width: 10 },
  { header: "Completed the current version", width: 16 },
  { header: "Change acknowledged", width: 22 },
];

/**
 * A calendar day (YYYY-MM-DD) as a Date at midnight UTC: spreadsheet dates
 * have no time zone, and exceljs turns a Date into a day number from its UTC
 * time, so this is the day itself, not the day before in summer.
 */
const dayCell = (day: string | null): Date | null => (day ? new Date(`${day}T00:00:00Z`) : null);
const londonDay = (iso: string | null): Date | null => dayCell(iso ? londonDate(new Date(iso)) : null);

export function reportXlsxCells(row: ReportCsvRow): XlsxCell[] {
  return [
    // Text in an XLSX cell is never run as a formula, so unlike the CSV there is no apostrophe to add.
    ...whoAndWhatCells(row),
    londonDay(row.assignedAt),
    dayCell(row.due),
    londonDay(row.startedAt),
    londonDay(row.completedAt),
    row.score,
    row.attempts,
    row.certificateCode ? formatCertificateCode(row.certificateCode) + (row.certificateRevoked ? " (revoked)" : "") : null,
    londonDay(row.certificateExpiresAt),
    ...versionCells(row),
  ];
}
