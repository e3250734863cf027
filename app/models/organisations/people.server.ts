import { and, asc, count, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { invitation, member, modules, people, team, user } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { sendAssignmentNoticesTo } from "./assignment-notice.server.ts";
import { personAssignmentsQuery, runStatusQuery } from "./assignment-status.server.ts";
import { assertSeatsAvailable } from "#app/models/billing/licence.server.ts";

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

/** Checks staff number and team belong to this organisation and are free; throws PersonInputError. */
export async function checkPersonFields(tx: Executor, organisationId: string, input: PersonInput, personId: string | null) {
  if (input.staffNumber) {
    const [clash] = await tx
      .select({ id: people.id, name: people.name })
      .from(people)
      .where(
        and(
          eq(people.organizationId, organisationId),
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
      .where(and(eq(team.id, input.teamId), eq(team.organizationId, organisationId)));
    if (!found) throw new PersonInputError("teamId", "Choose a team of this organisation");
  }
}

export async function findPerson(tx: Executor, organisationId: string, personId: string, lock = false) {
  if (!/^[0-9a-f-]{36}$/i.test(personId)) return null;
  const query = tx
    .select()
    .from(people)
    .where(and(eq(people.id, personId), eq(people.organizationId, organisationId)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

/** The training leads of an organisation (active members with role admin), for mails. */
export async function leadContacts(db: Executor, organisationId: string) {
  return db
    .select({ id: user.id, name: user.name, email: user.email })
    .from(people)
    .innerJoin(user, eq(user.id, people.userId))
    .where(and(eq(people.organizationId, organisationId), eq(people.status, "active"), eq(people.role, "admin")));
}

/** Changes a person's details or role. Role changes are audited; the last training lead cannot stop being one. */
export async function updatePerson(actor: AuditActor, organisationId: string, personId: string, input: Omit<PersonInput, "email">) {
  await getDb().transaction(async (tx) => {
    const person = await findPerson(tx, organisationId, personId, true);
    if (!person) throw new PersonNotFoundError();
    await checkPersonFields(tx, organisationId, { ...input, email: person.email }, person.id);
    if (person.role !== input.role) {
      if (person.role === "admin" && person.status === "active") await assertAnotherLead(tx, organisationId, person.id);
      // Becoming a learner takes a seat.
      if (input.role === "member" && person.status !== "left") await assertSeatsAvailable(tx, organisationId, 1);
    }
    await tx
      .update(people)
      .set({ name: input.name, staffNumber: input.staffNumber, rank: input.rank, teamId: input.teamId, role: input.role, updatedAt: new Date() })
      .where(eq(people.id, person.id));
    if (person.userId && person.status === "active" && person.role !== input.role) {
      await tx
        .update(member)
        .set({ role: input.role })
        .where(and(eq(member.organizationId, organisationId), eq(member.userId, person.userId)));
    }
    if (person.role !== input.role) {
      await audit(tx, {
        actor,
        action: "person.role-changed",
        organisationId,
        target: { type: "person", id: person.id },
        details: { from: person.role, to: input.role },
      });
    }
    const changed = (["name", "staffNumber", "rank", "teamId"] as const).filter((k) => (person[k] ?? null) !== (input[k] ?? null));
    if (changed.length > 0) {
      await audit(tx, { actor, action: "person.updated", organisationId, target: { type: "person", id: person.id }, details: { changed } });
    }
    // Moved into a team: its assignments are new to them.
    if (changed.includes("teamId") && person.status === "active") await sendAssignmentNoticesTo(tx, organisationId, person.id);
  });
}

async function assertAnotherLead(tx: Executor, organisationId: string, personId: string) {
  const [others] = await tx
    .select({ n: count() })
    .from(people)
    .where(and(eq(people.organizationId, organisationId), eq(people.role, "admin"), eq(people.status, "active"), ne(people.id, personId)));
  if (!others?.n) throw new PersonInputError("role", "An organisation needs at least one training lead: make someone else a training lead first");
}

/**
 * Removes someone: they lose access to the organisation at once (their
 * membership goes); their roster row stays as "left", with their learning
 * records and certificates, so reports show them as left.
 */
export async function removePerson(actor: AuditActor, organisationId: string, personId: string) {
  await getDb().transaction(async (tx) => {
    const person = await findPerson(tx, organisationId, personId, true);
    if (!person) throw new PersonNotFoundError();
    if (person.status !== "active") throw new PersonInputError("form", `${person.name} is not an active member`);
    if (person.role === "admin") await assertAnotherLead(tx, organisationId, person.id);
    if (person.userId) {
      await tx.delete(member).where(and(eq(member.organizationId, organisationId), eq(member.userId, person.userId)));
    }
    await tx.update(people).set({ status: "left", leftAt: new Date(), updatedAt: new Date() }).where(eq(people.id, person.id));
    await audit(tx, { actor, action: "person.removed", organisationId, target: { type: "person", id: person.id }, details: { email: person.email } });
  });
}

export type PeopleFilter = { q?: string; status?: "invited" | "active" | "left"; teamId?: string; page: number };

/** The roster, filtered and paged, scoped to the organisation. */
export async function listPeople(organisationId: string, filter: PeopleFilter) {
  const db = getDb();
  const conditions: (SQL | undefined)[] = [eq(people.organizationId, organisationId)];
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
      .leftJoin(team, and(eq(team.id, people.teamId), eq(team.organizationId, organisationId)))
      .where(where)
      .orderBy(asc(people.name), asc(people.email))
      .limit(PEOPLE_PAGE_SIZE)
      .offset((filter.page - 1) * PEOPLE_PAGE_SIZE),
    db.select({ n: count() }).from(people).where(where),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

export async function getPerson(organisationId: string, personId: string) {
  const person = await findPerson(getDb(), organisationId, personId);
  if (!person) return null;
  const [pending] = await getDb()
    .select({ expiresAt: invitation.expiresAt })
    .from(invitation)
    .where(and(eq(invitation.organizationId, organisationId), eq(invitation.email, person.email), eq(invitation.status, "pending")))
    .limit(1);
  return { ...person, invitationExpiresAt: pending?.expiresAt ?? null };
}

/** Counts for the organisation overview. */
export async function peopleCounts(organisationId: string) {
  const rows = await getDb()
    .select({ status: people.status, role: people.role, n: count() })
    .from(people)
    .where(eq(people.organizationId, organisationId))
    .groupBy(people.status, people.role);
  const get = (status: string, role?: string) => rows.filter((r) => r.status === status && (!role || r.role === role)).reduce((n, r) => n + r.n, 0);
  return { active: get("active"), invited: get("invited"), left: get("left"), leads: get("active", "admin") };
}

/** One person's assigned modules with status, for their page (scoped to the organisation). */
export async function personAssignments(organisationId: string, personId: string) {
  const db = getDb();
  const rows = await runStatusQuery(
    db,
    sql`select * from (${personAssignmentsQuery({ organisationId: organisationId }, { includeLeft: true })}) s where s.person_id = ${personId}`,
  );
  if (rows.length === 0) return [];
  const titles = await db.select({ id: modules.id, title: modules.title }).from(modules).where(inArray(modules.id, rows.map((r) => r.moduleId)));
  const titleById = new Map(titles.map((t) => [t.id, t.title]));
  return rows.map((r) => ({ ...r, moduleTitle: titleById.get(r.moduleId) ?? "" }));
}
