import { and, asc, count, desc, eq } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { organization, seatRequests, user } from "#db/schema/index.ts";
import { audit } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { enqueueEmail } from "#app/models/platform/email.server.ts";
import { composeEmail } from "#app/utils/email-templates.ts";
import { getEnv } from "#app/services/env.server.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { seatSummary, type SeatSummary } from "./licence.server.ts";

/**
 * Requests for more seats (issue 15, ADR 033). A training lead asks from the
 * billing page or a staff-list preview; the request is stored, audited and
 * mailed once to the people who grant seats (the platform administrators and
 * SUPPORT_EMAIL). An organisation has at most one open request: asking again
 * while it is open changes that request (figure and message) and mails no
 * one again. A platform admin marks it handled with a note, which is mailed
 * to the lead who asked.
 */

type Lead = { id: string; name: string; email: string };
type Admin = { id: string; name: string; email?: string };
type Organisation = { id: string; name: string; slug: string };

export type SeatRequestView = {
  id: string;
  seats: number;
  message: string | null;
  status: "open" | "handled";
  requestedByName: string;
  requestedByEmail: string;
  source: "billing" | "import";
  createdAt: Date;
  updatedAt: Date;
  handledAt: Date | null;
  handledByName: string | null;
  handledNote: string | null;
};

const viewColumns = {
  id: seatRequests.id,
  seats: seatRequests.seats,
  message: seatRequests.message,
  status: seatRequests.status,
  requestedByName: seatRequests.requestedByName,
  requestedByEmail: seatRequests.requestedByEmail,
  source: seatRequests.source,
  createdAt: seatRequests.createdAt,
  updatedAt: seatRequests.updatedAt,
  handledAt: seatRequests.handledAt,
  handledByName: seatRequests.handledByName,
  handledNote: seatRequests.handledNote,
};

/** Who is mailed a new request: every platform administrator and SUPPORT_EMAIL, each once. */
async function seatRequestRecipients(db: Executor): Promise<string[]> {
  const admins = await db.select({ email: user.email }).from(user).where(eq(user.role, "admin")).orderBy(asc(user.createdAt));
  const support = getEnv().SUPPORT_EMAIL;
  const all = [...(support ? [support] : []), ...admins.map((a) => a.email)];
  return [...new Map(all.map((e) => [e.toLowerCase(), e])).values()];
}

export type SeatRequestOutcome = { outcome: "created" | "updated"; request: SeatRequestView; recipients: string[] };

/**
 * Stores a lead's request for more seats, audited. The organisation row is
 * locked first, so two requests at once make one open request, not two (the
 * partial unique index on open requests is the backstop).
 */
export async function requestSeats(
  lead: Lead,
  organisation: Organisation,
  input: { seats: number; message?: string | undefined; source: "billing" | "import" },
): Promise<SeatRequestOutcome> {
  const message = input.message?.trim() || null;
  return getDb().transaction(async (tx) => {
    await tx.select({ id: organization.id }).from(organization).where(eq(organization.id, organisation.id)).for("update");
    const [open] = await tx
      .select({ id: seatRequests.id, seats: seatRequests.seats })
      .from(seatRequests)
      .where(and(eq(seatRequests.organizationId, organisation.id), eq(seatRequests.status, "open")))
      .for("update");
    const now = new Date();
    if (open) {
      const [row] = await tx
        .update(seatRequests)
        .set({ seats: input.seats, message, requestedBy: lead.id, requestedByName: lead.name, requestedByEmail: lead.email, source: input.source, updatedAt: now })
        .where(and(eq(seatRequests.id, open.id), eq(seatRequests.organizationId, organisation.id)))
        .returning(viewColumns);
      await audit(tx, {
        actor: lead,
        action: "seat-request.changed",
        organisationId: organisation.id,
        target: { type: "seat-request", id: open.id },
        details: { seats: input.seats, previousSeats: open.seats, message },
      });
      return { outcome: "updated", request: row!, recipients: [] };
    }
    const [row] = await tx
      .insert(seatRequests)
      .values({
        organizationId: organisation.id,
        seats: input.seats,
        message,
        requestedBy: lead.id,
        requestedByName: lead.name,
        requestedByEmail: lead.email,
        source: input.source,
        createdAt: now,
        updatedAt: now,
      })
      .returning(viewColumns);
    await audit(tx, {
      actor: lead,
      action: "seat-request.created",
      organisationId: organisation.id,
      target: { type: "seat-request", id: row!.id },
      details: { seats: input.seats, message, from: input.source },
    });
    const recipients = await seatRequestRecipients(tx);
    if (recipients.length > 0) {
      const summary = await seatSummary(organisation.id, tx);
      // One mail per request, addressed to everyone who can grant seats, so
      // they see who else was told and one reply reaches them all.
      await enqueueEmail(tx, {
        to: recipients.join(", "),
        subject: `Seat request: ${organisation.name} asks for ${plural(input.seats, "more seat")}`,
        kind: "seat-request",
        ...requestMail(lead, organisation, input.seats, message, summary),
      });
    }
    return { outcome: "created", request: row!, recipients };
  });
}

function describeSeats(s: SeatSummary): string {
  if (s.state === "trial") return `They are on the free trial: ${s.free} of ${plural(s.seats, "seat")} free.`;
  if (s.state === "expired") return `Their licence has ended${s.validUntil ? ` (on ${formatDate(s.validUntil)})` : ""}: no seats are free.`;
  return `They have ${plural(s.seats, "seat")}, ${s.free.toLocaleString("en-GB")} free, until ${s.validUntil ? formatDate(s.validUntil) : "no end date"}.`;
}

function requestMail(lead: Lead, organisation: Organisation, seats: number, message: string | null, summary: SeatSummary) {
  return composeEmail({
    heading: `${organisation.name} asks for ${plural(seats, "more seat")}`,
    paragraphs: [
      `${lead.name} (${lead.email}), a training lead of ${organisation.name}, asks for ${plural(seats, "more seat")} on Distinct.`,
      ...(message ? [`Their message: “${message}”`] : []),
      describeSeats(summary),
      `Grant the seats on ${organisation.name}'s licences page (linked from the request), or reply to ${lead.email}; then mark the request handled with a note, which is emailed to ${lead.name}.`,
    ],
    action: { label: "See the open seat requests", url: `${getEnv().APP_URL}/admin/seat-requests` },
  });
}

/** The organisation's open request, if any (billing page, staff-list preview). */
export async function getOpenSeatRequest(organisationId: string): Promise<SeatRequestView | null> {
  const [row] = await getDb()
    .select(viewColumns)
    .from(seatRequests)
    .where(and(eq(seatRequests.organizationId, organisationId), eq(seatRequests.status, "open")))
    .limit(1);
  return row ?? null;
}

/** The organisation's last handled request, so the lead sees the answer on the billing page too. */
export async function getLastHandledSeatRequest(organisationId: string): Promise<SeatRequestView | null> {
  const [row] = await getDb()
    .select(viewColumns)
    .from(seatRequests)
    .where(and(eq(seatRequests.organizationId, organisationId), eq(seatRequests.status, "handled")))
    .orderBy(desc(seatRequests.handledAt))
    .limit(1);
  return row ?? null;
}

export type AdminSeatRequest = SeatRequestView & { organisation: { id: string; name: string; slug: string } };

/** For platform admins: open requests, oldest first, and the last handled ones. */
export async function listSeatRequests(options: { handledLimit?: number } = {}): Promise<{ open: AdminSeatRequest[]; handled: AdminSeatRequest[] }> {
  const db = getDb();
  const select = () =>
    db
      .select({ ...viewColumns, organisation: { id: organization.id, name: organization.name, slug: organization.slug } })
      .from(seatRequests)
      .innerJoin(organization, eq(organization.id, seatRequests.organizationId));
  const [open, handled] = await Promise.all([
    select().where(eq(seatRequests.status, "open")).orderBy(asc(seatRequests.createdAt)),
    select()
      .where(eq(seatRequests.status, "handled"))
      .orderBy(desc(seatRequests.handledAt))
      .limit(options.handledLimit ?? 20),
  ]);
  return { open, handled };
}

/** How many requests are open (the admin home page's count). */
export async function countOpenSeatRequests(): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(seatRequests).where(eq(seatRequests.status, "open"));
  return row?.n ?? 0;
}

export class SeatRequestNotFoundError extends Error {
  constructor() {
    super("There is no such seat request.");
    this.name = "SeatRequestNotFoundError";
  }
}

export class SeatRequestHandledError extends Error {
  constructor(readonly handledByName: string | null, readonly handledAt: Date | null) {
    super(
      `This request was already marked handled${handledByName ? ` by ${handledByName}` : ""}${handledAt ? ` on ${formatDate(handledAt)}` : ""}. Nothing was changed or sent.`,
    );
    this.name = "SeatRequestHandledError";
  }
}

/**
 * A platform admin marks a request handled: the note is stored, audited and
 * mailed to the lead who asked, in one transaction. Handling twice (two
 * admins at once) is refused, so the lead hears once.
 */
export async function handleSeatRequest(admin: Admin, requestId: string, note: string): Promise<AdminSeatRequest> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) throw new SeatRequestNotFoundError();
  return getDb().transaction(async (tx) => {
    const [found] = await tx
      .select({ ...viewColumns, organisation: { id: organization.id, name: organization.name, slug: organization.slug } })
      .from(seatRequests)
      .innerJoin(organization, eq(organization.id, seatRequests.organizationId))
      .where(eq(seatRequests.id, requestId))
      .for("update", { of: seatRequests });
    if (!found) throw new SeatRequestNotFoundError();
    if (found.status !== "open") throw new SeatRequestHandledError(found.handledByName, found.handledAt);
    const now = new Date();
    await tx
      .update(seatRequests)
      .set({ status: "handled", handledAt: now, handledBy: admin.id, handledByName: admin.name, handledNote: note, updatedAt: now })
      .where(and(eq(seatRequests.id, found.id), eq(seatRequests.status, "open")));
    await audit(tx, {
      actor: admin,
      action: "seat-request.handled",
      organisationId: found.organisation.id,
      target: { type: "seat-request", id: found.id },
      details: { seats: found.seats, note },
    });
    const summary = await seatSummary(found.organisation.id, tx);
    await enqueueEmail(tx, {
      to: found.requestedByEmail,
      subject: `Your request for ${plural(found.seats, "more seat")} for ${found.organisation.name}`,
      kind: "seat-request-handled",
      ...composeEmail({
        heading: `Your request for ${plural(found.seats, "more seat")}`,
        paragraphs: [
          `Hello ${found.requestedByName},`,
          `${admin.name} has dealt with your request of ${formatDate(found.createdAt)} for ${plural(found.seats, "more seat")} for ${found.organisation.name}. Their note:`,
          `“${note}”`,
          summary.state === "expired"
            ? `${found.organisation.name} has no seats free now: its licence has ended.`
            : `${found.organisation.name} now has ${plural(summary.free, "free seat")} of ${summary.seats.toLocaleString("en-GB")}.`,
        ],
        action: { label: "See your seats", url: `${getEnv().APP_URL}/org/${found.organisation.slug}/billing` },
      }),
    });
    return { ...found, status: "handled" as const, handledAt: now, handledByName: admin.name, handledNote: note };
  });
}
