import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite, type QueryOptions, type Results, type Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm/logger";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { openPgliteInWorker, type PgliteClient } from "./pglite-in-worker.ts";
import { NamedStatements } from "./pglite-statements.mjs";
import { watchProgressChanges, type WriteGeneration } from "./progress-changes.ts";
import * as schema from "./schema/index.ts";

export { schema };

/** Both drivers give this type: models are written once for PGlite and PostgreSQL. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** A database handle or an open transaction: models accept either. */
export type Executor = Database | Transaction;

export type DatabaseHandle = {
  db: Database;
  kind: "pglite" | "postgres";
  /** Human description for logs and /healthz (never the password). */
  description: string;
  close: () => Promise<void>;
  /** Counts statements sent, for the benchmark's "queries per request". */
  stats: { queries: number };
  /** The PGlite instance, or its proxy when it runs in a worker thread (ADR 049), when embedded (tests snapshot it). */
  pglite?: PgliteClient;
  /**
   * Moves on with every statement that may write and at each transaction's start and end. A cache of what a read
   * answered is good while `keeping` and the generation has not moved since before that read began (ADR 044).
   * Embedded: this process is the database's only client (STACK-NOTES), always keeping. PostgreSQL, opened with
   * `keepProgress`: also moved by other instances' commits that change enrolments or lesson progress, and keeping only
   * while it hears them (ADR 047, db/progress-changes.ts). Absent otherwise: every read reads.
   */
  writes?: WriteGeneration;
  /**
   * Runs `fn` holding the cluster-wide startup lock. On PostgreSQL that is a
   * session advisory lock on one dedicated connection (a pool could unlock on
   * another connection); on PGlite the process already holds DATA_DIR's lock file.
   */
  withStartupLock: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  /** PostgreSQL with `keepProgress`: the server process id of the connection listening for changes (tests end it). */
  listenerPid?: () => number | null;
};

/** The repository root, found from this file (works from build/, db/ and tests). */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, "db", "migrations"))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export const migrationsFolder = () => path.join(projectRoot(), "db", "migrations");

/** A statement that cannot write enrolments or lesson progress: a SELECT (no function a SELECT may call writes either; ADR 044). */
const READS_ONLY = /^\s*select\s/i;

class CountingLogger implements Logger {
  constructor(
    private stats: { queries: number },
    private writes?: WriteGeneration,
  ) {}
  logQuery(query: string): void {
    this.stats.queries++;
    // Counted before the statement runs: a read that began before it cannot be kept (ADR 044).
    if (this.writes && !READS_ONLY.test(query)) this.writes.generation++;
  }
}

export type OpenOptions =
  | {
      kind: "pglite";
      dataDir: string | null;
      loadDataDir?: Blob | File;
      /** PGlite's compiled WebAssembly and file bundle, when the caller opens many databases (tests) and keeps them. */
      wasmModule?: WebAssembly.Module;
      fsBundle?: Blob;
      /**
       * Run PGlite in a worker thread (db/pglite-worker.mjs), so its WebAssembly and result parsing use another core
       * than the requests (ADR 049). `wasmModule` and `fsBundle` are not passed to it.
       */
      inWorker?: boolean;
      /** With `inWorker`: called if the worker fails or stops unasked (its pending calls have been rejected). */
      onWorkerFailure?: (error: Error) => void;
      /** A PGlite already open, in place of opening one (the integration tests reuse one per worker, emptied between files). */
      client?: PgliteClient;
      /**
       * Send reads and writes that come again as named statements, parsed and planned once (ADR 051; the default).
       * False: every statement through PGlite's own `query` (the bench compares the two).
       */
      namedStatements?: boolean;
    }
  | {
      kind: "postgres";
      url: string;
      poolSize?: number;
      /** Give the handle a write generation fed by PostgreSQL's notifications (the server does; ADR 047). */
      keepProgress?: boolean;
    };

/**
 * Opens a database. PGlite has no lock of its own: callers that open a
 * file-backed directory must hold DATA_DIR's lock first (see db/lock.ts).
 */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const stats = { queries: 0 };
  if (options.kind === "pglite") {
    const writes: WriteGeneration = { generation: 0, keeping: true };
    const logger = new CountingLogger(stats, writes);
    if (options.dataDir) {
      // PGlite creates its own directory non-recursively: make the parent.
      fs.mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
    }
    const opened =
      options.client ??
      (options.inWorker
        ? await openPgliteInWorker({ ...options, entry: pgliteWorkerEntry(), namedStatements: options.namedStatements !== false })
        : await openPglite(options));
    const client = new GenerationTracking(opened, writes);
    // The worker's proxy offers what drizzle's pglite driver calls (query, transaction), not all of PGlite.
    const db = drizzlePglite(client as unknown as PGlite, { schema, logger }) as unknown as Database;
    return {
      db,
      kind: "pglite",
      description: `${options.dataDir ? `PGlite at ${path.resolve(options.dataDir)}` : "PGlite in memory"}${options.inWorker ? " (in a worker thread)" : ""}`,
      close: () => client.close(),
      stats,
      pglite: client,
      writes,
      withStartupLock: (fn) => fn(db),
    };
  }
  // connectionTimeoutMillis: with the server unreachable, a request gets an
  // error within 30 s, not a hang (a restarting server refuses at once). It
  // also bounds the wait for a free pooled connection, so it is generous: an
  // overloaded instance should be slow, not failing.
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: 30_000 });
  // An idle client that errors (server restart) must not crash the process.
  pool.on("error", (error) => console.error("[db] idle PostgreSQL client error:", error.message));
  const writes: WriteGeneration | undefined = options.keepProgress ? { generation: 0, keeping: false } : undefined;
  let watcher: ReturnType<typeof watchProgressChanges> | null = null;
  if (writes) {
    // The logger moves the generation as a statement that may write is sent; here it moves again as that statement
    // (a commit included) is answered, so a read that overlapped any part of it is not kept. Other processes' commits
    // move it through the notifications.
    pool.on("connect", (client) => moveGenerationWhenWritten(client, writes));
    watcher = watchProgressChanges(options.url, writes, (message) => console.error(message));
    await watcher.started;
  }
  const logger = new CountingLogger(stats, writes);
  const db = drizzleNodePg(pool, { schema, logger }) as unknown as Database;
  const url = new URL(options.url);
  return {
    db,
    kind: "postgres",
    description: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`,
    close: async () => {
      await watcher?.close();
      await pool.end();
    },
    stats,
    writes,
    listenerPid: watcher ? () => watcher.backendPid() : undefined,
    withStartupLock: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock($1)", [STARTUP_LOCK_KEY]);
        try {
          return await fn(drizzleNodePg(client, { schema, logger }) as unknown as Database);
        } finally {
          await client.query("select pg_advisory_unlock($1)", [STARTUP_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
  };
}

/**
 * A PGlite whose transactions move the write generation as they start and as they end (committed or rolled back):
 * what was read while one was open may have seen its writes.
 */
class GenerationTracking implements PgliteClient {
  readonly waitReady: Promise<void>;

  constructor(
    private client: PgliteClient,
    private writes: WriteGeneration,
  ) {
    this.waitReady = client.waitReady;
  }

  query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.client.query<T>(query, params, options);
  }

  exec(query: string, options?: QueryOptions): Promise<Array<Results>> {
    return this.client.exec(query, options);
  }

  async transaction<T>(fn: (tx: PgliteTransaction) => Promise<T>): Promise<T> {
    this.writes.generation++;
    try {
      return await this.client.transaction(fn);
    } finally {
      this.writes.generation++;
    }
  }

  dumpDataDir(compression?: "none" | "gzip" | "auto"): Promise<File | Blob> {
    return this.client.dumpDataDir(compression);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** PGlite in this thread (openDatabase's, without the handle around it). */
export async function openPglite(options: Extract<OpenOptions, { kind: "pglite" }>): Promise<PgliteClient> {
  const prebuilt = { pgliteWasmModule: options.wasmModule, fsBundle: options.fsBundle };
  const client = options.dataDir
    ? new PGlite(options.dataDir, { loadDataDir: options.loadDataDir, ...prebuilt })
    : new PGlite({ loadDataDir: options.loadDataDir, ...prebuilt });
  await client.waitReady;
  return options.namedStatements === false ? client : new PgliteWithStatements(client);
}

/** PGlite in this thread, its reads and writes that come again sent as named statements (ADR 051). */
class PgliteWithStatements implements PgliteClient {
  readonly waitReady: Promise<void>;
  readonly #statements: NamedStatements;

  constructor(private pglite: PGlite) {
    this.waitReady = pglite.waitReady;
    this.#statements = new NamedStatements(pglite);
  }

  query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#statements.query(query, params, options) as Promise<Results<T>>;
  }

  exec(query: string, options?: QueryOptions): Promise<Array<Results>> {
    return this.#statements.exec(this.pglite, query, options) as Promise<Array<Results>>;
  }

  transaction<T>(fn: (tx: PgliteTransaction) => Promise<T>): Promise<T> {
    const statements = this.#statements;
    return this.pglite.transaction((tx) =>
      fn({
        query: <R>(query: string, params?: unknown[], options?: QueryOptions) => statements.txQuery(tx, query, params, options) as Promise<Results<R>>,
        exec: (query: string, options?: QueryOptions) => statements.exec(tx, query, options) as Promise<Array<Results>>,
        sql: tx.sql.bind(tx),
        rollback: () => tx.rollback(),
        listen: tx.listen.bind(tx),
        get closed() {
          return tx.closed;
        },
      }),
    );
  }

  dumpDataDir(compression?: "none" | "gzip" | "auto"): Promise<File | Blob> {
    return this.pglite.dumpDataDir(compression);
  }

  close(): Promise<void> {
    return this.pglite.close();
  }
}

/** The worker's entry: plain JavaScript the production build leaves where it is, loaded by Node at run time. */
export const pgliteWorkerEntry = () => path.join(projectRoot(), "db", "pglite-worker.mjs");

/** Wraps a pooled client's `query` so the generation moves when a statement that may write has been answered. */
function moveGenerationWhenWritten(client: pg.PoolClient, writes: WriteGeneration): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const after = () => {
    writes.generation++;
  };
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    const text = typeof first === "string" ? first : typeof first === "object" && first !== null && "text" in first ? String(first.text) : "";
    if (READS_ONLY.test(text)) return query(...args);
    // pg-pool's own `query` passes a callback; a client of a transaction is asked for a promise.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (...answer: unknown[]) => {
        after();
        return (callback as (...a: unknown[]) => unknown)(...answer);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) return result.finally(after);
    // A submittable (not what drizzle sends): moved now; the logger already moved it as it was sent.
    after();
    return result;
  };
}

/** Arbitrary but fixed: the advisory lock every instance takes to migrate and import. */
export const STARTUP_LOCK_KEY = 7_215_093_001;

/**
 * Applies db/migrations. On PostgreSQL this happens under an advisory lock, so
 * several instances starting at once migrate one after another (the later ones
 * find nothing to do).
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  await handle.withStartupLock(async (db) => {
    if (handle.kind === "pglite") {
      await migratePglite(db as never, { migrationsFolder: migrationsFolder() });
    } else {
      await migrateNodePg(db as never, { migrationsFolder: migrationsFolder() });
    }
  });
}
