/**
 * Times each report view of the bench's dashboard on the configured database
 * (already seeded with `npm run seed:bench`), every sort key included: for
 * working on report indexes without reseeding (drop or create an index, run
 * again). Prints figures; asserts nothing.
 * Run: DATABASE_URL=... npx tsx tests/load/report-views.ts [--slug S] [--runs N]
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { openConfiguredDatabase } from "#app/services/database.server.ts";
import { loadReport, reportContext, type ReportContext } from "#app/models/reporting/report.server.ts";
import { parseReportQuery } from "#app/utils/report-query.ts";
import { organization } from "#db/schema/index.ts";

/** Every view the tools time and explain: the bench's six, then each sort key alone. */
export function reportViews(context: ReportContext): [label: string, search: string][] {
  const module = context.modules[0]!.slug;
  const team = context.teams[0]!.id;
  return [
    ["default", ""],
    ["one team", `team=${team}`],
    ["one module, overdue", `module=${module}&status=overdue`],
    ["due, latest first", "sort=due&dir=desc"],
    ["completed by score", "status=completed&sort=score&dir=desc"],
    ["page 150", "page=150"],
    ["by score", "sort=score&dir=desc"],
    ["by completed", "sort=completed&dir=desc"],
    ["by expires", "sort=expires"],
    ["by status", "sort=status"],
    ["by team", "sort=team"],
    ["by staff", "sort=staff"],
    ["by started", "sort=started"],
    ["by attempts", "sort=attempts&dir=desc"],
    ["by module", "sort=module"],
    ["by team, page 150", "sort=team&page=150"],
    ["by status, latest page", "sort=status&dir=desc&page=150"],
    ["one team by completed", `team=${team}&sort=completed&dir=desc`],
    ["overdue only", "status=overdue"],
    ["expired only, page 20", "status=expired&page=20"],
    ["expired by completed, page 20", "status=expired&sort=completed&dir=desc&page=20"],
  ];
}

async function main() {
  const { values } = parseArgs({ options: { slug: { type: "string" }, runs: { type: "string", default: "5" } } });
  const { handle, lock } = await openConfiguredDatabase("report views");
  try {
    const [org] = values.slug
      ? await handle.db.select({ id: organization.id }).from(organization).where(eq(organization.slug, values.slug))
      : await handle.db.select({ id: organization.id }).from(organization).limit(1);
    if (!org) throw new Error("no organisation");
    const context = await reportContext(org.id);
    for (const [label, search] of reportViews(context)) {
      const parsed = parseReportQuery(new URLSearchParams(search));
      if (!parsed.ok) throw new Error(parsed.message);
      await loadReport(context, parsed.query);
      const times: number[] = [];
      for (let i = 0; i < Number(values.runs); i++) {
        const t = performance.now();
        await loadReport(context, parsed.query);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(`${label.padEnd(24)} median ${times[Math.floor(times.length / 2)]!.toFixed(0).padStart(5)} ms`);
    }
  } finally {
    await handle.close();
    lock?.release();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
