/**
 * Instances of the production server (build/index.js) for the *.postgres.test.ts files that run several on one
 * PostgreSQL database, as behind a load balancer. Needs the production build (`npx remix build`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { projectRoot, type DatabaseHandle } from "#db/client.ts";

export const BUILD = path.join(projectRoot(), "build", "index.js");

export type ProductionInstance = { child: ChildProcess; base: string; log: string[]; exited: Promise<NodeJS.Signals | number | null> };

/** Fails with what to run when the build is missing or older than the feature a test needs (a string in it). */
export function requireBuild(containing: string, what: string): void {
  if (!fs.existsSync(BUILD) || !fs.readFileSync(BUILD, "utf8").includes(containing)) {
    throw new Error(`${BUILD} is missing or older than ${what}: run \`npx remix build\` first`);
  }
}

/** The address of the test file's own PostgreSQL database, for the instances to open. */
export async function databaseUrlOf(handle: DatabaseHandle): Promise<string> {
  const { rows } = (await handle.db.execute(sql`select current_database() as name`)) as unknown as { rows: { name: string }[] };
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${rows[0]!.name}`;
  return url.toString();
}

/** A port nobody is listening on now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts one instance on `port` with a data directory of its own (removed when it exits) and `env` beside the
 * production defaults, and waits until /healthz answers; its output is kept in `log`, shown if it does not start.
 */
export async function startProductionInstance(name: string, port: number, env: Record<string, string>): Promise<ProductionInstance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `distinct-${name}-`));
  const child = spawn(process.execPath, [BUILD], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, SMTP_URL: "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  child.stdout!.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  void exited.then(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const instance: ProductionInstance = { child, base: `http://127.0.0.1:${port}`, log, exited };
  for (let started = Date.now(); Date.now() - started < 100_000; await new Promise((resolve) => setTimeout(resolve, 200))) {
    if (child.exitCode !== null) break;
    if (await fetch(`${instance.base}/healthz`).then((r) => r.ok, () => false)) return instance;
  }
  child.kill("SIGTERM");
  throw new Error(`instance ${name} did not start:\n${log.join("")}`);
}

/** Stops every instance still running and waits for each to exit. */
export async function stopInstances(instances: ProductionInstance[]): Promise<void> {
  for (const instance of instances) {
    if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill("SIGTERM");
    await instance.exited;
  }
}
