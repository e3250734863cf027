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
          setupFiles: ["tests/unit/setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          // *.postgres.test.ts prove things only PostgreSQL can show (concurrent
          // transactions): run where TEST_DATABASE_URL is set, and named so a
          // run without it plainly has not tried them.
          exclude: process.env.TEST_DATABASE_URL ? [] : ["tests/integration/**/*.postgres.test.ts"],
          globalSetup: ["tests/integration/global-setup.ts"],
          setupFiles: ["tests/unit/setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Each file gets its own database; two at a time keeps memory sane.
          maxWorkers: 2,
        },
      },
    ],
  },
});
