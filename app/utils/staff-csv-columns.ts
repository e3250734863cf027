/**
 * The staff list's columns, as the upload page documents them and the parser
 * (`staff-csv.ts`) matches them. Kept apart from the parser because this file
 * reaches the browser: it must not import csv-parse or anything else that
 * uses Node globals (Buffer, process), or the upload page's route module
 * fails to load and Remix silently reloads the page instead.
 */

export type StaffCsvField = "email" | "name" | "staffNumber" | "team" | "rank" | "access";

export type StaffCsvColumnDoc = {
  field: StaffCsvField;
  /** The name used in the template. */
  header: string;
  required: boolean;
  /** Other header names that mean the same column (case, spaces and punctuation do not matter). */
  alsoAccepted: readonly string[];
  /** Help text for the upload page. */
  hint: string;
  example: string;
};

export const staffCsvColumns = [
  {
    field: "email",
    header: "email",
    required: true,
    alsoAccepted: ["Email address", "E-mail", "Work email", "Work email address", "E-bost", "Cyfeiriad e-bost"],
    hint: "Their work email address. Each person needs a different one: it is how they sign in.",
    example: "jo.bloggs@example.org",
  },
  {
    field: "name",
    header: "name",
    required: true,
    alsoAccepted: ["Full name", "Staff name", "Officer name", "Employee name", "Display name", "Enw", "Enw llawn"],
    hint: "Their full name as it should appear on certificates, up to 100 characters. First name and surname go together in this one column.",
    example: "Jo Bloggs",
  },
  {
    field: "staffNumber",
    header: "staff number",
    required: false,
    alsoAccepted: [
      "Staff no", "Staff ID", "Staff reference", "Collar number", "Collar no", "Staff/collar number",
      "Shoulder number", "Warrant number", "Warrant no", "Employee number", "Employee ID", "Payroll number",
      "Personnel number", "Rhif staff",
    ],
    hint: "Optional. Up to 20 letters, numbers, hyphens, slashes or spaces. Each person needs a different one.",
    example: "AB1234",
  },
  {
    field: "team",
    header: "team",
    required: false,
    alsoAccepted: ["Team name", "Unit", "Department", "Dept", "Squad", "Tîm"],
    hint: "Optional. Up to 80 characters. Teams that do not exist yet are created. Capitals do not matter: \"response team a\" joins \"Response Team A\".",
    example: "Response Team A",
  },
  {
    field: "rank",
    header: "role",
    required: false,
    alsoAccepted: ["Rank", "Role or rank", "Job title", "Job role", "Position", "Rôl", "Rheng"],
    hint: "Optional. Their role or rank, for example PC, Sergeant or Call handler. Up to 80 characters.",
    example: "PC",
  },
  {
    field: "access",
    header: "access",
    required: false,
    alsoAccepted: ["Training lead", "Access level", "Access role", "User role", "Permission"],
    hint: "Optional. \"learner\" (the default) or \"training lead\". Training leads can add staff and see everyone's progress.",
    example: "learner",
  },
] as const satisfies readonly StaffCsvColumnDoc[];

/** For a "download a template" link (serve as text/csv). */
export const STAFF_CSV_TEMPLATE =
  "email,name,staff number,team,role,access\r\n" +
  "jo.bloggs@example.org,Jo Bloggs,AB1234,Response Team A,PC,learner\r\n" +
  "sam.patel@example.org,Sam Patel,CD5678,Public Protection Unit,Sergeant,training lead\r\n";
