import { sql } from "drizzle-orm";
import { mdxStats } from "#app/content/compile-mdx.server.ts";
import { getDatabaseHandle } from "#app/models/platform/db.server.ts";

/**
 * What /healthz reports: whether the database answers, how fast, and the
 * process's counters (statements sent, MDX compiles) that the benchmark reads.
 */
export async function checkDatabase() {
  const started = performance.now();
  try {
    const handle = getDatabaseHandle();
    const [row] = await handle.db
      .select({ migrations: sql<number>`count(*)::int` })
      .from(sql`drizzle.__drizzle_migrations`);
    const migrations = Number(row?.migrations ?? 0);
    return {
      status: "ok" as const,
      database: {
        status: "ok" as const,
        driver: handle.kind,
        migrations,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
      },
      counters: { queries: handle.stats.queries, mdxCompiles: mdxStats.compiles },
      uptimeSeconds: Math.round(process.uptime()),
    };
  } catch (error) {
    return {
      status: "error" as const,
      database: { status: "error" as const, error: error instanceof Error ? error.message : String(error) },
      uptimeSeconds: Math.round(process.uptime()),
    };
  }
}
