import { CsvError, parse } from "csv-parse/sync";
import { staffCsvColumns, type StaffCsvField } from "#app/utils/staff-csv-columns.ts";
import { EmailSchema, NameSchema } from "#app/utils/user-validation.ts";
import { teamKey } from "./team-name.ts";

// The column docs live in their own module so the upload page can show them
// without pulling csv-parse (which uses Node's Buffer) into the browser.
export { STAFF_CSV_TEMPLATE, staffCsvColumns, type StaffCsvColumnDoc, type StaffCsvField } from "#app/utils/staff-csv-columns.ts";

/**
 * Bulk onboarding: a training lead uploads a CSV of staff (usually saved from
 * Excel, sometimes thousands of rows). This module turns the file into valid
 * rows plus plain-English problems, each with the line in the file and the
 * column as the user named it, for a "check your answers" page. Pure: no I/O.
 *
 * Decisions a newcomer might question:
 * - Headers are matched loosely (case, spaces, punctuation, words in brackets,
 *   accents and a documented list of synonyms in `staffCsvColumns`), because
 *   HR exports never use our names.
 * - The "role" column is the person's role or rank in the force ("PC",
 *   "Sergeant", "Call handler"), free text for their profile, as the product
 *   brief's column list means it; so "Rank", "Job title" and "Position" are
 *   synonyms of it. It never gives permissions in the app.
 * - Permission comes only from the optional "access" column (or one headed
 *   "training lead"): blank, "learner" (and member, user, staff, trainee,
 *   student) give an ordinary `member`; "training lead" (any spacing, hyphens
 *   or underscores), "lead", "admin" and "administrator" give `admin`. Under a
 *   "training lead" header, yes/y/true/1 and no/n/false/0 also work, as HR
 *   exports write flags (and an error there asks for "yes" or "no"). Anything
 *   else is an error rather than a guess, since the admin role can manage
 *   every member of the force.
 * - Name, team and role or rank must not start with =, +, - or @. No real
 *   name, team or rank does; in a spreadsheet such a cell is a formula
 *   accident (or a CSV-injection attempt that would fire when our own reports
 *   are opened in Excel). Exports must still escape cells: this only keeps
 *   new ones out.
 * - A file with no access column whose role or rank cells say "learner" or
 *   "training lead" (how the role column was used before it meant rank) gets
 *   a warning, not an error: the rows are valid, but a user who expects to
 *   have made someone a training lead must be told they have not.
 * - In the optional columns "-", "–", "—", "n/a" and "none" mean blank, as
 *   spreadsheets use them; otherwise "-" would be a staff number.
 * - A string input containing U+FFFD is treated as not UTF-8: that character
 *   is what `File.text()` leaves where it met bytes it could not decode.
 * - The whole file is parsed even when it is over `maxRows` so the message can
 *   say how many rows it has; the upload route caps the size in bytes.
 */

/** The organisation membership roles a CSV can give. */
export type StaffCsvRole = "member" | "admin";

export type StaffCsvRow = {
  /** The physical line in the file where this person's record starts (1 is the header row, usually). */
  line: number;
  /** Lower-cased. */
  email: string;
  name: string;
  /** Upper-cased, inner spaces collapsed. */
  staffNumber: string | null;
  /** Spelt as the first row that used it (or as in `existingTeams`). */
  team: string | null;
  /** Their role or rank in the force, free text from the "role" column (NFC, inner spaces collapsed); not a permission. */
  rank: string | null;
  /** Their permission in the app, from the "access" column; `member` when there is none. */
  role: StaffCsvRole;
};

export type StaffCsvRowError = {
  line: number;
  /** The column as written in the file's header row; "" when the problem is the whole row. */
  column: string;
  /** The cell as written (trimmed). */
  value: string;
  message: string;
};

export type StaffCsvResult = {
  /** False when the file as a whole cannot be used (see `fileErrors`); row errors do not make it false. */
  ok: boolean;
  fileErrors: string[];
  warnings: string[];
  rows: StaffCsvRow[];
  rowErrors: StaffCsvRowError[];
  /** Data rows in the file, not counting the header row or blank lines. */
  totalRows: number;
  /** Distinct teams of the valid rows, first spelling wins (an `existingTeams` spelling beats the file's). */
  teams: string[];
  /** The subset of `teams` not in `existingTeams`: the teams the import would create. */
  newTeams: string[];
};

export type StaffCsvOptions = {
  /** Most data rows in one upload; default 20,000. */
  maxRows?: number;
  /** Team names the organisation already has, so "response team a" joins "Response Team A". */
  existingTeams?: readonly string[];
};

const DEFAULT_MAX_ROWS = 20_000;
const STAFF_NUMBER_MAX = 20;
const TEAM_MAX = 80;
const RANK_MAX = 80;
const NOT_UTF8 = "The file is not UTF-8: in Excel choose 'CSV UTF-8 (Comma delimited)' when you save it";
const TEMPLATE_HEADERS = staffCsvColumns.map((c) => c.header);

/** Keyed by `headerKey(value)`, so case, spaces, hyphens and underscores do not matter. */
const ACCESS_VALUES: ReadonlyMap<string, StaffCsvRole> = new Map([
  ...["learner", "member", "user", "staff", "trainee", "student"].map((v) => [v, "member"] as const),
  ...["traininglead", "lead", "admin", "administrator"].map((v) => [v, "admin"] as const),
]);

/** Extra values for a column headed "training lead": a yes/no flag. */
const TRAINING_LEAD_FLAG: ReadonlyMap<string, StaffCsvRole> = new Map([
  ...["yes", "y", "true", "1"].map((v) => [v, "admin"] as const),
  ...["no", "n", "false", "0"].map((v) => [v, "member"] as const),
]);

/** `headerKey` of role or rank values that look like an access level written in the wrong column. */
const ACCESS_IN_RANK = new Set(["learner", "traininglead"]);

const BLANK_PLACEHOLDERS = new Set(["-", "–", "—", "n/a", "none"]);

/**
 * "Staff No. (optional)" -> "staffno"; "Tîm" -> "tim" (NFKD splits off the
 * accent, a mark, which the last step drops). Letters of any script survive.
 */
function headerKey(header: string): string {
  return header
    .replace(/\([^)]*\)/g, "")
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

const HEADER_FIELDS: ReadonlyMap<string, StaffCsvField> = new Map(
  staffCsvColumns.flatMap((c) => [c.header, ...c.alsoAccepted].map((h) => [headerKey(h), c.field] as const)),
);

const FIELD_WORDS: Record<StaffCsvField, string> = {
  email: "the email address",
  name: "the name",
  staffNumber: "the staff number",
  team: "the team",
  rank: "the role or rank",
  access: "the access level",
};

function formatCount(n: number): string {
  return new Intl.NumberFormat("en-GB").format(n);
}

function capitalise(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

function lineOf(text: string, index: number): number {
  return (text.slice(0, index).match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
}

function decode(input: string | Uint8Array): { text: string } | { error: string } {
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      text = new TextDecoder("utf-8").decode(input);
    }
  }
  const bad = text.indexOf("\uFFFD");
  if (bad !== -1) return { error: `${NOT_UTF8}. The first character that cannot be read is on line ${lineOf(text, bad)}.` };
  return { text: text.startsWith("\uFEFF") ? text.slice(1) : text };
}

/** Comma unless the header row has more semicolons than commas outside quotes (European Excel). */
function detectDelimiter(headerLine: string): "," | ";" | "\t" {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === ";") semicolons++;
    else if (!quoted && ch === "\t") tabs++;
  }
  if (semicolons > commas) return ";";
  if (tabs > 0 && commas === 0 && semicolons === 0) return "\t";
  return ",";
}

type CsvRecord = { line: number; cells: string[] };

function isBlank(cells: string[]): boolean {
  return cells.every((c) => c.trim() === "");
}

function failed(fileErrors: string[], warnings: string[] = [], totalRows = 0): StaffCsvResult {
  return { ok: false, fileErrors, warnings, rows: [], rowErrors: [], totalRows, teams: [], newTeams: [] };
}

type Delimiter = "," | ";";
type Column = { index: number; label: string };
/** Where each known field is in the header row, with the header as the file spells it (first of duplicates). */
type Columns = Map<StaffCsvField, Column>;
type Cell = { label: string; value: string };
type Fail = (column: string, value: string, message: string) => void;

/** Excel honours a first line "sep=;" and some exports write one; otherwise guess from the header row. */
function chooseDelimiter(text: string): { text: string; delimiter: Delimiter | "\t"; skipLines: number } {
  const sep = /^sep=([,;\t])\n/i.exec(text);
  if (sep?.[1] === "," || sep?.[1] === ";" || sep?.[1] === "\t") {
    return { text: text.slice(sep[0].length), delimiter: sep[1], skipLines: 1 };
  }
  const headerLine = text.split("\n", 50).find((l) => l.trim() !== "") ?? "";
  return { text, delimiter: detectDelimiter(headerLine), skipLines: 0 };
}

/**
 * The file's records, each with the line it starts on, or the message for a
 * file whose quoting cannot be read. csv-parse reports the line a record ENDS
 * on; with blank lines kept as records (the caller skips them) each record
 * starts on the line after the previous one ended, which is what a user needs
 * when a cell has newlines.
 */
function splitRecords(text: string, delimiter: Delimiter, skipLines: number): CsvRecord[] | { error: string } {
  const records: CsvRecord[] = [];
  let lastEnd = skipLines;
  try {
    parse(text, {
      delimiter,
      record_delimiter: "\n",
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
      on_record: (cells, context) => {
        records.push({ line: lastEnd + 1, cells });
        lastEnd = context.lines + skipLines;
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = lastEnd + 1;
    return {
      error:
        error.code === "CSV_QUOTE_NOT_CLOSED"
          ? `Line ${line} has a quote mark (") that is never closed, so the rest of the file cannot be read. Check the cells on line ${line}.`
          : `Line ${line} cannot be read: check the quote marks (") on it. A cell that contains quote marks must be in quotes, with each quote mark inside doubled ("")`,
    };
  }
  return records;
}

/** Decoded text to records and the delimiter, or the one message that says why the file cannot be read. */
function readRecords(decodedText: string): { records: CsvRecord[]; delimiter: Delimiter } | { error: string } {
  // One line ending for the parser; embedded newlines in cells become "\n" too.
  // Line numbers are unchanged: CRLF and a lone CR each end one line.
  const normalised = decodedText.replace(/\r\n?/g, "\n");
  if (normalised.trim() === "") return { error: "The file is empty" };
  const { text, delimiter, skipLines } = chooseDelimiter(normalised);
  if (delimiter === "\t") {
    return { error: "The file uses tabs between columns: in Excel choose 'CSV UTF-8 (Comma delimited)' when you save it" };
  }
  const records = splitRecords(text, delimiter, skipLines);
  return "error" in records ? records : { records, delimiter };
}

/** Which header cell gives each field, every label seen per field (to find duplicates), and the headers we do not know. */
function mapHeaderColumns(headerCells: string[]): { columnOf: Columns; labelsOf: Map<StaffCsvField, string[]>; unknown: Set<string> } {
  const columnOf: Columns = new Map();
  const labelsOf = new Map<StaffCsvField, string[]>();
  const unknown = new Set<string>();
  headerCells.forEach((raw, index) => {
    const label = raw.trim();
    if (label === "") return;
    const field = HEADER_FIELDS.get(headerKey(label));
    if (!field) {
      unknown.add(label);
      return;
    }
    const seen = labelsOf.get(field);
    if (seen) seen.push(label);
    else {
      labelsOf.set(field, [label]);
      columnOf.set(field, { index, label });
    }
  });
  return { columnOf, labelsOf, unknown };
}

/** One error for each field that more than one column gives. */
function duplicateColumnErrors(labelsOf: Map<StaffCsvField, string[]>): string[] {
  const errors: string[] = [];
  for (const [field, labels] of labelsOf) {
    if (labels.length < 2) continue;
    const distinct = [...new Set(labels)];
    const quoted = distinct.map((l) => `"${l}"`);
    if (distinct.length === 1) errors.push(`The column ${quoted[0]} appears more than once: delete all but one of them`);
    else if (distinct.length === 2) errors.push(`The columns ${quoted.join(" and ")} both give ${FIELD_WORDS[field]}: delete one of them`);
    else errors.push(`The columns ${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)} all give ${FIELD_WORDS[field]}: delete all but one of them`);
  }
  return errors;
}

/**
 * Errors for required columns the header lacks: one saying the first row is
 * a person (it has an "@"), else one per missing column, with a hint when the
 * name is split into first name and surname.
 */
function missingColumnErrors(headerCells: string[], columnOf: Columns, delimiter: Delimiter): string[] {
  const missing = staffCsvColumns.filter((c) => c.required && !columnOf.has(c.field));
  if (missing.length === 0) return [];
  if (headerCells.some((c) => c.includes("@"))) {
    return [
      `The first row must be the column names (${TEMPLATE_HEADERS.join(delimiter)}) but it looks like a person's details. Add a row of column names at the top.`,
    ];
  }
  const headerKeys = new Set(headerCells.map(headerKey));
  return missing.map((column) => {
    const split =
      column.field === "name" &&
      ["firstname", "forename", "givenname"].some((k) => headerKeys.has(k)) &&
      ["surname", "lastname", "familyname"].some((k) => headerKeys.has(k));
    return split
      ? `The file has no "name" column. Put each person's first name and surname together in one column called "name".`
      : `The file has no "${column.header}" column. The first row must be the column names, like: ${TEMPLATE_HEADERS.join(delimiter)}`;
  });
}

/** The header row's columns, its errors (duplicates, then missing columns) and warnings (ignored columns). */
function readHeader(headerCells: string[], delimiter: Delimiter): { columnOf: Columns; fileErrors: string[]; warnings: string[] } {
  const { columnOf, labelsOf, unknown } = mapHeaderColumns(headerCells);
  const fileErrors = [...duplicateColumnErrors(labelsOf), ...missingColumnErrors(headerCells, columnOf, delimiter)];
  const warnings = [...unknown].map((label) => `The column "${label}" will be ignored: the columns used are ${TEMPLATE_HEADERS.join(", ")}`);
  return { columnOf, fileErrors, warnings };
}

/** Errors about how many data rows there are: none under good column names, or more than one upload takes. */
function rowCountErrors(totalRows: number, maxRows: number, headerOk: boolean): string[] {
  const errors: string[] = [];
  if (headerOk && totalRows === 0) {
    errors.push("The file has column names but no staff: add one row for each person under the column names");
  }
  if (totalRows > maxRows) {
    errors.push(`The file has ${formatCount(totalRows)} rows; the most in one upload is ${formatCount(maxRows)}. Split it into smaller files.`);
  }
  return errors;
}

/** An optional cell that holds something: not missing, not empty and not a placeholder for blank. */
function isFilled(cell: Cell | null): cell is Cell {
  return cell !== null && cell.value !== "" && !BLANK_PLACEHOLDERS.has(cell.value.toLowerCase());
}

/** The lower-cased email, or "" after reporting it empty, malformed or already on an earlier line. */
function checkEmail(cell: Cell | null, line: number, firstLineOfEmail: Map<string, number>, fail: Fail): string {
  if (!cell) return "";
  if (cell.value === "") {
    fail(cell.label, "", "Enter an email address");
    return "";
  }
  const parsed = EmailSchema.safeParse(cell.value);
  if (!parsed.success) {
    fail(cell.label, cell.value, parsed.error.issues[0]?.message ?? "Enter an email address in the correct format, like name@example.org");
    return "";
  }
  const email = parsed.data;
  const first = firstLineOfEmail.get(email);
  if (first === undefined) firstLineOfEmail.set(email, line);
  else fail(cell.label, cell.value, `${capitalise(cell.label)} ${email} is also on line ${first}`);
  return email;
}

/** The name (NFC), or "" after reporting it empty, formula-like, multi-line or failing `NameSchema`. */
function checkName(cell: Cell | null, fail: Fail): string {
  if (!cell) return "";
  const label = capitalise(cell.label);
  if (cell.value === "") fail(cell.label, "", "Enter a name");
  else if (/^[=+\-@]/.test(cell.value)) {
    fail(cell.label, cell.value, `${label} must not start with "${cell.value[0]}": check the cell is the person's name and not a spreadsheet formula`);
  } else if (/\p{Cc}/u.test(cell.value)) {
    fail(cell.label, cell.value, /[\n\r]/.test(cell.value) ? `${label} must be on one line` : `${label} must not contain tabs or other hidden characters`);
  } else {
    const parsed = NameSchema.safeParse(cell.value.normalize("NFC"));
    if (!parsed.success) fail(cell.label, cell.value, parsed.error.issues[0]?.message ?? "Enter a name");
    else return parsed.data;
  }
  return "";
}

/** The staff number upper-cased with spaces collapsed, or null when blank or reported as wrong or already used. */
function checkStaffNumber(cell: Cell | null, line: number, firstLineOfStaffNumber: Map<string, number>, fail: Fail): string | null {
  if (!isFilled(cell)) return null;
  const label = capitalise(cell.label);
  const normalised = cell.value.replace(/\s+/g, " ").toUpperCase();
  if (normalised.length > STAFF_NUMBER_MAX) fail(cell.label, cell.value, `${label} must be ${STAFF_NUMBER_MAX} characters or fewer`);
  else if (!/^[A-Z0-9/ -]+$/.test(normalised)) {
    fail(cell.label, cell.value, `${label} must only include letters, numbers, hyphens (-), slashes (/) and spaces`);
  } else if (!/^[A-Z0-9]/.test(normalised)) fail(cell.label, cell.value, `${label} must start with a letter or a number`);
  else {
    const first = firstLineOfStaffNumber.get(normalised);
    if (first === undefined) firstLineOfStaffNumber.set(normalised, line);
    else fail(cell.label, cell.value, `${label} ${normalised} is also on line ${first}`);
    return normalised;
  }
  return null;
}

/**
 * A free-text label (the team, or the role or rank): NFC with runs of spaces
 * collapsed, or null when blank or reported as formula-like, multi-line or
 * longer than `max`. `what` names it in the formula message ("a team name").
 */
function checkLabelText(cell: Cell | null, max: number, what: string, fail: Fail): string | null {
  if (!isFilled(cell)) return null;
  const label = capitalise(cell.label);
  const clean = cell.value.normalize("NFC").replace(/ {2,}/g, " ");
  if (/^[=+\-@]/.test(clean)) {
    fail(cell.label, cell.value, `${label} must not start with "${clean[0]}": check the cell is ${what} and not a spreadsheet formula`);
  } else if (/\p{Cc}/u.test(cell.value)) {
    fail(cell.label, cell.value, /[\n\r]/.test(cell.value) ? `${label} must be on one line` : `${label} must not contain tabs or other hidden characters`);
  } else if (clean.length > max) fail(cell.label, cell.value, `${label} must be ${max} characters or fewer`);
  else return clean;
  return null;
}

/** The permission in the app from the access cell: `member` when blank, else a known value (or a yes/no flag under "training lead"). */
function checkAccess(cell: Cell | null, accessIsFlag: boolean, fail: Fail): StaffCsvRole {
  if (!isFilled(cell)) return "member";
  const key = headerKey(cell.value);
  const mapped = ACCESS_VALUES.get(key) ?? (accessIsFlag ? TRAINING_LEAD_FLAG.get(key) : undefined);
  if (mapped) return mapped;
  const allowed = accessIsFlag ? '"yes" or "no"' : '"learner" or "training lead"';
  fail(cell.label, cell.value, `${capitalise(cell.label)} must be ${allowed}`);
  return "member";
}

/**
 * Team spellings: the first spelling of a team (an existing team's beats the
 * file's) is the one every row gets, and `teams` lists each team once, in the
 * order the file first uses them.
 */
function createTeamList(existingTeams: readonly string[]) {
  const teamSpelling = new Map<string, string>();
  const existing = new Set<string>();
  for (const team of existingTeams) {
    const key = teamKey(team);
    existing.add(key);
    if (!teamSpelling.has(key)) teamSpelling.set(key, team);
  }
  const teams: string[] = [];
  const teamsListed = new Set<string>();
  return {
    teams,
    /** The spelling this team is stored under; lists it if new to the file. */
    spell(team: string): string {
      const key = teamKey(team);
      const spelling = teamSpelling.get(key);
      let spelt = team;
      if (spelling === undefined) teamSpelling.set(key, team);
      else spelt = spelling;
      if (!teamsListed.has(key)) {
        teamsListed.add(key);
        teams.push(spelt);
      }
      return spelt;
    },
    newTeams: () => teams.filter((t) => !existing.has(teamKey(t))),
  };
}

/** The warning for role or rank cells that say "learner" or "training lead" in a file with no access column. */
function accessInRankWarning(accessInRank: number, rankLabel: string | undefined): string[] {
  if (accessInRank === 0 || rankLabel === undefined) return [];
  const rowsSay = accessInRank === 1 ? "1 row says" : `${formatCount(accessInRank)} rows say`;
  return [
    `The "${rankLabel}" column is each person's role or rank, like PC or Sergeant, but ${rowsSay} "learner" or "training lead" there. ` +
      `That makes nobody a training lead: put "training lead" in an "access" column instead.`,
  ];
}

/**
 * Every data row checked: a row with more cells than column names is one
 * error; otherwise each cell is checked in column order (email, name, staff
 * number, team, rank, access) and the row is kept only if none failed.
 */
function checkRows(data: CsvRecord[], headerWidth: number, columnOf: Columns, delimiter: Delimiter, existingTeams: readonly string[]) {
  const rows: StaffCsvRow[] = [];
  const rowErrors: StaffCsvRowError[] = [];
  const firstLineOfEmail = new Map<string, number>();
  const firstLineOfStaffNumber = new Map<string, number>();
  const teamList = createTeamList(existingTeams);
  const delimiterName = delimiter === ";" ? "semicolon" : "comma";
  const accessLabel = columnOf.get("access")?.label;
  const accessIsFlag = accessLabel !== undefined && headerKey(accessLabel) === "traininglead";
  let accessInRank = 0;

  for (const { line, cells } of data) {
    if (cells.length > headerWidth && !isBlank(cells.slice(headerWidth))) {
      rowErrors.push({
        line,
        column: "",
        value: cells.slice(headerWidth).join(delimiter).trim(),
        message: `This row has more cells than there are column names. If a name or team contains a ${delimiterName}, put that cell in double quotes`,
      });
      continue;
    }
    const errorsBefore = rowErrors.length;
    const cell = (field: StaffCsvField): Cell | null => {
      const column = columnOf.get(field);
      return column ? { label: column.label, value: (cells[column.index] ?? "").trim() } : null;
    };
    const fail: Fail = (column, value, message) => rowErrors.push({ line, column, value, message });

    const email = checkEmail(cell("email"), line, firstLineOfEmail, fail);
    const name = checkName(cell("name"), fail);
    const staffNumber = checkStaffNumber(cell("staffNumber"), line, firstLineOfStaffNumber, fail);
    const teamText = checkLabelText(cell("team"), TEAM_MAX, "a team name", fail);
    const rank = checkLabelText(cell("rank"), RANK_MAX, "a role or rank", fail);
    const role = checkAccess(cell("access"), accessIsFlag, fail);

    if (rowErrors.length > errorsBefore) continue;
    const team = teamText === null ? null : teamList.spell(teamText);
    if (rank !== null && accessLabel === undefined && ACCESS_IN_RANK.has(headerKey(rank))) accessInRank++;
    rows.push({ line, email, name, staffNumber, team, rank, role });
  }
  return { rows, rowErrors, teams: teamList.teams, newTeams: teamList.newTeams(), accessInRank };
}

export function parseStaffCsv(input: string | Uint8Array, options: StaffCsvOptions = {}): StaffCsvResult {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;

  const decoded = decode(input);
  if ("error" in decoded) return failed([decoded.error]);
  const read = readRecords(decoded.text);
  if ("error" in read) return failed([read.error]);
  const { records, delimiter } = read;

  const nonBlank = records.filter((r) => !isBlank(r.cells));
  const header = nonBlank[0];
  if (!header) return failed(["The file is empty"]);
  const data = nonBlank.slice(1);

  const { columnOf, fileErrors, warnings } = readHeader(header.cells, delimiter);
  const totalRows = data.length;
  fileErrors.push(...rowCountErrors(totalRows, maxRows, fileErrors.length === 0));
  if (fileErrors.length > 0) return failed(fileErrors, warnings, totalRows);

  const { rows, rowErrors, teams, newTeams, accessInRank } = checkRows(data, header.cells.length, columnOf, delimiter, options.existingTeams ?? []);
  warnings.push(...accessInRankWarning(accessInRank, columnOf.get("rank")?.label));
  return { ok: true, fileErrors: [], warnings, rows, rowErrors, totalRows, teams, newTeams };
}
