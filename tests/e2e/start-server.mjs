#!/usr/bin/env node
/**
 * Starts the production build for the e2e suite on a fresh embedded database
 * in a temporary DATA_DIR, and tees its log to tests/e2e/.state/server.log,
 * where the tests read the one-time /setup link (as an operator would).
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const stateDir = path.join(root, "tests", "e2e", ".state");
fs.rmSync(stateDir, { recursive: true, force: true });
fs.mkdirSync(stateDir, { recursive: true });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-e2e-"));
const port = process.env.E2E_PORT ?? "3100";
const log = fs.createWriteStream(path.join(stateDir, "server.log"));

const env = {
  ...process.env,
  NODE_ENV: "production",
  PORT: port,
  HOST: "127.0.0.1",
  APP_URL: `http://localhost:${port}`,
  DATA_DIR: dataDir,
  DATABASE_URL: "",
  SMTP_URL: "",
  BETTER_AUTH_SECRET: crypto.randomBytes(32).toString("hex"),
  // The suite signs in many times from one address.
  AUTH_RATE_LIMIT: "500",
  JOBS_INTERVAL_SECONDS: "5",
  // tests/e2e/sso.spec.ts runs an OpenID provider on loopback at E2E_PORT + 1000.
  SSO_INTERNAL_IDP_ORIGINS: `http://127.0.0.1:${Number(port) + 1000}`,
  ...(process.env.E2E_SERVER_ENV ? JSON.parse(process.env.E2E_SERVER_ENV) : {}),
};

// Data the reports spec needs (a force part-way through its training), written
// through the models into the fresh database before the server opens it.
const seed = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "tests", "e2e", "seed-reports.ts")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
log.write(seed.stdout);
log.write(seed.stderr);
if (seed.status !== 0) {
  process.stderr.write(`The e2e seed failed (status ${seed.status}):\n${seed.stdout}${seed.stderr}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}

const child = spawn(process.execPath, [path.join(root, "build", "index.js")], {
  cwd: root,
  env,
  stdio: ["ignore", "pipe", "pipe"],
});
child.stdout.on("data", (chunk) => {
  log.write(chunk);
  process.stdout.write(chunk);
});
child.stderr.on("data", (chunk) => {
  log.write(chunk);
  process.stderr.write(chunk);
});
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
