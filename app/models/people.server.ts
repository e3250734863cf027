import { and, asc, count, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { invitation, member, modules, organization, people, team, user } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/utils/audit.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { composeEmail, enqueueEmail } from "#app/utils/email.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { hashInvitationToken, looksLikeInvitationToken, newInvitationToken } from "#app/utils/invitation-token.server.ts";
import { createLogger } from "#app/utils/logger.server.ts";
import { sendAssignmentNoticesTo } from "./assignment-notice.server.ts";
import { personAssignmentsQuery, runStatusQuery } from "./assignment-status.server.ts";
import { assertSeatsAvailable, SeatLimitError } from "./licence.server.ts";
import { organisationForEmail } from "./organisation.server.ts";

const log = createLogger("people");

export const INVITATION_DAYS = 14;
export const PEOPLE_PAGE_SIZE = 50;

export type PersonInput = {
  email: string;
  name: string;
  staffNumber: string | null;
  rank: string | null;
  teamId: string | null;
  role: "member" | "admin";
};

/** A problem with one field of a person's details, for the form to show there. */
export class PersonInputError extends Error {
  constructor(
    readonly field: keyof PersonInput | "form",
    message: string,
  ) {
    super(message);
  }
}

export class PersonNotFoundError extends Error {}

const roleWord = (role: string) => (role === "admin" ? "training lead" : "learner");

/** The mailed link: it carries the secret token, never the invitation's id. */
export function invitationUrl(token: string): string {
  return `${getEnv().APP_URL}/invitations/${token}`;
}

function invitationMail(input: { to: string; name: string; organisation: string; inviter: string; role: string; token: string }) {
  const url = invitationUrl(input.token);
  return {
    to: input.to,
    kind: "invitation",
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

/** Checks staff number and team belong to this organisation and are free; throws PersonInputError. */
async function checkPersonFields(tx: Executor, organizationId: string, input: PersonInput, personId: string | null) {
  if (input.staffNumber) {
    const [clash] = await tx
      .select({ id: people.id, name: people.name })
      .from(people)
      .where(
        and(
          eq(people.organizationId, organizationId),
          eq(people.staffNumber, input.staffNumber),
          personId ? ne(people.id, personId) : undefined,
        ),
      )
      .limit(1);
    if (clash) throw new PersonInputError("staffNumber", `Staff number ${input.staffNumber} is already used by ${clash.name}`);
  }
  if (input.teamId) {
    const [found] = await tx
      .select({ id: team.id })
      .from(team)
      .where(and(eq(team.id, input.teamId), eq(team.organizationId, organizationId)));
    if (!found) throw new PersonInputError("teamId", "Choose a team of this organisation");
  }
}

async function organisationName(tx: Executor, organizationId: string): Promise<string> {
  const [row] = await tx.select({ name: organization.name }).from(organization).where(eq(organization.id, organizationId));
  return row?.name ?? "Your organisation";
}

/**
 * Invites one person by email: a roster row (invited), a better-auth
 * invitation that expires, and the mail, in one transaction. A learner
 * invitation holds a seat. Someone who already has an account on this
 * address still accepts by the link, so joining is always their choice.
 */
export async function invitePerson(actor: AuditActor & { id: string; name: string }, organizationId: string, input: PersonInput) {
  return getDb().transaction((tx) => invitePersonIn(tx, actor, organizationId, input));
}

/** invitePerson inside the caller's transaction (creating an organisation invites its first training lead). */
export async function invitePersonIn(tx: Executor, actor: AuditActor & { id: string; name: string }, organizationId: string, input: PersonInput) {
  {
    const [existing] = await tx
      .select({ id: people.id, status: people.status })
      .from(people)
      .where(and(eq(people.organizationId, organizationId), eq(people.email, input.email)))
      .for("update");
    if (existing?.status === "active") throw new PersonInputError("email", `${input.email} is already a member of this organisation`);
    if (existing?.status === "invited") {
      throw new PersonInputError("email", `${input.email} has already been invited: resend the invitation from their page instead`);
    }
    await checkPersonFields(tx, organizationId, input, existing?.id ?? null);
    if (input.role === "member") await assertSeatsAvailable(tx, organizationId, 1);
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
        .values({ organizationId, email: input.email, ...values })
        .returning({ id: people.id });
      personId = row!.id;
    }
    const { invitationId, token } = await createInvitation(tx, { organizationId, email: input.email, role: input.role, teamId: input.teamId, inviterId: actor.id });
    await enqueueEmail(
      tx,
      invitationMail({ to: input.email, name: input.name, organisation: await organisationName(tx, organizationId), inviter: actor.name, role: input.role, token }),
    );
    await audit(tx, {
      actor,
      action: "person.invited",
      organizationId,
      target: { type: "person", id: personId },
      details: { email: input.email, role: input.role },
    });
    return { personId, invitationId };
  }
}

async function createInvitation(
  tx: Executor,
  input: { organizationId: string; email: string; role: string; teamId: string | null; inviterId: string },
): Promise<{ invitationId: string; token: string }> {
  // Earlier pending invitations to this address stop working.
  await tx
    .update(invitation)
    .set({ status: "canceled" })
    .where(and(eq(invitation.organizationId, input.organizationId), eq(invitation.email, input.email), eq(invitation.status, "pending")));
  const id = crypto.randomUUID();
  // The token goes only into the mail; the database keeps its hash.
  const { token, tokenHash } = newInvitationToken();
  await tx.insert(invitation).values({
    id,
    tokenHash,
    organizationId: input.organizationId,
    email: input.email,
    role: input.role,
    teamId: input.teamId,
    status: "pending",
    expiresAt: new Date(Date.now() + INVITATION_DAYS * 24 * 3600_000),
    inviterId: input.inviterId,
  });
  return { invitationId: id, token };
}

async function findPerson(tx: Executor, organizationId: string, personId: string, lock = false) {
  if (!/^[0-9a-f-]{36}$/i.test(personId)) return null;
  const query = tx
    .select()
    .from(people)
    .where(and(eq(people.id, personId), eq(people.organizationId, organizationId)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

/** Sends a new invitation link (the old one stops working). */
export async function resendInvitation(actor: AuditActor & { id: string; name: string }, organizationId: string, personId: string) {
  await getDb().transaction(async (tx) => {
    const person = await findPerson(tx, organizationId, personId, true);
    if (!person) throw new PersonNotFoundError();
    if (person.status !== "invited") throw new PersonInputError("form", `${person.name} is not waiting for an invitation`);
    const { token } = await createInvitation(tx, { organizationId, email: person.email, role: person.role, teamId: person.teamId, inviterId: actor.id });
    await tx.update(people).set({ invitedAt: new Date(), updatedAt: new Date() }).where(eq(people.id, person.id));
    await enqueueEmail(
      tx,
      invitationMail({ to: person.email, name: person.name, organisation: await organisationName(tx, organizationId), inviter: actor.name, role: person.role, token }),
    );
    await audit(tx, { actor, action: "person.invitation-resent", organizationId, target: { type: "person", id: person.id } });
  });
}

/** Withdraws an invitation: the link stops working and the person leaves the roster (they never joined). */
export async function revokeInvitation(actor: AuditActor, organizationId: string, personId: string) {
  await getDb().transaction(async (tx) => {
    const person = await findPerson(tx, organizationId, personId, true);
    if (!person) throw new PersonNotFoundError();
    if (person.status !== "invited") throw new PersonInputError("form", `${person.name} has no invitation waiting`);
    await tx
      .update(invitation)
      .set({ status: "canceled" })
      .where(and(eq(invitation.organizationId, organizationId), eq(invitation.email, person.email), eq(invitation.status, "pending")));
    await tx.delete(people).where(and(eq(people.id, person.id), eq(people.organizationId, organizationId)));
    await audit(tx, { actor, action: "person.invitation-revoked", organizationId, target: { type: "person", id: person.id }, details: { email: person.email } });
  });
}

/**
 * Makes someone an active member: better-auth membership plus the roster row,
 * in the caller's transaction. Assignments made before they joined are mailed
 * to them now, as they were to the people there at the time.
 */
async function activate(tx: Executor, organizationId: string, personId: string, userId: string, role: "member" | "admin") {
  await tx
    .insert(member)
    .values({ id: crypto.randomUUID(), organizationId, userId, role, createdAt: new Date() })
    .onConflictDoUpdate({ target: [member.organizationId, member.userId], set: { role } });
  await tx
    .update(people)
    .set({ status: "active", userId, joinedAt: new Date(), leftAt: null, updatedAt: new Date() })
    .where(and(eq(people.id, personId), eq(people.organizationId, organizationId)));
  await sendAssignmentNoticesTo(tx, organizationId, personId);
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
      organizationId: row.organizationId,
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
  const organizationId = await organisationForEmail(email);
  if (!organizationId) return "no-organisation";
  try {
    return await getDb().transaction(async (tx) => {
      const [person] = await tx
        .select()
        .from(people)
        .where(and(eq(people.organizationId, organizationId), eq(people.email, email)))
        .for("update");
      if (person?.status === "active") return "already";
      const role = person?.status === "invited" ? person.role : "member";
      // An invited learner already holds a seat; anyone else needs a free one.
      if (role === "member" && person?.status !== "invited") await assertSeatsAvailable(tx, organizationId, 1);
      let personId = person?.id;
      if (!personId) {
        const [row] = await tx
          .insert(people)
          .values({ organizationId, email, name: account.name, role: "member", status: "active" })
          .returning({ id: people.id });
        personId = row!.id;
      }
      await activate(tx, organizationId, personId, account.id, role);
      await tx
        .update(invitation)
        .set({ status: "accepted" })
        .where(and(eq(invitation.organizationId, organizationId), eq(invitation.email, email), eq(invitation.status, "pending")));
      await audit(tx, {
        actor: { id: account.id, name: account.name, email },
        action: "person.joined",
        organizationId,
        target: { type: "person", id: personId },
        details: { via: "email domain" },
      });
      return "joined" as const;
    });
  } catch (error) {
    if (!(error instanceof SeatLimitError)) throw error;
    await tellLeadsNoSeat(organizationId, account, error);
    return "no-seat";
  }
}

async function tellLeadsNoSeat(organizationId: string, account: { email: string; name: string }, error: SeatLimitError) {
  const db = getDb();
  const leads = await leadContacts(db, organizationId);
  const appUrl = getEnv().APP_URL;
  const [org] = await db.select({ name: organization.name, slug: organization.slug }).from(organization).where(eq(organization.id, organizationId));
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
  log.info("auto-join refused: no seat", { organizationId });
}

/** The training leads of an organisation (active members with role admin), for mails. */
export async function leadContacts(db: Executor, organizationId: string) {
  return db
    .select({ id: user.id, name: user.name, email: user.email })
    .from(people)
    .innerJoin(user, eq(user.id, people.userId))
    .where(and(eq(people.organizationId, organizationId), eq(people.status, "active"), eq(people.role, "admin")));
}

/** Changes a person's details or role. Role changes are audited; the last training lead cannot stop being one. */
export async function updatePerson(actor: AuditActor, organizationId: string, personId: string, input: Omit<PersonInput, "email">) {
  await getDb().transaction(async (tx) => {
    const person = await findPerson(tx, organizationId, personId, true);
    if (!person) throw new PersonNotFoundError();
    await checkPersonFields(tx, organizationId, { ...input, email: person.email }, person.id);
    if (person.role !== input.role) {
      if (person.role === "admin" && person.status === "active") await assertAnotherLead(tx, organizationId, person.id);
      // Becoming a learner takes a seat.
      if (input.role === "member" && person.status !== "left") await assertSeatsAvailable(tx, organizationId, 1);
    }
    await tx
      .update(people)
      .set({ name: input.name, staffNumber: input.staffNumber, rank: input.rank, teamId: input.teamId, role: input.role, updatedAt: new Date() })
      .where(eq(people.id, person.id));
    if (person.userId && person.status === "active" && person.role !== input.role) {
      await tx
        .update(member)
        .set({ role: input.role })
        .where(and(eq(member.organizationId, organizationId), eq(member.userId, person.userId)));
    }
    if (person.role !== input.role) {
      await audit(tx, {
        actor,
        action: "person.role-changed",
        organizationId,
        target: { type: "person", id: person.id },
        details: { from: person.role, to: input.role },
      });
    }
    const changed = (["name", "staffNumber", "rank", "teamId"] as const).filter((k) => (person[k] ?? null) !== (input[k] ?? null));
    if (changed.length > 0) {
      await audit(tx, { actor, action: "person.updated", organizationId, target: { type: "person", id: person.id }, details: { changed } });
    }
    // Moved into a team: its assignments are new to them.
    if (changed.includes("teamId") && person.status === "active") await sendAssignmentNoticesTo(tx, organizationId, person.id);
  });
}

async function assertAnotherLead(tx: Executor, organizationId: string, personId: string) {
  const [others] = await tx
    .select({ n: count() })
    .from(people)
    .where(and(eq(people.organizationId, organizationId), eq(people.role, "admin"), eq(people.status, "active"), ne(people.id, personId)));
  if (!others?.n) throw new PersonInputError("role", "An organisation needs at least one training lead: make someone else a training lead first");
}

/**
 * Removes someone: they lose access to the organisation at once (their
 * membership goes); their roster row stays as "left", with their learning
 * records and certificates, so reports show them as left.
 */
export async function removePerson(actor: AuditActor, organizationId: string, personId: string) {
  await getDb().transaction(async (tx) => {
    const person = await findPerson(tx, organizationId, personId, true);
    if (!person) throw new PersonNotFoundError();
    if (person.status !== "active") throw new PersonInputError("form", `${person.name} is not an active member`);
    if (person.role === "admin") await assertAnotherLead(tx, organizationId, person.id);
    if (person.userId) {
      await tx.delete(member).where(and(eq(member.organizationId, organizationId), eq(member.userId, person.userId)));
    }
    await tx.update(people).set({ status: "left", leftAt: new Date(), updatedAt: new Date() }).where(eq(people.id, person.id));
    await audit(tx, { actor, action: "person.removed", organizationId, target: { type: "person", id: person.id }, details: { email: person.email } });
  });
}

export type PeopleFilter = { q?: string; status?: "invited" | "active" | "left"; teamId?: string; page: number };

/** The roster, filtered and paged, scoped to the organisation. */
export async function listPeople(organizationId: string, filter: PeopleFilter) {
  const db = getDb();
  const conditions: (SQL | undefined)[] = [eq(people.organizationId, organizationId)];
  if (filter.status) conditions.push(eq(people.status, filter.status));
  if (filter.teamId === "none") conditions.push(isNull(people.teamId));
  else if (filter.teamId) conditions.push(eq(people.teamId, filter.teamId));
  if (filter.q) {
    const like = `%${filter.q}%`;
    conditions.push(or(ilike(people.name, like), ilike(people.email, like), ilike(people.staffNumber, like)));
  }
  const where = and(...conditions);
  const [rows, totals] = await Promise.all([
    db
      .select({
        id: people.id,
        name: people.name,
        email: people.email,
        staffNumber: people.staffNumber,
        rank: people.rank,
        role: people.role,
        status: people.status,
        teamName: team.name,
        joinedAt: people.joinedAt,
        invitedAt: people.invitedAt,
        leftAt: people.leftAt,
      })
      .from(people)
      .leftJoin(team, and(eq(team.id, people.teamId), eq(team.organizationId, organizationId)))
      .where(where)
      .orderBy(asc(people.name), asc(people.email))
      .limit(PEOPLE_PAGE_SIZE)
      .offset((filter.page - 1) * PEOPLE_PAGE_SIZE),
    db.select({ n: count() }).from(people).where(where),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

export async function getPerson(organizationId: string, personId: string) {
  const person = await findPerson(getDb(), organizationId, personId);
  if (!person) return null;
  const [pending] = await getDb()
    .select({ expiresAt: invitation.expiresAt })
    .from(invitation)
    .where(and(eq(invitation.organizationId, organizationId), eq(invitation.email, person.email), eq(invitation.status, "pending")))
    .limit(1);
  return { ...person, invitationExpiresAt: pending?.expiresAt ?? null };
}

/** Counts for the organisation overview. */
export async function peopleCounts(organizationId: string) {
  const rows = await getDb()
    .select({ status: people.status, role: people.role, n: count() })
    .from(people)
    .where(eq(people.organizationId, organizationId))
    .groupBy(people.status, people.role);
  const get = (status: string, role?: string) => rows.filter((r) => r.status === status && (!role || r.role === role)).reduce((n, r) => n + r.n, 0);
  return { active: get("active"), invited: get("invited"), left: get("left"), leads: get("active", "admin") };
}

/** The people of an organisation with these ids (ids from a form are checked against the organisation). */
export async function peopleByIds(organizationId: string, ids: string[], db: Executor = getDb()) {
  if (ids.length === 0) return [];
  return db
    .select({ id: people.id, name: people.name })
    .from(people)
    .where(and(eq(people.organizationId, organizationId), inArray(people.id, ids)));
}

/** One person's assigned modules with status, for their page (scoped to the organisation). */
export async function personAssignments(organizationId: string, personId: string) {
  const db = getDb();
  const rows = await runStatusQuery(
    db,
    sql`select * from (${personAssignmentsQuery({ organizationId }, { includeLeft: true })}) s where s.person_id = ${personId}`,
  );
  if (rows.length === 0) return [];
  const titles = await db.select({ id: modules.id, title: modules.title }).from(modules).where(inArray(modules.id, rows.map((r) => r.moduleId)));
  const titleById = new Map(titles.map((t) => [t.id, t.title]));
  return rows.map((r) => ({ ...r, moduleTitle: titleById.get(r.moduleId) ?? "" }));
}
