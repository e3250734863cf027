import crypto from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "#db/client.ts";
import { setDatabase } from "#app/models/platform/db.server.ts";

/**
 * Gives the calling test file its own migrated database and makes it the
 * app's database: PGlite in memory by default, a fresh PostgreSQL database
 * (copied from the migrated template) when TEST_DATABASE_URL is set.
 * Call once at the top of a test file.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL;
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  if (url) {
    const name = `distinct_test_${crypto.randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject("postgresTemplate")}`);
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    handle = await openDatabase({ kind: "postgres", url: dbUrl.toString(), poolSize: 5 });
    drop = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const snapshot = fs.readFileSync(inject("pgliteSnapshot"));
    handle = await openDatabase({ kind: "pglite", dataDir: null, loadDataDir: new Blob([snapshot]) });
  }
  setDatabase(handle);
  afterAll(async () => {
    setDatabase(undefined);
    await handle.close();
    await drop?.();
  });
  return handle;
}
