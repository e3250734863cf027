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
};

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
] as const;

/** Dates as YYYY-MM-DD (London calendar day): every spreadsheet reads them as dates. */
const day = (iso: string | null) => (iso ? londonDate(new Date(iso)) : null);

export function reportCsvCells(row: ReportCsvRow): (string | number | null)[] {
  return [
    row.staffNumber,
    row.name,
    row.email,
    row.personStatus === "left" ? "Left" : row.personStatus === "invited" ? "Invited" : "Active",
    row.team,
    row.moduleTitle,
    row.moduleVersion,
    STATUS_LABELS[row.status],
    day(row.assignedAt),
    row.due,
    day(row.startedAt),
    day(row.completedAt),
    row.score,
    row.attempts,
    row.certificateCode ? formatCertificateCode(row.certificateCode) + (row.certificateRevoked ? " (revoked)" : "") : null,
    day(row.certificateExpiresAt),
  ];
}

export const reportCsvHeaderLine = () => csvLine([...REPORT_CSV_HEADER]);
export const reportCsvLine = (row: ReportCsvRow) => csvLine(reportCsvCells(row));
