import fs from "node:fs";
import { expect, test } from "vitest";
import { parseStaffCsv, STAFF_CSV_TEMPLATE, staffCsvColumns } from "#app/utils/staff-csv.ts";

const fixture = (name: string) => fs.readFileSync(new URL(`../fixtures/csv/${name}`, import.meta.url));
const csv = (...lines: string[]) => `${lines.join("\n")}\n`;
const errors = (result: ReturnType<typeof parseStaffCsv>) => result.rowErrors.map((e) => [e.line, e.column, e.message]);
const NOT_UTF8 = /^The file is not UTF-8: in Excel choose 'CSV UTF-8 \(Comma delimited\)'/;

test("the template parses cleanly to a PC learner and a Sergeant training lead", () => {
  const result = parseStaffCsv(STAFF_CSV_TEMPLATE);
  expect(result).toMatchObject({ ok: true, fileErrors: [], warnings: [], rowErrors: [], totalRows: 2 });
  expect(result.rows).toEqual([
    { line: 2, email: "jo.bloggs@example.org", name: "Jo Bloggs", staffNumber: "AB1234", team: "Response Team A", rank: "PC", role: "member" },
    { line: 3, email: "sam.patel@example.org", name: "Sam Patel", staffNumber: "CD5678", team: "Public Protection Unit", rank: "Sergeant", role: "admin" },
  ]);
  expect(result.newTeams).toEqual(["Response Team A", "Public Protection Unit"]);
});

test("the template's header row is every column, in the documented order", () => {
  expect(STAFF_CSV_TEMPLATE.split("\r\n")[0]).toBe("email,name,staff number,team,role,access");
  expect(staffCsvColumns.map((c) => c.header)).toEqual(["email", "name", "staff number", "team", "role", "access"]);
});

test.each(staffCsvColumns.flatMap((c) => [c.header, ...c.alsoAccepted].map((h) => [h, c.field] as const)))(
  "the documented header %j is read as %s",
  (header, field) => {
    const headers = staffCsvColumns.map((c) => (c.field === field ? header : c.header));
    const values: Record<string, string> = {
      email: "jo@example.org", name: "Jo Bloggs", staffNumber: "AB1", team: "Response", rank: "Sergeant", access: "training lead",
    };
    const result = parseStaffCsv(csv(headers.map((h) => `"${h}"`).join(","), staffCsvColumns.map((c) => values[c.field]).join(",")));
    expect(result.warnings).toEqual([]);
    expect(result.rows).toEqual([
      { line: 2, email: "jo@example.org", name: "Jo Bloggs", staffNumber: "AB1", team: "Response", rank: "Sergeant", role: "admin" },
    ]);
  },
);

test.each([
  ["  EMAIL  ", "Full_Name"],
  ["E-Mail Address", "full-name"],
  ["Email (required)", "Name *"],
  ["email_address", "FULLNAME"],
])("headers %j and %j match despite case, spacing and punctuation", (emailHeader, nameHeader) => {
  const result = parseStaffCsv(csv(`${emailHeader},${nameHeader}`, "jo@example.org,Jo Bloggs"));
  expect(result.fileErrors).toEqual([]);
  expect(result.rows.map((r) => [r.email, r.name])).toEqual([["jo@example.org", "Jo Bloggs"]]);
});

test.each(["Rol", "Rôl", "Rheng"])("Welsh headers match with or without their accents (rank column %j)", (rankHeader) => {
  const result = parseStaffCsv(csv(`Cyfeiriad e-bost,Enw llawn,Rhif staff,Tim,${rankHeader}`, "jo@example.org,Siôn Jones,AB1,Ymateb,Rhingyll"));
  expect(result.fileErrors).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.rowErrors).toEqual([]);
  expect(result.rows.map((r) => [r.name, r.team, r.rank, r.role])).toEqual([["Siôn Jones", "Ymateb", "Rhingyll", "member"]]);
});

test("columns can come in any order", () => {
  const result = parseStaffCsv(csv("Access,Role,Team,Collar number,Full name,Email address", "lead,Call handler,Response,ab 12,Jo Bloggs,Jo@Example.org"));
  expect(result.rows).toEqual([
    { line: 2, email: "jo@example.org", name: "Jo Bloggs", staffNumber: "AB 12", team: "Response", rank: "Call handler", role: "admin" },
  ]);
});

test.each([
  ["with a BOM", "\uFEFF"],
  ["without a BOM", ""],
])("UTF-8 %s reads the first header", (_label, bom) => {
  const text = `${bom}email,name\nlukasz@example.org,Łukasz Nowak\n`;
  for (const input of [text, new TextEncoder().encode(text)]) {
    const result = parseStaffCsv(input);
    expect(result.fileErrors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.name])).toEqual([[2, "Łukasz Nowak"]]);
  }
});

test("BOM bytes from a file are stripped", () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("email,name\r\njo@example.org,Jo\r\n")]);
  const result = parseStaffCsv(bytes);
  expect(result.fileErrors).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.rows.map((r) => r.email)).toEqual(["jo@example.org"]);
});

test("a BOM before a quoted header row is stripped", () => {
  const result = parseStaffCsv('\uFEFF"email","name"\r\n"jo@example.org","Jo"\r\n');
  expect(result.fileErrors).toEqual([]);
  expect(result.rows.map((r) => r.email)).toEqual(["jo@example.org"]);
});

test.each([
  ["LF", "\n"],
  ["CRLF", "\r\n"],
  ["CR", "\r"],
])("%s line endings give the same rows and line numbers", (_label, eol) => {
  const text = ["email,name,team", "a@example.org,Ann,Response", "", 'b@example.org,"Bo', 'Two",Response', "c@example.org,,Response", ""].join(eol);
  const result = parseStaffCsv(text);
  expect(result.rows.map((r) => [r.line, r.email, r.team])).toEqual([[2, "a@example.org", "Response"]]);
  expect(errors(result)).toEqual([
    [4, "name", "Name must be on one line"],
    [6, "name", "Enter a name"],
  ]);
  expect(result.rows[0]?.team).toBe("Response");
});

test("mixed line endings in one file are all line breaks", () => {
  const result = parseStaffCsv("email,name\r\na@example.org,Ann\nb@example.org,Bo\rc@example.org,Cy\r\n");
  expect(result.rows.map((r) => [r.line, r.name])).toEqual([[2, "Ann"], [3, "Bo"], [4, "Cy"]]);
});

test("quoted commas, doubled quotes and embedded newlines, with the right line numbers after them", () => {
  const result = parseStaffCsv(
    csv(
      "email,name,team",
      'a@example.org,"Bloggs, Jo","Safeguarding, Vulnerability"',
      'b@example.org,"Sam ""Sammy"" Patel",Response',
      'c@example.org,Cy Jones,"Public',
      "Protection",
      'Unit"',
      "d@example.org,,Response",
      "e@example.org,Ed Stone,Response",
    ),
  );
  expect(result.rows.map((r) => [r.line, r.name])).toEqual([[2, "Bloggs, Jo"], [3, 'Sam "Sammy" Patel'], [8, "Ed Stone"]]);
  expect(result.rows[0]?.team).toBe("Safeguarding, Vulnerability");
  expect(errors(result)).toEqual([
    [4, "team", "Team must be on one line"],
    [7, "name", "Enter a name"],
  ]);
});

test("spaces around a quoted cell are allowed and cells are trimmed", () => {
  const result = parseStaffCsv(csv("email , name , team", '  a@example.org ,  "Bloggs, Jo"  , \u00a0Response\u00a0 '));
  expect(result.rows).toEqual([{ line: 2, email: "a@example.org", name: "Bloggs, Jo", staffNumber: null, team: "Response", rank: null, role: "member" }]);
});

test("a semicolon-delimited file (European Excel) is read from its header", () => {
  const result = parseStaffCsv(fixture("semicolon.csv"));
  expect(result.fileErrors).toEqual([]);
  expect(result.rowErrors).toEqual([]);
  expect(result.rows.map((r) => [r.line, r.email, r.name, r.staffNumber, r.team, r.rank, r.role])).toEqual([
    [2, "jo.bloggs@example.org", "Jo Bloggs", "AB1234", "Response, North", "PC", "member"],
    [3, "lukasz.nowak@example.org", "Łukasz Nowak", "EF9012", "Response, North", "Sergeant", "admin"],
    [4, "marie.dubois@example.org", "Dubois; Marie", "GH3456", null, null, "member"],
  ]);
  expect(result.teams).toEqual(["Response, North"]);
});

test("a header with more commas than semicolons stays comma-delimited", () => {
  const result = parseStaffCsv(csv("email,name,team", "a@example.org,Ann;Bo,Response; North"));
  expect(result.rows.map((r) => [r.name, r.team])).toEqual([["Ann;Bo", "Response; North"]]);
});

test("an Excel 'sep=;' first line sets the delimiter and counts as a line", () => {
  const result = parseStaffCsv("sep=;\r\nemail;name\r\na@example.org;Bloggs, Jo\r\nb@example.org;\r\n");
  expect(result.rows.map((r) => [r.line, r.name])).toEqual([[3, "Bloggs, Jo"]]);
  expect(errors(result)).toEqual([[4, "name", "Enter a name"]]);
});

test("a BOM before an Excel 'sep=;' line is stripped", () => {
  const text = "\uFEFFsep=;\r\nemail;name\r\na@example.org;Bloggs, Jo\r\n";
  for (const input of [text, new TextEncoder().encode(text)]) {
    const result = parseStaffCsv(input);
    expect(result.fileErrors).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.name])).toEqual([[3, "Bloggs, Jo"]]);
  }
});

test("a tab-delimited file is refused with how to save it", () => {
  const result = parseStaffCsv("email\tname\na@example.org\tAnn\n");
  expect(result.ok).toBe(false);
  expect(result.fileErrors).toEqual(["The file uses tabs between columns: in Excel choose 'CSV UTF-8 (Comma delimited)' when you save it"]);
});

test("the Excel BOM + CRLF sample reads with synonyms, an ignored column and a blank row", () => {
  const result = parseStaffCsv(fixture("excel-bom-crlf.csv"));
  expect(result.ok).toBe(true);
  expect(result.warnings).toEqual(['The column "Start date" will be ignored: the columns used are email, name, staff number, team, role, access']);
  expect(result.rowErrors).toEqual([]);
  expect(result.totalRows).toBe(4);
  expect(result.rows.map((r) => [r.line, r.email, r.name, r.staffNumber, r.team, r.rank, r.role])).toEqual([
    [2, "jo.bloggs@example.org", "Jo Bloggs", "AB1234", "Response Team A", "PC", "member"],
    [3, "sam.patel@example.org", "Patel, Sam", "CD5678", "Public Protection Unit", "DS", "admin"],
    [4, "siobhan.ni.bhriain@example.org", "Siobhán Ní Bhriain", "GH3456", "Response Team A", "PC", "member"],
    [6, "gwenllian.wyn@example.org", "Gwenllïan Ŵyn", null, null, "PCSO", "member"],
  ]);
  expect(result.teams).toEqual(["Response Team A", "Public Protection Unit"]);
});

test("the good sample has no problems and keeps every name exactly", () => {
  const result = parseStaffCsv(fixture("good.csv"));
  expect(result).toMatchObject({ ok: true, fileErrors: [], warnings: [], rowErrors: [], totalRows: 7 });
  expect(result.rows.map((r) => r.name)).toEqual([
    "Jo Bloggs", "Sam Patel", "Łukasz Nowak", "Siobhán Ní Bhriain", "Gwenllïan Ŵyn", "李雷", "O'Connor, Mary",
  ]);
  expect(result.rows.map((r) => r.rank)).toEqual([
    "PC", "Sergeant", "Call handler", "Victim hub caseworker", "Rhingyll", null, "Detective Inspector, PPU",
  ]);
  expect(result.rows.map((r) => r.role)).toEqual(["member", "admin", "member", "member", "member", "member", "admin"]);
  expect(result.teams).toEqual(["Response Team A", "Public Protection Unit", "Neighbourhood Policing", "Safeguarding, Vulnerability and Harm"]);
});

test("the mixed-errors sample reports each bad row with its line and column", () => {
  const result = parseStaffCsv(fixture("mixed-errors.csv"));
  expect(result.ok).toBe(true);
  // 12 lines of data, but Alex Smith's record spans lines 4 and 5.
  expect(result.totalRows).toBe(11);
  expect(result.rows.map((r) => r.line)).toEqual([2, 13]);
  expect(errors(result)).toEqual([
    [3, "email", "Enter an email address in the correct format, like name@example.org"],
    [4, "name", "Name must be on one line"],
    [6, "email", "Enter an email address"],
    [7, "name", "Enter a name"],
    [8, "email", "Email jo.bloggs@example.org is also on line 2"],
    [9, "staff number", "Staff number AB1234 is also on line 2"],
    [10, "name", 'Name must not start with "=": check the cell is the person\'s name and not a spreadsheet formula'],
    [11, "staff number", "Staff number must only include letters, numbers, hyphens (-), slashes (/) and spaces"],
    [12, "access", 'Access must be "learner" or "training lead"'],
  ]);
  expect(result.rowErrors.find((e) => e.line === 11)?.value).toBe("QR#5566");
  expect(result.rowErrors.find((e) => e.line === 12)?.value).toBe("supervisor");
});

test.each([
  ["email", "jo@example", "Email", "Enter an email address in the correct format, like name@example.org"],
  ["email", "", "Email", "Enter an email address"],
  ["email", `${"a".repeat(250)}@example.org`, "Email", "Email address must be 254 characters or fewer"],
  ["name", "", "Name", "Enter a name"],
  ["name", "x".repeat(101), "Name", "Name must be 100 characters or fewer"],
  ["name", "+44 7700 900123", "Full name", 'Full name must not start with "+": check the cell is the person\'s name and not a spreadsheet formula'],
  ["name", "@jo", "Name", 'Name must not start with "@": check the cell is the person\'s name and not a spreadsheet formula'],
  ["name", "-Jo", "Name", 'Name must not start with "-": check the cell is the person\'s name and not a spreadsheet formula'],
  ["name", "Jo\tBloggs", "Name", "Name must not contain tabs or other hidden characters"],
  ["staffNumber", "A".repeat(21), "Collar number", "Collar number must be 20 characters or fewer"],
  ["staffNumber", "/1234", "Staff number", "Staff number must start with a letter or a number"],
  ["staffNumber", "12.34", "Staff no", "Staff no must only include letters, numbers, hyphens (-), slashes (/) and spaces"],
  ["staffNumber", "Ł123", "Staff number", "Staff number must only include letters, numbers, hyphens (-), slashes (/) and spaces"],
  ["team", "T".repeat(81), "Team", "Team must be 80 characters or fewer"],
  ["team", "=A1", "Unit", 'Unit must not start with "=": check the cell is a team name and not a spreadsheet formula'],
  ["rank", "=A1", "Role", 'Role must not start with "=": check the cell is a role or rank and not a spreadsheet formula'],
  ["rank", "+Sergeant", "Rank", 'Rank must not start with "+": check the cell is a role or rank and not a spreadsheet formula'],
  ["rank", "-PC", "Job title", 'Job title must not start with "-": check the cell is a role or rank and not a spreadsheet formula'],
  ["rank", "@SUM(A1)", "Role", 'Role must not start with "@": check the cell is a role or rank and not a spreadsheet formula'],
  ["rank", "R".repeat(81), "Role", "Role must be 80 characters or fewer"],
  ["rank", "Police\nSergeant", "Rank", "Rank must be on one line"],
  ["rank", "Police\tSergeant", "Role", "Role must not contain tabs or other hidden characters"],
  ["access", "sergeant", "Access", 'Access must be "learner" or "training lead"'],
  ["access", "team lead", "Access level", 'Access level must be "learner" or "training lead"'],
  ["access", "yes", "Permission", 'Permission must be "learner" or "training lead"'],
  ["access", "maybe", "Training lead", 'Training lead must be "yes" or "no"'],
] as const)("%s %j under %j: %s", (field, value, header, message) => {
  const headers: Record<string, string> = {
    email: "Email", name: "Name", staffNumber: "Staff number", team: "Team", rank: "Role", access: "Access", [field]: header,
  };
  const values: Record<string, string> = {
    email: "jo@example.org", name: "Jo Bloggs", staffNumber: "AB1", team: "Response", rank: "PC", access: "learner", [field]: value,
  };
  const order = ["email", "name", "staffNumber", "team", "rank", "access"] as const;
  const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const result = parseStaffCsv(csv(order.map((f) => quote(headers[f] ?? "")).join(","), "", order.map((f) => quote(values[f] ?? "")).join(",")));
  expect(result.rowErrors).toEqual([{ line: 3, column: header, value: value.trim(), message }]);
  expect(result.rows).toEqual([]);
  expect(result.totalRows).toBe(1);
});

test("a row with every problem reports each column", () => {
  const result = parseStaffCsv(csv("email,name,staff number,team,role,access", "nope,,#1,=X,@boss,boss"));
  expect(errors(result).map(([, column]) => column)).toEqual(["email", "name", "staff number", "team", "role", "access"]);
});

test("repeated emails and staff numbers name the first line, ignoring case and spacing", () => {
  const result = parseStaffCsv(
    csv(
      "Email address,name,Collar number",
      "jo@example.org,Jo,AB 12",
      "sam@example.org,Sam,CD34",
      "Jo@Example.ORG,Joanne,EF56",
      "kit@example.org,Kit,ab  12",
      "JO@example.org,Jo B,cd34",
    ),
  );
  expect(result.rows.map((r) => r.line)).toEqual([2, 3]);
  expect(errors(result)).toEqual([
    [4, "Email address", "Email address jo@example.org is also on line 2"],
    [5, "Collar number", "Collar number AB 12 is also on line 2"],
    [6, "Email address", "Email address jo@example.org is also on line 2"],
    [6, "Collar number", "Collar number CD34 is also on line 3"],
  ]);
});

test("a duplicate email is still reported when the first row had another problem", () => {
  const result = parseStaffCsv(csv("email,name", "jo@example.org,", "jo@example.org,Jo"));
  expect(errors(result)).toEqual([
    [2, "name", "Enter a name"],
    [3, "email", "Email jo@example.org is also on line 2"],
  ]);
});

test.each(["Łukasz Wójcik-Brzęczyszczykiewicz", "Siobhán Ní Bhriain", "Gwenllïan Ŵyn", "李雷", "Zoë O'Brien-Ṁac Ġiolla", "Αθηνά Παπαδοπούλου", "محمد علي", "Ольга Иванова"])(
  "the name %j is kept exactly",
  (name) => {
    for (const input of [csv("email,name", `x@example.org,${name}`), new TextEncoder().encode(csv("email,name", `x@example.org,${name}`))]) {
      expect(parseStaffCsv(input).rows.map((r) => r.name)).toEqual([name]);
    }
  },
);

test("a decomposed (macOS) name is stored composed", () => {
  const result = parseStaffCsv(csv("email,name", "x@example.org,Siobha\u0301n"));
  expect(result.rows[0]?.name).toBe("Siobh\u00e1n");
});

test.each([
  ["", "member"],
  ["learner", "member"],
  ["Learner", "member"],
  ["MEMBER", "member"],
  ["-", "member"],
  ["Training Lead", "admin"],
  ["training-lead", "admin"],
  ["training_lead", "admin"],
  ["lead", "admin"],
  ["Admin", "admin"],
  ["administrator", "admin"],
  ["n/a", "member"],
  ["Trainee", "member"],
])("access %j is %s", (access, expected) => {
  const result = parseStaffCsv(csv("email,name,access", `jo@example.org,Jo,${access}`));
  expect(result.rowErrors).toEqual([]);
  expect(result.rows.map((r) => r.role)).toEqual([expected]);
});

test.each([
  ["Yes", "admin"],
  ["y", "admin"],
  ["TRUE", "admin"],
  ["1", "admin"],
  ["training lead", "admin"],
  ["No", "member"],
  ["n", "member"],
  ["false", "member"],
  ["0", "member"],
  ["learner", "member"],
  ["", "member"],
  ["-", "member"],
])("under a \"Training lead\" header, %j is %s", (value, expected) => {
  const result = parseStaffCsv(csv("email,name,Training lead", `jo@example.org,Jo,${value}`));
  expect(result.warnings).toEqual([]);
  expect(result.rowErrors).toEqual([]);
  expect(result.rows.map((r) => r.role)).toEqual([expected]);
});

test("yes and no are only a flag under a \"training lead\" header, however it is spelt", () => {
  const flag = parseStaffCsv(csv("email,name,TRAINING_LEAD", "a@example.org,Ann,yes", "b@example.org,Bo,no"));
  expect(flag.rows.map((r) => r.role)).toEqual(["admin", "member"]);
  const access = parseStaffCsv(csv("email,name,Access level", "a@example.org,Ann,yes", "b@example.org,Bo,no"));
  expect(errors(access)).toEqual([
    [2, "Access level", 'Access level must be "learner" or "training lead"'],
    [3, "Access level", 'Access level must be "learner" or "training lead"'],
  ]);
});

test("an \"access\" column and a \"training lead\" column together are a duplicate", () => {
  const result = parseStaffCsv(csv("email,name,access,Training lead", "a@example.org,Ann,learner,no"));
  expect(result.fileErrors).toEqual(['The columns "access" and "Training lead" both give the access level: delete one of them']);
});

test.each([
  "PC", "Sergeant", "Call handler", "Victim hub caseworker", "Detective Constable (DC)", "Police Staff – Band C", "O'Neill's deputy",
  "Rhingyll", "Ditectif Gwnstabl", "Komisarz", "Inspecteur général", "Αστυφύλακας", "Сержант", "巡査部長", "رقيب",
])("the role or rank %j is kept exactly", (rank) => {
  const text = csv("email,name,role", `x@example.org,Jo,"${rank}"`);
  for (const input of [text, new TextEncoder().encode(text)]) {
    const result = parseStaffCsv(input);
    expect(result.rowErrors).toEqual([]);
    expect(result.rows.map((r) => [r.rank, r.role])).toEqual([[rank, "member"]]);
  }
});

test("a role or rank is trimmed, composed and has runs of inner spaces collapsed, but keeps its case", () => {
  const result = parseStaffCsv(
    csv("email,name,role", "a@example.org,Ann,  Police   Sergeant  ", "b@example.org,Bo,Inspecteur ge\u0301ne\u0301ral", "c@example.org,Cy,pcso"),
  );
  expect(result.rowErrors).toEqual([]);
  expect(result.rows.map((r) => r.rank)).toEqual(["Police Sergeant", "Inspecteur g\u00e9n\u00e9ral", "pcso"]);
});

test("a role or rank of exactly 80 characters is allowed", () => {
  const rank = `Sergeant ${"x".repeat(71)}`;
  const result = parseStaffCsv(csv("email,name,rank", `a@example.org,Ann,${rank}`));
  expect(result.rowErrors).toEqual([]);
  expect(result.rows.map((r) => r.rank)).toEqual([rank]);
});

test.each(["", "-", "–", "—", "n/a", "N/A", "None"])("the role or rank placeholder %j means blank", (placeholder) => {
  const result = parseStaffCsv(csv("email,name,role", `a@example.org,Ann,${placeholder}`));
  expect(result.rowErrors).toEqual([]);
  expect(result.rows.map((r) => r.rank)).toEqual([null]);
});

test.each(["Rank", "Job title", "Role or rank", "Position"])("a %j column is the role or rank, not access", (header) => {
  const result = parseStaffCsv(csv(`email,name,${header}`, "a@example.org,Ann,Sergeant", "b@example.org,Bo,training lead"));
  expect(result.warnings).toEqual([expect.stringMatching(new RegExp(`^The "${header}" column is each person's role or rank.*That makes nobody a training lead`))]);
  expect(result.rowErrors).toEqual([]);
  expect(result.rows.map((r) => [r.rank, r.role])).toEqual([["Sergeant", "member"], ["training lead", "member"]]);
});

test("\"Role\" and \"Rank\" columns together are a duplicate, not a permission and a rank", () => {
  const result = parseStaffCsv(csv("email,name,Role,Rank", "a@example.org,Ann,training lead,Sergeant"));
  expect(result.ok).toBe(false);
  expect(result.fileErrors).toEqual(['The columns "Role" and "Rank" both give the role or rank: delete one of them']);
});

test("a file made from the old template (access words in the role column) warns that nobody becomes a training lead", () => {
  const result = parseStaffCsv(
    csv("email,name,Role", "a@example.org,Ann,learner", "b@example.org,Bo,Training Lead", "c@example.org,Cy,Sergeant", "d@example.org,Di,training-lead"),
  );
  expect(result.ok).toBe(true);
  expect(result.rowErrors).toEqual([]);
  expect(result.rows.map((r) => [r.rank, r.role])).toEqual([
    ["learner", "member"], ["Training Lead", "member"], ["Sergeant", "member"], ["training-lead", "member"],
  ]);
  expect(result.warnings).toEqual([
    'The "Role" column is each person\'s role or rank, like PC or Sergeant, but 3 rows say "learner" or "training lead" there. ' +
      'That makes nobody a training lead: put "training lead" in an "access" column instead.',
  ]);
  expect(parseStaffCsv(csv("email,name,rank", "a@example.org,Ann,Learner")).warnings).toEqual([
    'The "rank" column is each person\'s role or rank, like PC or Sergeant, but 1 row says "learner" or "training lead" there. ' +
      'That makes nobody a training lead: put "training lead" in an "access" column instead.',
  ]);
});

test("access words in the role column are not questioned when there is an access column", () => {
  const result = parseStaffCsv(csv("email,name,role,access", "a@example.org,Ann,Training lead,training lead"));
  expect(result.warnings).toEqual([]);
  expect(result.rows.map((r) => [r.rank, r.role])).toEqual([["Training lead", "admin"]]);
});

test("role or rank and access are independent: a PC can be a training lead", () => {
  const result = parseStaffCsv(csv("email,name,role,access", "a@example.org,Ann,PC,training lead", "b@example.org,Bo,Chief Inspector,learner"));
  expect(result.rows.map((r) => [r.rank, r.role])).toEqual([["PC", "admin"], ["Chief Inspector", "member"]]);
});

test("staff numbers are trimmed and upper-cased; placeholders in optional columns mean blank", () => {
  const result = parseStaffCsv(
    csv("email,name,staff number,team", "a@example.org,Ann, ab-12/3 x ,Response", "b@example.org,Bo,-,n/a", "c@example.org,Cy,N/A,None", "d@example.org,Di,,—"),
  );
  expect(result.rowErrors).toEqual([]);
  expect(result.rows.map((r) => [r.staffNumber, r.team])).toEqual([["AB-12/3 X", "Response"], [null, null], [null, null], [null, null]]);
});

test("a row shorter than the header leaves the missing optional cells blank", () => {
  const result = parseStaffCsv(csv("email,name,staff number,team,role,access", "a@example.org,Ann"));
  expect(result.rows).toEqual([{ line: 2, email: "a@example.org", name: "Ann", staffNumber: null, team: null, rank: null, role: "member" }]);
});

test("a row with more cells than column names is one error for the whole row", () => {
  const result = parseStaffCsv(csv("email,name,team", "a@example.org,Bloggs, Jo,Response", "b@example.org,Bo,Response,,"));
  expect(result.rowErrors).toEqual([
    {
      line: 2,
      column: "",
      value: "Response",
      message: "This row has more cells than there are column names. If a name or team contains a comma, put that cell in double quotes",
    },
  ]);
  expect(result.rows.map((r) => r.line)).toEqual([3]);
});

test("blank lines and rows of empty cells are skipped but still count as lines", () => {
  const result = parseStaffCsv(csv("", "email,name", "", ",", "   ,  ", "a@example.org,Ann", "", "b@example.org,"));
  expect(result.totalRows).toBe(2);
  expect(result.rows.map((r) => r.line)).toEqual([6]);
  expect(errors(result)).toEqual([[8, "name", "Enter a name"]]);
});

test("teams are de-duplicated ignoring case and repeated spaces, keeping the first spelling", () => {
  const result = parseStaffCsv(
    csv("email,name,team", "a@example.org,Ann,Response  Team A", "b@example.org,Bo,response team a", "c@example.org,Cy,CID", "d@example.org,Di,RESPONSE TEAM A"),
  );
  expect(result.teams).toEqual(["Response Team A", "CID"]);
  expect(result.rows.map((r) => r.team)).toEqual(["Response Team A", "Response Team A", "CID", "Response Team A"]);
});

test("existing teams keep their spelling and only new teams are listed as new", () => {
  const result = parseStaffCsv(csv("email,name,team", "a@example.org,Ann,cid", "b@example.org,Bo,Response"), { existingTeams: ["CID", "Traffic"] });
  expect(result.rows.map((r) => r.team)).toEqual(["CID", "Response"]);
  expect(result.teams).toEqual(["CID", "Response"]);
  expect(result.newTeams).toEqual(["Response"]);
});

test("existing teams match regardless of spacing or Unicode composition", () => {
  const decomposed = "Ti\u0302m  Ymateb ";
  const result = parseStaffCsv(csv("email,name,team", "a@example.org,Ann,t\u00eem ymateb"), { existingTeams: [decomposed] });
  expect(result.rows.map((r) => r.team)).toEqual([decomposed]);
  expect(result.newTeams).toEqual([]);
});

test("teams only come from valid rows", () => {
  const result = parseStaffCsv(csv("email,name,team", "a@example.org,,Ghost Team", "b@example.org,Bo,Response"));
  expect(result.teams).toEqual(["Response"]);
});

test.each([
  ["email", "name,team", 'The file has no "email" column. The first row must be the column names, like: email,name,staff number,team,role,access'],
  ["name", "email,staff number", 'The file has no "name" column. The first row must be the column names, like: email,name,staff number,team,role,access'],
])("a missing %s column is a file error", (_field, header, message) => {
  const result = parseStaffCsv(csv(header, "x,y"));
  expect(result.ok).toBe(false);
  expect(result.fileErrors).toEqual([message]);
  expect(result.rows).toEqual([]);
  expect(result.rowErrors).toEqual([]);
});

test("separate first name and surname columns get a specific hint", () => {
  const result = parseStaffCsv(csv("email,First name,Surname", "jo@example.org,Jo,Bloggs"));
  expect(result.fileErrors).toEqual(['The file has no "name" column. Put each person\'s first name and surname together in one column called "name".']);
});

test("a file without a header row is told to add one", () => {
  const result = parseStaffCsv(csv("jo@example.org,Jo Bloggs", "sam@example.org,Sam Patel"));
  expect(result.ok).toBe(false);
  expect(result.fileErrors).toEqual([
    "The first row must be the column names (email,name,staff number,team,role,access) but it looks like a person's details. Add a row of column names at the top.",
  ]);
});

test.each([
  ["the same name in another case", "email,name,Email", 'The columns "email" and "Email" both give the email address: delete one of them'],
  ["two synonyms", "email,name,Staff no,Collar number", 'The columns "Staff no" and "Collar number" both give the staff number: delete one of them'],
  ["three synonyms", "email,name,team,Unit,Department", 'The columns "team", "Unit" and "Department" all give the team: delete all but one of them'],
])("a duplicate column (%s) is a file error", (_label, header, message) => {
  const result = parseStaffCsv(csv(header, "a@example.org,Ann,x,y,z"));
  expect(result.ok).toBe(false);
  expect(result.fileErrors).toEqual([message]);
});

test("a column repeated with the same spelling says it appears more than once", () => {
  const result = parseStaffCsv(csv("email,name,name", "a@example.org,Ann,Ann"));
  expect(result.fileErrors).toEqual(['The column "name" appears more than once: delete all but one of them']);
});

test("unknown columns are a warning and their data is ignored", () => {
  const result = parseStaffCsv(csv("email,Shift,name,Notes,", "a@example.org,Nights,Ann,=cmd|' /C calc'!A0,extra"));
  expect(result.ok).toBe(true);
  expect(result.warnings).toEqual([
    'The column "Shift" will be ignored: the columns used are email, name, staff number, team, role, access',
    'The column "Notes" will be ignored: the columns used are email, name, staff number, team, role, access',
  ]);
  expect(result.rows).toEqual([{ line: 2, email: "a@example.org", name: "Ann", staffNumber: null, team: null, rank: null, role: "member" }]);
});

test("Windows-1252 bytes (Siobhán as 0xE1) are refused as not UTF-8", () => {
  const result = parseStaffCsv(fixture("windows-1252.csv"));
  expect(result.ok).toBe(false);
  expect(result.fileErrors).toHaveLength(1);
  expect(result.fileErrors[0]).toMatch(NOT_UTF8);
  expect(result.fileErrors[0]).toMatch(/on line 2\.$/);
  expect(result.rows).toEqual([]);
});

test("a lone 0xE1 byte in otherwise valid input is refused", () => {
  const bytes = new Uint8Array([...new TextEncoder().encode("email,name\na@example.org,Siobh"), 0xe1, ...new TextEncoder().encode("n\n")]);
  expect(parseStaffCsv(bytes).fileErrors[0]).toMatch(NOT_UTF8);
});

test("text already decoded with replacement characters (File.text()) is refused as not UTF-8", () => {
  const text = new TextDecoder().decode(fixture("windows-1252.csv"));
  const result = parseStaffCsv(text);
  expect(result.ok).toBe(false);
  expect(result.fileErrors[0]).toMatch(NOT_UTF8);
});

test("a UTF-16 file (Excel 'Unicode text') is refused as not UTF-8", () => {
  const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from("email,name\n").flatMap((c) => [c.charCodeAt(0), 0])]);
  expect(parseStaffCsv(utf16).fileErrors[0]).toMatch(NOT_UTF8);
});

test("a quote that is never closed is a file error naming the line it opens on", () => {
  const result = parseStaffCsv(csv("email,name", "a@example.org,Ann", 'b@example.org,"Bo', "c@example.org,Cy", "d@example.org,Di"));
  expect(result.ok).toBe(false);
  expect(result.fileErrors).toEqual([
    'Line 3 has a quote mark (") that is never closed, so the rest of the file cannot be read. Check the cells on line 3.',
  ]);
});

test("a stray quote after a closing quote is a file error naming the line", () => {
  const result = parseStaffCsv(csv("email,name", "a@example.org,Ann", "", 'b@example.org,"Bo"x'));
  expect(result.fileErrors).toHaveLength(1);
  expect(result.fileErrors[0]).toMatch(/^Line 4 cannot be read: check the quote marks/);
});

test("a quote inside an unquoted cell is kept as data", () => {
  const result = parseStaffCsv(csv("email,name", 'a@example.org,Jo "JB" Bloggs'));
  expect(result.rows.map((r) => r.name)).toEqual(['Jo "JB" Bloggs']);
});

test.each([
  ["an empty string", ""],
  ["blank lines", "\n\r\n  \n"],
  ["only a BOM", "\uFEFF"],
])("%s is an empty file", (_label, input) => {
  const result = parseStaffCsv(input);
  expect(result).toMatchObject({ ok: false, fileErrors: ["The file is empty"], rows: [], totalRows: 0 });
});

test("zero bytes is an empty file", () => {
  expect(parseStaffCsv(new Uint8Array()).fileErrors).toEqual(["The file is empty"]);
});

test("a header row with no staff is a file error", () => {
  const result = parseStaffCsv("email,name,team\r\n\r\n,,\r\n");
  expect(result).toMatchObject({
    ok: false,
    fileErrors: ["The file has column names but no staff: add one row for each person under the column names"],
    totalRows: 0,
  });
});

function generate(count: number): string {
  const lines = ["email,name,staff number,team,role,access"];
  for (let i = 0; i < count; i++) {
    const lead = i % 50 === 0;
    lines.push(`officer.${i}@example.police.uk,"Officer ${i}, Łukasz",PC${i},Team ${i % 25},${lead ? "Sergeant" : "PC"},${lead ? "training lead" : "learner"}`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

test("more than the default 20,000 rows is a file error with both counts", () => {
  const result = parseStaffCsv(generate(25_000));
  expect(result.ok).toBe(false);
  expect(result.fileErrors).toEqual(["The file has 25,000 rows; the most in one upload is 20,000. Split it into smaller files."]);
  expect(result.totalRows).toBe(25_000);
  expect(result.rows).toEqual([]);
});

test("maxRows is a limit, not an off-by-one", () => {
  expect(parseStaffCsv(generate(3), { maxRows: 3 }).rows).toHaveLength(3);
  expect(parseStaffCsv(generate(4), { maxRows: 3 }).fileErrors).toEqual([
    "The file has 4 rows; the most in one upload is 3. Split it into smaller files.",
  ]);
});

test("a generated 10,000-row file parses with no errors", () => {
  const result = parseStaffCsv(new TextEncoder().encode(generate(10_000)));
  expect(result.fileErrors).toEqual([]);
  expect(result.rowErrors).toEqual([]);
  expect(result.totalRows).toBe(10_000);
  expect(result.rows).toHaveLength(10_000);
  expect(result.rows.filter((r) => r.role === "admin")).toHaveLength(200);
  expect(result.teams).toHaveLength(25);
  expect(result.rows.at(-1)).toEqual({
    line: 10_001,
    email: "officer.9999@example.police.uk",
    name: "Officer 9999, Łukasz",
    staffNumber: "PC9999",
    team: "Team 24",
    rank: "PC",
    role: "member",
  });
});
