import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { EnvError, parseEnv } from "#app/services/env.server.ts";

const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "distinct-env-"));

function problems(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

test("a bad value stops with a message naming the variable", () => {
  const found = problems({ PORT: "eighty", DATA_DIR: dataDir() });
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(/^PORT /);
  expect(problems({ DATABASE_URL: "mysql://x", DATA_DIR: dataDir() })[0]).toMatch(/^DATABASE_URL must be a URL starting with postgres:/);
  expect(problems({ SMTP_URL: "not a url", DATA_DIR: dataDir() })[0]).toMatch(/^SMTP_URL /);
});

test("production requires the secret and the public address", () => {
  const found = problems({ NODE_ENV: "production", DATA_DIR: dataDir() });
  expect(found.some((p) => p.startsWith("BETTER_AUTH_SECRET is required in production"))).toBe(true);
  expect(found.some((p) => p.startsWith("APP_URL is required in production"))).toBe(true);
});

test("Stripe settings come all together or not at all", () => {
  expect(problems({ STRIPE_SECRET_KEY: "sk_test_x", DATA_DIR: dataDir() })[0]).toMatch(/must be set together/);
  expect(problems({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x", STRIPE_PRICE_ID: "price_x", DATA_DIR: dataDir() })).toEqual([]);
});

test("outside production a missing secret is generated once and kept in DATA_DIR", () => {
  const dir = dataDir();
  const first = parseEnv({ DATA_DIR: dir });
  const second = parseEnv({ DATA_DIR: dir });
  expect(first.BETTER_AUTH_SECRET).toHaveLength(64);
  expect(second.BETTER_AUTH_SECRET).toBe(first.BETTER_AUTH_SECRET);
  expect(fs.readFileSync(path.join(dir, "auth-secret"), "utf8").trim()).toBe(first.BETTER_AUTH_SECRET);
  expect(first.APP_URL).toBe("http://localhost:3000");
});

test("SUPPORT_EMAIL, where leads send purchase orders, must be an email address", () => {
  expect(problems({ SUPPORT_EMAIL: "the trust", DATA_DIR: dataDir() })).toEqual([`SUPPORT_EMAIL must be an email address, such as training@trust.example.org (got "the trust")`]);
  expect(parseEnv({ SUPPORT_EMAIL: " training@trust.example.org ", DATA_DIR: dataDir() }).SUPPORT_EMAIL).toBe("training@trust.example.org");
  expect(parseEnv({ DATA_DIR: dataDir() }).SUPPORT_EMAIL).toBeUndefined();
});
