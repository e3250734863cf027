import { sql } from "drizzle-orm";
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { organization, team, user } from "./auth.ts";
import { modules } from "./learning.ts";

const id = () =>
  text("id")
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID());
const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Email domains whose verified addresses join an organisation automatically
 * as learners (e.g. cambs.police.uk). A domain belongs to one organisation.
 */
export const organisationDomains = pgTable(
  "organisation_domains",
  {
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    domain: text("domain").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.domain] }), uniqueIndex("organisation_domains_domain_uidx").on(t.domain)],
);

/**
 * The organisation's roster: everyone invited to, in, or gone from it, keyed
 * by email. better-auth's `member` row exists only while someone is active
 * (it is what grants access); this row keeps their profile and history, so
 * reports still show people who have left.
 */
export const people = pgTable(
  "people",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    /** Lower-cased. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** Collar or staff number, unique in the organisation when given. */
    staffNumber: text("staff_number"),
    /** Rank or role in the force, free text (e.g. "PC", "Call handler"). */
    rank: text("rank"),
    teamId: text("team_id").references(() => team.id, { onDelete: "set null" }),
    /** Organisation role: member (learner) or admin (training lead). */
    role: text("role", { enum: ["member", "admin"] }).notNull().default("member"),
    status: text("status", { enum: ["invited", "active", "left"] }).notNull(),
    userId: text("user_id").references(() => user.id, { onDelete: "set null" }),
    invitedAt: at("invited_at"),
    joinedAt: at("joined_at"),
    leftAt: at("left_at"),
    /**
     * Set when the person's details were erased (their account deleted, or the
     * organisation's retention period after they left ran out): name, email
     * and staff number are placeholders from then on. See docs/decisions/020.
     */
    anonymisedAt: at("anonymised_at"),
    /**
     * The account an anonymised person had, kept apart from user_id (which is
     * cleared so the account can join again as a new person) so the report
     * still counts their training. Never shown. See docs/decisions/020.
     */
    formerUserId: text("former_user_id"),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("people_former_user_idx").on(t.formerUserId).where(sql`former_user_id is not null`),
    uniqueIndex("people_org_email_uidx").on(t.organizationId, t.email),
    uniqueIndex("people_org_staff_number_uidx").on(t.organizationId, t.staffNumber).where(sql`staff_number is not null`),
    uniqueIndex("people_org_user_uidx").on(t.organizationId, t.userId).where(sql`user_id is not null`),
    index("people_org_status_idx").on(t.organizationId, t.status),
    index("people_org_team_idx").on(t.organizationId, t.teamId),
    index("people_user_idx").on(t.userId),
  ],
);

/** A module assigned to a whole organisation, a team, or named people, with a due date. */
export const assignments = pgTable(
  "assignments",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id),
    target: text("target", { enum: ["organisation", "team", "people"] }).notNull(),
    teamId: text("team_id").references(() => team.id, { onDelete: "cascade" }),
    /** Absolute due date, or null when relative. */
    dueDate: date("due_date", { mode: "string" }),
    /** Relative: due this many days after the person was assigned (or joined, if later). */
    dueDays: integer("due_days"),
    /**
     * Set when a training lead assigns a new version of the module (ADR 036):
     * completions of an earlier version do not count for this assignment.
     */
    requiredVersion: integer("required_version"),
    createdBy: text("created_by").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
    /** Withdrawn assignments stop counting; kept for history. */
    withdrawnAt: at("withdrawn_at"),
  },
  (t) => [index("assignments_org_idx").on(t.organizationId), index("assignments_org_module_idx").on(t.organizationId, t.moduleId)],
);

/** The people an assignment of target "people" names. */
export const assignmentPeople = pgTable(
  "assignment_people",
  {
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    personId: text("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.personId] }), index("assignment_people_person_idx").on(t.personId)],
);

/** Per-person extensions of an assignment's due date, with the reason. The latest counts. */
export const assignmentExtensions = pgTable(
  "assignment_extensions",
  {
    id: id(),
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    personId: text("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    reason: text("reason").notNull(),
    grantedBy: text("granted_by").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [index("assignment_extensions_lookup_idx").on(t.assignmentId, t.personId, t.createdAt)],
);

/**
 * Seat licences: a number of learner seats for a period, bought by card
 * (Stripe) or granted by a platform admin against a purchase order. History
 * is kept: a change ends one row and starts another.
 */
export const licences = pgTable(
  "licences",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    seats: integer("seats").notNull(),
    validFrom: at("valid_from").notNull(),
    validUntil: at("valid_until").notNull(),
    source: text("source", { enum: ["manual", "stripe"] }).notNull(),
    purchaseOrder: text("purchase_order"),
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    /** The subscription's status as Stripe last told us (active, past_due, canceled...). */
    stripeStatus: text("stripe_status"),
    /** When Stripe last changed this row: events older than this are ignored (out of order). */
    stripeUpdatedAt: at("stripe_updated_at"),
    paymentFailedAt: at("payment_failed_at"),
    endedAt: at("ended_at"),
    note: text("note"),
    createdBy: text("created_by"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("licences_org_idx").on(t.organizationId),
    uniqueIndex("licences_subscription_uidx").on(t.stripeSubscriptionId).where(sql`stripe_subscription_id is not null`),
  ],
);

/** Stripe events already processed, recorded in the same transaction as their effect. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  createdAt: at("created_at").notNull(),
  processedAt: at("processed_at").notNull().defaultNow(),
});

/** Per-organisation settings that are ours rather than better-auth's. */
export const organisationSettings = pgTable("organisation_settings", {
  organizationId: text("organization_id")
    .primaryKey()
    .references(() => organization.id, { onDelete: "cascade" }),
  stripeCustomerId: text("stripe_customer_id"),
  /** Send training leads the weekly CSV export by email. */
  weeklyExport: boolean("weekly_export").notNull().default(false),
  /**
   * Months after someone leaves before their details are anonymised by the
   * retention job (bounds in app/utils/privacy-validation.ts, checked in the database too).
   */
  retentionMonths: integer("retention_months").notNull().default(24),
  createdAt: at("created_at").notNull().defaultNow(),
});

/**
 * A staff CSV upload: checked on upload (nothing written to the roster), then
 * applied on confirm in one transaction. The file is kept until applied so
 * the confirm step does not need it again.
 */
/** One checked row of a staff list, as stored at upload (the shape of StaffCsvRow in app/utils/staff-csv.ts). */
export type StoredImportRow = {
  line: number;
  email: string;
  name: string;
  staffNumber: string | null;
  team: string | null;
  rank: string | null;
  role: "member" | "admin";
};

/** What the upload's parser found, kept so the file is parsed once (not again at preview and apply). */
export type StoredImportFile = {
  rows: StoredImportRow[];
  rowErrors: { line: number; column: string; value: string; message: string }[];
  warnings: string[];
};

/**
 * The work fixed when applying starts: who to invite and update, in order.
 * `progress_done` counts through `invite` then `update`, so an instance that
 * takes over a crashed one's lease carries on from there.
 */
export type StoredImportPlan = {
  invite: StoredImportRow[];
  update: { row: StoredImportRow; personId: string; accessChanged: boolean }[];
  unchanged: number;
  rejected: number;
  newTeams: string[];
};

export const staffImports = pgTable(
  "staff_imports",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    createdBy: text("created_by").notNull(),
    fileName: text("file_name").notNull(),
    /** checked: waiting for confirmation; applying: queued or being applied (see the lease); applied; failed. */
    status: text("status", { enum: ["checked", "applying", "applied", "failed"] }).notNull(),
    /** The parsed file, until it is applied or cancelled. */
    parsed: jsonb("parsed").$type<StoredImportFile>(),
    totalRows: integer("total_rows").notNull(),
    /** Who pressed Apply (the audit entry's actor). */
    appliedBy: jsonb("applied_by").$type<{ id: string; name: string; email?: string }>(),
    plan: jsonb("plan").$type<StoredImportPlan>(),
    /** People done of the plan: each batch commits its rows and this count together. */
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total").notNull().default(0),
    /** The instance applying it holds the lease until this time and renews it each batch; after it, another may take over. */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: at("lease_expires_at"),
    /** Batches that failed (database errors); after a few the import stops as failed. */
    failures: integer("failures").notNull().default(0),
    /** What applying did: invited, updated, unchanged, rejected, teams created. */
    summary: jsonb("summary").$type<Record<string, number>>(),
    /**
     * Rows the lead chose to leave out for want of seats ("apply the rows that
     * fit"), in file order: shown after the import, and re-applied from here
     * as a new upload once seats exist.
     */
    leftOut: jsonb("left_out").$type<StoredImportRow[]>(),
    error: text("error"),
    createdAt: at("created_at").notNull().defaultNow(),
    finishedAt: at("finished_at"),
  },
  (t) => [
    index("staff_imports_org_idx").on(t.organizationId, t.createdAt),
    index("staff_imports_applying_idx").on(t.createdAt).where(sql`${t.status} = 'applying'`),
  ],
);

/**
 * A training lead's request for more seats (issue 15). At most one open
 * request per organisation (a second request changes it); a platform admin
 * marks it handled with a note, which is mailed to the lead.
 */
export const seatRequests = pgTable(
  "seat_requests",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    seats: integer("seats").notNull(),
    message: text("message"),
    status: text("status", { enum: ["open", "handled"] }).notNull().default("open"),
    /** The lead who asked (last), and the address they will hear back at. */
    requestedBy: text("requested_by").references(() => user.id, { onDelete: "set null" }),
    requestedByName: text("requested_by_name").notNull(),
    requestedByEmail: text("requested_by_email").notNull(),
    /** Where it came from: the billing page or a staff-list upload. */
    source: text("source", { enum: ["billing", "import"] }).notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    handledAt: at("handled_at"),
    handledBy: text("handled_by").references(() => user.id, { onDelete: "set null" }),
    handledByName: text("handled_by_name"),
    handledNote: text("handled_note"),
  },
  (t) => [
    uniqueIndex("seat_requests_one_open_uidx").on(t.organizationId).where(sql`status = 'open'`),
    index("seat_requests_status_idx").on(t.status, t.createdAt),
  ],
);
