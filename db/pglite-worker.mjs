/**
 * The embedded database's own thread (ADR 049): PGlite and its WebAssembly run here, so the server's main thread
 * only builds statements and renders pages while the database works on the other core. db/pglite-in-worker.ts is
 * the only client: it starts this file as a worker_threads Worker and sends one message per call.
 *
 * Plain JavaScript, not TypeScript: the production build bundles the server into build/index.js, and Node loads
 * this file as it is, at run time, from the project's db/ folder.
 */
import { parentPort, workerData } from "node:worker_threads";
import { messages, PGlite, TransactionAbortedError } from "@electric-sql/pglite";
import { NamedStatements } from "./pglite-statements.mjs";

if (!parentPort) throw new Error("db/pglite-worker.mjs runs as a worker thread (see db/pglite-in-worker.ts)");
const port = parentPort;

/** Types whose text the caller asked to keep as text (drizzle's parsers for dates, timestamps, intervals and their arrays). */
const asTextCache = new Map();
function asText(typeIds) {
  const key = typeIds.join(",");
  let parsers = asTextCache.get(key);
  if (!parsers) {
    parsers = Object.fromEntries(typeIds.map((id) => [id, (value) => value]));
    asTextCache.set(key, parsers);
  }
  return parsers;
}

/** The options a call gave, with the parsers it asked for made here (functions cannot cross threads). */
function queryOptions(options) {
  if (!options) return undefined;
  const { asTextTypes, ...rest } = options;
  return asTextTypes ? { ...rest, parsers: asText(asTextTypes) } : rest;
}

/**
 * An error as plain data: PGlite's DatabaseError carries code, constraint, detail, table and the like as own fields;
 * each that can be copied to the other thread is (PGlite also attaches the query's options, whose parsers cannot).
 */
function errorData(error) {
  if (!(error instanceof Error)) return { kind: "other", name: "Error", message: String(error), fields: {} };
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === "function") continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      // a value that cannot cross (a function inside it): left out
    }
  }
  // By instanceof: PGlite's build minifies class names.
  const kind = error instanceof TransactionAbortedError ? "aborted" : error instanceof messages.DatabaseError ? "database" : "other";
  return { kind, name: error.name, message: error.message, stack: error.stack, fields };
}

const { dataDir, loadDataDir, namedStatements } = workerData;
const db = dataDir ? new PGlite(dataDir, { loadDataDir }) : new PGlite({ loadDataDir });
/** Reads and writes that come again go as named statements (ADR 051); otherwise PGlite's own query. */
const statements = namedStatements ? new NamedStatements(db) : null;

/** Open transactions by the id of the message that began them: their handle, and how to end them. */
const transactions = new Map();

const reply = (id, result) => port.postMessage({ id, result });
const fail = (id, error) => port.postMessage({ id, error: errorData(error) });

async function handle(message) {
  const { op, tx } = message;
  const target = tx === undefined ? db : transactions.get(tx)?.handle;
  if (!target) throw new Error(`The transaction this statement belongs to has ended`);
  switch (op) {
    case "query": {
      const options = queryOptions(message.options);
      if (!statements) return target.query(message.sql, message.params, options);
      return tx === undefined ? statements.query(message.sql, message.params, options) : statements.txQuery(target, message.sql, message.params, options);
    }
    case "exec": {
      const options = queryOptions(message.options);
      return statements ? statements.exec(target, message.sql, options) : target.exec(message.sql, options);
    }
    case "rollback":
      return target.rollback();
    case "dumpDataDir": {
      const file = await db.dumpDataDir(message.compression);
      return { bytes: await file.arrayBuffer(), name: file.name, type: file.type };
    }
    default:
      throw new Error(`Unknown PGlite worker operation: ${op}`);
  }
}

/** What the main thread's "end" without commit rejects the transaction's callback with, so PGlite rolls back. */
const ROLLED_BACK = new Error("rolled back by the caller");

/** Begins a transaction holding PGlite's own lock (other calls queue behind it) until the main thread ends it. */
function begin(id) {
  let begun = false;
  let end;
  const ended = new Promise((resolve, reject) => {
    end = { resolve, reject };
  });
  const open = { handle: null, end, answer: null };
  db.transaction(async (handle) => {
    begun = true;
    open.handle = handle;
    transactions.set(id, open);
    reply(id, "begun");
    // Resolving commits (unless rolled back meanwhile); rejecting makes PGlite roll back.
    return ended;
  })
    .then(
      () => open.answer?.(null),
      (error) => {
        // Not begun (the database closed): the begin message is answered with the error.
        if (!begun) fail(id, error);
        else open.answer?.(error === ROLLED_BACK ? null : error);
      },
    )
    .finally(() => transactions.delete(id));
}

port.on("message", (message) => {
  const { id, op } = message;
  if (op === "begin") return begin(id);
  if (op === "end") {
    const open = transactions.get(message.tx);
    if (!open) return fail(id, new Error("The transaction has already ended"));
    // Answered once PGlite has committed or rolled back: null, or the error COMMIT or ROLLBACK met.
    open.answer = (error) => (error ? fail(id, error) : reply(id, null));
    if (message.commit) open.end.resolve();
    else open.end.reject(ROLLED_BACK);
    return;
  }
  if (op === "close") {
    db.close().then(
      () => {
        reply(id, null);
        port.close();
      },
      (error) => fail(id, error),
    );
    return;
  }
  handle(message).then(
    (result) => reply(id, result),
    (error) => fail(id, error),
  );
});

db.waitReady.then(
  () => port.postMessage({ ready: true }),
  (error) => port.postMessage({ ready: false, error: errorData(error) }),
);
