import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = process.env.E2E_PORT ?? "3100";
// Debian's headless shell of the same Chromium (package chromium-headless-shell), as Playwright itself runs headless
// tests: the same Blink and V8 without the full browser's UI layers, about a quarter less CPU a test (ADR 050).
// tests/ensure-tools.mjs installs it beside chromium; without it, the full browser.
const chromium = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((p) => fs.existsSync(p)) ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: path.join(root, "tests", "e2e"),
  outputDir: path.join(root, "test-results"),
  // Files run side by side in two workers; a file's tests stay in order in one (ADR 043: each spec has data of its
  // own, so none depends on another's having run or not). E2E_WORKERS=1 runs them one at a time.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? "2"),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // tests/run-all.mjs adds a JSON report (--reporter) to repeat failures at the end.
  reporter: "list",
  // Empties the folder of recorded pages, and checks them all with the W3C Nu HTML checker at the end.
  globalSetup: path.join(root, "tests", "e2e", "nu-global.ts"),
  use: {
    baseURL: `http://localhost:${port}`,
    // A failed test keeps its trace: each action with its locator, timing and log, the network and the console,
    // and its screenshot at the failure. Not a screencast (ADR 048), and not a DOM snapshot around every action
    // unless E2E_TRACE_SNAPSHOTS=1: every test records its trace, passed or not, and the snapshots were a fifth
    // of the suite's CPU (ADR 053).
    trace: { mode: "retain-on-failure", screenshots: false, snapshots: process.env.E2E_TRACE_SNAPSHOTS === "1" },
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: `node ${path.join(root, "tests", "e2e", "start-server.mjs")}`,
    url: `http://localhost:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
