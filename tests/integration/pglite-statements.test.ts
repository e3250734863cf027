import { PGlite, types, type Results } from "@electric-sql/pglite";
import { afterAll, expect, test } from "vitest";
import { NamedStatements } from "#db/pglite-statements.mjs";

// Statements sent again go to PGlite as named statements, parsed once (ADR 051): every answer must be the one
// PGlite's own query gives, and a plan must never outlive the schema it was made for.

const named = new PGlite();
const plain = new PGlite();
const statements = new NamedStatements(named);
afterAll(async () => {
  await named.close();
  await plain.close();
});

const SCHEMA = `create table kinds (
  id serial primary key, at timestamptz, day date, doc jsonb, tags text[], amount numeric, big bigint, raw bytea,
  k text constraint kinds_k_unique unique)`;
const INSERT = "insert into kinds (at, day, doc, tags, amount, big, raw, k) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id, k";
const ROWS: unknown[][] = [
  [new Date("2026-03-04T05:06:07.5Z"), "2026-03-04", { a: [1, "two", null] }, ["x", "y z"], "12.50", 9007199254740993n, new Uint8Array([1, 2]), "first"],
  [null, null, null, [], null, null, null, "second"],
  ["2026-01-01 00:00:00+00", "2030-12-31", [1, 2], ["only"], 3, 7, null, "third"],
];
const SELECT = "select * from kinds where id > $1 order by id";
// drizzle's own parsers: timestamps and dates kept as the text PostgreSQL sent.
const asText = { [types.TIMESTAMPTZ]: (v: string) => v, [types.DATE]: (v: string) => v };

test("every answer is PGlite's own: rows in both modes, parsers, parameters of every kind, counts and fields", async () => {
  await named.exec(SCHEMA);
  await plain.exec(SCHEMA);
  const through = async (query: (sql: string, params?: unknown[], options?: object) => Promise<unknown>) => {
    const out: unknown[] = [];
    // Three times each, so the second and third go as named statements on the named side.
    for (const row of ROWS) out.push(await query(INSERT, row));
    for (let i = 0; i < 3; i++) {
      out.push(await query(SELECT, [0]));
      out.push(await query(SELECT, [1], { rowMode: "array" }));
      out.push(await query(SELECT, [0], { rowMode: "array", parsers: asText }));
      out.push(await query("update kinds set amount = amount + $1 where amount is not null", [1]));
      out.push(await query("select $1::int + $2::int as sum, $3::text as nothing", [2, 3, null]));
    }
    return out;
  };
  const fromNamed = await through((sql, params, options) => statements.query(sql, params, options));
  const fromPlain = await through((sql, params, options) => plain.query(sql, params, options));
  expect(fromNamed).toEqual(fromPlain);
  // Sent once: PGlite's path; from the second time: named (each of the four texts parsed once).
  expect(statements.counts.prepared).toBe(4);
  expect(statements.counts.named).toBeGreaterThanOrEqual(12);
});

test("inside a transaction too; a failed statement aborts it, and the error is PGlite's, with its query and parameters", async () => {
  const insert = "insert into kinds (k) values ($1)";
  for (const k of ["tx-1", "tx-2"]) await statements.query(insert, [k]);
  const committed = await named.transaction(async (tx) => {
    await statements.txQuery(tx, insert, ["tx-3"]);
    return statements.txQuery(tx, "select count(*)::int as n from kinds where k like $1", ["tx-%"]);
  });
  expect(committed.rows).toEqual([{ n: 3 }]);

  const failed = await named
    .transaction(async (tx) => {
      await statements.txQuery(tx, insert, ["tx-4"]);
      await statements.txQuery(tx, insert, ["tx-1"]);
    })
    .catch((e: unknown) => e);
  expect(failed).toMatchObject({ code: "23505", constraint: "kinds_k_unique", query: insert, params: ["tx-1"] });
  // Rolled back: tx-4 is not there.
  expect((await statements.query("select count(*)::int as n from kinds where k like $1", ["tx-%"])).rows).toEqual([{ n: 3 }]);
});

test("a statement waits for a transaction that is open, as PGlite's query does", async () => {
  const order: string[] = [];
  let release!: () => void;
  const held = named.transaction(async (tx) => {
    await statements.txQuery(tx, "select 1 as one", []);
    await new Promise<void>((resolve) => (release = resolve));
    order.push("transaction ends");
  });
  await new Promise((r) => setTimeout(r, 20));
  const outside = statements.query("select 1 as one", []).then(() => order.push("outside answered"));
  await new Promise((r) => setTimeout(r, 50));
  release();
  await Promise.all([held, outside]);
  expect(order).toEqual(["transaction ends", "outside answered"]);
});

test("after DDL no named statement outlives the schema: a new column is in the next answer", async () => {
  const all = "select * from kinds where k = $1";
  await statements.query(all, ["first"]);
  await statements.query(all, ["first"]);
  await statements.exec(named, "alter table kinds add column note text default 'added'");
  const after = (await statements.query(all, ["first"])) as Results<Record<string, unknown>>;
  expect(after.rows[0]).toMatchObject({ k: "first", note: "added" });
  // Through query too: a column's type changed under a statement that was named again since.
  await statements.query(all, ["first"]);
  await statements.query("alter table kinds alter column note type varchar(20)", []);
  expect(((await statements.query(all, ["first"])) as Results<Record<string, unknown>>).rows[0]).toMatchObject({ note: "added" });
});

test("beyond 256 texts the least recently used are closed, and a closed one still answers when sent again", async () => {
  const closedBefore = statements.counts.closed;
  for (let i = 0; i < 300; i++) {
    const text = `select ${i} as n, $1::int as p`;
    await statements.query(text, [i]);
    await statements.query(text, [i]);
  }
  expect(statements.counts.closed - closedBefore).toBeGreaterThanOrEqual(300 - 256);
  const { rows } = await statements.query("select 0 as n, $1::int as p", [7]);
  expect(rows).toEqual([{ n: 0, p: 7 }]);
  const open = await named.query<{ n: number }>("select count(*)::int as n from pg_prepared_statements where name like 'distinct_%'");
  expect(open.rows[0]!.n).toBeLessThanOrEqual(256);
});
