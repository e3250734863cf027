import { and, eq } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { invitation, member, organisationDomains, organization, people } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { enqueueEmail } from "#app/models/platform/email.server.ts";
import { composeEmail } from "#app/utils/email-templates.ts";
import { getEnv } from "#app/services/env.server.ts";
import { createLogger } from "#app/services/logger.server.ts";
import { hashInvitationToken, looksLikeInvitationToken, newInvitationToken } from "#app/utils/invitation-token.server.ts";
import { sendAssignmentNoticesTo } from "./assignment-notice.server.ts";
import { assertSeatsAvailable, SeatLimitError } from "#app/models/billing/licence.server.ts";
import { checkPersonFields, findPerson, leadContacts, PersonInputError, PersonNotFoundError, type PersonInput } from "./people.server.ts";

/**
 * Invitations: inviting a person onto an organisation's roster, resending and
 * withdrawing the mailed link, accepting it, and joining by an allowed email
 * domain. The roster itself (listing, editing, removing) is people.server.ts.
 */

const log = createLogger("invitations");
export const INVITATION_DAYS = 14;
const roleWord = (role: string) => (role === "admin" ? "training lead" : "learner");

/** The mailed link: it carries the secret token, never the invitation's id. */
export function invitationUrl(token: string): string {
  return `${getEnv().APP_URL}/invitations/${token}`;
}

function invitationMail(input: { to: string; name: string; organisation: string; inviter: string; role: string; token: string }) {
  const url = invitationUrl(input.token);
  return {
    to: input.to,
    kind: "invitation" as const,
    subject: `${input.organisation} has invited you to Distinct`,
    ...composeEmail({
      heading: `Join ${input.organisation} on Distinct`,
      paragraphs: [
        `Hello ${input.name},`,
        `${input.inviter} has invited you to join ${input.organisation} on Distinct as a ${roleWord(input.role)}. Distinct is training on recognising stalking and telling it apart from harassment and malicious communications.`,
        `Accept the invitation to create your account (or sign in) and see the training assigned to you. The link works for ${INVITATION_DAYS} days.`,
      ],
      action: { label: "Accept the invitation", url },
    }),
  };
}

async function organisationName(tx: Executor, organisationId: string): Promise<string> {
  const [row] = await tx.select({ name: organization.name }).from(organization).where(eq(organization.id, organisationId));
  return row?.name ?? "Your organisation";
}

/**
 * Invites one person by email: a roster row (invited), a better-auth
 * invitation that expires, and the mail, in one transaction. A learner
 * invitation holds a seat. Someone who already has an account on this
 * address still accepts by the link, so joining is always their choice.
 */
export async function invitePerson(actor: AuditActor & { id: string; name: string }, organisationId: string, input: PersonInput) {
  return getDb().transaction((tx) => invitePersonIn(tx, actor, organisationId, input));
}

/** invitePerson inside the caller's transaction (creating an organisation invites its first training lead). */
export async function invitePersonIn(tx: Executor, actor: AuditActor & { id: string; name: string }, organisationId: string, input: PersonInput) {
  {
    const [existing] = await tx
      .select({ id: people.id, status: people.status })
      .from(people)
      .where(and(eq(people.organizationId, organisationId), eq(people.email, input.email)))
      .for("update");
    if (existing?.status === "active") throw new PersonInputError("email", `${input.email} is already a member of this organisation`);
    if (existing?.status === "invited") {
      throw new PersonInputError("email", `${input.email} has already been invited: resend the invitation from their page instead`);
    }
    await checkPersonFields(tx, organisationId, input, existing?.id ?? null);
    if (input.role === "member") await assertSeatsAvailable(tx, organisationId, 1);
    const values = {
      name: input.name,
      staffNumber: input.staffNumber,
      rank: input.rank,
      teamId: input.teamId,
      role: input.role,
      status: "invited" as const,
      invitedAt: new Date(),
      leftAt: null,
      updatedAt: new Date(),
    };
    let personId = existing?.id;
    if (personId) {
      await tx.update(people).set(values).where(eq(people.id, personId));
    } else {
      const [row] = await tx
        .insert(people)
        .values({ organizationId: organisationId, email: input.email, ...values })
        .returning({ id: people.id });
      personId = row!.id;
    }
    const { invitationId, token } = await createInvitation(tx, { organisationId, email: input.email, role: input.role, teamId: input.teamId, inviterId: actor.id });
    await enqueueEmail(
      tx,
      invitationMail({ to: input.email, name: input.name, organisation: await organisationName(tx, organisationId), inviter: actor.name, role: input.role, token }),
    );
    await audit(tx, {
      actor,
      action: "person.invited",
      organisationId,
      target: { type: "person", id: personId },
      details: { email: input.email, role: input.role },
    });
    return { personId, invitationId };
  }
}

async function createInvitation(
  tx: Executor,
  input: { organisationId: string; email: string; role: string; teamId: string | null; inviterId: string },
): Promise<{ invitationId: string; token: string }> {
  // Earlier pending invitations to this address stop working.
  await tx
    .update(invitation)
    .set({ status: "canceled" })
    .where(and(eq(invitation.organizationId, input.organisationId), eq(invitation.email, input.email), eq(invitation.status, "pending")));
  const id = crypto.randomUUID();
  // The token goes only into the mail; the database keeps its hash.
  const { token, tokenHash } = newInvitationToken();
  await tx.insert(invitation).values({
    id,
    tokenHash,
    organizationId: input.organisationId,
    email: input.email,
    role: input.role,
    teamId: input.teamId,
    status: "pending",
    expiresAt: new Date(Date.now() + INVITATION_DAYS * 24 * 3600_000),
    inviterId: input.inviterId,
  });
  return { invitationId: id, token };
}

/** Sends a new invitation link (the old one stops working). */
export async function resendInvitation(actor: AuditActor & { id: string; name: string }, organisationId: string, personId: string) {
  await getDb().transaction(async (tx) => {
    const person = await findPerson(tx, organisationId, personId, true);
    if (!person) throw new PersonNotFoundError();
    if (person.status !== "invited") throw new PersonInputError("form", `${person.name} is not waiting for an invitation`);
    const { token } = await createInvitation(tx, { organisationId, email: person.email, role: person.role, teamId: person.teamId, inviterId: actor.id });
    await tx.update(people).set({ invitedAt: new Date(), updatedAt: new Date() }).where(eq(people.id, person.id));
    await enqueueEmail(
      tx,
      invitationMail({ to: person.email, name: person.name, organisation: await organisationName(tx, organisationId), inviter: actor.name, role: person.role, token }),
    );
    await audit(tx, { actor, action: "person.invitation-resent", organisationId, target: { type: "person", id: person.id } });
  });
}

/** Withdraws an invitation: the link stops working and the person leaves the roster (they never joined). */
export async function revokeInvitation(actor: AuditActor, organisationId: string, personId: string) {
  await getDb().transaction(async (tx) => {
    const person = await findPerson(tx, organisationId, personId, true);
    if (!person) throw new PersonNotFoundError();
    if (person.status !== "invited") throw new PersonInputError("form", `${person.name} has no invitation waiting`);
    await tx
      .update(invitation)
      .set({ status: "canceled" })
      .where(and(eq(invitation.organizationId, organisationId), eq(invitation.email, person.email), eq(invitation.status, "pending")));
    await tx.delete(people).where(and(eq(people.id, person.id), eq(people.organizationId, organisationId)));
    await audit(tx, { actor, action: "person.invitation-revoked", organisationId, target: { type: "person", id: person.id }, details: { email: person.email } });
  });
}

/**
 * Makes someone an active member: better-auth membership plus the roster row,
 * in the caller's transaction. Assignments made before they joined are mailed
 * to them now, as they were to the people there at the time.
 */
async function activate(tx: Executor, organisationId: string, personId: string, userId: string, role: "member" | "admin") {
  await tx
    .insert(member)
    .values({ id: crypto.randomUUID(), organizationId: organisationId, userId, role, createdAt: new Date() })
    .onConflictDoUpdate({ target: [member.organizationId, member.userId], set: { role } });
  await tx
    .update(people)
    .set({ status: "active", userId, joinedAt: new Date(), leftAt: null, updatedAt: new Date() })
    .where(and(eq(people.id, personId), eq(people.organizationId, organisationId)));
  await sendAssignmentNoticesTo(tx, organisationId, personId);
}

export type InvitationView = {
  organisation: string;
  email: string;
  role: "member" | "admin";
  name: string;
  state: "pending" | "expired" | "used";
};

/**
 * What the invitation page shows, from the token in the mailed link. The
 * invitation's id is deliberately not accepted here: it is not a secret.
 */
export async function getInvitation(token: string): Promise<InvitationView | null> {
  if (!looksLikeInvitationToken(token)) return null;
  const [row] = await getDb()
    .select({
      organizationId: invitation.organizationId,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      organisation: organization.name,
    })
    .from(invitation)
    .innerJoin(organization, eq(organization.id, invitation.organizationId))
    .where(eq(invitation.tokenHash, hashInvitationToken(token)))
    .limit(1);
  if (!row) return null;
  const [person] = await getDb()
    .select({ name: people.name })
    .from(people)
    .where(and(eq(people.organizationId, row.organizationId), eq(people.email, row.email)));
  return {
    organisation: row.organisation,
    email: row.email,
    role: row.role === "admin" ? "admin" : "member",
    name: person?.name ?? "",
    state: row.status !== "pending" ? "used" : row.expiresAt < new Date() ? "expired" : "pending",
  };
}

export class InvitationError extends Error {}

/**
 * Accepts an invitation, by the token from its mailed link, for a signed-in
 * user whose email is the invited one. Idempotent for that user: accepting
 * twice leaves one membership.
 */
export async function acceptInvitation(token: string, account: { id: string; email: string; name: string }): Promise<{ organisationSlug: string; role: "member" | "admin" }> {
  if (!looksLikeInvitationToken(token)) throw new InvitationError("This invitation link is not valid.");
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(invitation)
      .where(eq(invitation.tokenHash, hashInvitationToken(token)))
      .for("update");
    if (!row) throw new InvitationError("This invitation link is not valid.");
    if (row.email.toLowerCase() !== account.email.toLowerCase()) {
      throw new InvitationError(`This invitation is for ${row.email}. Sign out and sign in (or create an account) with that address.`);
    }
    const [org] = await tx.select({ slug: organization.slug }).from(organization).where(eq(organization.id, row.organizationId));
    const role = row.role === "admin" ? "admin" : "member";
    if (row.status === "accepted") {
      // Single use: only the person who accepted it gets the same answer again.
      const [joined] = await tx
        .select({ id: member.id })
        .from(member)
        .where(and(eq(member.organizationId, row.organizationId), eq(member.userId, account.id)));
      if (joined) return { organisationSlug: org!.slug, role };
      throw new InvitationError("This invitation has already been used.");
    }
    if (row.status !== "pending") throw new InvitationError("This invitation has been withdrawn. Ask your training lead for a new one.");
    if (row.expiresAt < new Date()) throw new InvitationError("This invitation has expired. Ask your training lead to send a new one.");
    const [person] = await tx
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.organizationId, row.organizationId), eq(people.email, row.email)))
      .for("update");
    if (!person) throw new InvitationError("This invitation has been withdrawn. Ask your training lead for a new one.");
    await activate(tx, row.organizationId, person.id, account.id, role);
    await tx.update(invitation).set({ status: "accepted" }).where(eq(invitation.id, row.id));
    await audit(tx, {
      actor: { id: account.id, name: account.name, email: account.email },
      action: "person.joined",
      organisationId: row.organizationId,
      target: { type: "person", id: person.id },
      details: { via: "invitation" },
    });
    return { organisationSlug: org!.slug, role };
  });
}

/**
 * After someone confirms their email address: if its domain belongs to an
 * organisation, they join it as a learner (or accept a waiting invitation).
 * When no seat is free they are not added; the training leads are told.
 */
export async function joinByEmailDomain(account: { id: string; email: string; name: string }): Promise<"joined" | "no-organisation" | "already" | "no-seat"> {
  const email = account.email.toLowerCase();
  const organisationId = await organisationForEmail(email);
  if (!organisationId) return "no-organisation";
  try {
    return await getDb().transaction(async (tx) => {
      const [person] = await tx
        .select()
        .from(people)
        .where(and(eq(people.organizationId, organisationId), eq(people.email, email)))
        .for("update");
      if (person?.status === "active") return "already";
      const role = person?.status === "invited" ? person.role : "member";
      // An invited learner already holds a seat; anyone else needs a free one.
      if (role === "member" && person?.status !== "invited") await assertSeatsAvailable(tx, organisationId, 1);
      let personId = person?.id;
      if (!personId) {
        const [row] = await tx
          .insert(people)
          .values({ organizationId: organisationId, email, name: account.name, role: "member", status: "active" })
          .returning({ id: people.id });
        personId = row!.id;
      }
      await activate(tx, organisationId, personId, account.id, role);
      await tx
        .update(invitation)
        .set({ status: "accepted" })
        .where(and(eq(invitation.organizationId, organisationId), eq(invitation.email, email), eq(invitation.status, "pending")));
      await audit(tx, {
        actor: { id: account.id, name: account.name, email },
        action: "person.joined",
        organisationId,
        target: { type: "person", id: personId },
        details: { via: "email domain" },
      });
      return "joined" as const;
    });
  } catch (error) {
    if (!(error instanceof SeatLimitError)) throw error;
    await tellLeadsNoSeat(organisationId, account, error);
    return "no-seat";
  }
}

async function tellLeadsNoSeat(organisationId: string, account: { email: string; name: string }, error: SeatLimitError) {
  const db = getDb();
  const leads = await leadContacts(db, organisationId);
  const appUrl = getEnv().APP_URL;
  const [org] = await db.select({ name: organization.name, slug: organization.slug }).from(organization).where(eq(organization.id, organisationId));
  await db.transaction(async (tx) => {
    for (const lead of leads) {
      await enqueueEmail(tx, {
        to: lead.email,
        kind: "no-seat",
        subject: `${account.name} could not join ${org?.name ?? "your organisation"}: no seat is free`,
        ...composeEmail({
          heading: "Someone could not join: no seat is free",
          paragraphs: [
            `Hello ${lead.name},`,
            `${account.name} (${account.email}) confirmed an email address on one of your organisation's domains, but could not join ${org?.name ?? "it"} as a learner. ${error.message}`,
            "When a seat is free, invite them from the People page.",
          ],
          action: { label: "Seats and billing", url: `${appUrl}/org/${org?.slug ?? ""}/billing` },
        }),
      });
    }
  });
  log.info("auto-join refused: no seat", { organizationId: organisationId });
}


/** The organisation whose allowed domains include this address's domain, if any. */
export async function organisationForEmail(email: string, db: Executor = getDb()): Promise<string | null> {
  const domain = email.split("@")[1]?.toLowerCase();
  if (!domain) return null;
  const [row] = await db
    .select({ organizationId: organisationDomains.organizationId })
    .from(organisationDomains)
    .where(eq(organisationDomains.domain, domain))
    .limit(1);
  return row?.organizationId ?? null;
}
