#!/usr/bin/env node
/**
 * `npm test`: every test. Unit and integration (vitest, PGlite in memory; also
 * PostgreSQL when TEST_DATABASE_URL is set), then end to end in a real browser
 * against a fresh production build (TEST_STAGES=overlap: side by side once the
 * build is made). Each stage runs even if another failed, so one run shows
 * everything that is wrong.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { fileURLToPath } from "node:url";

if (!["", "overlap", "sequential"].includes(process.env.TEST_STAGES ?? "")) {
  console.error(`TEST_STAGES is "${process.env.TEST_STAGES}": leave it unset (one stage after another), or set it to overlap`);
  process.exit(2);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
// Machine-readable results, read back below to repeat each failure at the end.
const reports = path.join(root, ".cache", "test-reports");
fs.rmSync(reports, { recursive: true, force: true });
fs.mkdirSync(reports, { recursive: true });

const stages = [
  ["tools check (chromium, poppler, zbar)", process.execPath, ["tests/ensure-tools.mjs"]],
  ["unit and integration tests", bin("vitest"), ["run", "--config", "tests/vitest.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reports, "vitest.json")}`]],
  ["production build", bin("remix"), ["build"]],
  ["client bundle check (no Node built-ins in browser code)", process.execPath, ["tests/client-bundle-check.mjs"]],
  ["end-to-end tests", bin("playwright"), ["test", "--config", "tests/playwright.config.ts", "--reporter=list,json"]],
];
// Where Playwright's json reporter writes (its documented variable).
const env = { ...process.env, PLAYWRIGHT_JSON_OUTPUT_FILE: path.join(reports, "e2e.json") };

// The e2e server's database is seeded now, beside the unit and integration tests, rather than when
// Playwright starts the server (ADR 043): its output goes to a file, shown when the e2e stage begins.
const prepared = path.join(root, ".cache", "e2e-prepared");
const preparedLog = path.join(root, ".cache", "e2e-prepared.log");
const preparing = prepareE2eData();

// TEST_STAGES=overlap: the unit and integration tests run beside the end-to-end tests (after the build, which
// tests/integration/import-two-instances.postgres.test.ts starts), their output kept in a file and shown after
// the end-to-end tests' (ADR 043). Otherwise (and by default: it saved no time measurable on two cores, ADR 050,
// and leaves each test more of the machine) one stage after another.
const overlap = process.env.TEST_STAGES === "overlap";
const VITEST = "unit and integration tests";
const E2E = "end-to-end tests";
const order = overlap ? [0, 2, 3, 1, 4] : [0, 1, 2, 3, 4];
const results = [];
let background = null;
for (const index of order) {
  const [name, command, args] = stages[index];
  const previousFailed = results.some((r) => r && !r.ok);
  // Without a browser or a build there is nothing to run the e2e tests in.
  if (name === E2E && (!results[0]?.ok || !results[2]?.ok)) {
    results[index] = { name, ok: false, skipped: true };
    continue;
  }
  if (overlap && name === VITEST) {
    console.log(`\n▶ ${name}: started beside the end-to-end tests; its output follows theirs\n`);
    background = startInBackground(command, args, path.join(reports, "vitest.log"));
    continue;
  }
  console.log(`\n▶ ${name}${previousFailed ? " (an earlier stage failed; running anyway)" : ""}\n`);
  const stageEnv = name === E2E ? { ...env, ...(await e2eDataReady()) } : env;
  const run = spawnSync(command, args, { cwd: root, stdio: "inherit", env: stageEnv });
  results[index] = { name, ok: run.status === 0 };
}
if (background) {
  const status = await background.exited;
  console.log(`\n▶ ${VITEST} (ran beside the end-to-end tests)\n`);
  process.stdout.write(fs.readFileSync(background.output, "utf8"));
  results[1] = { name: VITEST, ok: status === 0 };
}
// Not taken by a server (the e2e stage did not run, or failed to start): nothing to keep.
await preparing;
fs.rmSync(prepared, { recursive: true, force: true });

const failures = [...vitestFailures(), ...playwrightFailures()];
if (failures.length) {
  // A CI log may keep only its last lines: repeat what failed, and why, here.
  console.log(`\nFailures (${failures.length}), repeated from above:`);
  for (const f of failures) console.log(`\n✘ ${f.where}\n  ${f.title}\n${indent(f.message)}`);
}

console.log("\nSummary:");
for (const r of results) console.log(`  ${r.ok ? "passed " : r.skipped ? "not run" : "FAILED "} ${r.name}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);

/** Runs a stage with its output to a file; `exited` resolves to its exit status. */
function startInBackground(command, args, output) {
  const out = fs.openSync(output, "w");
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  const exited = new Promise((resolve) => {
    child.on("error", () => resolve(null));
    child.on("exit", (code) => resolve(code));
  });
  return { output, exited };
}

/** Seeds the e2e database into .cache/e2e-prepared (tests/e2e/start-server.mjs --prepare); resolves to its exit status. */
function prepareE2eData() {
  fs.mkdirSync(path.dirname(preparedLog), { recursive: true });
  const out = fs.openSync(preparedLog, "w");
  const child = spawn(process.execPath, [path.join(root, "tests", "e2e", "start-server.mjs"), "--prepare", prepared], { cwd: root, env, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  return new Promise((resolve) => {
    child.on("error", () => resolve(null));
    child.on("exit", (code) => resolve(code));
  });
}

/** Waits for the seed started at the beginning; its directory for the e2e server, or nothing (the server then seeds). */
async function e2eDataReady() {
  const status = await preparing;
  const output = fs.readFileSync(preparedLog, "utf8").trimEnd();
  if (status === 0) {
    console.log(`(The e2e database was seeded while the stages above ran: ${output.split("\n").at(-1)})\n`);
    return { E2E_PREPARED: prepared };
  }
  console.log(`(Seeding the e2e database ahead failed, status ${status}; the e2e server seeds it again as it starts:)\n${output}\n`);
  return {};
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(reports, file), "utf8"));
  } catch {
    return null;
  }
}

// Terminal colours and the test runners' own stack frames off, at most 40
// lines, each indented under its test.
function indent(message) {
  const lines = stripVTControlCharacters(String(message ?? "(no message)"))
    .trimEnd()
    .split("\n")
    .filter((line) => !/^\s+at .*(node_modules|<anonymous>)/.test(line));
  const shown = lines.length > 40 ? [...lines.slice(0, 40), `… ${lines.length - 40} more lines: see the test's own output, above`] : lines;
  return shown.map((line) => `    ${line}`).join("\n");
}

function vitestFailures() {
  const report = readJson("vitest.json");
  const out = [];
  for (const file of report?.testResults ?? []) {
    const where = path.relative(root, file.name);
    const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const a of failed) out.push({ where, title: a.fullName, message: (a.failureMessages ?? []).join("\n") });
    // A file that failed to load has no failed test, only a message.
    if (!failed.length && file.status === "failed") out.push({ where, title: "(the file itself)", message: file.message });
  }
  return out;
}

function playwrightFailures() {
  const report = readJson("e2e.json");
  const out = [];
  const testDir = report?.config?.rootDir ?? root;
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        for (const result of test.results ?? []) {
          if (result.status === "passed" || result.status === "skipped") continue;
          const errors = result.errors?.length ? result.errors : [result.error ?? { message: result.status }];
          out.push({ where: `${path.relative(root, path.join(testDir, spec.file))}:${spec.line}`, title: `${spec.title} (${result.status} after ${(result.duration / 1000).toFixed(1)} s)`, message: errors.map((e) => e.message ?? e.value).join("\n") });
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report?.suites ?? []) walk(suite);
  for (const error of report?.errors ?? []) out.push({ where: "playwright", title: "(outside any test)", message: error.message });
  return out;
}
