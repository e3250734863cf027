import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { emailOutbox, invitation, member, organization, people, staffImports, team } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/utils/audit.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { composeEmail, requestMailDrain } from "#app/utils/email.server.ts";
import { newInvitationToken } from "#app/utils/invitation-token.server.ts";
import { createLogger } from "#app/utils/logger.server.ts";
import { parseStaffCsv, type StaffCsvResult, type StaffCsvRow, type StaffCsvRowError } from "#app/utils/staff-csv.ts";
import { assertSeatsAvailable, seatSummary, SeatLimitError, type SeatSummary } from "./licence.server.ts";
import { INVITATION_DAYS, invitationUrl } from "./people.server.ts";

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

const teamKey = (name: string) => name.normalize("NFC").replace(/\s+/g, " ").trim().toLocaleLowerCase("en-GB");

/**
 * Compares checked rows with the roster, without writing: who would be
 * invited, updated or left unchanged, and what clashes with people already
 * there (a staff number in use by someone else). Idempotent by email: the
 * same file again plans no change.
 */
async function planImport(db: Executor, organizationId: string, parsed: StaffCsvResult): Promise<ImportPlan> {
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
        .where(eq(people.organizationId, organizationId))
    : [];
  const roster: Roster = new Map(rosterRows.map((r) => [r.email, r]));
  const staffOwner = new Map(rosterRows.filter((r) => r.staffNumber).map((r) => [r.staffNumber!, r]));
  const teams = await db.select({ id: team.id, name: team.name }).from(team).where(eq(team.organizationId, organizationId));
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
  summary: Record<string, number> | null;
  error: string | null;
  createdAt: Date;
};

/**
 * Checks an uploaded file: parses and validates every row, compares with the
 * roster and seats. Nothing touches the roster; the upload is kept (status
 * "checked") for the confirm step.
 */
export async function checkUpload(actor: { id: string }, organizationId: string, fileName: string, bytes: Uint8Array): Promise<string> {
  const db = getDb();
  const teams = await db.select({ name: team.name }).from(team).where(eq(team.organizationId, organizationId));
  const parsed = parseStaffCsv(bytes, { existingTeams: teams.map((t) => t.name) });
  const text = parsed.ok ? new TextDecoder().decode(bytes) : null;
  const [row] = await db
    .insert(staffImports)
    .values({
      organizationId,
      createdBy: actor.id,
      fileName: fileName.slice(0, 200) || "upload.csv",
      status: parsed.ok ? "checked" : "failed",
      csv: text,
      totalRows: parsed.totalRows,
      error: parsed.ok ? null : parsed.fileErrors.join(" "),
    })
    .returning({ id: staffImports.id });
  return row!.id;
}

async function loadImport(db: Executor, organizationId: string, importId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(importId)) return null;
  const [row] = await db
    .select()
    .from(staffImports)
    .where(and(eq(staffImports.id, importId), eq(staffImports.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

async function parseStored(db: Executor, organizationId: string, csv: string) {
  const teams = await db.select({ name: team.name }).from(team).where(eq(team.organizationId, organizationId));
  return parseStaffCsv(csv, { existingTeams: teams.map((t) => t.name) });
}

/** The "check your answers" view of an upload, recomputed against the roster as it is now. */
export async function getImportPreview(organizationId: string, importId: string): Promise<ImportPreview | null> {
  const db = getDb();
  const row = await loadImport(db, organizationId, importId);
  if (!row) return null;
  const seats = await seatSummary(organizationId);
  const base = {
    id: row.id,
    fileName: row.fileName,
    status: row.status,
    totalRows: row.totalRows,
    summary: row.summary ?? null,
    error: row.error,
    createdAt: row.createdAt,
    seats,
  };
  if (!row.csv || row.status !== "checked") {
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
    };
  }
  const parsed = await parseStored(db, organizationId, row.csv);
  const plan = await planImport(db, organizationId, parsed);
  return {
    ...base,
    fileErrors: parsed.fileErrors,
    warnings: parsed.warnings,
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
    fits: plan.seatsNeeded <= seats.free,
  };
}

// Progress of imports being applied in this process (rows done), for the progress page.
const progress = new Map<string, { done: number; total: number }>();
export function importProgress(importId: string) {
  return progress.get(importId) ?? null;
}

const BATCH = 500;

/**
 * Applies a checked upload: every valid row in ONE transaction (all or
 * nothing), after re-checking against the roster and the seats. Invites are
 * written in batches with their mails; the summary is stored on the upload.
 */
export async function applyImport(actor: AuditActor & { id: string; name: string }, organizationId: string, importId: string): Promise<Record<string, number>> {
  const db = getDb();
  const claimed = await db
    .update(staffImports)
    .set({ status: "applying" })
    .where(and(eq(staffImports.id, importId), eq(staffImports.organizationId, organizationId), eq(staffImports.status, "checked")))
    .returning({ csv: staffImports.csv });
  const csv = claimed[0]?.csv;
  if (!csv) throw new ImportStateError("This upload has already been applied or cancelled. Upload the file again to check it.");
  try {
    const summary = await db.transaction(async (tx) => {
      const parsed = await parseStored(tx, organizationId, csv);
      const plan = await planImport(tx, organizationId, parsed);
      if (plan.seatsNeeded > 0) await assertSeatsAvailable(tx, organizationId, plan.seatsNeeded);
      const total = plan.invite.length + plan.update.length;
      let done = 0;
      progress.set(importId, { done, total });
      const tick = (n: number) => {
        done += n;
        progress.set(importId, { done, total });
      };

      // Teams first, so rows can point at them.
      const teamIds = new Map<string, string>();
      const teams = await tx.select({ id: team.id, name: team.name }).from(team).where(eq(team.organizationId, organizationId));
      for (const t of teams) teamIds.set(teamKey(t.name), t.id);
      for (const name of plan.newTeams) {
        const id = crypto.randomUUID();
        await tx.insert(team).values({ id, name, organizationId, createdAt: new Date(), updatedAt: new Date() });
        teamIds.set(teamKey(name), id);
      }
      const teamFor = (row: StaffCsvRow) => (row.team ? (teamIds.get(teamKey(row.team)) ?? null) : null);

      const [org] = await tx.select({ name: organization.name }).from(organization).where(eq(organization.id, organizationId));
      const now = new Date();
      const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 3600_000);
      for (let i = 0; i < plan.invite.length; i += BATCH) {
        const batch = plan.invite.slice(i, i + BATCH);
        const emails = batch.map((r) => r.email);
        // People who left come back as invited; everyone else is new.
        await tx
          .update(invitation)
          .set({ status: "canceled" })
          .where(and(eq(invitation.organizationId, organizationId), inArray(invitation.email, emails), eq(invitation.status, "pending")));
        await tx
          .insert(people)
          .values(
            batch.map((r) => ({
              organizationId,
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
        // Each link carries its own secret token; only its hash is stored.
        const tokens = batch.map(() => newInvitationToken());
        const invitations = batch.map((r, index) => ({
          id: crypto.randomUUID(),
          tokenHash: tokens[index]!.tokenHash,
          organizationId,
          email: r.email,
          role: r.role,
          teamId: teamFor(r),
          status: "pending",
          expiresAt,
          inviterId: actor.id,
        }));
        await tx.insert(invitation).values(invitations);
        await tx.insert(emailOutbox).values(
          invitations.map((_inv, index) => {
            const r = batch[index]!;
            const mail = composeEmail({
              heading: `Join ${org?.name ?? "your organisation"} on Distinct`,
              paragraphs: [
                `Hello ${r.name},`,
                `${actor.name} has invited you to join ${org?.name ?? "their organisation"} on Distinct as a ${r.role === "admin" ? "training lead" : "learner"}. Distinct is training on recognising stalking and telling it apart from harassment and malicious communications.`,
                `Accept the invitation to create your account (or sign in) and see the training assigned to you. The link works for ${INVITATION_DAYS} days.`,
              ],
              action: { label: "Accept the invitation", url: invitationUrl(tokens[index]!.token) },
            });
            return {
              recipient: r.email,
              subject: `${org?.name ?? "Your organisation"} has invited you to Distinct`,
              text: mail.text,
              html: mail.html,
              kind: "invitation",
            };
          }),
        );
        tick(batch.length);
      }

      for (const { row, personId } of plan.update) {
        await tx
          .update(people)
          .set({ name: row.name, staffNumber: row.staffNumber, rank: row.rank, ...(row.team ? { teamId: teamFor(row) } : {}), role: row.role, updatedAt: now })
          .where(and(eq(people.id, personId), eq(people.organizationId, organizationId)));
        tick(1);
      }
      await syncMembershipRoles(tx, organizationId, plan.update.filter((u) => u.changes.includes("access")).map((u) => u.personId));

      const summary = {
        invited: plan.invite.length,
        updated: plan.update.length,
        unchanged: plan.unchanged.length,
        rejected: plan.rejected.length,
        teamsCreated: plan.newTeams.length,
      };
      await tx.update(staffImports).set({ status: "applied", summary, csv: null, finishedAt: now }).where(eq(staffImports.id, importId));
      await audit(tx, { actor, action: "people.imported", organizationId, target: { type: "staff-import", id: importId }, details: summary });
      return summary;
    });
    progress.delete(importId);
    // The invitations were written straight into the outbox: send them now rather than at the next job run.
    requestMailDrain();
    return summary;
  } catch (error) {
    progress.delete(importId);
    const message = error instanceof SeatLimitError ? error.message : "The import could not be applied. Nothing was changed. Try again.";
    await db.update(staffImports).set({ status: "checked", error: message }).where(eq(staffImports.id, importId));
    if (!(error instanceof SeatLimitError)) log.error("import failed", { importId, error });
    throw error;
  }
}

export class ImportStateError extends Error {}

/** Keeps better-auth's membership role in step with the roster for people whose access changed. */
async function syncMembershipRoles(tx: Executor, organizationId: string, personIds: string[]) {
  if (personIds.length === 0) return;
  const rows = await tx
    .select({ userId: people.userId, role: people.role })
    .from(people)
    .where(and(eq(people.organizationId, organizationId), inArray(people.id, personIds)));
  for (const r of rows) {
    if (!r.userId) continue;
    await tx.update(member).set({ role: r.role }).where(and(eq(member.organizationId, organizationId), eq(member.userId, r.userId)));
  }
}

/** In an upsert, the value the row would have been inserted with. */
const sqlExcluded = (column: string) => sql.raw(`excluded.${column}`);

/** Recent uploads for the People page. */
export async function listImports(organizationId: string) {
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
    .where(eq(staffImports.organizationId, organizationId))
    .orderBy(desc(staffImports.createdAt))
    .limit(10);
}

/** Starts applying in the background; the progress page follows it. */
export function startApplyingImport(actor: AuditActor & { id: string; name: string }, organizationId: string, importId: string): void {
  applyImport(actor, organizationId, importId).catch(() => {
    // The error is stored on the upload for the page; seat problems are expected, others are logged there.
  });
}

export async function cancelImport(organizationId: string, importId: string): Promise<void> {
  await getDb()
    .delete(staffImports)
    .where(and(eq(staffImports.id, importId), eq(staffImports.organizationId, organizationId), eq(staffImports.status, "checked")));
}

/**
 * At start: an upload left "applying" by a process that stopped was rolled
 * back by the database; mark it checked again so it can be applied.
 */
export async function recoverInterruptedImports(): Promise<void> {
  await getDb()
    .update(staffImports)
    .set({ status: "checked", error: "The server restarted while this was being applied. Nothing was changed: apply it again." })
    .where(eq(staffImports.status, "applying"));
}
