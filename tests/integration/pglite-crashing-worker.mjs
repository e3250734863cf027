/**
 * The real PGlite worker (db/pglite-worker.mjs) with one planted fault, for tests/integration/pglite-worker.test.ts:
 * the statement "crash" throws in the worker, uncaught, as a fault in PGlite's WebAssembly would end the thread.
 */
import { parentPort } from "node:worker_threads";
import "../../db/pglite-worker.mjs";

parentPort?.on("message", (message) => {
  if (message.sql === "crash") throw new Error("planted crash");
});
