import fs from "node:fs";
import { afterAll, expect, inject, test } from "vitest";
import { migrateDatabase, openDatabase } from "#db/client.ts";
import { setDatabase } from "#app/models/platform/db.server.ts";
import { importFixtures, createUser } from "#tests/factories.ts";
import { createOrganisation } from "#tests/org-factories.ts";
import { emptied, Lease } from "./database.ts";

// The files that share modules share one PGlite per worker, emptied between files (tests/integration/database.ts):
// what one file wrote, set or held must be gone when the next begins, as if it had its own copy of the snapshot.
// A PGlite of this file's own, also when the suite runs on PostgreSQL (then migrated here: there is no snapshot).
const snapshot = inject("pgliteSnapshot");
const handle = await openDatabase({ kind: "pglite", dataDir: null, loadDataDir: snapshot ? new Blob([fs.readFileSync(snapshot)]) : undefined });
if (!snapshot) await migrateDatabase(handle);
setDatabase(handle);
afterAll(async () => {
  setDatabase(undefined);
  await handle.close();
});
const pglite = handle.pglite!;

const TABLES = "select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema')";
// The app's sequences (drizzle's own, numbering applied migrations, is left as migrating left it).
const SEQUENCES = "select format('%I.%I', schemaname, sequencename) as name, last_value::int as last from pg_sequences where schemaname <> 'drizzle' order by 1";

async function rowCounts() {
  const counts: Record<string, number> = {};
  for (const { name } of (await pglite.query<{ name: string }>(TABLES)).rows) {
    counts[name] = (await pglite.query<{ n: number }>(`select count(*)::int as n from ${name}`)).rows[0]!.n;
  }
  return counts;
}

test("an emptied database has no rows but the migrations', every sequence back at its start, and the session as new", async () => {
  const atStart = await rowCounts();
  const sequences = (await pglite.query<{ name: string; last: number | null }>(SEQUENCES)).rows;
  expect(sequences.length, "the schema has sequences to check").toBeGreaterThan(0);
  const timezone = (await pglite.query<{ TimeZone: string }>("show timezone")).rows[0]!.TimeZone;
  expect(Object.values(atStart).filter((n) => n > 0), "only drizzle's list of applied migrations has rows").toHaveLength(1);

  // What a file leaves behind: rows in many tables, sequences moved on, a setting, a lock and a temporary table.
  await importFixtures(handle);
  await createOrganisation({ name: "Left Behind Constabulary", seats: 3 });
  await createUser({ name: "Left Behind" });
  for (const { name } of sequences) await pglite.query(`select nextval('${name}')`);
  expect((await pglite.query(SEQUENCES)).rows).not.toEqual(sequences);
  await pglite.exec("set timezone = 'Asia/Tokyo'; select pg_advisory_lock(42); create temp table scratch (n int)");
  const written = await rowCounts();
  expect(Object.keys(written).filter((t) => written[t]! > 0).length, "the file wrote to several tables").toBeGreaterThan(5);

  await emptied(pglite);

  expect(await rowCounts()).toEqual(atStart);
  expect((await pglite.query(SEQUENCES)).rows).toEqual(sequences);
  expect((await pglite.query<{ TimeZone: string }>("show timezone")).rows[0]!.TimeZone).toBe(timezone);
  expect((await pglite.query<{ n: number }>("select count(*)::int as n from pg_locks where locktype = 'advisory'")).rows[0]!.n).toBe(0);
  expect((await pglite.query<{ t: string | null }>("select to_regclass('pg_temp.scratch')::text as t")).rows[0]!.t).toBeNull();
});

test("a database a transaction still holds is given up within seconds, not waited on", async () => {
  let end!: () => void;
  const held = pglite.transaction(() => new Promise<void>((resolve) => (end = resolve)));
  await expect(emptied(pglite, 300)).rejects.toThrow(/did not answer within 300 ms/);
  end();
  await held;
});

test("a statement a file sends after it has ended is refused, not run on the next file's database", async () => {
  const lease = new Lease(pglite);
  expect((await lease.query<{ one: number }>("select 1 as one")).rows).toEqual([{ one: 1 }]);
  lease.end();
  await expect(lease.query("insert into audit_events (action) values ('late')")).rejects.toThrow(/file has ended/);
  await expect(lease.transaction(async () => undefined)).rejects.toThrow(/file has ended/);
  await expect(lease.exec("select 1")).rejects.toThrow(/file has ended/);
});
