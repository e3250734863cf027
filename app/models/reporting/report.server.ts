import { asc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import { epochSql, modules, NO_DATE_EPOCH, team } from "#db/schema/index.ts";
import type { Executor } from "#db/client.ts";
import { ASSIGNMENT_STATUSES, londonDate, monthStart, nextMonth, type AssignmentStatus } from "#app/utils/assignment-status.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { PAGE_SIZE, type ReportQuery, type SortKey } from "#app/utils/report-query.ts";
import { CSV_BOM } from "#app/utils/csv.ts";
import { reportCsvHeaderLine, reportCsvLine } from "#app/utils/report-csv.ts";
import type { CompletionPoint } from "#app/utils/views/completion.ts";

export type { CompletionPoint };

/**
 * The compliance report of one organisation, read from report_rows (kept by
 * triggers, see db/schema/reports.ts). Every query here is scoped by the
 * organisation id first: the primary key and every index start with it.
 *
 * Status depends on the clock, so it is worked out here with the same rules
 * as app/utils/assignment-status.ts (a test checks they agree).
 */

export class ReportQueryError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

export type ReportContext = {
  organizationId: string;
  teams: { id: string; name: string }[];
  /** sortOrder: the module sort's key (ties are one group, in name order). */
  modules: { id: string; slug: string; title: string; sortOrder: number }[];
};

/**
 * Teams of the organisation, and the modules its report can show: every live
 * module, and a retired one while it still has rows here (still assigned), so
 * the summary and the module filter cover every row.
 */
export async function reportContext(organizationId: string): Promise<ReportContext> {
  const db = getDb();
  const [teams, mods] = await Promise.all([
    db.select({ id: team.id, name: team.name }).from(team).where(eq(team.organizationId, organizationId)).orderBy(asc(team.name)),
    db
      .select({ id: modules.id, slug: modules.slug, title: modules.title, sortOrder: modules.sortOrder })
      .from(modules)
      .where(
        or(
          isNull(modules.retiredAt),
          sql`exists (select 1 from report_rows r where r.organization_id = ${organizationId} and r.module_id = ${modules.id})`,
        ),
      )
      .orderBy(asc(modules.sortOrder), asc(modules.title)),
  ]);
  return { organizationId, teams, modules: mods };
}

/** Checks the query's team and module belong here; throws ReportQueryError (a 400) if not. */
export function resolveQuery(context: ReportContext, query: ReportQuery) {
  const moduleId = query.module ? context.modules.find((m) => m.slug === query.module)?.id : null;
  if (moduleId === undefined) throw new ReportQueryError("module", `There is no module “${query.module}”.`);
  if (query.team && query.team !== "none" && !context.teams.some((t) => t.id === query.team)) {
    throw new ReportQueryError("team", "That team is not in this organisation. Choose a team from the list.");
  }
  return { moduleId };
}

type Clock = { now: Date };

/** The status of a report row, in SQL, at `now` (same rules as assignmentStatus()). */
export function statusSql(clock: Clock, alias = "r"): SQL {
  const r = sql.raw(alias);
  const now = clock.now.toISOString();
  const today = londonDate(clock.now);
  return sql`(case
    when ${r}.completed_at is not null and not ${r}.certificate_revoked
         and (${r}.certificate_expires_at is null or ${r}.certificate_expires_at > ${now}::timestamptz) then 'completed'
    when ${r}.completed_at is not null and not ${r}.certificate_revoked and ${r}.open_started_at is null then 'expired'
    when ${r}.due is not null and ${today}::date > ${r}.due then 'overdue'
    when ${r}.open_started_at is not null then 'in-progress'
    else 'not-started' end)`;
}

/**
 * statusSql(clock) = 'expired', written so an index can answer it: a valid completion (not revoked) whose
 * certificate has expired and no retake open. The same rows: statusSql says "completed" for a valid
 * completion whose certificate has not expired (or never does), so reaching "expired" needs an expiry at
 * or before now. report_rows_org_expires_idx holds these rows (its predicate) in expiry order with every
 * column a page's filters read, its name and person (issue 18, ADR 045): the rows of "expired" are read
 * from it alone, however rare among the organisation's rows, where the name index would read twenty per row.
 */
function expiredSql(clock: Clock): SQL {
  return sql`(r.completed_at is not null and not r.certificate_revoked and r.open_started_at is null
    and r.certificate_expires_at <= ${clock.now.toISOString()}::timestamptz)`;
}

/** The WHERE clause for a query (without status unless asked). */
function whereSql(organizationId: string, query: ReportQuery, moduleId: string | null, options: { status?: SQL | null } = {}): SQL {
  const parts: SQL[] = [sql`r.organization_id = ${organizationId}`];
  if (!query.includeLeft) parts.push(sql`r.person_status <> 'left'`);
  if (moduleId) parts.push(sql`r.module_id = ${moduleId}`);
  if (query.team === "none") parts.push(sql`r.team_id is null`);
  else if (query.team) parts.push(sql`r.team_id = ${query.team}`);
  if (query.dueFrom) parts.push(sql`r.due >= ${query.dueFrom}::date`);
  if (query.dueTo) parts.push(sql`r.due <= ${query.dueTo}::date`);
  if (options.status) parts.push(options.status);
  return sql.join(parts, sql` and `);
}

export type StatusCounts = Record<AssignmentStatus, number> & { total: number };
const emptyCounts = (): StatusCounts => ({ "not-started": 0, "in-progress": 0, overdue: 0, completed: 0, expired: 0, total: 0 });

export type ReportSummary = {
  /** Per module, for the whole organisation (within the filters). */
  byModule: { moduleId: string; title: string; slug: string; counts: StatusCounts }[];
  /** Per team, across the modules in the filters. "No team" last. */
  byTeam: { teamId: string | null; name: string; counts: StatusCounts }[];
  overall: StatusCounts;
};

type CountRow = { module_id: string; team_id: string | null; status: AssignmentStatus; month: string | null; n: number };


/**
 * How many rows match the query, by module, team, status and month of valid
 * completion: the numbers behind the dashboard's tables, chart and page count.
 *
 * Most come from report_counts (rows grouped by due month and expiry month,
 * see db/schema/reports.ts), whose status is decided by comparing months
 * with this month. The rows a month cannot decide are counted one by one
 * from report_rows: due in this month (some overdue, some not yet),
 * certificate expiring this month, and due in the months the due-date filter cuts
 * through. The two parts are exact complements (tests check the sum against
 * counting every row).
 */
export async function reportCounts(context: ReportContext, query: ReportQuery, moduleId: string | null, clock: Clock = { now: new Date() }, db: Executor = getDb()): Promise<CountRow[]> {
  const current = monthStart(londonDate(clock.now));
  const boundary = [...new Set([current, ...(query.dueFrom ? [monthStart(query.dueFrom)] : []), ...(query.dueTo ? [monthStart(query.dueTo)] : [])])];
  const org = context.organizationId;
  const counted: SQL[] = [sql`c.organization_id = ${org}`];
  if (!query.includeLeft) counted.push(sql`c.person_status <> 'left'`);
  if (moduleId) counted.push(sql`c.module_id = ${moduleId}`);
  if (query.team === "none") counted.push(sql`c.team_id is null`);
  else if (query.team) counted.push(sql`c.team_id = ${query.team}`);
  if (query.dueFrom) counted.push(sql`c.due_month >= ${monthStart(query.dueFrom)}::date`);
  if (query.dueTo) counted.push(sql`c.due_month <= ${monthStart(query.dueTo)}::date`);
  const boundaryList = sql.join(
    boundary.map((b) => sql`${b}::date`),
    sql`, `,
  );
  counted.push(sql`(c.due_month is null or c.due_month not in (${boundaryList}))`);
  counted.push(sql`(c.expires_month is null or c.expires_month <> ${current}::date)`);

  const startsAt = (date: string) => sql`(${date}::timestamp at time zone 'Europe/London')`;
  const dueIn = (month: string) => sql`(r.due >= ${month}::date and r.due < ${nextMonth(month)}::date)`;
  // Each undecided row once: one branch per boundary month, then the certificates expiring this month due in
  // none of them. Disjoint branches, so each is one index-only scan of its own covering index (ADR 040),
  // where one OR of them combined bitmaps and read every row's heap page.
  const undecided = (condition: SQL) => sql`
      select r.module_id, r.team_id, ${statusSql(clock)} as status,
        case when r.completed_at is not null and not r.certificate_revoked
          then date_trunc('month', r.completed_at at time zone 'Europe/London')::date end as month,
        1 as n
      from report_rows r
      where ${whereSql(org, query, moduleId)} and ${condition}`;
  const exact = [
    ...boundary.map((b) => undecided(dueIn(b))),
    undecided(sql`r.completed_at is not null and not r.certificate_revoked
      and r.certificate_expires_at >= ${startsAt(current)} and r.certificate_expires_at < ${startsAt(nextMonth(current))}
      and (r.due is null or not (${sql.join(boundary.map(dueIn), sql` or `)}))`),
  ];

  // Months stay dates until the groups are made (formatting each row's month cost more than the grouping).
  const result = (await db.execute(sql`
    select module_id, team_id, status, to_char(month, 'YYYY-MM') as month, n from (
      select module_id, team_id, status, month, sum(n)::int as n from (
        select c.module_id, c.team_id,
          (case
            when c.kind in ('done', 'done+open') and (c.expires_month is null or c.expires_month > ${current}::date) then 'completed'
            when c.kind = 'done' then 'expired'
            when c.due_month < ${current}::date then 'overdue'
            when c.kind = 'none' then 'not-started'
            else 'in-progress' end) as status,
          c.completed_month as month, c.n
        from report_counts c
        where ${sql.join(counted, sql` and `)}
        union all
        ${sql.join(exact, sql` union all `)}
      ) u
      group by 1, 2, 3, 4
      having sum(n) <> 0
    ) g`)) as unknown as { rows: CountRow[] };
  return result.rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Counts by module, team and status, from reportCounts(). */
export function summarise(context: ReportContext, rows: CountRow[]): ReportSummary {
  const byModule = new Map<string, StatusCounts>();
  const byTeam = new Map<string | null, StatusCounts>();
  const overall = emptyCounts();
  for (const row of rows) {
    for (const counts of [
      byModule.get(row.module_id) ?? byModule.set(row.module_id, emptyCounts()).get(row.module_id)!,
      byTeam.get(row.team_id) ?? byTeam.set(row.team_id, emptyCounts()).get(row.team_id)!,
      overall,
    ]) {
      counts[row.status] += row.n;
      counts.total += row.n;
    }
  }
  const teamNames = new Map(context.teams.map((t) => [t.id, t.name]));
  return {
    byModule: context.modules.filter((m) => byModule.has(m.id)).map((m) => ({ moduleId: m.id, title: m.title, slug: m.slug, counts: byModule.get(m.id)! })),
    byTeam: [...byTeam.entries()]
      .map(([teamId, counts]) => ({ teamId, name: teamId ? (teamNames.get(teamId) ?? "Unknown team") : "No team", counts }))
      .sort((a, b) => (a.teamId === null ? 1 : b.teamId === null ? -1 : a.name.localeCompare(b.name, "en-GB"))),
    overall,
  };
}

/** Counts by module, team and status (within the filters, status aside). */
export async function reportSummary(context: ReportContext, query: ReportQuery, moduleId: string | null, clock: Clock = { now: new Date() }, db: Executor = getDb()): Promise<ReportSummary> {
  return summarise(context, await reportCounts(context, query, moduleId, clock, db));
}


/**
 * Completion over the last 12 months (London calendar months): completions
 * each month by the people now assigned, and the share of them who had
 * completed by the month's end. Completions revoked since are left out.
 */
export function completionSeries(rows: CountRow[], total: number, clock: Clock = { now: new Date() }): CompletionPoint[] {
  const months: string[] = [];
  const [y, m] = londonDate(clock.now).split("-").map(Number) as [number, number];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  const counts = new Map<string, number>();
  let cumulative = 0;
  for (const row of rows) {
    if (row.month === null) continue;
    if (row.month < months[0]!) cumulative += row.n;
    else counts.set(row.month, (counts.get(row.month) ?? 0) + row.n);
  }
  return months.map((month) => {
    const completions = counts.get(month) ?? 0;
    cumulative += completions;
    return { month, completions, cumulative, percent: total ? Math.round((cumulative / total) * 1000) / 10 : 0 };
  });
}

export async function completionOverTime(context: ReportContext, query: ReportQuery, moduleId: string | null, total: number, clock: Clock = { now: new Date() }, db: Executor = getDb()): Promise<CompletionPoint[]> {
  return completionSeries(await reportCounts(context, query, moduleId, clock, db), total, clock);
}

export type ReportRow = {
  personId: string;
  staffNumber: string | null;
  name: string;
  email: string;
  personStatus: "invited" | "active" | "left";
  team: string | null;
  moduleTitle: string;
  moduleSlug: string;
  /** The version completed, else the version being taken. */
  moduleVersion: number | null;
  status: AssignmentStatus;
  assignedAt: string;
  due: string | null;
  extended: boolean;
  startedAt: string | null;
  completedAt: string | null;
  score: number | null;
  attempts: number;
  certificateCode: string | null;
  certificateExpiresAt: string | null;
  certificateRevoked: boolean;
  /** The version of the latest completion of any version, counted or not (ADR 036). */
  lastCompletedVersion: number | null;
  /** The module's current (published) version. */
  currentVersion: number | null;
  /**
   * For someone whose latest completion is of an older version: whether they
   * have said they read what changed (acknowledged), or were never asked
   * because every change since was a correction. Null for everyone else.
   */
  changeAcknowledgement: ChangeAcknowledgement | null;
};

export type ChangeAcknowledgement = { state: "acknowledged"; at: string } | { state: "not-acknowledged" } | { state: "corrections-only" };

const STATUS_RANK = (clock: Clock) => sql`array_position(array[${sql.raw(ASSIGNMENT_STATUSES.map((s) => `'${s}'`).join(","))}]::text[], ${statusSql(clock)})`;

/**
 * The sort expressions, over report_rows r (and its module m and team t),
 * never null so rows can be paged by key (the export walks the same order in
 * batches). Numbers for dates (epoch seconds), with "none" sorting last going
 * up. Every key kept on report_rows is an index order (report_rows_org_*_sort_idx
 * and report_rows_org_name_idx, written exactly as here: the planner matches
 * the expression): a page or a batch reads only its own rows. Team, module and
 * status are not on the row (a joined name, a joined order, the clock): a page
 * in those orders is read a group at a time in name order (groupedPage), and
 * an export batch sorts the matching rows (ADR 027).
 */
function sortExpression(key: SortKey, clock: Clock): { expr: SQL; kind: "text" | "numeric"; indexed: boolean } {
  const epoch = (col: string) => sql.raw(epochSql(col));
  switch (key) {
    case "name":
      return { expr: sql.raw("r.sort_name"), kind: "text", indexed: true };
    case "staff":
      return { expr: sql.raw("coalesce(r.staff_number, '')"), kind: "text", indexed: true };
    case "team":
      return { expr: sql.raw("coalesce(t.name, '')"), kind: "text", indexed: false };
    case "module":
      return { expr: sql.raw("m.sort_order"), kind: "numeric", indexed: false };
    case "status":
      return { expr: STATUS_RANK(clock), kind: "numeric", indexed: false };
    case "due":
      return { expr: sql.raw(`coalesce(r.due - date '2000-01-01', ${NO_DATE_EPOCH})`), kind: "numeric", indexed: true };
    case "started":
      return { expr: epoch("coalesce(r.open_started_at, r.completed_started_at)"), kind: "numeric", indexed: true };
    case "completed":
      return { expr: epoch("r.completed_at"), kind: "numeric", indexed: true };
    case "score":
      return { expr: sql.raw("coalesce(r.score, -1)"), kind: "numeric", indexed: true };
    case "attempts":
      return { expr: sql.raw("r.attempts"), kind: "numeric", indexed: true };
    case "expires":
      return { expr: epoch("r.certificate_expires_at"), kind: "numeric", indexed: true };
  }
}

type RawReportRow = {
  person_id: string;
  module_id: string;
  staff_number: string | null;
  person_name: string;
  sort_name: string;
  email: string;
  person_status: "invited" | "active" | "left";
  team_name: string | null;
  module_title: string;
  module_slug: string;
  module_version: number | null;
  status: AssignmentStatus;
  assigned_at: Date | string;
  due: string | null;
  extended: boolean;
  started_at: Date | string | null;
  completed_at: Date | string | null;
  score: number | null;
  attempts: number;
  certificate_code: string | null;
  certificate_expires_at: Date | string | null;
  certificate_revoked: boolean;
  last_completed_version: number | null;
  current_version: number | null;
  material_since: boolean | null;
  acknowledged_at: Date | string | null;
  k: string | number;
};

const iso = (v: Date | string | null): string | null => (v === null ? null : (v instanceof Date ? v : new Date(v)).toISOString());

function mapReportRow(r: RawReportRow): ReportRow {
  return {
    personId: r.person_id,
    staffNumber: r.staff_number,
    name: r.person_name,
    email: r.email,
    personStatus: r.person_status,
    team: r.team_name,
    moduleTitle: r.module_title,
    moduleSlug: r.module_slug,
    moduleVersion: r.module_version === null ? null : Number(r.module_version),
    status: r.status,
    assignedAt: iso(r.assigned_at)!,
    due: r.due,
    extended: r.extended,
    startedAt: iso(r.started_at),
    completedAt: iso(r.completed_at),
    score: r.score === null ? null : Number(r.score),
    attempts: Number(r.attempts),
    certificateCode: r.certificate_code,
    certificateExpiresAt: iso(r.certificate_expires_at),
    certificateRevoked: r.certificate_revoked,
    ...versionStanding(r),
  };
}

function versionStanding(r: RawReportRow): Pick<ReportRow, "lastCompletedVersion" | "currentVersion" | "changeAcknowledgement"> {
  const lastCompletedVersion = r.last_completed_version === null ? null : Number(r.last_completed_version);
  const currentVersion = r.current_version === null ? null : Number(r.current_version);
  const older = lastCompletedVersion !== null && currentVersion !== null && lastCompletedVersion < currentVersion;
  return {
    lastCompletedVersion,
    currentVersion,
    changeAcknowledgement: !older
      ? null
      : !r.material_since
        ? { state: "corrections-only" }
        : r.acknowledged_at
          ? { state: "acknowledged", at: iso(r.acknowledged_at)! }
          : { state: "not-acknowledged" },
  };
}

/** After this row, in the query's order (for paging by key). */
export type RowKey = { k: string; sortName: string; personId: string; moduleId: string };

/**
 * The page's rows in the query's order; or, `within` one group of a grouped
 * sort (team, module, status: the key is the same for every row in it), the
 * group's rows in name order, which an index holds.
 */
function rowsQuery(organizationId: string, query: ReportQuery, moduleId: string | null, clock: Clock, page: { after?: RowKey; limit: number; offset?: number; within?: SortGroup }): SQL {
  const { expr, kind } = sortExpression(query.sort, clock);
  const desc = query.dir === "desc";
  const order = sql.raw(desc ? "desc" : "asc");
  const cmp = sql.raw(desc ? "<" : ">");
  const keyCast = sql.raw(kind === "numeric" ? "numeric" : "text");
  // By name the key is the name: compare on the index's own columns.
  const after = !page.after
    ? sql``
    : query.sort === "name"
      ? sql`where (sort_name, person_id, module_id) ${cmp} (${page.after.sortName}, ${page.after.personId}, ${page.after.moduleId})`
      : sql`where (k, sort_name, person_id, module_id) ${cmp} (${page.after.k}::${keyCast}, ${page.after.sortName}, ${page.after.personId}, ${page.after.moduleId})`;
  const statusFilter = !query.status ? null : query.status === "expired" ? expiredSql(clock) : sql`${statusSql(clock)} = ${query.status}`;
  const where = sql`${whereSql(organizationId, query, moduleId, { status: statusFilter })}${page.within ? sql` and ${page.within.filter}` : sql``}`;
  // A group read keys first: the page's keys off one narrow index (sorted there if need be: a few
  // columns, not the page's whole rows), then only the page's rows joined and worked out.
  // A status filter's page too (not the export's keyset batches): "expired" by name at page 20 read ~20,000
  // rows off the name index for 1,000 it kept (163 ms at 50,000 learners). Only keys kept on the row.
  const keysFirst = page.within ? page.within.keysFirst === true : query.status !== null && !page.after && sortExpression(query.sort, clock).indexed;
  const keyOrder = page.within ? sql`` : sql`(${expr})::${keyCast} ${order}, `;
  const source = keysFirst
    ? sql`(select r.person_id, r.module_id from report_rows r where ${where}
            order by ${keyOrder}r.sort_name ${order}, r.person_id ${order}, r.module_id ${order}
            limit ${page.limit}${page.offset ? sql` offset ${page.offset}` : sql``}) page_keys
          join report_rows r on r.organization_id = ${organizationId} and r.person_id = page_keys.person_id and r.module_id = page_keys.module_id`
    : sql`report_rows r`;
  return sql`
    select * from (
      select r.person_id, r.module_id, r.team_id, r.staff_number, r.person_name, r.sort_name, r.email, r.person_status,
             t.name as team_name, m.title as module_title, m.slug as module_slug,
             coalesce(r.completed_version, r.open_version) as module_version,
             ${statusSql(clock)} as status,
             r.assigned_at, r.due::text as due, r.extended,
             coalesce(r.open_started_at, r.completed_started_at) as started_at,
             r.completed_at, r.score, r.attempts, r.certificate_code, r.certificate_expires_at, r.certificate_revoked,
             r.last_completed_version, cv.version as current_version,
             -- An older completion (ADR 036): was any version since a material change, and was the current one acknowledged?
             case when r.last_completed_version < cv.version then exists (
               select 1 from module_versions v
               where v.module_id = r.module_id and v.version > r.last_completed_version and v.version <= cv.version and v.material_change) end as material_since,
             case when r.last_completed_version < cv.version then (
               select ack.acknowledged_at from module_update_acks ack
               where ack.user_id = r.user_id and ack.module_version_id = cv.id) end as acknowledged_at,
             (${expr})::${keyCast} as k
      from ${source}
      join modules m on m.id = r.module_id
      left join module_versions cv on cv.id = m.current_version_id
      left join team t on t.id = r.team_id
      ${keysFirst ? sql`` : sql`where ${where}`}
    ) keyed
    ${after}
    order by ${page.within ? (page.within.leading ? sql`${sql.raw(page.within.leading)} ${order}, ` : sql``) : sql`k ${order}, `}sort_name ${order}, person_id ${order}, module_id ${order}
    limit ${page.limit}${page.offset && !keysFirst ? sql` offset ${page.offset}` : sql``}`;
}

/** How many rows the per-person table holds for a query: a status's count, or all of them. */
const matchingRows = (summary: ReportSummary, query: ReportQuery) => (query.status ? summary.overall[query.status] : summary.overall.total);

/**
 * One group of a grouped sort: the rows where `filter` holds, `n` of them
 * (from the counts). `leading`: a column the filter holds to one value, put
 * before the name in the order so the planner sees the index's order (it
 * does for "= x" by itself, not for "is null"). `keysFirst`: read the
 * page's keys first (the filter is one an index answers alone, see rowsQuery).
 */
type SortGroup = { filter: SQL; n: number; leading?: "team_id"; keysFirst?: boolean };

/**
 * Sorted by team, module or status the key is not on the row, so no index
 * holds the order; but the key has few values and the counts say how many
 * matching rows each value has. So the groups, going up, and their sizes:
 * a page then reads only the groups it falls in, each in name order off an
 * index (team: report_rows_org_team_name_idx; module:
 * report_rows_org_module_name_idx; status: keys first, off
 * report_rows_org_name_idx filtered, or for "expired" off
 * report_rows_org_expires_idx, ADR 045). Null where the counts name a team
 * or module the context does not hold (the page then sorts, as before).
 */
function sortGroups(context: ReportContext, query: ReportQuery, counts: CountRow[], clock: Clock): SortGroup[] | null {
  const matching = counts.filter((c) => !query.status || c.status === query.status);
  const total = (pick: (c: CountRow) => boolean) => matching.reduce((n, c) => (pick(c) ? n + c.n : n), 0);
  const inList = (column: string, ids: string[]) =>
    ids.length === 1 ? sql`${sql.raw(column)} = ${ids[0]}` : sql`${sql.raw(column)} in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`;
  switch (query.sort) {
    case "status":
      // Keys first for every status: deep into a group the planner may sort the group's rows (at 5,000 learners
      // page 150 falls 6,000 rows into "completed": a scan and a 7 MB sort on disk of whole rows), and keys are
      // a tenth of a row. "expired" is rare (5% of the rows at 50,000 learners): in name order with the status
      // as a filter, a deep page of it read about twenty rows per row it skipped or showed (135 ms idle at page
      // 150, issue 18); written as expiredSql, the expiry index holds the group alone.
      return ASSIGNMENT_STATUSES.map((status) => ({
        filter: status === "expired" ? expiredSql(clock) : sql`${statusSql(clock)} = ${status}`,
        n: total((c) => c.status === status),
        keysFirst: true,
      }));
    case "module": {
      const order = new Map(context.modules.map((m) => [m.id, m.sortOrder]));
      if (matching.some((c) => !order.has(c.module_id))) return null;
      const keys = [...new Set(context.modules.map((m) => m.sortOrder))].sort((a, b) => a - b);
      return keys.map((key) => {
        const ids = context.modules.filter((m) => m.sortOrder === key).map((m) => m.id);
        return { filter: inList("r.module_id", ids), n: total((c) => ids.includes(c.module_id)) };
      });
    }
    case "team": {
      // The key is the team's name, no team first ("" going up); context.teams is in the database's name order.
      const known = new Set(context.teams.map((t) => t.id));
      if (matching.some((c) => c.team_id !== null && !known.has(c.team_id))) return null;
      const groups: SortGroup[] = [{ filter: sql`r.team_id is null`, n: total((c) => c.team_id === null), leading: "team_id" }];
      for (let i = 0; i < context.teams.length; ) {
        const name = context.teams[i]!.name;
        const ids: string[] = [];
        for (; i < context.teams.length && context.teams[i]!.name === name; i++) ids.push(context.teams[i]!.id);
        // Two teams of one name are one group in name order (not one team after the other): no leading column.
        groups.push({ filter: inList("r.team_id", ids), n: total((c) => c.team_id !== null && ids.includes(c.team_id)), ...(ids.length === 1 ? { leading: "team_id" as const } : {}) });
      }
      return groups;
    }
    default:
      return null;
  }
}

/** A page of a grouped sort: skips the groups before it by their counts, reads the rest a group at a time. */
async function groupedPage(organizationId: string, query: ReportQuery, moduleId: string | null, clock: Clock, db: Executor, groups: SortGroup[]): Promise<RawReportRow[]> {
  let skip = (query.page - 1) * PAGE_SIZE;
  let want = PAGE_SIZE;
  const rows: RawReportRow[] = [];
  for (const group of query.dir === "desc" ? [...groups].reverse() : groups) {
    if (want === 0) break;
    if (skip >= group.n) {
      skip -= group.n;
      continue;
    }
    const part = (await db.execute(rowsQuery(organizationId, query, moduleId, clock, { limit: want, offset: skip, within: group }))) as unknown as { rows: RawReportRow[] };
    rows.push(...part.rows);
    want -= part.rows.length;
    skip = 0;
  }
  return rows;
}

const GROUPED_SORTS: ReadonlySet<SortKey> = new Set(["team", "module", "status"]);

/**
 * One page of the per-person table, and how many rows match in all (from
 * the counts, unless the caller has them already).
 */
export async function reportPage(
  context: ReportContext,
  query: ReportQuery,
  moduleId: string | null,
  clock: Clock = { now: new Date() },
  db: Executor = getDb(),
  knownCounts?: CountRow[] | Promise<CountRow[]>,
) {
  const counts = Promise.resolve(knownCounts ?? reportCounts(context, query, moduleId, clock, db));
  const totalOf = (rows: CountRow[]) => matchingRows(summarise(context, rows), query);
  let rows: RawReportRow[];
  let total: number;
  const grouped = GROUPED_SORTS.has(query.sort) ? sortGroups(context, query, await counts, clock) : null;
  if (grouped) {
    [rows, total] = [await groupedPage(context.organizationId, query, moduleId, clock, db, grouped), totalOf(await counts)];
  } else {
    const [read, known] = await Promise.all([
      db.execute(rowsQuery(context.organizationId, query, moduleId, clock, { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE })) as unknown as Promise<{ rows: RawReportRow[] }>,
      counts,
    ]);
    [rows, total] = [read.rows, totalOf(known)];
  }
  return { rows: rows.map(mapReportRow), total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/**
 * Every row matching the query, in the table's order, a batch at a time:
 * each batch is its own short query (keyset paging, no open transaction), so
 * memory stays flat however many rows there are and other requests are not
 * held up while a large export streams.
 */
export async function* reportRowsInBatches(
  context: ReportContext,
  query: ReportQuery,
  moduleId: string | null,
  options: { batchSize?: number; clock?: Clock; db?: Executor } = {},
): AsyncGenerator<ReportRow[]> {
  const db = options.db ?? getDb();
  const clock = options.clock ?? { now: new Date() };
  // An index order reads each batch straight off the index; any other order
  // sorts the matching rows for every batch, so fewer, larger batches.
  const limit = options.batchSize ?? (sortExpression(query.sort, clock).indexed ? 2000 : 10_000);
  let after: RowKey | undefined;
  for (;;) {
    const result = (await db.execute(rowsQuery(context.organizationId, query, moduleId, clock, { after, limit }))) as unknown as { rows: RawReportRow[] };
    if (result.rows.length === 0) return;
    yield result.rows.map(mapReportRow);
    if (result.rows.length < limit) return;
    const last = result.rows[result.rows.length - 1]!;
    after = { k: String(last.k), sortName: last.sort_name, personId: last.person_id, moduleId: last.module_id };
  }
}

/** Everything the dashboard shows, in parallel where the database allows. */
export async function loadReport(context: ReportContext, query: ReportQuery, clock: Clock = { now: new Date() }) {
  const { moduleId } = resolveQuery(context, query);
  const counted = reportCounts(context, query, moduleId, clock);
  // The page's row count is in the counts: no second count, and the page's rows are read meanwhile
  // (a grouped sort waits for the counts, which say where its page starts).
  const [counts, page] = await Promise.all([counted, reportPage(context, query, moduleId, clock, getDb(), counted)]);
  const summary = summarise(context, counts);
  const series = completionSeries(counts, summary.overall.total, clock);
  return { summary, page, series };
}

/** Rebuilds the derived report rows of an organisation (after a bulk load, or to repair). */
export async function rebuildReport(organizationId: string, db: Executor = getDb()) {
  await db.transaction(async (tx) => {
    // Writers wait for the few seconds this takes, so the counts are
    // recounted from exactly the rows this transaction leaves.
    await tx.execute(sql`lock table report_counts in share row exclusive mode`);
    await tx.execute(sql`select refresh_report_rows(${organizationId}, null, null)`);
    await tx.execute(sql`select recount_report_counts(${organizationId})`);
  });
}

/**
 * Folds the organisation's counts deltas into one row per key; returns how
 * many rows that removed. Safe alongside writers (see the migration).
 */
export async function compactReportCounts(organizationId: string, db: Executor = getDb()): Promise<number> {
  const result = (await db.execute(sql`select compact_report_counts(${organizationId}) as folded`)) as unknown as { rows: { folded: number }[] };
  return Number(result.rows[0]?.folded ?? 0);
}

/** The job: compacts every organisation with more delta rows than it needs. */
export async function compactAllReportCounts(db: Executor = getDb()): Promise<{ organisations: number; folded: number }> {
  const orgs = (await db.execute(sql`
    select organization_id from report_counts group by 1
    having count(*) > 2 * count(distinct (module_id, team_id, person_status, due_month, kind, completed_month, expires_month))`)) as unknown as {
    rows: { organization_id: string }[];
  };
  let folded = 0;
  for (const { organization_id } of orgs.rows) folded += await compactReportCounts(organization_id, db);
  return { organisations: orgs.rows.length, folded };
}

/**
 * The per-person table as CSV, a batch at a time: the stream pulls the next
 * batch only when the reader has taken the last, so a slow download holds one
 * batch in memory, never the whole report.
 */
export function reportCsvStream(context: ReportContext, query: ReportQuery, moduleId: string | null, options: { batchSize?: number; clock?: Clock; db?: Executor } = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = reportRowsInBatches(context, query, moduleId, options);
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(CSV_BOM + reportCsvHeaderLine()));
          return;
        }
        try {
          const next = await batches.next();
          if (next.done) {
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(next.value.map(reportCsvLine).join("")));
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await batches.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
