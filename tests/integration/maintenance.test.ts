import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { analyzeGrownTables } from "#app/models/platform/maintenance.server.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();

const planned = async () =>
  ((await handle.db.execute(sql`select reltuples::int as n from pg_class where relname = 'sent_notifications'`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;

test("on PGlite, tables that grew are analysed once, so the planner knows their size; on PostgreSQL autovacuum does it", async () => {
  await analyzeGrownTables(handle); // whatever the migrations left
  await handle.db.execute(sql`insert into sent_notifications (key) select 'maintenance-' || g from generate_series(1, 5000) g`);
  if (handle.kind === "postgres") {
    expect(await analyzeGrownTables(handle)).toEqual({ analysed: 0 });
    return;
  }
  expect(await planned()).toBeLessThan(1000);
  const { analysed } = await analyzeGrownTables(handle);
  expect(analysed).toBeGreaterThanOrEqual(1);
  expect(await planned()).toBeGreaterThanOrEqual(5000);
  // Nothing grew since: nothing to do.
  expect(await analyzeGrownTables(handle)).toEqual({ analysed: 0 });
});
