import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { licences, organization, people, user } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";
import { endOfLondonDay, MAX_LICENCE_YEARS, startOfLondonDay } from "#app/utils/billing-validation.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { getEnv } from "#app/services/env.server.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import type { SeatSummary, LicenceStatus } from "#app/utils/views/seats.ts";

export type { SeatSummary, LicenceStatus };

/**
 * Seat licences of an organisation (docs/decisions/010-no-licence-state.md).
 *
 * A licence row is a number of learner seats for a period, granted by a
 * platform admin against a purchase order ("manual") or bought by card
 * ("stripe", one row per Stripe subscription). Manual rows are never changed
 * in place: a change ends one row (`endedAt`) and starts another, so the
 * history shows what the organisation had and when. The seats an
 * organisation has now are the sum of the rows in force now.
 */

/** Learners an organisation that has never had a licence may add, to try the service. */
export const TRIAL_SEATS = 5;


type LicenceRow = typeof licences.$inferSelect;

/** Stripe subscription statuses whose seats count. past_due: a payment failed, Stripe is retrying. */
const GRANTING_STRIPE_STATUSES = new Set(["active", "trialing", "past_due"]);
/** Statuses from which a subscription never comes back. */
export const ENDED_STRIPE_STATUSES = new Set(["canceled", "incomplete_expired"]);
/** Statuses of a subscription that was never paid for: it never counted as a licence. */
const NEVER_PAID_STATUSES = new Set(["incomplete", "incomplete_expired"]);

function grantsSeats(row: LicenceRow): boolean {
  return row.source === "manual" || GRANTING_STRIPE_STATUSES.has(row.stripeStatus ?? "");
}

function inForce(row: LicenceRow, now: Date): boolean {
  return !row.endedAt && grantsSeats(row) && row.validFrom <= now && row.validUntil > now;
}

/** Whether a licence ever gave the organisation seats (so its absence now means "expired", not "trial"). */
function hasBeenInForce(row: LicenceRow, now: Date): boolean {
  if (row.source === "stripe" && NEVER_PAID_STATUSES.has(row.stripeStatus ?? "")) return false;
  return row.validFrom <= now && (!row.endedAt || row.endedAt > row.validFrom);
}

function summarise(rows: LicenceRow[], used: number, reserved: number, now: Date): SeatSummary {
  const current = rows.filter((r) => inForce(r, now)).sort((a, b) => a.validUntil.getTime() - b.validUntil.getTime());
  const paymentFailed = rows.some(
    (r) => r.source === "stripe" && !r.endedAt && !!r.paymentFailedAt && !ENDED_STRIPE_STATUSES.has(r.stripeStatus ?? ""),
  );
  const counts = { used, reserved, paymentFailed };
  const first = current[0];
  if (first) {
    const seats = current.reduce((sum, r) => sum + r.seats, 0);
    return {
      state: "licensed",
      seats,
      ...counts,
      free: Math.max(0, seats - used - reserved),
      validUntil: first.validUntil,
      source: first.source,
    };
  }
  const past = rows.filter((r) => hasBeenInForce(r, now));
  if (past.length > 0) {
    const last = past.reduce((a, b) => (licenceEnd(b) > licenceEnd(a) ? b : a));
    return { state: "expired", seats: 0, ...counts, free: 0, validUntil: licenceEnd(last), source: last.source };
  }
  return {
    state: "trial",
    seats: TRIAL_SEATS,
    ...counts,
    free: Math.max(0, TRIAL_SEATS - used - reserved),
    validUntil: null,
    source: null,
  };
}

/** When a licence stopped giving seats: its end date, or earlier if it was ended. */
function licenceEnd(row: LicenceRow): Date {
  return row.endedAt && row.endedAt < row.validUntil ? row.endedAt : row.validUntil;
}

/**
 * Who a training lead asks for seats (purchase orders, more seats): the
 * configured SUPPORT_EMAIL, or else the platform administrators, who record
 * licences. Never empty once the first administrator exists.
 */
export async function seatContacts(): Promise<string[]> {
  const configured = getEnv().SUPPORT_EMAIL;
  if (configured) return [configured];
  const admins = await getDb().select({ email: user.email }).from(user).where(eq(user.role, "admin")).orderBy(user.createdAt).limit(3);
  return admins.map((a) => a.email);
}

/** The organisation's seats now: how many, how many taken, and by what licence. */
export async function seatSummary(organisationId: string, db: Executor = getDb()): Promise<SeatSummary> {
  const rows = await db.select().from(licences).where(eq(licences.organizationId, organisationId));
  const counts = await db
    .select({ status: people.status, count: sql<number>`count(*)::int` })
    .from(people)
    .where(and(eq(people.organizationId, organisationId), eq(people.role, "member"), inArray(people.status, ["active", "invited"])))
    .groupBy(people.status);
  const used = counts.find((c) => c.status === "active")?.count ?? 0;
  const reserved = counts.find((c) => c.status === "invited")?.count ?? 0;
  return summarise(rows, used, reserved, new Date());
}

/** Thrown by assertSeatsAvailable: the message says, in plain words, what is full and what to do. */
export class SeatLimitError extends Error {
  constructor(
    readonly summary: SeatSummary,
    readonly requested: number,
  ) {
    super(seatLimitMessage(summary, requested));
    this.name = "SeatLimitError";
  }
}

function seatLimitMessage(s: SeatSummary, requested: number): string {
  const more = plural(requested, "more learner");
  if (s.state === "expired") {
    return (
      `The organisation's licence ended${s.validUntil ? ` on ${formatDate(s.validUntil)}` : ""}. ` +
      `Learners already added keep learning, but no one new can be added. To add ${more}, buy seats under Seats and billing.`
    );
  }
  const taken = `${plural(s.used, "learner")}, ${plural(s.reserved, "invitation")} waiting`;
  const allowance = s.state === "trial" ? `The free trial allows ${plural(s.seats, "learner")}: ` : "";
  const full =
    s.free === 0
      ? `All ${plural(s.seats, "seat")} are taken (${taken}).`
      : `Only ${s.free.toLocaleString("en-GB")} of ${plural(s.seats, "seat")} ${s.free === 1 ? "is" : "are"} free (${taken}).`;
  const sentence = allowance ? `${allowance}${full.charAt(0).toLowerCase()}${full.slice(1)}` : full;
  return `${sentence} To add ${more}, buy more seats under Seats and billing, withdraw invitations, or remove people who have left.`;
}

/**
 * Inside the caller's transaction: locks the organisation row (SELECT ... FOR
 * UPDATE on organization) so two imports cannot both take the last seats,
 * then throws SeatLimitError if `additional` more learners do not fit.
 *
 * Call it before reading anything the check depends on, in a READ COMMITTED
 * transaction (the default): the lock waits for any other transaction adding
 * learners to this organisation, and the count that follows sees its rows.
 * The lock is held until the caller commits, so insert the people in the same
 * transaction.
 */
export async function assertSeatsAvailable(tx: Executor, organisationId: string, additional: number): Promise<void> {
  const [org] = await tx.select({ id: organization.id }).from(organization).where(eq(organization.id, organisationId)).for("update");
  if (!org) throw new Error(`There is no organisation ${organisationId}`);
  if (additional <= 0) return;
  const summary = await seatSummary(organisationId, tx);
  if (additional > summary.free) throw new SeatLimitError(summary, additional);
}

// ------------------------------------------------------------ history


function licenceStatus(row: LicenceRow, now: Date): LicenceStatus {
  if (row.endedAt) {
    if (row.source === "stripe" && row.stripeStatus === "canceled")
      return { tone: "neutral", label: `Cancelled ${formatDate(row.endedAt)}` };
    return { tone: "neutral", label: `Ended ${formatDate(row.endedAt)}` };
  }
  if (row.source === "stripe") {
    if (row.stripeStatus === "incomplete") return { tone: "warning", label: "Waiting for payment" };
    if (row.stripeStatus === "unpaid") return { tone: "danger", label: "Unpaid: no seats" };
    if (row.stripeStatus === "paused") return { tone: "warning", label: "Paused: no seats" };
    if (!grantsSeats(row)) return { tone: "neutral", label: row.stripeStatus ?? "Unknown" };
  }
  if (row.validUntil <= now) return { tone: "danger", label: `Expired ${formatDate(row.validUntil)}` };
  if (row.validFrom > now) return { tone: "info", label: `Starts ${formatDate(row.validFrom)}` };
  if (row.paymentFailedAt) return { tone: "warning", label: "Current: payment failed" };
  return { tone: "success", label: "Current" };
}

export type LicenceView = {
  id: string;
  seats: number;
  validFrom: Date;
  validUntil: Date;
  source: "manual" | "stripe";
  purchaseOrder: string | null;
  note: string | null;
  createdAt: Date;
  createdByName: string | null;
  status: LicenceStatus;
  /** A manual licence not yet ended: a platform admin may extend, resize or end it. */
  changeable: boolean;
};

/** Every licence the organisation has had, newest first. */
export async function listLicences(organisationId: string, db: Executor = getDb()): Promise<LicenceView[]> {
  const rows = await db
    .select({ licence: licences, createdByName: user.name })
    .from(licences)
    .leftJoin(user, eq(user.id, licences.createdBy))
    .where(eq(licences.organizationId, organisationId))
    .orderBy(desc(licences.createdAt), desc(licences.validFrom));
  const now = new Date();
  return rows.map(({ licence: r, createdByName }) => ({
    id: r.id,
    seats: r.seats,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
    source: r.source,
    purchaseOrder: r.purchaseOrder,
    note: r.note,
    createdAt: r.createdAt,
    createdByName: r.source === "stripe" ? null : createdByName ?? null,
    status: licenceStatus(r, now),
    changeable: r.source === "manual" && !r.endedAt,
  }));
}

// ------------------------------------------------------------ manual licences (platform admins)

/** Bad input the form could not know about (dates relative to the licence, a licence changed meanwhile). */
export class LicenceInputError extends Error {
  constructor(
    /** The form field at fault, or "" for the form as a whole. */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "LicenceInputError";
  }
}

export class LicenceNotFoundError extends Error {
  constructor() {
    super("This organisation has no such licence.");
    this.name = "LicenceNotFoundError";
  }
}

type Actor = Exclude<AuditActor, "system">;

async function lockOrganisation(tx: Executor, organisationId: string) {
  const [org] = await tx.select({ id: organization.id }).from(organization).where(eq(organization.id, organisationId)).for("update");
  if (!org) throw new LicenceNotFoundError();
}

/** The manual licence to change, locked, still current; otherwise a clear reason. */
async function lockChangeableLicence(tx: Executor, organisationId: string, licenceId: string): Promise<LicenceRow> {
  await lockOrganisation(tx, organisationId);
  const [row] = await tx
    .select()
    .from(licences)
    .where(and(eq(licences.id, licenceId), eq(licences.organizationId, organisationId)))
    .for("update");
  if (!row) throw new LicenceNotFoundError();
  if (row.source !== "manual") {
    throw new LicenceInputError(
      "",
      "This licence was bought by card: it changes only through Stripe (the training lead's Manage billing).",
    );
  }
  if (row.endedAt) {
    throw new LicenceInputError(
      "",
      `This licence was already ended or changed on ${formatDate(row.endedAt)}. Go back to the licences to see the current one.`,
    );
  }
  return row;
}

function checkLength(validFrom: Date, validUntil: Date, field: string) {
  const limit = new Date(validFrom);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_LICENCE_YEARS);
  if (validUntil > limit) throw new LicenceInputError(field, `A licence can run for at most ${MAX_LICENCE_YEARS} years from its start`);
}

/** Grants seats against a purchase order (or none), audited. Returns the new licence's id. */
export async function grantLicence(
  actor: Actor,
  organisationId: string,
  input: { seats: number; validFrom: string; validUntil: string; purchaseOrder?: string; note?: string },
): Promise<string> {
  const validFrom = startOfLondonDay(input.validFrom);
  const validUntil = endOfLondonDay(input.validUntil);
  if (validUntil <= new Date()) throw new LicenceInputError("validUntil", "The end date must be today or later");
  if (validUntil <= validFrom) throw new LicenceInputError("validUntil", "The end date must be the same as or after the start date");
  checkLength(validFrom, validUntil, "validUntil");
  return getDb().transaction(async (tx) => {
    await lockOrganisation(tx, organisationId);
    const [row] = await tx
      .insert(licences)
      .values({
        organizationId: organisationId,
        seats: input.seats,
        validFrom,
        validUntil,
        source: "manual",
        purchaseOrder: input.purchaseOrder || null,
        note: input.note || null,
        createdBy: actor.id,
      })
      .returning({ id: licences.id });
    if (!row) throw new Error("The licence was not saved");
    await audit(tx, {
      actor,
      action: "licence.granted",
      organisationId,
      target: { type: "licence", id: row.id },
      details: {
        seats: input.seats,
        validFrom: validFrom.toISOString(),
        validUntil: validUntil.toISOString(),
        purchaseOrder: input.purchaseOrder || null,
      },
    });
    return row.id;
  });
}

/**
 * Ends `old` now and starts its successor from now (or from its own start, if
 * it has not started), so the history never shows two rows for one moment.
 */
async function replaceLicence(
  tx: Executor,
  actor: Actor,
  old: LicenceRow,
  changes: { seats: number; validUntil: Date; purchaseOrder: string | null; note: string },
): Promise<string> {
  const now = new Date();
  await tx.update(licences).set({ endedAt: now }).where(eq(licences.id, old.id));
  const [row] = await tx
    .insert(licences)
    .values({
      organizationId: old.organizationId,
      seats: changes.seats,
      validFrom: old.validFrom > now ? old.validFrom : now,
      validUntil: changes.validUntil,
      source: "manual",
      purchaseOrder: changes.purchaseOrder,
      note: changes.note,
      createdBy: actor.id,
    })
    .returning({ id: licences.id });
  if (!row) throw new Error("The licence was not saved");
  return row.id;
}

/** Moves a manual licence's end date later (a renewal), audited. Returns the new row's id. */
export async function extendLicence(
  actor: Actor,
  organisationId: string,
  licenceId: string,
  input: { validUntil: string; purchaseOrder?: string },
): Promise<string> {
  const validUntil = endOfLondonDay(input.validUntil);
  return getDb().transaction(async (tx) => {
    const old = await lockChangeableLicence(tx, organisationId, licenceId);
    if (validUntil <= old.validUntil) {
      throw new LicenceInputError("validUntil", `The new end date must be after the current one, ${formatDate(old.validUntil)}`);
    }
    if (validUntil <= new Date()) throw new LicenceInputError("validUntil", "The new end date must be today or later");
    checkLength(old.validFrom, validUntil, "validUntil");
    const purchaseOrder = input.purchaseOrder || old.purchaseOrder;
    const id = await replaceLicence(tx, actor, old, {
      seats: old.seats,
      validUntil,
      purchaseOrder,
      note: `Extended from ${formatDate(old.validUntil)} to ${formatDate(validUntil)}`,
    });
    await audit(tx, {
      actor,
      action: "licence.extended",
      organisationId,
      target: { type: "licence", id },
      details: { replaces: old.id, seats: old.seats, from: old.validUntil.toISOString(), to: validUntil.toISOString(), purchaseOrder },
    });
    return id;
  });
}

/** Changes a manual licence's seats from now on, audited. Returns the new row's id. */
export async function changeLicenceSeats(
  actor: Actor,
  organisationId: string,
  licenceId: string,
  input: { seats: number; purchaseOrder?: string },
): Promise<string> {
  return getDb().transaction(async (tx) => {
    const old = await lockChangeableLicence(tx, organisationId, licenceId);
    if (input.seats === old.seats) throw new LicenceInputError("seats", `This licence already has ${plural(old.seats, "seat")}`);
    if (old.validUntil <= new Date()) {
      throw new LicenceInputError("", `This licence expired on ${formatDate(old.validUntil)}: extend it, or grant a new one.`);
    }
    const purchaseOrder = input.purchaseOrder || old.purchaseOrder;
    const id = await replaceLicence(tx, actor, old, {
      seats: input.seats,
      validUntil: old.validUntil,
      purchaseOrder,
      note: `Seats changed from ${old.seats.toLocaleString("en-GB")} to ${input.seats.toLocaleString("en-GB")}`,
    });
    await audit(tx, {
      actor,
      action: "licence.seats-changed",
      organisationId,
      target: { type: "licence", id },
      details: { replaces: old.id, from: old.seats, to: input.seats, purchaseOrder },
    });
    return id;
  });
}

/** Ends a manual licence now (granted in error, contract ended), audited with the reason. */
export async function endLicence(actor: Actor, organisationId: string, licenceId: string, input: { reason: string }): Promise<void> {
  await getDb().transaction(async (tx) => {
    const old = await lockChangeableLicence(tx, organisationId, licenceId);
    await tx.update(licences).set({ endedAt: new Date() }).where(eq(licences.id, old.id));
    await audit(tx, {
      actor,
      action: "licence.ended",
      organisationId,
      target: { type: "licence", id: old.id },
      details: { seats: old.seats, validUntil: old.validUntil.toISOString(), reason: input.reason },
    });
  });
}
