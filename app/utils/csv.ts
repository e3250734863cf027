/**
 * CSV for spreadsheets (RFC 4180): CRLF line ends, every text cell quoted,
 * quotes doubled, and a UTF-8 byte-order mark first so Excel reads accents
 * and non-Latin names correctly (LibreOffice ignores it).
 *
 * Formula injection: a cell that starts with = + - @ tab or carriage return
 * would be run as a formula by Excel and LibreOffice ("=HYPERLINK(...)" in a
 * name). Such text cells get a leading apostrophe, the OWASP advice, which
 * spreadsheets show as text and do not evaluate.
 */
export const CSV_BOM = "\uFEFF";

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
