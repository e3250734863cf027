#!/usr/bin/env node
/**
 * `npm test`: every test. Unit and integration (vitest, PGlite in memory; also
 * PostgreSQL when TEST_DATABASE_URL is set), then end to end in a real browser
 * against a fresh production build. Each stage runs even if an earlier one
 * failed, so one run shows everything that is wrong.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

const stages = [
  ["tools check (chromium, poppler, zbar)", process.execPath, ["tests/ensure-tools.mjs"]],
  ["unit and integration tests", bin("vitest"), ["run", "--config", "tests/vitest.config.ts"]],
  ["production build", bin("remix"), ["build"]],
  ["end-to-end tests", bin("playwright"), ["test", "--config", "tests/playwright.config.ts"]],
];

const results = [];
for (const [name, command, args] of stages) {
  const previousFailed = results.some((r) => !r.ok);
  // Without a browser or a build there is nothing to run the e2e tests in.
  if (name === "end-to-end tests" && (!results[0]?.ok || !results[2]?.ok)) {
    results.push({ name, ok: false, skipped: true });
    continue;
  }
  console.log(`\n▶ ${name}${previousFailed ? " (an earlier stage failed; running anyway)" : ""}\n`);
  const run = spawnSync(command, args, { cwd: root, stdio: "inherit", env: process.env });
  results.push({ name, ok: run.status === 0 });
}

console.log("\nSummary:");
for (const r of results) console.log(`  ${r.ok ? "passed " : r.skipped ? "not run" : "FAILED "} ${r.name}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
