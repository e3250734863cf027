import { sql } from "drizzle-orm";
import { boolean, date, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { organization } from "./auth.ts";
import { modules } from "./learning.ts";
import { assignments, people } from "./organisations.ts";

const at = (name: string) => timestamp(name, { withTimezone: true });

/** A sort key that is a date: no date sorts after every date going up, in epoch seconds (the reports' sort, and its indexes). */
export const NO_DATE_EPOCH = 1e12;
export const epochSql = (column: string) => `coalesce(extract(epoch from (${column} - timestamptz '1970-01-01 00:00:00+00')), ${NO_DATE_EPOCH})`;

/**
 * The compliance report, one row per person and assigned module, kept up to
 * date by triggers (migration 0004_reports: refresh_report_rows). Derived
 * data: never written by application code, and rebuilt from the source tables
 * by `select refresh_report_rows(org, null, null)`. Everything that depends on
 * the clock (overdue, expired) is worked out when read, from the dates kept
 * here, so the table never goes stale by itself. See docs/decisions/012.
 */
export const reportRows = pgTable(
  "report_rows",
  {
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    personId: text("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id),
    /** When a module is assigned twice (organisation and team), the one due first. */
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    userId: text("user_id"),
    personStatus: text("person_status", { enum: ["invited", "active", "left"] }).notNull(),
    personName: text("person_name").notNull(),
    /** Lower-cased name, for sorting without a per-row function call. */
    sortName: text("sort_name").notNull(),
    email: text("email").notNull(),
    staffNumber: text("staff_number"),
    teamId: text("team_id"),
    assignedAt: at("assigned_at").notNull(),
    due: date("due", { mode: "string" }),
    extended: boolean("extended").notNull().default(false),
    /** The open (unfinished) enrolment, if any. */
    openStartedAt: at("open_started_at"),
    openVersion: integer("open_version"),
    /** The latest completed enrolment, if any, and its certificate. */
    completedStartedAt: at("completed_started_at"),
    completedAt: at("completed_at"),
    completedVersion: integer("completed_version"),
    /**
     * The version of the latest completion of any version. Differs from
     * completed_version when an assignment requires a newer version (ADR 036):
     * then the older completion is not counted, but the report still says it happened.
     */
    lastCompletedVersion: integer("last_completed_version"),
    certificateCode: text("certificate_code"),
    certificateExpiresAt: at("certificate_expires_at"),
    certificateRevoked: boolean("certificate_revoked").notNull().default(false),
    /** The certificate's score, else the latest submitted attempt's. */
    score: integer("score"),
    /** Submitted assessment attempts on this module, all enrolments. */
    attempts: integer("attempts").notNull().default(0),
    refreshedAt: at("refreshed_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.personId, t.moduleId] }),
    // The per-person table pages in name order (the default), within a module or a team, or by due date.
    index("report_rows_org_name_idx").on(t.organizationId, t.sortName, t.personId, t.moduleId),
    index("report_rows_org_module_name_idx").on(t.organizationId, t.moduleId, t.sortName, t.personId),
    // One team in name order; also each team's rows when the table is sorted by team (issue 18).
    index("report_rows_org_team_name_idx").on(t.organizationId, t.teamId, t.sortName, t.personId, t.moduleId),
    index("report_rows_org_due_sort_idx").on(t.organizationId, sql`(coalesce(due - date '2000-01-01', 1000000000000)::numeric)`, t.sortName, t.personId, t.moduleId),
    // By score (issue 18): "completed, sorted by score" sorted every completed row (×4.1 from 5,000 to
    // 50,000 learners); backwards on this index a page reads its own rows plus the few the status filter drops.
    index("report_rows_org_score_sort_idx").on(t.organizationId, sql`(coalesce(score, -1)::numeric)`, t.sortName, t.personId, t.moduleId),
    // Every other key on report_rows itself (issue 18, ADR 027), written exactly as sortExpression() writes it
    // (dates as epoch seconds through an interval: extract from a timestamptz is not immutable, from an interval it is).
    index("report_rows_org_staff_sort_idx").on(t.organizationId, sql`(coalesce(staff_number, ''))`, t.sortName, t.personId, t.moduleId),
    index("report_rows_org_started_sort_idx").on(t.organizationId, sql`(${sql.raw(epochSql("coalesce(open_started_at, completed_started_at)"))}::numeric)`, t.sortName, t.personId, t.moduleId),
    index("report_rows_org_completed_sort_idx").on(t.organizationId, sql`(${sql.raw(epochSql("completed_at"))}::numeric)`, t.sortName, t.personId, t.moduleId),
    index("report_rows_org_expires_sort_idx").on(t.organizationId, sql`(${sql.raw(epochSql("certificate_expires_at"))}::numeric)`, t.sortName, t.personId, t.moduleId),
    index("report_rows_org_attempts_sort_idx").on(t.organizationId, sql`(attempts::numeric)`, t.sortName, t.personId, t.moduleId),
    // The rows the counts cannot answer alone (due or expiring this month), see reportCounts. Each also holds
    // every column that statement reads of them (issue 18, ADR 040), so it is an index-only scan: without
    // them it read ~8,000 rows at 50,000 learners from ~7,000 heap pages, most of the dashboard's time.
    index("report_rows_org_due_idx").on(
      t.organizationId,
      t.due,
      t.moduleId,
      t.teamId,
      t.personStatus,
      t.completedAt,
      t.certificateRevoked,
      t.certificateExpiresAt,
      t.openStartedAt,
    ),
    // Also the rows of "expired" (a page sorted by status, keys first; expiredSql in the reports model): in expiry
    // order, with the name and person to sort a page's keys by, so it needs no heap either (issue 18).
    index("report_rows_org_expires_idx")
      .on(t.organizationId, t.certificateExpiresAt, t.moduleId, t.teamId, t.personStatus, t.due, t.completedAt, t.certificateRevoked, t.openStartedAt, t.sortName, t.personId)
      .where(sql`completed_at is not null and not certificate_revoked`),
    index("report_rows_user_idx").on(t.userId, t.moduleId),
    index("report_rows_assignment_idx").on(t.assignmentId),
  ],
);

/**
 * How many report rows share a module, team, person status, due month,
 * progress kind, completion month and certificate expiry month: what the
 * dashboard's counts and chart are summed from, so they never scan
 * report_rows. Kept by statement triggers on report_rows (migration
 * 0005_report_counts) as append-only deltas (+n, -n), so concurrent learners
 * never wait on one another's counter rows; compact_report_counts() folds
 * them. Months, not dates, so a force of 50,000 fits in a few thousand rows;
 * the rows a month cannot decide (due or expiring this month) are read from
 * report_rows itself. See docs/decisions/014.
 */
export const reportCounts = pgTable(
  "report_counts",
  {
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    moduleId: text("module_id").notNull(),
    teamId: text("team_id"),
    personStatus: text("person_status", { enum: ["invited", "active", "left"] }).notNull(),
    /** First day of the due date's month. */
    dueMonth: date("due_month", { mode: "string" }),
    /** done: a valid completion; done+open: and retaking; open: started, no valid completion; none. */
    kind: text("kind", { enum: ["done", "done+open", "open", "none"] }).notNull(),
    /** First day of the London month of a valid completion. */
    completedMonth: date("completed_month", { mode: "string" }),
    /** First day of the London month a valid completion's certificate expires. */
    expiresMonth: date("expires_month", { mode: "string" }),
    n: integer("n").notNull(),
  },
  (t) => [index("report_counts_org_idx").on(t.organizationId, t.moduleId)],
);
