import { and, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { organization, reportCounts, reportRows } from "#db/schema/index.ts";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { removePerson } from "#app/models/organisations/people.server.ts";
import {
  compactAllReportCounts,
  compactReportCounts,
  completionOverTime,
  rebuildReport,
  reportContext,
  reportRowsInBatches,
  reportSummary,
  resolveQuery,
  type ReportRow,
} from "#app/models/reporting/report.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { ASSIGNMENT_STATUSES, londonDate } from "#app/utils/assignment-status.ts";
import type { ReportQuery } from "#app/utils/report-query.ts";
import { fixtureModuleCopies, importFixtures } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

/*
 * The dashboard's counts come mostly from report_counts (rows grouped by
 * month) and, for the rows a month cannot decide, from report_rows. Here the
 * report rows are spread over many months, with dates on London month edges
 * (in summer time and not), and the counts are checked against counting the
 * rows themselves, at clocks on either side of those edges and with due-date
 * filters that cut months in two.
 */

const handle = await openTestDatabase();
const CONTENT = fixtureModuleCopies([{ slug: "sample-basics" }, { slug: "sample-second", title: "Second sample", order: 2 }]);
const imported = await importFixtures(handle, CONTENT);
if (imported.problems.length) throw new Error(imported.problems.join("\n"));

const EVERYONE: ReportQuery = { team: null, module: null, status: null, dueFrom: null, dueTo: null, includeLeft: true, sort: "name", dir: "asc", page: 1 };

// Dates on and around month edges. 2026-06-30T23:30Z is 1 July in London (summer time); 2026-11-30T23:30Z is still November.
const DUES = [null, "2026-11-30", "2026-12-01", "2026-12-31", "2027-01-01", "2026-10-15", "2027-03-31", "2025-12-02", "2027-04-01"];
const COMPLETED = ["2026-06-30T23:30:00Z", "2026-11-30T23:30:00Z", "2026-12-01T00:00:00Z", "2025-11-15T10:00:00Z", "2026-03-29T00:30:00Z"];
const EXPIRES = [null, "2027-01-01T00:00:00Z", "2026-12-31T23:59:59Z", "2026-11-30T23:59:59Z", "2027-03-31T23:30:00Z", "2028-06-01T12:00:00Z", "2025-12-31T12:00:00Z"];
const CLOCKS = [
  new Date(),
  new Date("2026-11-30T23:30:00Z"),
  new Date("2026-12-31T23:59:00Z"),
  new Date("2027-01-01T00:00:00Z"),
  new Date("2027-03-31T23:30:00Z"), // 1 April in London
  new Date("2027-01-15T12:00:00Z"),
  new Date("2028-07-01T12:00:00Z"),
  new Date("2025-12-20T12:00:00Z"),
];

async function spreadOrganisation() {
  const { org, lead } = await createOrganisation({ seats: 40 });
  const red = await createTeam(lead, org.id, "Red");
  const learners = [];
  for (let i = 0; i < 14; i++) learners.push(await addLearner(org.id, lead, { name: `Learner ${i}`, teamId: i % 2 ? red : null }));
  for (const moduleSlug of ["sample-basics", "sample-second"]) {
    await createAssignment(lead, org.id, { target: "organisation", teamId: null, personIds: [], dueDate: "2026-12-15", dueDays: null, moduleSlug });
  }
  for (const l of learners.slice(0, 9)) await completeModule(l.learner.id, "sample-basics");
  for (const l of learners.slice(4, 8)) await completeModule(l.learner.id, "sample-second");
  await removePerson(lead, org.id, learners[13]!.personId);
  // Spread the rows over the calendar, one statement per row (each a -1 and a +1 delta).
  const rows = await handle.db.select().from(reportRows).where(eq(reportRows.organizationId, org.id)).orderBy(reportRows.personId, reportRows.moduleId);
  for (const [i, row] of rows.entries()) {
    const completed = row.completedAt !== null;
    await handle.db
      .update(reportRows)
      .set({
        due: DUES[i % DUES.length]!,
        completedAt: completed ? new Date(COMPLETED[i % COMPLETED.length]!) : null,
        certificateExpiresAt: completed && EXPIRES[i % EXPIRES.length] ? new Date(EXPIRES[i % EXPIRES.length]!) : null,
        certificateRevoked: completed && i % 11 === 3,
        openStartedAt: i % 3 === 0 ? new Date("2026-09-01T09:00:00Z") : null,
      })
      .where(and(eq(reportRows.organizationId, org.id), eq(reportRows.personId, row.personId), eq(reportRows.moduleId, row.moduleId)));
  }
  return { org, red, rows: rows.length };
}

async function rowsAt(orgId: string, query: ReportQuery, now: Date): Promise<ReportRow[]> {
  const context = await reportContext(orgId);
  const { moduleId } = resolveQuery(context, query);
  const rows: ReportRow[] = [];
  for await (const batch of reportRowsInBatches(context, query, moduleId, { clock: { now } })) rows.push(...batch);
  return rows;
}

/** The summary and the chart, worked out from the rows one by one. */
function expected(rows: ReportRow[], now: Date) {
  const counts = (mine: ReportRow[]) => ({ ...Object.fromEntries(ASSIGNMENT_STATUSES.map((s) => [s, mine.filter((r) => r.status === s).length])), total: mine.length });
  const months: string[] = [];
  const [y, m] = londonDate(now).split("-").map(Number) as [number, number];
  for (let i = 11; i >= 0; i--) months.push(new Date(Date.UTC(y, m - 1 - i, 1)).toISOString().slice(0, 7));
  const done = rows.filter((r) => r.completedAt && !r.certificateRevoked).map((r) => londonDate(new Date(r.completedAt!)).slice(0, 7));
  return {
    overall: counts(rows),
    byModule: Object.fromEntries([...new Set(rows.map((r) => r.moduleSlug))].map((slug) => [slug, counts(rows.filter((r) => r.moduleSlug === slug))])),
    byTeam: Object.fromEntries([...new Set(rows.map((r) => r.team ?? "No team"))].map((team) => [team, counts(rows.filter((r) => (r.team ?? "No team") === team))])),
    series: months.map((month) => ({ month, completions: done.filter((d) => d === month).length, cumulative: done.filter((d) => d <= month).length })),
  };
}

async function actual(orgId: string, query: ReportQuery, now: Date) {
  const context = await reportContext(orgId);
  const { moduleId } = resolveQuery(context, query);
  const summary = await reportSummary(context, query, moduleId, { now });
  const series = await completionOverTime(context, query, moduleId, summary.overall.total, { now });
  return {
    overall: summary.overall,
    byModule: Object.fromEntries(summary.byModule.map((m) => [m.slug, m.counts])),
    byTeam: Object.fromEntries(summary.byTeam.map((t) => [t.name, t.counts])),
    series: series.map(({ month, completions, cumulative }) => ({ month, completions, cumulative })),
  };
}

const QUERIES = (red: string): ReportQuery[] => [
  EVERYONE,
  { ...EVERYONE, includeLeft: false },
  { ...EVERYONE, module: "sample-second" },
  { ...EVERYONE, team: red },
  { ...EVERYONE, team: "none" },
  // Cutting months in two, and whole months.
  { ...EVERYONE, dueFrom: "2026-11-30", dueTo: "2027-01-01" },
  { ...EVERYONE, dueFrom: "2026-12-01", dueTo: "2027-03-31" },
  { ...EVERYONE, dueFrom: "2026-12-31" },
  { ...EVERYONE, dueTo: "2026-12-01" },
];

test("counts from report_counts equal the rows counted one by one, at clocks on either side of month edges and with filters cutting months", async () => {
  const { org, red, rows } = await spreadOrganisation();
  // 14 learners and the lead, two modules each.
  expect(rows).toBe(30);
  let compared = 0;
  for (const now of CLOCKS) {
    for (const query of QUERIES(red)) {
      const want = expected(await rowsAt(org.id, query, now), now);
      const label = `${now.toISOString()} ${JSON.stringify(query)}`;
      expect(await actual(org.id, query, now), label).toEqual(want);
      if (want.overall.total > 0) compared++;
    }
  }
  expect(compared).toBeGreaterThan(CLOCKS.length * 7);
  // Every status occurs somewhere in these cases, so each branch of the month rules was compared.
  const seen = new Set<string>();
  for (const now of CLOCKS) for (const r of await rowsAt(org.id, EVERYONE, now)) seen.add(r.status);
  expect([...seen].sort()).toEqual([...ASSIGNMENT_STATUSES].sort());
});

test("a certificate expiring this month is counted once, whether its assignment has no due date or is due this month too", async () => {
  const { org, lead } = await createOrganisation({ seats: 5 });
  const undated = await addLearner(org.id, lead, { name: "Una Undated" });
  const dueNow = await addLearner(org.id, lead, { name: "Dee Due" });
  await createAssignment(lead, org.id, { target: "organisation", teamId: null, personIds: [], dueDate: "2026-12-15", dueDays: null, moduleSlug: "sample-basics" });
  for (const l of [undated, dueNow]) await completeModule(l.learner.id, "sample-basics");
  const set = async (personId: string, values: Partial<typeof reportRows.$inferInsert>) =>
    handle.db.update(reportRows).set(values).where(and(eq(reportRows.organizationId, org.id), eq(reportRows.personId, personId)));
  // Both certificates expire in January 2027, the month of the clock below; one assignment has no due date, the other is due that month.
  await set(undated.personId, { due: null, completedAt: new Date("2026-01-10T10:00:00Z"), certificateExpiresAt: new Date("2027-01-20T12:00:00Z") });
  await set(dueNow.personId, { due: "2027-01-31", completedAt: new Date("2026-01-10T10:00:00Z"), certificateExpiresAt: new Date("2027-01-10T12:00:00Z") });
  const context = await reportContext(org.id);
  const summary = await reportSummary(context, EVERYONE, null, { now: new Date("2027-01-15T12:00:00Z") });
  // Una's still valid, Dee's expired, the lead's (not completed, due 15 December) overdue.
  expect(summary.overall).toEqual({ "not-started": 0, "in-progress": 0, overdue: 1, completed: 1, expired: 1, total: 3 });
});

test("the counts really are read from report_counts: without them the dashboard would be wrong", async () => {
  const { org } = await spreadOrganisation();
  const now = new Date("2028-07-01T12:00:00Z");
  const want = expected(await rowsAt(org.id, EVERYONE, now), now);
  expect(await actual(org.id, EVERYONE, now)).toEqual(want);
  await handle.db.delete(reportCounts).where(eq(reportCounts.organizationId, org.id));
  expect((await actual(org.id, EVERYONE, now)).overall.total).toBeLessThan(want.overall.total);
  // Rebuilding recounts them (from rows rebuilt from the source tables, so without the spread dates).
  await rebuildReport(org.id);
  const rebuilt = expected(await rowsAt(org.id, EVERYONE, now), now);
  expect(rebuilt.overall.total).toBe(want.overall.total);
  expect(await actual(org.id, EVERYONE, now)).toEqual(rebuilt);
});

test("compaction folds the deltas to one row per key without changing any figure; an organisation's counts go with it", async () => {
  const { org, red } = await spreadOrganisation();
  const countRows = async () => (await handle.db.select({ n: sql<number>`count(*)::int` }).from(reportCounts).where(eq(reportCounts.organizationId, org.id)))[0]!.n;
  const keys = async () =>
    (
      (await handle.db.execute(sql`
        select count(*)::int as n from (
          select 1 from report_counts where organization_id = ${org.id}
          group by module_id, team_id, person_status, due_month, kind, completed_month, expires_month having sum(n) <> 0) k`)) as unknown as { rows: { n: number }[] }
    ).rows[0]!.n;
  const before = await Promise.all(QUERIES(red).map((q) => actual(org.id, q, CLOCKS[0]!)));
  const deltas = await countRows();
  const distinct = await keys();
  expect(deltas).toBeGreaterThan(distinct);

  const { organisations, folded } = await compactAllReportCounts();
  expect(organisations).toBeGreaterThanOrEqual(1);
  expect(folded).toBeGreaterThanOrEqual(deltas - distinct);
  expect(await countRows()).toBe(distinct);
  expect(await Promise.all(QUERIES(red).map((q) => actual(org.id, q, CLOCKS[0]!)))).toEqual(before);
  // Nothing left to fold.
  expect(await compactReportCounts(org.id)).toBe(0);

  await handle.db.delete(organization).where(eq(organization.id, org.id));
  expect(await countRows()).toBe(0);
});
