import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { migrateDatabase, openDatabase, type DatabaseHandle } from "#db/client.ts";
import { acquireDataDirLock } from "#db/lock.ts";
import { ROOT, STATE_DIR } from "./helpers.ts";

/**
 * A production server of the build for one spec, beside the suite's own
 * (tests/playwright.config.ts): on a free port, on an embedded database of
 * its own, with the environment the spec gives it (Stripe keys, a stub's
 * address). For what the suite's server cannot show: another configuration,
 * data made faster than through the pages, or a figure of the server process
 * itself that another worker's requests would disturb.
 */

export type OwnServer = { url: string; port: number; pid: number; stop: () => Promise<void> };

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * A new DATA_DIR holding a copy of the e2e server's database as the global
 * seed left it after importing the curriculum (tests/e2e/seed-reports.ts
 * writes the snapshot), with `prepare`'s rows added, under DATA_DIR's lock
 * like any other tool. Creating, migrating and importing a database of its
 * own took a minute.
 */
export async function curriculumDataDir(owner: string, prepare?: (handle: DatabaseHandle) => Promise<void>): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `distinct-e2e-${owner}-`));
  const lock = acquireDataDirLock(dataDir, `the ${owner} end-to-end seed`);
  const snapshot = path.join(STATE_DIR, "curriculum-db.tar.gz");
  if (!fs.existsSync(snapshot)) throw new Error(`${snapshot} is missing: the e2e server's seed (tests/e2e/seed-reports.ts) writes it`);
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite"), loadDataDir: new Blob([fs.readFileSync(snapshot)]) });
  try {
    // Nothing to apply unless the snapshot is older than the migrations.
    await migrateDatabase(handle);
    await prepare?.(handle);
  } finally {
    await handle.close();
    lock.release();
  }
  return dataDir;
}

/**
 * Starts build/index.js on `dataDir` and a free port, and waits until it
 * answers /healthz and, if given, has logged a line matching `logged`. Its
 * output goes to test-results/<name>-server.log. `stop` ends it and removes
 * the data directory.
 */
export async function startOwnServer(name: string, dataDir: string, env: Record<string, string> = {}, logged?: RegExp): Promise<OwnServer> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  fs.mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  const logFile = path.join(ROOT, "test-results", `${name}-server.log`);
  const log = fs.createWriteStream(logFile);
  const child = spawn(process.execPath, [path.join(ROOT, "build", "index.js")], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: url,
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      SMTP_URL: "",
      BETTER_AUTH_SECRET: crypto.randomBytes(32).toString("hex"),
      AUTH_RATE_LIMIT: "500",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let output = "";
  const seen = () => !logged || logged.test(output);
  child.stdout.on("data", (chunk: Buffer) => {
    if (!seen()) output += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The ${name} server exited: see ${path.relative(ROOT, logFile)}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok && seen()) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The ${name} server did not start${logged ? ` and log ${logged}` : ""} in 90 s: see ${path.relative(ROOT, logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, port, pid: child.pid!, stop };
}
