import pg from "pg";

/**
 * The PostgreSQL server benchmarks may use: BENCH_DATABASE_URL, else the
 * local server (127.0.0.1:5432) through its own database distinct_perf, if
 * it answers. Benchmarks only connect there to create their own databases and
 * drop them after; not through `test`, which the test suites drop and
 * recreate while a bench may be running (create it with
 * `createdb -h 127.0.0.1 -U postgres distinct_perf`).
 */
export async function postgresForBench(): Promise<string | null> {
  const candidate = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/distinct_perf";
  const client = new pg.Client({ connectionString: candidate, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return candidate;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}
