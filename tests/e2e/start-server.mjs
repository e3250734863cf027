#!/usr/bin/env node
/**
 * Starts the production build for the e2e suite on a fresh embedded database
 * in a temporary DATA_DIR, and tees its log to tests/e2e/.state/server.log,
 * where the tests read the one-time /setup link (as an operator would).
 *
 * The database is seeded first (tests/e2e/seed-reports.ts). `npm test`
 * (tests/run-all.mjs) seeds it ahead, while the unit and integration tests
 * run: `start-server.mjs --prepare DIR` writes the data directory, the seed's
 * files for the specs and the server's secret into DIR, and the server started
 * later with E2E_PREPARED=DIR takes them instead of seeding (ADR 043).
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const stateDir = path.join(root, "tests", "e2e", ".state");
const port = process.env.E2E_PORT ?? "3100";

/** The server's environment; the seed runs with the same, so its mails and links name the same address. */
function serverEnv(dataDir, secret) {
  return {
    ...process.env,
    NODE_ENV: "production",
    PORT: port,
    HOST: "127.0.0.1",
    APP_URL: `http://localhost:${port}`,
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    SMTP_URL: "",
    BETTER_AUTH_SECRET: secret,
    // The suite signs in many times from one address.
    AUTH_RATE_LIMIT: "500",
    JOBS_INTERVAL_SECONDS: "5",
    // tests/e2e/sso.spec.ts runs an OpenID provider on loopback at E2E_PORT + 1000.
    SSO_INTERNAL_IDP_ORIGINS: `http://127.0.0.1:${Number(port) + 1000}`,
    ...(process.env.E2E_SERVER_ENV ? JSON.parse(process.env.E2E_SERVER_ENV) : {}),
  };
}

/**
 * Data the specs need (forces part-way through their training, studio authors), written through the models
 * into the fresh database before the server opens it; the seed's files for the specs go to `seedStateDir`.
 */
function seed(dataDir, secret, seedStateDir) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(root, "tests", "e2e", "seed-reports.ts")], {
    cwd: root,
    env: { ...serverEnv(dataDir, secret), E2E_STATE_DIR: seedStateDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

if (process.argv[2] === "--prepare") {
  const dir = path.resolve(process.argv[3] ?? "");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "data"), { recursive: true });
  const secret = crypto.randomBytes(32).toString("hex");
  const run = seed(path.join(dir, "data"), secret, path.join(dir, "state"));
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(run.status ?? 1);
  }
  // Written last: the server takes a prepared directory only once this is there.
  fs.writeFileSync(path.join(dir, "secret"), secret);
  process.exit(0);
}

fs.rmSync(stateDir, { recursive: true, force: true });
fs.mkdirSync(stateDir, { recursive: true });
const log = fs.createWriteStream(path.join(stateDir, "server.log"));

const prepared = process.env.E2E_PREPARED ? path.resolve(process.env.E2E_PREPARED) : null;
let dataDir;
let secret;
// What to remove when the server stops: the prepared directory, or the data directory made here.
let owned;
if (prepared && fs.existsSync(path.join(prepared, "secret"))) {
  owned = prepared;
  dataDir = path.join(prepared, "data");
  secret = fs.readFileSync(path.join(prepared, "secret"), "utf8");
  fs.cpSync(path.join(prepared, "state"), stateDir, { recursive: true });
  log.write(`e2e seed: prepared ahead in ${prepared}\n`);
} else {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-e2e-"));
  owned = dataDir;
  secret = crypto.randomBytes(32).toString("hex");
  const run = seed(dataDir, secret, stateDir);
  log.write(run.stdout);
  log.write(run.stderr);
  if (run.status !== 0) {
    process.stderr.write(`The e2e seed failed (status ${run.status}):\n${run.stdout}${run.stderr}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  }
}

const child = spawn(process.execPath, [path.join(root, "build", "index.js")], {
  cwd: root,
  env: serverEnv(dataDir, secret),
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
  fs.rmSync(owned, { recursive: true, force: true });
  process.exit(code ?? 0);
});
