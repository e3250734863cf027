import type { Database, DatabaseHandle } from "#db/client.ts";

/**
 * The process's one database handle. PGlite must be opened once per process
 * (it has no lock), so the handle lives on globalThis and survives dev reloads.
 * The server sets it at boot; integration tests set one per test file.
 */
const holder = globalThis as typeof globalThis & { __distinctDb?: DatabaseHandle };

export function setDatabase(handle: DatabaseHandle | undefined): void {
  holder.__distinctDb = handle;
}

export function getDatabaseHandle(): DatabaseHandle {
  const handle = holder.__distinctDb;
  if (!handle) throw new Error("The database is not open yet: the server opens it at boot (app/server.ts).");
  return handle;
}

export function getDb(): Database {
  return getDatabaseHandle().db;
}
