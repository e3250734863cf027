/**
 * How long the staff CSV upload takes to parse and validate.
 * Run: npx tsx tests/load/bench-csv.ts
 *
 * The files look like real Excel exports: BOM, CRLF, quoted names with commas,
 * names in several scripts, 40 teams, ranks, a few training leads, bytes not a string
 * (the upload path). The target is 10,000 rows in well under a second.
 */
import { parseStaffCsv } from "#app/utils/staff-csv.ts";

const NAMES = ["Jo Bloggs", "Łukasz Nowak", "Siobhán Ní Bhriain", "Gwenllïan Ŵyn", "李雷", "\"O'Connor, Mary\"", "Sam Patel"];
const RANKS = ["PC", "Sergeant", "Call handler", "Victim hub caseworker", "\"Detective Constable, CID\"", "Rhingyll", ""];

function generate(rows: number): Uint8Array {
  const lines = ["Email address,Full name,Collar number,Team,Rank,Access level"];
  for (let i = 0; i < rows; i++) {
    const name = NAMES[i % NAMES.length] ?? "Jo Bloggs";
    const rank = RANKS[i % RANKS.length] ?? "PC";
    lines.push(`Officer.${i}@Example.police.uk,${name},pc ${i},Team ${i % 40},${rank},${i % 100 === 0 ? "Training Lead" : "learner"}`);
  }
  return new TextEncoder().encode(`\uFEFF${lines.join("\r\n")}\r\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const RUNS = 7;
console.log(`staff CSV parse + validate, median of ${RUNS} runs after a warm-up (Node ${process.version})`);
for (const rows of [1_000, 10_000, 20_000]) {
  const file = generate(rows);
  const check = parseStaffCsv(file);
  const leads = check.rows.filter((r) => r.role === "admin").length;
  if (check.rows.length !== rows || check.rowErrors.length > 0 || !check.ok || leads !== Math.ceil(rows / 100)) {
    throw new Error(`generated file did not parse cleanly: ${JSON.stringify(check.fileErrors.concat(check.rowErrors.slice(0, 3).map((e) => e.message)))}`);
  }
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    parseStaffCsv(file);
    times.push(performance.now() - start);
  }
  const kb = (file.byteLength / 1024).toFixed(0);
  console.log(
    `${rows.toLocaleString("en-GB").padStart(6)} rows (${kb.padStart(5)} KB): median ${median(times).toFixed(1)} ms, ` +
      `min ${Math.min(...times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
  );
}
