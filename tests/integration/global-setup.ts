import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "#db/client.ts";

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  export interface ProvidedContext {
    /** PGlite: a migrated data directory to start each test file's database from. */
    pgliteSnapshot: string;
    /** PostgreSQL: a migrated database each test file copies (CREATE DATABASE ... TEMPLATE). */
    postgresTemplate: string;
    /** The file shares its worker's modules with the files before and after it (tests/vitest.config.ts, ADR 042). */
    sharedModules: boolean;
  }
}

/**
 * Migrates once, then every test file starts its own database from the
 * result: a PGlite snapshot (initdb takes seconds; loading a snapshot does
 * not), or a PostgreSQL template database when TEST_DATABASE_URL is set.
 * The integration projects (shared modules and isolated, tests/vitest.config.ts)
 * run in one vitest process and share the one result.
 */
type Prepared = { pgliteSnapshot: string; postgresTemplate: string; teardown: () => Promise<void> };
const shared = globalThis as typeof globalThis & { __distinctTestDatabase?: { prepared: Promise<Prepared>; users: number } };

export default async function setup(project: TestProject) {
  const entry = (shared.__distinctTestDatabase ??= { prepared: prepare(), users: 0 });
  entry.users++;
  const prepared = await entry.prepared;
  project.provide("pgliteSnapshot", prepared.pgliteSnapshot);
  project.provide("postgresTemplate", prepared.postgresTemplate);
  return async () => {
    if (--entry.users > 0) return;
    shared.__distinctTestDatabase = undefined;
    await prepared.teardown();
  };
}

async function prepare(): Promise<Prepared> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const template = `distinct_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${template}`;
    const handle = await openDatabase({ kind: "postgres", url: templateUrl.toString(), poolSize: 1 });
    await migrateDatabase(handle);
    await handle.close();
    return {
      postgresTemplate: template,
      pgliteSnapshot: "",
      teardown: async () => {
        await admin.query(`drop database if exists ${template}`);
        await admin.end();
      },
    };
  }
  const handle = await openDatabase({ kind: "pglite", dataDir: null });
  await migrateDatabase(handle);
  // Uncompressed: each file's database then loads it a second faster than from gzip (43 MB in a temp folder).
  const dump = await handle.pglite!.dumpDataDir("none");
  await handle.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "distinct-test-")), "migrated.tar");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  return { pgliteSnapshot: file, postgresTemplate: "", teardown: async () => fs.rmSync(path.dirname(file), { recursive: true, force: true }) };
}
