import { Worker } from "node:worker_threads";
import { messages, TransactionAbortedError, type PGlite, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";

/**
 * What this project calls on a PGlite: drizzle's pglite driver (query with rowMode and parsers, transaction with
 * query/exec/rollback), migrations, exec, and dumpDataDir (tests' snapshots). A PGlite is one; so is the proxy
 * below, whose database runs in a worker thread (ADR 049).
 */
export type PgliteClient = Pick<PGlite, "waitReady" | "query" | "exec" | "transaction" | "dumpDataDir" | "close">;

type ErrorData = { kind: "aborted" | "database" | "other"; name: string; message: string; stack?: string; fields: Record<string, unknown> };
type Answer = { id: number; result?: unknown; error?: ErrorData };
type Ready = { ready: boolean; error?: ErrorData };
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
/** Query options as they cross: parsers become the list of types kept as text (see asTextTypes). */
type CrossingOptions = Omit<QueryOptions, "parsers" | "serializers" | "onNotice"> & { asTextTypes?: number[] };

const PROBE = "2026-01-01 00:00:00.000001+00";
const asTextTypesOf = new WeakMap<object, number[]>();

/**
 * Functions cannot cross to another thread. drizzle's only parsers leave timestamps, dates, intervals and their
 * arrays as the text PostgreSQL sent; the worker makes the same for the types listed. A parser that changes its
 * input could not be reproduced there, so it is refused rather than silently ignored.
 */
function crossing(options: QueryOptions | undefined): CrossingOptions | undefined {
  if (!options) return undefined;
  const { parsers, serializers, onNotice, ...rest } = options;
  if (serializers || onNotice) throw new Error("PGlite in a worker thread: serializers and onNotice cannot cross to the worker");
  if (!parsers) return rest;
  let asTextTypes = asTextTypesOf.get(parsers);
  if (!asTextTypes) {
    asTextTypes = Object.entries(parsers).map(([id, parse]) => {
      if (parse(PROBE, Number(id)) !== PROBE) throw new Error(`PGlite in a worker thread: the parser for type ${id} is not the identity`);
      return Number(id);
    });
    asTextTypesOf.set(parsers, asTextTypes);
  }
  return { ...rest, asTextTypes };
}

/** The worker's error as this thread's: a DatabaseError keeps its class and fields (code, constraint, detail...). */
function errorFrom(data: ErrorData): Error {
  let error: Error;
  if (data.kind === "aborted") error = new TransactionAbortedError();
  else if (data.kind === "database") error = new messages.DatabaseError(data.message, 0, "error");
  else error = new Error(data.message);
  // A DatabaseError's name, length, code, constraint... are own fields; an Error's name is set here.
  Object.assign(error, data.fields);
  error.message = data.message;
  if (data.kind === "other") error.name = data.name;
  if (data.stack) error.stack = data.stack;
  return error;
}

export type WorkerOptions = {
  /** The worker's entry file (db/pglite-worker.mjs). */
  entry: string | URL;
  dataDir: string | null;
  loadDataDir?: Blob | File;
  /** Send reads and writes that come again as named statements (db/pglite-statements.mjs, ADR 051). */
  namedStatements?: boolean;
  /** Called once if the worker fails or stops while not being closed (every pending call has been rejected). */
  onFailure?: (error: Error) => void;
};

/** Starts the worker, opens PGlite in it and resolves once it is ready (rejects with PGlite's error if it cannot open). */
export async function openPgliteInWorker(options: WorkerOptions): Promise<PgliteWorkerClient> {
  const client = new PgliteWorkerClient(options);
  try {
    await client.waitReady;
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return client;
}

export class PgliteWorkerClient implements PgliteClient {
  readonly waitReady: Promise<void>;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #nextId = 1;
  /** Set once the worker cannot answer any more (failed, stopped or closed): every call rejects with it. */
  #gone: Error | null = null;
  #closing: Promise<void> | null = null;

  constructor(options: WorkerOptions) {
    // A Blob crosses to a worker as it is (structured clone).
    this.#worker = new Worker(options.entry, { workerData: { dataDir: options.dataDir, loadDataDir: options.loadDataDir, namedStatements: options.namedStatements ?? true } });
    let ready: Pending;
    this.waitReady = new Promise<void>((resolve, reject) => {
      ready = { resolve: () => resolve(), reject };
    });
    // Handled where awaited; a failure before anyone waits must not be an unhandled rejection.
    this.waitReady.catch(() => undefined);
    this.#worker.on("message", (message: Answer | Ready) => {
      if ("ready" in message) {
        if (message.ready) return ready.resolve(undefined);
        // PGlite could not open: nothing to close in the worker, only the worker to end.
        this.#gone = errorFrom(message.error!);
        ready.reject(this.#gone);
        return;
      }
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.error) pending.reject(errorFrom(message.error));
      else pending.resolve(message.result);
    });
    const lost = (cause: Error) => {
      if (this.#gone) return;
      const error = new Error(`The embedded database's worker thread failed: ${cause.message}`, { cause });
      this.#gone = error;
      ready.reject(error);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
      if (!this.#closing) options.onFailure?.(error);
    };
    this.#worker.on("error", lost);
    this.#worker.on("exit", (code) => lost(new Error(`it stopped (exit code ${code})`)));
  }

  /** Sends one call; resolves with the worker's answer. */
  call<T>(message: Record<string, unknown> & { op: string }): { id: number; answer: Promise<T> } {
    const id = this.#nextId++;
    if (this.#gone) return { id, answer: Promise.reject(this.#gone) };
    const answer = new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
    this.#inFlight.add(answer);
    const settled = () => this.#inFlight.delete(answer);
    answer.then(settled, settled);
    this.#worker.postMessage({ ...message, id });
    return { id, answer };
  }

  query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.call<Results<T>>({ op: "query", sql: query, params, options: crossing(options) }).answer;
  }

  exec(query: string, options?: QueryOptions): Promise<Array<Results>> {
    return this.call<Array<Results>>({ op: "exec", sql: query, options: crossing(options) }).answer;
  }

  /**
   * PGlite's transaction: BEGIN in the worker holds PGlite's lock, so every other call waits there until this one
   * ends; `fn` runs here, its statements sent with the transaction's id. A throw rolls back and is rethrown.
   */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const { id, answer } = this.call({ op: "begin" });
    await answer;
    const tx = new WorkerTransaction(this, id);
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      tx.ended = true;
      await this.call({ op: "end", tx: id, commit: false }).answer;
      throw error;
    }
    tx.ended = true;
    await this.call({ op: "end", tx: id, commit: true }).answer;
    return result;
  }

  async dumpDataDir(compression?: "none" | "gzip" | "auto"): Promise<File | Blob> {
    const dump = await this.call<{ bytes: ArrayBuffer; name: string; type: string }>({ op: "dumpDataDir", compression }).answer;
    return new File([dump.bytes], dump.name, { type: dump.type });
  }

  /** Lets calls already sent finish, closes PGlite in the worker, then ends the worker. Later calls reject. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#inFlight]);
      try {
        if (!this.#gone) await this.call({ op: "close" }).answer;
      } finally {
        this.#gone ??= new Error("The embedded database is closed");
        await this.#worker.terminate();
      }
    })();
    return this.#closing;
  }
}

class WorkerTransaction implements Transaction {
  /** Ended by rollback() or by the transaction's end: further statements are refused, as PGlite refuses them. */
  ended = false;

  constructor(
    private client: PgliteWorkerClient,
    private id: number,
  ) {}

  get closed(): boolean {
    return this.ended;
  }

  #check(): void {
    if (this.ended) throw new Error("Transaction is closed");
  }

  async query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    this.#check();
    return this.client.call<Results<T>>({ op: "query", tx: this.id, sql: query, params, options: crossing(options) }).answer;
  }

  async exec(query: string, options?: QueryOptions): Promise<Array<Results>> {
    this.#check();
    return this.client.call<Array<Results>>({ op: "exec", tx: this.id, sql: query, options: crossing(options) }).answer;
  }

  async rollback(): Promise<void> {
    this.#check();
    await this.client.call({ op: "rollback", tx: this.id }).answer;
    this.ended = true;
  }

  sql<T>(): Promise<Results<T>> {
    return Promise.reject(new Error("PGlite in a worker thread: tx.sql is not offered; use tx.query"));
  }

  listen(): Promise<(tx?: Transaction) => Promise<void>> {
    return Promise.reject(new Error("PGlite in a worker thread: listen is not offered"));
  }
}
