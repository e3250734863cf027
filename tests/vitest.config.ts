import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Fixed test configuration: what the server would validate at boot.
const env: Record<string, string> = {
  NODE_ENV: "test",
  APP_URL: "http://localhost:3999",
  BETTER_AUTH_SECRET: "test-secret-test-secret-test-secret-0123456789",
  DATA_DIR: path.join(os.tmpdir(), "distinct-vitest-data"),
  LOG_LEVEL: "error",
  AUTH_RATE_LIMIT: "1000",
  // Billing by card off (an empty value is unset), whatever the shell running the tests has: a file that tests it
  // sets its own keys (tests/integration/stripe.test.ts).
  STRIPE_SECRET_KEY: "",
  STRIPE_WEBHOOK_SECRET: "",
  STRIPE_PRICE_ID: "",
  STRIPE_API_BASE: "",
};

// *.postgres.test.ts prove things only PostgreSQL can show (concurrent transactions): run where TEST_DATABASE_URL
// is set, and named so a run without it plainly has not tried them.
const postgresOnly = process.env.TEST_DATABASE_URL ? [] : ["tests/integration/**/*.postgres.test.ts"];

// Integration files that mock modules, reset them, or change process.env for their own run get a fresh module
// graph each (vitest's default isolation); every other integration file shares one per worker (ADR 042). Found
// by reading the files, so a new test that mocks or sets the environment is isolated without being listed.
const needsOwnModules = /\bvi\.(mock|doMock|unmock|stubEnv|stubGlobal|resetModules)\b|process\.env(\.\w+|\[[^\]]+\])\s*=(?!=)|delete process\.env|Object\.assign\(process\.env/;
const testFilesNeedingOwnModules = (dir: string) =>
  fs
    .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.test\.tsx?$/.test(f) && needsOwnModules.test(fs.readFileSync(path.join(root, dir, f), "utf8")))
    .map((f) => `${dir}/${f}`);
const ownModules = testFilesNeedingOwnModules("tests/integration");
// The unit files share modules the same way (ADR 048): each was a fresh process and module graph, for files
// that mock nothing. One that mocks or sets the environment runs isolated, in the unit-isolated project.
const unitOwnModules = [...testFilesNeedingOwnModules("tests/unit"), ...testFilesNeedingOwnModules("app")];

const integration = {
  globalSetup: ["tests/integration/global-setup.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // Each file gets its own database; two at a time keeps memory sane.
  maxWorkers: 2,
};

export default defineConfig({
  root,
  esbuild: { jsx: "automatic" },
  test: {
    env,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["tests/unit/**/*.test.{ts,tsx}", "app/**/*.test.{ts,tsx}"],
          exclude: unitOwnModules,
          isolate: false,
          setupFiles: ["tests/unit/setup.ts", "tests/integration/shared-modules-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "unit-isolated",
          sequence: { groupOrder: 0 },
          include: unitOwnModules.length ? unitOwnModules : ["tests/unit/(none)"],
          setupFiles: ["tests/unit/setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          exclude: [...postgresOnly, ...ownModules],
          ...integration,
          // The files share one module graph per worker (ADR 042): the app, better-auth, React and the route
          // table load once per worker instead of once per file, which was half of this project's time. Each
          // file still gets its own database; the setup file fails a file that leaves process.env or fake
          // timers changed for the next one.
          isolate: false,
          // ...and one PGlite per worker, emptied between files (tests/integration/database.ts).
          provide: { sharedModules: true },
          setupFiles: ["tests/unit/setup.ts", "tests/integration/shared-modules-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration-isolated",
          provide: { sharedModules: false },
          sequence: { groupOrder: 1 },
          include: ownModules.length ? ownModules : ["tests/integration/(none)"],
          exclude: postgresOnly,
          ...integration,
          setupFiles: ["tests/unit/setup.ts"],
        },
      },
    ],
  },
});
