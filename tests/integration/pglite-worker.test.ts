import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { messages, TransactionAbortedError } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { afterAll, expect, inject, test } from "vitest";
import { openDatabase, pgliteWorkerEntry, type DatabaseHandle } from "#db/client.ts";
import { openPgliteInWorker } from "#db/pglite-in-worker.ts";

// PGlite run in a worker thread (ADR 049) must answer exactly as PGlite in this thread does, errors included.

const snapshot = inject("pgliteSnapshot") || null;
const loadDataDir = () => (snapshot ? new Blob([fs.readFileSync(snapshot)]) : undefined);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-pglite-worker-"));
const handles: DatabaseHandle[] = [];
afterAll(async () => {
  for (const handle of handles) await handle.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function open(where: "in process" | "worker, file" | "worker, memory"): Promise<DatabaseHandle> {
  const handle =
    where === "in process"
      ? await openDatabase({ kind: "pglite", dataDir: null, loadDataDir: loadDataDir() })
      : await openDatabase({
          kind: "pglite",
          dataDir: where === "worker, file" ? path.join(dataDir, `pglite-${handles.length}`) : null,
          loadDataDir: loadDataDir(),
          inWorker: true,
        });
  handles.push(handle);
  return handle;
}

const TABLE = sql`create table kinds (
  id serial primary key, at timestamptz, day date, span interval, doc jsonb, tags text[], ats timestamptz[],
  amount numeric, big bigint, raw bytea, k text constraint kinds_k_unique unique)`;
const INSERT = sql`insert into kinds (at, day, span, doc, tags, ats, amount, big, raw, k) values
  ('2026-03-04 05:06:07.5+00', '2026-03-04', '1 day 02:00:00', '{"a":[1,"two",null]}', '{x,"y z"}',
   '{"2026-01-01 00:00:00+00"}', 12.50, 9007199254740993, '\\x0102', 'first'),
  (null, null, null, null, '{}', null, null, null, null, 'second')`;

type Answer = { rows: Record<string, unknown>[]; affectedRows?: number };

/** The same statements through drizzle (its parsers, both row modes) and through the client directly. */
async function answers(handle: DatabaseHandle) {
  const db = handle.db;
  await db.execute(TABLE);
  const inserted = (await db.execute(INSERT)) as unknown as Answer;
  const objects = (await db.execute(sql`select * from kinds order by id`)) as unknown as Answer;
  const arrays = await db
    .select({ at: sql<string>`at`, day: sql<string>`day`, doc: sql<unknown>`doc`, ats: sql<string>`ats` })
    .from(sql`kinds`)
    .orderBy(sql`id`);
  const updated = (await db.execute(sql`update kinds set k = k || '!' where k is not null`)) as unknown as Answer;
  const plain = await handle.pglite!.query("select at, day, span, big from kinds order by id");
  const exec = await handle.pglite!.exec("select 1 as one; select 'two' as two");
  return { inserted, objects, arrays, updated, plain, exec };
}

test("the worker answers the same rows, types, fields and counts as PGlite in this thread, file-backed and in memory", async () => {
  const here = await answers(await open("in process"));
  const file = await answers(await open("worker, file"));
  const memory = await answers(await open("worker, memory"));
  expect(file).toEqual(here);
  expect(memory).toEqual(here);
  // drizzle's parsers keep timestamps and dates as PostgreSQL's text; jsonb and arrays arrive parsed.
  expect(file.objects.rows[0]).toMatchObject({
    at: "2026-03-04 05:06:07.5+00",
    day: "2026-03-04",
    span: "1 day 02:00:00",
    doc: { a: [1, "two", null] },
    tags: ["x", "y z"],
    ats: '{"2026-01-01 00:00:00+00"}',
    amount: "12.50",
    k: "first",
  });
  expect(file.arrays[1]).toEqual({ at: null, day: null, doc: null, ats: null });
  expect(file.inserted.affectedRows).toBe(2);
  expect(file.updated.affectedRows).toBe(2);
  // Without parsers PGlite's own apply, in the worker as here: a timestamp is a Date.
  expect(file.plain.rows[0]).toEqual({ at: new Date("2026-03-04T05:06:07.500Z"), day: new Date("2026-03-04T00:00:00.000Z"), span: "1 day 02:00:00", big: 9007199254740993n });
  expect(file.exec.map((r) => r.rows)).toEqual([[{ one: 1 }], [{ two: "two" }]]);
});

test("a transaction that throws rolls back, and moves the write generation at its start and end", async () => {
  const handle = await open("worker, memory");
  await handle.db.execute(sql`create table log (n serial primary key, who text)`);
  const before = handle.writes!.generation;
  await expect(
    handle.db.transaction(async (tx) => {
      await tx.execute(sql`insert into log (who) values ('inside')`);
      throw new Error("changed my mind");
    }),
  ).rejects.toThrow("changed my mind");
  // The insert and the two transaction edges.
  expect(handle.writes!.generation - before).toBe(3);
  const { rows } = await handle.pglite!.query("select count(*)::int as n from log");
  expect(rows).toEqual([{ n: 0 }]);
  // tx.rollback() inside, as PGlite offers it: nothing committed either, and the transaction is closed.
  await handle.pglite!.transaction(async (tx) => {
    await tx.query("insert into log (who) values ('rolled back')");
    await tx.rollback();
    expect(tx.closed).toBe(true);
  });
  expect((await handle.pglite!.query("select count(*)::int as n from log")).rows).toEqual([{ n: 0 }]);
});

test("a statement sent while a transaction is open waits until it ends", async () => {
  const handle = await open("worker, memory");
  await handle.pglite!.query("create table log (n serial primary key, who text)");
  let outside: Promise<unknown> = Promise.resolve();
  await handle.pglite!.transaction(async (tx) => {
    await tx.query("insert into log (who) values ('tx 1')");
    // Sent to the worker before the transaction's second statement: it must still come after the commit.
    outside = handle.pglite!.query("insert into log (who) values ('outside')");
    await tx.query("insert into log (who) values ('tx 2')");
  });
  await outside;
  const { rows } = await handle.pglite!.query("select who from log order by n");
  expect(rows).toEqual([{ who: "tx 1" }, { who: "tx 2" }, { who: "outside" }]);
});

test("a unique violation arrives as PGlite's DatabaseError with its code and constraint, through drizzle too", async () => {
  const handle = await open("worker, memory");
  await handle.pglite!.query("create table addresses (email text constraint addresses_email_unique unique)");
  await handle.pglite!.query("insert into addresses values ('a@example.com')");
  const direct = await handle.pglite!.query("insert into addresses values ('a@example.com')").catch((e: unknown) => e);
  expect(direct).toBeInstanceOf(messages.DatabaseError);
  expect(direct).toMatchObject({
    code: "23505",
    constraint: "addresses_email_unique",
    table: "addresses",
    schema: "public",
    severity: "ERROR",
    detail: "Key (email)=(a@example.com) already exists.",
    message: 'duplicate key value violates unique constraint "addresses_email_unique"',
  });
  const viaDrizzle = await handle.db.execute(sql`insert into addresses values ('a@example.com')`).catch((e: unknown) => e);
  expect(viaDrizzle).toMatchObject({ cause: { code: "23505", constraint: "addresses_email_unique" } });
  // The failed statement inside a transaction aborts it; committing then throws, as PGlite does.
  const aborted = await handle.pglite!
    .transaction(async (tx) => {
      await tx.query("insert into addresses values ('a@example.com')").catch(() => undefined);
    })
    .catch((e: unknown) => e);
  expect(aborted).toBeInstanceOf(TransactionAbortedError);
});

test("close lets calls already sent finish, ends the worker, and later calls reject", async () => {
  const client = await openPgliteInWorker({ entry: pgliteWorkerEntry(), dataDir: null, loadDataDir: loadDataDir() });
  const sent = client.query("select 42 as answer");
  await client.close();
  expect((await sent).rows).toEqual([{ answer: 42 }]);
  await expect(client.query("select 1")).rejects.toThrow("The embedded database is closed");
  await client.close();
});

test("a crash in the worker rejects every pending call and the later ones, and is reported once", async () => {
  const failures: string[] = [];
  const client = await openPgliteInWorker({
    entry: new URL("./pglite-crashing-worker.mjs", import.meta.url),
    dataDir: null,
    loadDataDir: loadDataDir(),
    onFailure: (error) => failures.push(error.message),
  });
  const crashing = client.query("crash");
  const queued = client.query("select 1");
  await expect(crashing).rejects.toThrow("The embedded database's worker thread failed: planted crash");
  await expect(queued).rejects.toThrow("The embedded database's worker thread failed: planted crash");
  await expect(client.query("select 2")).rejects.toThrow("The embedded database's worker thread failed: planted crash");
  expect(failures).toEqual(["The embedded database's worker thread failed: planted crash"]);
  await client.close();
});
