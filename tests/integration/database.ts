import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
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
/** The address of a PostgreSQL test database openTestDatabase made, to open a second handle on it (a second instance). */
const urls = new WeakMap<DatabaseHandle, string>();
export const testDatabaseUrl = (handle: DatabaseHandle) => urls.get(handle);

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
    urls.set(handle, dbUrl.toString());
    drop = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    handle = await openDatabase({ kind: "pglite", dataDir: null, ...(await pgliteParts(inject("pgliteSnapshot"))) });
  }
  setDatabase(handle);
  afterAll(async () => {
    setDatabase(undefined);
    await handle.close();
    await drop?.();
  });
  return handle;
}

type PgliteParts = { loadDataDir: Blob; wasmModule: WebAssembly.Module; fsBundle: Blob };
const cache = globalThis as typeof globalThis & { __distinctPgliteParts?: { snapshot: string; parts: Promise<PgliteParts> } };

/**
 * The migrated snapshot, PGlite's compiled WebAssembly and its file bundle, read and compiled once per worker
 * and kept on globalThis: the integration files that share modules (tests/vitest.config.ts) then each open
 * their database without compiling PGlite again. Each file's database is still its own copy of the snapshot.
 */
function pgliteParts(snapshot: string): Promise<PgliteParts> {
  if (cache.__distinctPgliteParts?.snapshot !== snapshot) {
    const dist = path.dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
    const parts = (async () => ({
      loadDataDir: new Blob([fs.readFileSync(snapshot)]),
      wasmModule: await WebAssembly.compile(fs.readFileSync(path.join(dist, "pglite.wasm"))),
      fsBundle: new Blob([fs.readFileSync(path.join(dist, "pglite.data"))]),
    }))();
    cache.__distinctPgliteParts = { snapshot, parts };
  }
  return cache.__distinctPgliteParts!.parts;
}
