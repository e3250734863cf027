import crypto from "node:crypto";
import { setImmediate as yieldToRequests } from "node:timers/promises";
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { invitation, member, organization, people, staffImports, team, type StoredImportFile, type StoredImportPlan } from "#db/schema/index.ts";
import { audit } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { enqueueBulkEmails } from "#app/models/platform/email.server.ts";
import { composeEmail } from "#app/utils/email-templates.ts";
import { newInvitationToken } from "#app/utils/invitation-token.server.ts";
import { getEnv } from "#app/services/env.server.ts";
import { createLogger } from "#app/services/logger.server.ts";
import { parseStaffCsv, type StaffCsvRow, type StaffCsvRowError } from "#app/utils/staff-csv.ts";
import { assertSeatsAvailable, seatSummary, SeatLimitError, type SeatSummary } from "#app/models/billing/licence.server.ts";
import { INVITATION_DAYS, invitationUrl } from "./invitation.server.ts";
import { teamKey } from "#app/utils/team-name.ts";

const log = createLogger("import");

/** Uploads larger than this are refused before parsing (about 20,000 rows of typical width). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

type Roster = Map<string, { id: string; name: string; staffNumber: string | null; rank: string | null; teamId: string | null; role: string; status: string }>;

export type ImportPlan = {
  /** Rows that invite someone new (or someone who left). */
  invite: StaffCsvRow[];
  /** Rows that change someone already on the roster. */
  update: { row: StaffCsvRow; personId: string; changes: string[] }[];
  unchanged: StaffCsvRow[];
  /** Rows refused: the file's own problems plus clashes with the roster. */
  rejected: StaffCsvRowError[];
  newTeams: string[];
  /** Learners this import adds to the seats in use (new learner invitations). */
  seatsNeeded: number;
};


/**
 * Compares checked rows with the roster, without writing: who would be
 * invited, updated or left unchanged, and what clashes with people already
 * there (a staff number in use by someone else). Idempotent by email: the
 * same file again plans no change.
 */
async function planImport(db: Executor, organisationId: string, parsed: StoredImportFile): Promise<ImportPlan> {
  const emails = parsed.rows.map((r) => r.email);
  const rosterRows = emails.length
    ? await db
        .select({
          id: people.id,
          email: people.email,
          name: people.name,
          staffNumber: people.staffNumber,
          rank: people.rank,
          teamId: people.teamId,
          role: people.role,
          status: people.status,
        })
        .from(people)
        .where(eq(people.organizationId, organisationId))
    : [];
  const roster: Roster = new Map(rosterRows.map((r) => [r.email, r]));
  const staffOwner = new Map(rosterRows.filter((r) => r.staffNumber).map((r) => [r.staffNumber!, r]));
  const teams = await db.select({ id: team.id, name: team.name }).from(team).where(eq(team.organizationId, organisationId));
  const teamByKey = new Map(teams.map((t) => [teamKey(t.name), t]));

  const plan: ImportPlan = { invite: [], update: [], unchanged: [], rejected: [...parsed.rowErrors], newTeams: [], seatsNeeded: 0 };
  const newTeamKeys = new Set<string>();
  for (const row of parsed.rows) {
    const existing = roster.get(row.email);
    if (row.staffNumber) {
      const owner = staffOwner.get(row.staffNumber);
      if (owner && owner.id !== existing?.id) {
        plan.rejected.push({
          line: row.line,
          column: "staff number",
          value: row.staffNumber,
          message: `Staff number ${row.staffNumber} already belongs to ${owner.name}`,
        });
        continue;
      }
    }
    const teamId = row.team ? (teamByKey.get(teamKey(row.team))?.id ?? null) : null;
    if (row.team && !teamId && !newTeamKeys.has(teamKey(row.team))) {
      newTeamKeys.add(teamKey(row.team));
      plan.newTeams.push(row.team);
    }
    if (!existing || existing.status === "left") {
      plan.invite.push(row);
      if (row.role === "member") plan.seatsNeeded++;
      continue;
    }
    const changes: string[] = [];
    if (existing.name !== row.name) changes.push("name");
    if ((existing.staffNumber ?? null) !== row.staffNumber) changes.push("staff number");
    if ((existing.rank ?? null) !== row.rank) changes.push("role or rank");
    // A blank team in the file leaves the person's team as it is; a new team name changes it.
    if (row.team && (teamId === null || existing.teamId !== teamId)) changes.push("team");
    if (existing.role !== row.role) changes.push("access");
    if (changes.length === 0) plan.unchanged.push(row);
    else {
      plan.update.push({ row, personId: existing.id, changes });
      if (existing.role === "admin" && row.role === "member") plan.seatsNeeded++;
    }
  }
  return plan;
}

/** A row left out for want of a seat ("apply the rows that fit"). */
export type LeftOutRow = { line: number; email: string; name: string; reason: string };

/** Whether this planned row takes a seat: a new learner, or a training lead becoming a learner. */
const takesSeat = (kind: "invite" | "update", row: StaffCsvRow, changes: string[] = []) =>
  row.role === "member" && (kind === "invite" || changes.includes("access"));

/**
 * The plan cut down to the seats free: rows that take a seat are kept in file
 * order until the seats run out, and the rest are left out; rows that take no
 * seat (training leads, changes to people already here) all stay. Teams are
 * created only for the rows kept. Pure: the caller passes the seats free.
 */
export function fitPlanToSeats(plan: ImportPlan, free: number): { plan: ImportPlan; leftOut: StaffCsvRow[] } {
  if (plan.seatsNeeded <= free) return { plan, leftOut: [] };
  const seatRows = [
    ...plan.invite.filter((r) => takesSeat("invite", r)).map((r) => r.line),
    ...plan.update.filter((u) => takesSeat("update", u.row, u.changes)).map((u) => u.row.line),
  ].sort((a, b) => a - b);
  const dropped = new Set(seatRows.slice(Math.max(0, free)));
  const invite = plan.invite.filter((r) => !dropped.has(r.line));
  const update = plan.update.filter((u) => !dropped.has(u.row.line));
  const leftOut = [...plan.invite.filter((r) => dropped.has(r.line)), ...plan.update.filter((u) => dropped.has(u.row.line)).map((u) => u.row)].sort(
    (a, b) => a.line - b.line,
  );
  const kept = new Set([...invite, ...update.map((u) => u.row)].map((r) => (r.team ? teamKey(r.team) : "")));
  return {
    plan: { ...plan, invite, update, newTeams: plan.newTeams.filter((t) => kept.has(teamKey(t))), seatsNeeded: seatRows.length - dropped.size },
    leftOut,
  };
}

const NO_SEAT = "No seat: the organisation's seats were full";
const asLeftOut = (rows: { line: number; email: string; name: string }[]): LeftOutRow[] =>
  rows.map((r) => ({ line: r.line, email: r.email, name: r.name, reason: NO_SEAT }));

export type ImportPreview = {
  id: string;
  fileName: string;
  status: "checked" | "applying" | "applied" | "failed";
  totalRows: number;
  fileErrors: string[];
  warnings: string[];
  counts: { invite: number; update: number; unchanged: number; rejected: number; newTeams: number };
  rejected: StaffCsvRowError[];
  updates: { line: number; email: string; changes: string[] }[];
  newTeams: string[];
  seats: SeatSummary;
  seatsNeeded: number;
  fits: boolean;
  /**
   * When it does not fit: what "apply the rows that fit" would do with the
   * seats free now (null when it fits, or when nothing would be applied).
   */
  fit: { invite: number; update: number; leftOut: LeftOutRow[] } | null;
  /** After an import applied with rows left out: those rows, in file order. */
  leftOut: LeftOutRow[];
  /** People done of those to invite or update, while it is being applied. */
  progress: { done: number; total: number } | null;
  summary: Record<string, number> | null;
  error: string | null;
  createdAt: Date;
};

/**
 * Checks an uploaded file: parses and validates every row, once, and keeps
 * the parsed rows on the upload (status "checked") for the confirm step;
 * preview and apply read them from there. Nothing touches the roster.
 */
export async function checkUpload(actor: { id: string }, organisationId: string, fileName: string, bytes: Uint8Array): Promise<string> {
  const db = getDb();
  const teams = await db.select({ name: team.name }).from(team).where(eq(team.organizationId, organisationId));
  const parsed = parseStaffCsv(bytes, { existingTeams: teams.map((t) => t.name) });
  const [row] = await db
    .insert(staffImports)
    .values({
      organizationId: organisationId,
      createdBy: actor.id,
      fileName: fileName.slice(0, 200) || "upload.csv",
      status: parsed.ok ? "checked" : "failed",
      parsed: parsed.ok ? { rows: parsed.rows, rowErrors: parsed.rowErrors, warnings: parsed.warnings } : null,
      totalRows: parsed.totalRows,
      error: parsed.ok ? null : parsed.fileErrors.join(" "),
    })
    .returning({ id: staffImports.id });
  return row!.id;
}

async function loadImport(db: Executor, organisationId: string, importId: string, lock = false) {
  if (!/^[0-9a-f-]{36}$/i.test(importId)) return null;
  const query = db
    .select()
    .from(staffImports)
    .where(and(eq(staffImports.id, importId), eq(staffImports.organizationId, organisationId)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

/** The "check your answers" view of an upload, compared with the roster as it is now. */
export async function getImportPreview(organisationId: string, importId: string): Promise<ImportPreview | null> {
  const db = getDb();
  const row = await loadImport(db, organisationId, importId);
  if (!row) return null;
  const seats = await seatSummary(organisationId);
  const base = {
    id: row.id,
    fileName: row.fileName,
    status: row.status,
    totalRows: row.totalRows,
    summary: row.summary ?? null,
    error: row.error,
    createdAt: row.createdAt,
    seats,
    progress: row.status === "applying" ? { done: row.progressDone, total: row.progressTotal } : null,
    leftOut: asLeftOut(row.leftOut ?? []),
  };
  if (!row.parsed || row.status !== "checked") {
    return {
      ...base,
      fileErrors: row.status === "failed" && row.error ? [row.error] : [],
      warnings: [],
      counts: { invite: 0, update: 0, unchanged: 0, rejected: 0, newTeams: 0 },
      rejected: [],
      updates: [],
      newTeams: [],
      seatsNeeded: 0,
      fits: true,
      fit: null,
    };
  }
  const plan = await planImport(db, organisationId, row.parsed);
  const fits = plan.seatsNeeded <= seats.free;
  const fitted = fits ? null : fitPlanToSeats(plan, seats.free);
  return {
    ...base,
    fileErrors: [],
    warnings: row.parsed.warnings,
    counts: {
      invite: plan.invite.length,
      update: plan.update.length,
      unchanged: plan.unchanged.length,
      rejected: plan.rejected.length,
      newTeams: plan.newTeams.length,
    },
    rejected: plan.rejected.sort((a, b) => a.line - b.line),
    updates: plan.update.map((u) => ({ line: u.row.line, email: u.row.email, changes: u.changes })),
    newTeams: plan.newTeams,
    seatsNeeded: plan.seatsNeeded,
    fits,
    fit:
      fitted && fitted.plan.invite.length + fitted.plan.update.length > 0
        ? { invite: fitted.plan.invite.length, update: fitted.plan.update.length, leftOut: asLeftOut(fitted.leftOut) }
        : null,
  };
}

export class ImportStateError extends Error {}

/** Who pressed Apply: the import's audit entry and invitations are theirs. */
type ImportActor = { id: string; name: string; email?: string };

/**
 * Pressing Apply: fixes the plan against the roster as it is now, checks the
 * seats and creates the new teams, in one transaction, and queues the import
 * for the import job (status "applying"). The people themselves are written
 * by `runImportJobs`, outside the request. Throws SeatLimitError (nothing
 * changed) or ImportStateError (not waiting to be applied).
 *
 * With `fit`, the lead chose "apply the rows that fit": the plan is cut to
 * the seats free now, under the organisation's lock (fitPlanToSeats), and
 * the rows left out are kept on the upload to show and re-apply later.
 * Returns how many rows were left out.
 */
export async function requestApply(actor: ImportActor, organisationId: string, importId: string, options: { fit?: boolean } = {}): Promise<{ leftOut: number }> {
  let leftOutCount = 0;
  await getDb().transaction(async (tx) => {
    const row = await loadImport(tx, organisationId, importId, true);
    if (!row || row.status !== "checked" || !row.parsed) {
      throw new ImportStateError("This upload has already been applied or cancelled. Upload the file again to check it.");
    }
    let plan: ImportPlan;
    let leftOut: StaffCsvRow[] = [];
    if (options.fit) {
      // Lock first (a zero-seat check takes the organisation's lock), then count what is free.
      await assertSeatsAvailable(tx, organisationId, 0);
      const full = await planImport(tx, organisationId, row.parsed);
      ({ plan, leftOut } = fitPlanToSeats(full, (await seatSummary(organisationId, tx)).free));
      if (plan.invite.length + plan.update.length === 0) {
        throw new ImportStateError("No seats are free, so none of these rows can be applied. Ask for more seats, then apply the upload.");
      }
    } else {
      plan = await planImport(tx, organisationId, row.parsed);
      if (plan.seatsNeeded > 0) await assertSeatsAvailable(tx, organisationId, plan.seatsNeeded);
    }
    leftOutCount = leftOut.length;
    // Teams first, so every batch's rows can point at them.
    for (const name of plan.newTeams) {
      await tx.insert(team).values({ id: crypto.randomUUID(), name, organizationId: organisationId, createdAt: new Date(), updatedAt: new Date() });
    }
    const stored: StoredImportPlan = {
      invite: plan.invite,
      update: plan.update.map((u) => ({ row: u.row, personId: u.personId, accessChanged: u.changes.includes("access") })),
      unchanged: plan.unchanged.length,
      rejected: plan.rejected.length,
      newTeams: plan.newTeams,
    };
    await tx
      .update(staffImports)
      .set({
        status: "applying",
        plan: stored,
        parsed: null,
        appliedBy: { id: actor.id, name: actor.name, ...(actor.email ? { email: actor.email } : {}) },
        progressDone: 0,
        progressTotal: stored.invite.length + stored.update.length,
        leaseOwner: null,
        leaseExpiresAt: null,
        failures: 0,
        error: null,
        leftOut: leftOut.length ? leftOut : null,
      })
      .where(eq(staffImports.id, row.id));
  });
  requestImportWork();
  return { leftOut: leftOutCount };
}

/**
 * The rows an import left out for want of seats become a new upload, checked
 * against the roster as it is now (status "checked"): the lead sees its
 * preview and applies it as any other. Returns the new upload's id.
 */
export async function reapplyLeftOut(actor: { id: string }, organisationId: string, importId: string): Promise<string> {
  return getDb().transaction(async (tx) => {
    const row = await loadImport(tx, organisationId, importId, true);
    if (!row || row.status !== "applied" || !row.leftOut?.length) {
      throw new ImportStateError("The rows left out of this upload have already been checked again: see Recent uploads.");
    }
    // The rows move to the new upload (whose copy is dropped once applied), so
    // names and addresses are not kept twice, and not after they are applied.
    await tx.update(staffImports).set({ leftOut: null }).where(and(eq(staffImports.id, row.id), eq(staffImports.organizationId, organisationId)));
    return insertLeftOutUpload(tx, actor, organisationId, row.fileName, row.leftOut);
  });
}

async function insertLeftOutUpload(db: Executor, actor: { id: string }, organisationId: string, fileName: string, rows: StaffCsvRow[]): Promise<string> {
  const [created] = await db
    .insert(staffImports)
    .values({
      organizationId: organisationId,
      createdBy: actor.id,
      fileName: `${fileName.slice(0, 160)} (rows left out)`,
      status: "checked",
      parsed: { rows, rowErrors: [], warnings: [] },
      totalRows: rows.length,
    })
    .returning({ id: staffImports.id });
  return created!.id;
}

// ------------------------------------------------------------ the import job

/**
 * People per batch: each batch is one short transaction, and requests are
 * served between batches. On the embedded database a batch runs on the
 * server's own thread, so a request arriving meanwhile waits for the rest of
 * it: 250 made a lesson wait about a second on a busy machine (npm run bench import).
 */
export const IMPORT_BATCH = 100;
/**
 * How long a claim lasts without a batch renewing it; after that another instance takes the import over.
 * IMPORT_LEASE_SECONDS, 60 s unless set (the two-instance test shortens it).
 */
const importLeaseMs = () => getEnv().IMPORT_LEASE_SECONDS * 1000;
/** After this many failed batches (database errors) the import stops as failed. */
const MAX_BATCH_FAILURES = 5;
const RETRY_AFTER_FAILURE_MS = 30_000;

/** This process's name on the leases it takes. */
const INSTANCE = `${process.pid}-${crypto.randomUUID().slice(0, 8)}`;

/**
 * Claims the oldest import waiting to be applied whose lease is free or has
 * run out (its instance stopped), for `owner`. Any number of instances may
 * call this at once: the row is picked with FOR UPDATE SKIP LOCKED and the
 * lease re-checked under the lock, so exactly one wins.
 */
export async function claimImport(owner: string = INSTANCE, options: { now?: Date; leaseMs?: number } = {}): Promise<string | null> {
  const now = options.now ?? new Date();
  const db = getDb();
  const candidate = db
    .select({ id: staffImports.id })
    .from(staffImports)
    .where(and(eq(staffImports.status, "applying"), or(isNull(staffImports.leaseExpiresAt), lt(staffImports.leaseExpiresAt, now))))
    .orderBy(asc(staffImports.createdAt))
    .limit(1)
    .for("update", { skipLocked: true });
  // `id = (scalar subquery)`, evaluated once. Not `id in (subquery)`: PostgreSQL
  // may run that as a join and claim every waiting import at once.
  const [claimed] = await db
    .update(staffImports)
    .set({ leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + (options.leaseMs ?? importLeaseMs())) })
    .where(and(eq(staffImports.id, sql`(${candidate})`), eq(staffImports.status, "applying")))
    .returning({ id: staffImports.id });
  return claimed?.id ?? null;
}

export type BatchOutcome = { state: "continued" | "applied"; done: number; total: number } | { state: "lease-lost" };

/**
 * Applies the next batch of a claimed import in one transaction: its
 * people, invitations and (bulk) mails, and the progress count, commit
 * together, so a crash between batches loses nothing and repeats nothing.
 * The lease is checked and renewed under the row's lock first: an owner
 * whose lease was taken over writes nothing.
 */
export async function applyImportBatch(importId: string, owner: string = INSTANCE, options: { now?: Date; leaseMs?: number } = {}): Promise<BatchOutcome> {
  const now = options.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const [job] = await tx
      .update(staffImports)
      .set({ leaseExpiresAt: new Date(now.getTime() + (options.leaseMs ?? importLeaseMs())) })
      .where(and(eq(staffImports.id, importId), eq(staffImports.status, "applying"), eq(staffImports.leaseOwner, owner)))
      .returning();
    if (!job?.plan) return { state: "lease-lost" } as const;
    const { plan, organizationId: organisationId } = job;
    const actor: ImportActor = job.appliedBy ?? { id: job.createdBy, name: "A training lead" };
    const start = job.progressDone;
    const end = Math.min(job.progressTotal, start + IMPORT_BATCH);
    const invites = plan.invite.slice(start, Math.min(end, plan.invite.length));
    const updates = plan.update.slice(Math.max(0, start - plan.invite.length), Math.max(0, end - plan.invite.length));

    // Seats were checked when Apply was pressed; check each batch again, as
    // someone may have taken seats since (invitations hold theirs once written).
    const learners = invites.filter((r) => r.role === "member").length + updates.filter((u) => u.accessChanged && u.row.role === "member").length;
    if (learners > 0) await assertSeatsAvailable(tx, organisationId, learners);

    const teams = await tx.select({ id: team.id, name: team.name }).from(team).where(eq(team.organizationId, organisationId));
    const teamIds = new Map(teams.map((t) => [teamKey(t.name), t.id]));
    const teamFor = (row: StaffCsvRow) => (row.team ? (teamIds.get(teamKey(row.team)) ?? null) : null);
    await writeInvites(tx, organisationId, actor, invites, teamFor);
    for (const { row, personId } of updates) {
      await tx
        .update(people)
        .set({ name: row.name, staffNumber: row.staffNumber, rank: row.rank, ...(row.team ? { teamId: teamFor(row) } : {}), role: row.role, updatedAt: new Date() })
        .where(and(eq(people.id, personId), eq(people.organizationId, organisationId)));
    }
    await syncMembershipRoles(tx, organisationId, updates.filter((u) => u.accessChanged).map((u) => u.personId));

    if (end < job.progressTotal) {
      await tx.update(staffImports).set({ progressDone: end }).where(eq(staffImports.id, importId));
      return { state: "continued", done: end, total: job.progressTotal } as const;
    }
    const summary = {
      invited: plan.invite.length,
      updated: plan.update.length,
      unchanged: plan.unchanged,
      rejected: plan.rejected,
      teamsCreated: plan.newTeams.length,
      ...(job.leftOut?.length ? { leftOut: job.leftOut.length } : {}),
    };
    await tx
      .update(staffImports)
      .set({ status: "applied", progressDone: end, summary, plan: null, leaseOwner: null, leaseExpiresAt: null, error: null, finishedAt: new Date() })
      .where(eq(staffImports.id, importId));
    await audit(tx, { actor, action: "people.imported", organisationId, target: { type: "staff-import", id: importId }, details: summary });
    return { state: "applied", done: end, total: job.progressTotal } as const;
  });
}

/** Invites one batch: the roster rows, better-auth invitations and their mails (bulk priority). */
async function writeInvites(
  tx: Executor,
  organisationId: string,
  actor: ImportActor,
  batch: StaffCsvRow[],
  teamFor: (row: StaffCsvRow) => string | null,
): Promise<void> {
  if (batch.length === 0) return;
  const [org] = await tx.select({ name: organization.name }).from(organization).where(eq(organization.id, organisationId));
  const now = new Date();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 3600_000);
  const emails = batch.map((r) => r.email);
  // People who left come back as invited; everyone else is new.
  await tx
    .update(invitation)
    .set({ status: "canceled" })
    .where(and(eq(invitation.organizationId, organisationId), inArray(invitation.email, emails), eq(invitation.status, "pending")));
  await tx
    .insert(people)
    .values(
      batch.map((r) => ({
        organizationId: organisationId,
        email: r.email,
        name: r.name,
        staffNumber: r.staffNumber,
        rank: r.rank,
        teamId: teamFor(r),
        role: r.role,
        status: "invited" as const,
        invitedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [people.organizationId, people.email],
      set: {
        name: sqlExcluded("name"),
        staffNumber: sqlExcluded("staff_number"),
        rank: sqlExcluded("rank"),
        teamId: sqlExcluded("team_id"),
        role: sqlExcluded("role"),
        status: sqlExcluded("status"),
        invitedAt: sqlExcluded("invited_at"),
        leftAt: null,
        updatedAt: now,
      },
    });
  // Each link carries its own secret token; only its hash is stored (ADR 015).
  const tokens = batch.map(() => newInvitationToken());
  const invitations = batch.map((r, index) => ({
    id: crypto.randomUUID(),
    tokenHash: tokens[index]!.tokenHash,
    organizationId: organisationId,
    email: r.email,
    role: r.role,
    teamId: teamFor(r),
    status: "pending",
    expiresAt,
    inviterId: actor.id,
  }));
  await tx.insert(invitation).values(invitations);
  await enqueueBulkEmails(
    tx,
    invitations.map((_inv, index) => {
      const r = batch[index]!;
      return {
        to: r.email,
        subject: `${org?.name ?? "Your organisation"} has invited you to Distinct`,
        kind: "invitation",
        ...composeEmail({
          heading: `Join ${org?.name ?? "your organisation"} on Distinct`,
          paragraphs: [
            `Hello ${r.name},`,
            `${actor.name} has invited you to join ${org?.name ?? "their organisation"} on Distinct as a ${r.role === "admin" ? "training lead" : "learner"}. Distinct is training on recognising stalking and telling it apart from harassment and malicious communications.`,
            `Accept the invitation to create your account (or sign in) and see the training assigned to you. The link works for ${INVITATION_DAYS} days.`,
          ],
          action: { label: "Accept the invitation", url: invitationUrl(tokens[index]!.token) },
        }),
      };
    }),
  );
}

/**
 * Applies every import waiting (or whose instance stopped), batch by batch,
 * yielding to the event loop between batches so this process keeps serving
 * requests. Safe on every instance at once: each import is applied by the
 * holder of its lease only. Returns how many imports it finished.
 */
export async function runImportJobs(options: { owner?: string; leaseMs?: number } = {}): Promise<{ applied: number; batches: number }> {
  const owner = options.owner ?? INSTANCE;
  let applied = 0;
  let batches = 0;
  for (let importId = await claimImport(owner, options); importId; importId = await claimImport(owner, options)) {
    for (;;) {
      let outcome: BatchOutcome;
      try {
        outcome = await applyImportBatch(importId, owner, options);
      } catch (error) {
        await recordBatchFailure(importId, owner, error);
        break;
      }
      batches++;
      if (outcome.state === "applied") applied++;
      if (outcome.state !== "continued") break;
      await yieldToRequests();
    }
  }
  return { applied, batches };
}

/**
 * A batch failed and rolled back. A seat shortage stops the import (the
 * batches before it stay applied, as the message says); another error (the
 * database restarting) is retried after a pause, a few times.
 */
async function recordBatchFailure(importId: string, owner: string, error: unknown): Promise<void> {
  const db = getDb();
  const [row] = await db
    .select({ failures: staffImports.failures, done: staffImports.progressDone, total: staffImports.progressTotal })
    .from(staffImports)
    .where(and(eq(staffImports.id, importId), eq(staffImports.leaseOwner, owner)));
  if (!row) return;
  const failures = row.failures + 1;
  const stopped = `The import stopped after ${row.done.toLocaleString("en-GB")} of ${row.total.toLocaleString("en-GB")} people.`;
  const seats = error instanceof SeatLimitError;
  const give = seats || failures >= MAX_BATCH_FAILURES;
  if (!seats) log.error("import batch failed", { importId, failures, error });
  await db
    .update(staffImports)
    .set(
      give
        ? {
            status: "failed",
            failures,
            plan: null,
            leaseOwner: null,
            leaseExpiresAt: null,
            finishedAt: new Date(),
            error: `${stopped} ${seats ? error.message : "It could not be finished."} Upload the file again to add the rest: the people already added show as unchanged.`,
          }
        : { failures, leaseOwner: null, leaseExpiresAt: new Date(Date.now() + RETRY_AFTER_FAILURE_MS), error: `${stopped} Trying again shortly.` },
    )
    .where(and(eq(staffImports.id, importId), eq(staffImports.leaseOwner, owner)));
}

// After Apply, start the import job in this process at once rather than at
// the next job tick. The server installs this; elsewhere the jobs pick it up.
let importRequested: (() => void) | undefined;
export function onImportRequested(callback: (() => void) | undefined) {
  importRequested = callback;
}
function requestImportWork() {
  importRequested?.();
}

/**
 * Applies an upload now, in this process, and returns its summary: Apply and
 * the job in one call, for command-line tools and benchmarks. The server
 * itself calls requestApply and lets the job run.
 */
export async function applyImport(actor: ImportActor, organisationId: string, importId: string): Promise<Record<string, number>> {
  await requestApply(actor, organisationId, importId);
  await runImportJobs();
  const row = await loadImport(getDb(), organisationId, importId);
  if (row?.status !== "applied" || !row.summary) throw new Error(row?.error ?? "The import was not applied");
  return row.summary;
}

/** Keeps better-auth's membership role in step with the roster for people whose access changed. */
async function syncMembershipRoles(tx: Executor, organisationId: string, personIds: string[]) {
  if (personIds.length === 0) return;
  const rows = await tx
    .select({ userId: people.userId, role: people.role })
    .from(people)
    .where(and(eq(people.organizationId, organisationId), inArray(people.id, personIds)));
  for (const r of rows) {
    if (!r.userId) continue;
    await tx.update(member).set({ role: r.role }).where(and(eq(member.organizationId, organisationId), eq(member.userId, r.userId)));
  }
}

/** In an upsert, the value the row would have been inserted with. */
const sqlExcluded = (column: string) => sql.raw(`excluded.${column}`);

/** Recent uploads for the People page. */
export async function listImports(organisationId: string) {
  return getDb()
    .select({
      id: staffImports.id,
      fileName: staffImports.fileName,
      status: staffImports.status,
      totalRows: staffImports.totalRows,
      summary: staffImports.summary,
      createdAt: staffImports.createdAt,
    })
    .from(staffImports)
    .where(eq(staffImports.organizationId, organisationId))
    .orderBy(desc(staffImports.createdAt))
    .limit(10);
}

export async function cancelImport(organisationId: string, importId: string): Promise<void> {
  await getDb()
    .delete(staffImports)
    .where(and(eq(staffImports.id, importId), eq(staffImports.organizationId, organisationId), eq(staffImports.status, "checked")));
}

/**
 * At start with the embedded database: only this process can open it, so any
 * lease on an import is left by this process's previous run. Free them, so
 * the import carries on from its progress now instead of after the lease
 * runs out. (On PostgreSQL another instance may hold a lease: it is left to
 * run out.)
 */
export async function releaseEmbeddedImportLeases(): Promise<void> {
  await getDb()
    .update(staffImports)
    .set({ leaseOwner: null, leaseExpiresAt: null })
    .where(eq(staffImports.status, "applying"));
}
