/**
 * EXPLAIN ANALYZE of every statement one report view runs (its counts, and
 * its page: one statement, or one per group of a grouped sort), on the
 * configured database already seeded with `npm run seed:bench`: shows which
 * index each sort key reads, which load on the machine does not change.
 * Prints plans; asserts nothing.
 * Run: DATABASE_URL=... npx tsx tests/load/report-explain.ts [--slug S] [--view "by team"] [--full]
 */
import { parseArgs } from "node:util";
import { eq, sql, type SQL } from "drizzle-orm";
import { openConfiguredDatabase } from "#app/services/database.server.ts";
import { reportContext, reportCounts, reportPage, resolveQuery } from "#app/models/reporting/report.server.ts";
import { parseReportQuery } from "#app/utils/report-query.ts";
import type { Executor } from "#db/client.ts";
import { organization } from "#db/schema/index.ts";
import { reportViews } from "./report-views.ts";

const { values } = parseArgs({ options: { slug: { type: "string" }, view: { type: "string" }, full: { type: "boolean", default: false } } });
const { handle, lock } = await openConfiguredDatabase("report explain");
try {
  const [org] = values.slug
    ? await handle.db.select({ id: organization.id }).from(organization).where(eq(organization.slug, values.slug))
    : await handle.db.select({ id: organization.id }).from(organization).limit(1);
  if (!org) throw new Error("no organisation");
  const context = await reportContext(org.id);
  for (const [label, search] of reportViews(context)) {
    if (values.view && values.view !== label) continue;
    const parsed = parseReportQuery(new URLSearchParams(search));
    if (!parsed.ok) throw new Error(parsed.message);
    const { moduleId } = resolveQuery(context, parsed.query);
    const plans: string[][] = [];
    // Runs each statement twice: once under EXPLAIN ANALYZE (kept), once for the rows the caller reads.
    const explaining = {
      execute: async (query: SQL) => {
        const plan = (await handle.db.execute(sql`explain (analyze, buffers, costs off) ${query}`)) as unknown as { rows: Record<string, string>[] };
        plans.push(plan.rows.map((r) => Object.values(r)[0]!));
        return handle.db.execute(query);
      },
    } as unknown as Executor;
    const counts = await reportCounts(context, parsed.query, moduleId);
    plans.length = 0;
    await reportPage(context, parsed.query, moduleId, undefined, explaining, counts);
    console.log(`\n=== ${label} (${search || "no parameters"}): ${plans.length} page statement(s)`);
    for (const plan of plans) {
      // The statement's pages read (the first Buffers line, its top node's): what load does not change, unlike its time.
      const buffers = plan.find((line) => /Buffers:/.test(line));
      const shown = values.full ? plan : [...plan.filter((line) => /Scan|Sort|Limit|Execution Time|Nested Loop|Hash|Merge|Index Cond|Filter/.test(line)), `pages: ${buffers?.trim() ?? "none"}`];
      console.log(shown.join("\n"));
    }
  }
  if (values.view === "counts" || values.full) {
    const parsed = parseReportQuery(new URLSearchParams());
    if (!parsed.ok) throw new Error(parsed.message);
    const plans: string[] = [];
    const explaining = {
      execute: async (query: SQL) => {
        const plan = (await handle.db.execute(sql`explain (analyze, buffers, costs off) ${query}`)) as unknown as { rows: Record<string, string>[] };
        plans.push(...plan.rows.map((r) => Object.values(r)[0]!));
        return handle.db.execute(query);
      },
    } as unknown as Executor;
    await reportCounts(context, parsed.query, null, undefined, explaining);
    console.log(`\n=== counts (every view's, here unfiltered)\n${plans.join("\n")}`);
  }
} finally {
  await handle.close();
  lock?.release();
}
