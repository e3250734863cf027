import { CSV_BOM, csvLine } from "./csv.ts";

export type CpdCsvEntry = {
  title: string;
  version: number;
  organisation: string | null;
  startedAt: string;
  completedAt: string;
  minutesSpent: number;
  outcomes: string[];
  certificateCode: string | null;
  reflection: { learned: string; apply: string } | null;
};

export const CPD_CSV_HEADER = [
  "Module",
  "Version",
  "Organisation",
  "Started",
  "Completed",
  "Minutes spent (measured)",
  "Outcomes",
  "Certificate code",
  "Certificate link",
  "What I learned",
  "How I will apply it",
] as const;

/** The CPD record as CSV (ISO dates, one row per completed module); the cells are formula-safe (utils/csv.ts). */
export function cpdCsv(entries: readonly CpdCsvEntry[], appUrl: string): string {
  let out = CSV_BOM + csvLine([...CPD_CSV_HEADER]);
  for (const e of entries) {
    out += csvLine([
      e.title,
      e.version,
      e.organisation ?? "",
      e.startedAt.slice(0, 10),
      e.completedAt.slice(0, 10),
      e.minutesSpent,
      e.outcomes.join("; "),
      e.certificateCode ?? "",
      e.certificateCode ? `${appUrl}/verify/${e.certificateCode}` : "",
      e.reflection?.learned ?? "",
      e.reflection?.apply ?? "",
    ]);
  }
  return out;
}
