import pg from "pg";

/**
 * The PostgreSQL server benchmarks may use: BENCH_DATABASE_URL, else the
 * local server (127.0.0.1:5432) through its own database distinct_perf, if
 * it answers. Benchmarks only connect there to create their own databases and
 * drop them after; not through `test`, which the test suites drop and
 * recreate while a bench may be running. On the local server distinct_perf is
 * created if it is missing (a fresh machine has only `test` and `postgres`).
 */
export async function postgresForBench(): Promise<string | null> {
  const given = process.env.BENCH_DATABASE_URL;
  const candidate = given ?? LOCAL;
  if (await answers(candidate)) return candidate;
  if (given || !(await answers(LOCAL_ADMIN))) return null;
  const admin = new pg.Client({ connectionString: LOCAL_ADMIN, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query("create database distinct_perf");
  } catch (error) {
    // Another bench made it meanwhile: fine; anything else: no PostgreSQL for benches.
    if ((error as { code?: string }).code !== "42P04") return null;
  } finally {
    await admin.end().catch(() => undefined);
  }
  return (await answers(candidate)) ? candidate : null;
}

const LOCAL = "postgres://postgres@127.0.0.1:5432/distinct_perf";
const LOCAL_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres";

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
