import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { assignments, people, team } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { teamKey } from "#app/utils/team-name.ts";

/** Teams are basic command units, departments or hubs: better-auth's team table, scoped by organisation. */
export async function listTeams(organisationId: string, db: Executor = getDb()) {
  // A grouped subquery joined on, not a correlated one: in a select from one
  // table drizzle writes `${team.id}` as a bare "id", which inside the
  // subquery meant the person's own id (so every count was 0).
  const counts = db
    .select({ teamId: people.teamId, members: sql<number>`count(*)::int`.as("members") })
    .from(people)
    .where(and(eq(people.organizationId, organisationId), ne(people.status, "left")))
    .groupBy(people.teamId)
    .as("counts");
  return db
    .select({
      id: team.id,
      name: team.name,
      members: sql<number>`coalesce(${counts.members}, 0)`.mapWith(Number),
    })
    .from(team)
    .leftJoin(counts, eq(counts.teamId, team.id))
    .where(eq(team.organizationId, organisationId))
    .orderBy(asc(team.name));
}

export class TeamInputError extends Error {}

const sameName = (a: string, b: string) => teamKey(a) === teamKey(b);

export async function createTeam(actor: AuditActor, organisationId: string, name: string): Promise<string> {
  return getDb().transaction(async (tx) => {
    const existing = await tx.select({ name: team.name }).from(team).where(eq(team.organizationId, organisationId));
    if (existing.some((t) => sameName(t.name, name))) throw new TeamInputError(`There is already a team called “${name}”`);
    const id = crypto.randomUUID();
    await tx.insert(team).values({ id, name, organizationId: organisationId, createdAt: new Date(), updatedAt: new Date() });
    await audit(tx, { actor, action: "team.created", organisationId, target: { type: "team", id }, details: { name } });
    return id;
  });
}

export async function renameTeam(actor: AuditActor, organisationId: string, teamId: string, name: string) {
  await getDb().transaction(async (tx) => {
    const teams = await tx.select({ id: team.id, name: team.name }).from(team).where(eq(team.organizationId, organisationId));
    const current = teams.find((t) => t.id === teamId);
    if (!current) throw new TeamNotFoundError();
    if (teams.some((t) => t.id !== teamId && sameName(t.name, name))) throw new TeamInputError(`There is already a team called “${name}”`);
    await tx.update(team).set({ name, updatedAt: new Date() }).where(and(eq(team.id, teamId), eq(team.organizationId, organisationId)));
    await audit(tx, { actor, action: "team.renamed", organisationId, target: { type: "team", id: teamId }, details: { from: current.name, to: name } });
  });
}

export class TeamNotFoundError extends Error {}

/**
 * Deletes a team: its people stay (with no team); a team with live assignments cannot be deleted.
 * Returns the team's name and how many people it had, for the message that says what changed.
 */
export async function deleteTeam(actor: AuditActor, organisationId: string, teamId: string): Promise<{ name: string; people: number }> {
  return getDb().transaction(async (tx) => {
    const [current] = await tx.select({ name: team.name }).from(team).where(and(eq(team.id, teamId), eq(team.organizationId, organisationId)));
    if (!current) throw new TeamNotFoundError();
    const [assigned] = await tx
      .select({ id: assignments.id })
      .from(assignments)
      .where(and(eq(assignments.organizationId, organisationId), eq(assignments.teamId, teamId), sql`${assignments.withdrawnAt} is null`))
      .limit(1);
    if (assigned) throw new TeamInputError(`“${current.name}” has modules assigned to it: withdraw those assignments first`);
    const moved = await tx
      .update(people)
      .set({ teamId: null })
      .where(and(eq(people.organizationId, organisationId), eq(people.teamId, teamId)))
      .returning({ id: people.id });
    await tx.delete(team).where(and(eq(team.id, teamId), eq(team.organizationId, organisationId)));
    await audit(tx, { actor, action: "team.deleted", organisationId, target: { type: "team", id: teamId }, details: { name: current.name } });
    return { name: current.name, people: moved.length };
  });
}
