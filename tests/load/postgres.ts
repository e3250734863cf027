import pg from "pg";

/**
 * The PostgreSQL server benchmarks may use: BENCH_DATABASE_URL, else the
 * local test server CI uses (127.0.0.1:5432, database test), if it answers.
 * Benchmarks create their own databases on it and drop them after.
 */
export async function postgresForBench(): Promise<string | null> {
  const candidate = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
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
