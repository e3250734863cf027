import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { openDatabase, openPglite, type DatabaseHandle } from "#db/client.ts";
import type { QueryOptions, Results, Transaction } from "@electric-sql/pglite";
import type { PgliteClient } from "#db/pglite-in-worker.ts";
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
  let close: (() => Promise<void>) | undefined;
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
  } else if (inject("sharedModules")) {
    const client = (await spare) ?? (await openPglite({ kind: "pglite", dataDir: null, ...(await pgliteParts(inject("pgliteSnapshot"))) }));
    spare = Promise.resolve(null);
    // The file's own way in, closed when the file ends: a statement sent after that (by something the file left
    // running) fails as it would on a closed database, instead of writing into the next file's.
    const lease = new Lease(client);
    handle = await openDatabase({ kind: "pglite", dataDir: null, client: lease });
    // Not closed: emptied for the next file in this worker (closed instead if it cannot be).
    close = async () => {
      lease.end();
      spare = emptied(client).then(
        () => client,
        () => {
          // Not waited for: closing waits for the transaction that kept it busy.
          void client.close().catch(() => undefined);
          return null;
        },
      );
      await spare;
    };
  } else {
    handle = await openDatabase({ kind: "pglite", dataDir: null, ...(await pgliteParts(inject("pgliteSnapshot"))) });
  }
  setDatabase(handle);
  afterAll(async () => {
    setDatabase(undefined);
    await (close ?? handle.close)();
    await drop?.();
  });
  return handle;
}

/**
 * PGlite for the files that share modules (tests/vitest.config.ts): one per worker, kept from one file to the next,
 * each file getting it emptied back to the migrated snapshot's state (every table truncated, every sequence at its
 * start, the session's settings, locks and temporary tables gone). That takes milliseconds, where opening a copy
 * of the snapshot cost about 0.8 s of CPU a file. One a file left unusable (a transaction never ended) is closed,
 * and the next file opens a fresh copy.
 */
let spare: Promise<PgliteClient | null> = Promise.resolve(null);

/** One file's use of the worker's PGlite: every call refused once the file has ended. */
export class Lease implements PgliteClient {
  readonly waitReady: Promise<void>;
  #ended = false;

  constructor(private client: PgliteClient) {
    this.waitReady = client.waitReady;
  }

  end(): void {
    this.#ended = true;
  }

  #open(): PgliteClient {
    if (this.#ended) throw new Error("This test file's database is closed: the file has ended");
    return this.client;
  }

  async query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#open().query<T>(query, params, options);
  }

  async exec(query: string, options?: QueryOptions): Promise<Array<Results>> {
    return this.#open().exec(query, options);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#open().transaction(fn);
  }

  async dumpDataDir(compression?: "none" | "gzip" | "auto"): Promise<File | Blob> {
    return this.#open().dumpDataDir(compression);
  }

  async close(): Promise<void> {
    this.end();
  }
}

/** Empties the database back to the migrated snapshot's state; rejects if it cannot within `within` ms (a transaction left open). */
export async function emptied(client: PgliteClient, within = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${within} ms`)), within);
  });
  const empty = async () => {
    const tables = await client.query<{ name: string }>(
      "select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema', 'drizzle')",
    );
    const sequences = await client.query<{ name: string; start: string }>(
      "select format('%I.%I', schemaname, sequencename) as name, start_value::text as start from pg_sequences where schemaname <> 'drizzle'",
    );
    await client.exec(
      [
        tables.rows.length ? `truncate ${tables.rows.map((t) => t.name).join(", ")} cascade` : "",
        ...sequences.rows.map((q) => `select setval('${q.name}', ${q.start}, false)`),
        "reset all",
        "unlisten *",
        "select pg_advisory_unlock_all()",
        "discard temp",
      ]
        .filter(Boolean)
        .join(";\n"),
    );
  };
  try {
    await Promise.race([empty(), timeout]);
  } finally {
    clearTimeout(timer);
  }
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
