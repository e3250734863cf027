import { STATUS_LABELS } from "./assignment-status.ts";
import { formatCertificateCode } from "./certificate-code.ts";
import { csvLine } from "./csv.ts";
import { londonDate } from "./assignment-status.ts";

/** What one row of the report export holds; the dashboard table shows the same values. */
export type ReportCsvRow = {
  staffNumber: string | null;
  name: string;
  email: string;
  personStatus: "invited" | "active" | "left";
  team: string | null;
  moduleTitle: string;
  moduleVersion: number | null;
  status: keyof typeof STATUS_LABELS;
  assignedAt: string;
  due: string | null;
  startedAt: string | null;
  completedAt: string | null;
  score: number | null;
  attempts: number;
  certificateCode: string | null;
  certificateExpiresAt: string | null;
  certificateRevoked: boolean;
  lastCompletedVersion: number | null;
  currentVersion: number | null;
  changeAcknowledgement: ChangeAcknowledgementView | null;
};

/** See ReportRow in app/models/reporting/report.server.ts (ADR 036). */
export type ChangeAcknowledgementView = { state: "acknowledged"; at: string } | { state: "not-acknowledged" } | { state: "corrections-only" };

export const REPORT_CSV_HEADER = [
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
] as const;

/** Dates as YYYY-MM-DD (London calendar day): every spreadsheet reads them as dates. */
const day = (iso: string | null) => (iso ? londonDate(new Date(iso)) : null);

/** The first cells of a report row, the same in the CSV and the XLSX: who, which module, and its status in words. */
export function whoAndWhatCells(row: ReportCsvRow): (string | number | null)[] {
  return [
    row.staffNumber,
    row.name,
    row.email,
    row.personStatus === "left" ? "Left" : row.personStatus === "invited" ? "Invited" : "Active",
    row.team,
    row.moduleTitle,
    row.moduleVersion,
    STATUS_LABELS[row.status],
  ];
}

export function reportCsvCells(row: ReportCsvRow): (string | number | null)[] {
  return [
    ...whoAndWhatCells(row),
    day(row.assignedAt),
    row.due,
    day(row.startedAt),
    day(row.completedAt),
    row.score,
    row.attempts,
    row.certificateCode ? formatCertificateCode(row.certificateCode) + (row.certificateRevoked ? " (revoked)" : "") : null,
    day(row.certificateExpiresAt),
    ...versionCells(row),
  ];
}

/** Whether the latest completion is of the current version: "Yes", "No: version 1", or blank if none. */
export function completedCurrentLabel(row: Pick<ReportCsvRow, "lastCompletedVersion" | "currentVersion">): string | null {
  if (row.lastCompletedVersion === null || row.currentVersion === null) return null;
  return row.lastCompletedVersion >= row.currentVersion ? "Yes" : `No: version ${row.lastCompletedVersion}`;
}

/** The acknowledgement of a material change, in words; blank unless the latest completion is older. */
export function changeAcknowledgementLabel(ack: ChangeAcknowledgementView | null): string | null {
  if (!ack) return null;
  if (ack.state === "acknowledged") return `Yes, ${day(ack.at)}`;
  if (ack.state === "not-acknowledged") return "No";
  return "Not asked: corrections only";
}

/** The four version columns, shared with the XLSX export. */
export function versionCells(row: ReportCsvRow): (string | number | null)[] {
  return [row.lastCompletedVersion, row.currentVersion, completedCurrentLabel(row), changeAcknowledgementLabel(row.changeAcknowledgement)];
}

export const reportCsvHeaderLine = () => csvLine([...REPORT_CSV_HEADER]);
export const reportCsvLine = (row: ReportCsvRow) => csvLine(reportCsvCells(row));
