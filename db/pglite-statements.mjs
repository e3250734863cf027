/**
 * Named statements for PGlite (ADR 051). PGlite's own `query` sends every statement as an unnamed one: parsed,
 * analysed and planned again on each call, in six round trips into its WebAssembly. A statement the application
 * sends again (the same text: drizzle builds the same SQL for the same query, with the values as parameters) is
 * parsed once here under a name, and each later call is one round trip: bind, describe, execute, sync. That is what
 * a PostgreSQL driver's prepared statements do; the server keeps them for the connection, and PGlite is one.
 *
 * Used by the worker thread (db/pglite-worker.mjs) and by PGlite in this thread (db/client.ts). Plain JavaScript,
 * for the same reason as the worker: Node loads it as it is, from the project's db/ folder.
 *
 * Results are the same as PGlite's `query`: the same parsers (PGlite's and the call's), the same row modes, the
 * same errors (a DatabaseError carrying the query, its parameters and options). What is not a plain read or write
 * (DDL, SET, COPY to a blob) takes PGlite's own path, and DDL forgets every named statement, so no plan outlives
 * the schema it was made for.
 */
import { parse, protocol } from "@electric-sql/pglite";

const { serialize } = protocol;

/** Statements that may be named: reads and writes, which is all that drizzle's queries are. */
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;
/**
 * Statements that change the schema, first or after a `;` in a list: a named statement's plan (or its result's
 * shape) may no longer hold.
 */
const SCHEMA_CHANGE = /(^|;)\s*(create|alter|drop|comment|grant|revoke)\b/i;

/** How many named statements are kept (the least recently used is closed beyond it), and how many texts are counted. */
const KEPT = 256;
const COUNTED = 1024;

export class NamedStatements {
  /** @type {import("@electric-sql/pglite").PGlite} */
  #db;
  /** Named statements by their text, least recently used first: their name and their parameters' types. */
  #named = new Map();
  /** Texts seen once: a text is named the second time it is sent, so one-off statements cost nothing extra. */
  #seen = new Set();
  #next = 1;
  /** How many calls went as named statements, how many texts were parsed under a name and how many closed (tests). */
  counts = { named: 0, prepared: 0, closed: 0 };

  /** @param {import("@electric-sql/pglite").PGlite} db */
  constructor(db) {
    this.#db = db;
  }

  /** PGlite's `query`, outside any transaction: it waits for an open transaction to end, as PGlite's does. */
  async query(sql, params, options) {
    if (!this.#nameable(sql, options)) return this.#plain(() => this.#db.query(sql, params, options), sql);
    await this.#db._checkReady();
    return this.#db._runExclusiveTransaction(() => this.#run(sql, params, options, false));
  }

  /** A transaction's `query` (`tx` is PGlite's handle; its transaction holds the lock every other caller waits on). */
  async txQuery(tx, sql, params, options) {
    if (tx.closed) throw new Error("Transaction is closed");
    if (!this.#nameable(sql, options)) return this.#plain(() => tx.query(sql, params, options), sql);
    return this.#run(sql, params, options, true);
  }

  /** PGlite's `exec` (a list of statements, no parameters): after DDL, every named statement is forgotten. */
  async exec(target, sql, options) {
    return this.#plain(() => target.exec(sql, options), sql);
  }

  #nameable(sql, options) {
    if (!NAMEABLE.test(sql) || options?.blob || options?.paramTypes || options?.onNotice) return false;
    if (this.#named.has(sql) || this.#seen.has(sql)) return true;
    if (this.#seen.size >= COUNTED) this.#seen.clear();
    this.#seen.add(sql);
    return false;
  }

  async #plain(run, sql) {
    try {
      return await run();
    } finally {
      // Also when the DDL failed: part of a list of statements may have run.
      if (SCHEMA_CHANGE.test(sql)) await this.#forget();
    }
  }

  /** Closes every named statement (the next use of each parses it again). */
  async #forget() {
    if (this.#named.size === 0) return;
    const names = [...this.#named.values()].map((s) => s.name);
    this.#named.clear();
    this.#seen.clear();
    // Closing fails only with the database itself; a name left open is never used again (names are not reused).
    await this.#db._runExclusiveQuery(() => this.#close(names)).catch(() => undefined);
  }

  async #close(names) {
    const parts = names.map((name) => serialize.close({ type: "S", name }));
    parts.push(serialize.sync());
    await this.#db.execProtocolStream(concat(parts), { syncToFs: false });
    this.counts.closed += names.length;
  }

  async #run(sql, params = [], options, inTransaction) {
    const db = this.#db;
    return db._runExclusiveQuery(async () => {
      let statement = this.#named.get(sql);
      try {
        if (statement) {
          // Most recently used last.
          this.#named.delete(sql);
          this.#named.set(sql, statement);
        } else {
          statement = await this.#prepare(sql);
        }
        const values = params.map((param, i) => {
          if (param === null || param === undefined) return null;
          const type = statement.types[i];
          const serializer = options?.serializers?.[type] ?? db.serializers[type];
          return serializer ? serializer(param) : param.toString();
        });
        const messages = await db.execProtocolStream(
          concat([serialize.bind({ statement: statement.name, values }), serialize.describe({ type: "P" }), serialize.execute({}), serialize.sync()]),
          { syncToFs: false },
        );
        this.counts.named++;
        if (!inTransaction) await db.syncToFs();
        return parse.parseResults(messages, parsersFor(db, options), options?.rowMode ? { rowMode: options.rowMode } : undefined)[0];
      } catch (error) {
        if (error instanceof Error && "code" in error) Object.assign(error, { query: sql, params, queryOptions: options });
        throw error;
      }
    });
  }

  /** Parses and describes the statement under a new name (inside the query lock). */
  async #prepare(sql) {
    const name = `distinct_${this.#next++}`;
    const messages = await this.#db.execProtocolStream(
      concat([serialize.parse({ name, text: sql, types: [] }), serialize.describe({ type: "S", name }), serialize.sync()]),
      { syncToFs: false },
    );
    const statement = { name, types: parse.parseDescribeStatementResults(messages) };
    this.#named.set(sql, statement);
    this.#seen.delete(sql);
    this.counts.prepared++;
    if (this.#named.size > KEPT) {
      const [oldest, { name: closing }] = this.#named.entries().next().value;
      this.#named.delete(oldest);
      await this.#close([closing]);
    }
    return statement;
  }
}

/** PGlite's parsers with the call's own over them, made once per set of the call's parsers (drizzle passes one object). */
const merged = new WeakMap();
function parsersFor(db, options) {
  const own = options?.parsers;
  if (!own) return db.parsers;
  let both = merged.get(own);
  if (!both || both.base !== db.parsers) {
    both = { base: db.parsers, parsers: { ...db.parsers, ...own } };
    merged.set(own, both);
  }
  return both.parsers;
}

function concat(parts) {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
