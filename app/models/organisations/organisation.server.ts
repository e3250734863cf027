import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { member, organisationDomains, organisationSettings, organization, people } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { invitePersonIn } from "./invitation.server.ts";

export type OrgRole = "admin" | "member";

export type Organisation = { id: string; name: string; slug: string };

export async function getOrganisationBySlug(slug: string): Promise<Organisation | null> {
  const [row] = await getDb()
    .select({ id: organization.id, name: organization.name, slug: organization.slug })
    .from(organization)
    .where(eq(organization.slug, slug))
    .limit(1);
  return row ?? null;
}

/** The organisation role of a user in an organisation (owner counts as a training lead), or null. */
export async function getMembershipRole(organisationId: string, userId: string): Promise<OrgRole | null> {
  const [row] = await getDb()
    .select({ role: member.role })
    .from(member)
    .where(and(eq(member.organizationId, organisationId), eq(member.userId, userId)))
    .limit(1);
  if (!row) return null;
  return row.role === "owner" || row.role === "admin" ? "admin" : "member";
}

/** The organisations a user is an active member of, with their role in each. */
export async function listMemberships(userId: string): Promise<(Organisation & { role: OrgRole })[]> {
  const rows = await getDb()
    .select({ id: organization.id, name: organization.name, slug: organization.slug, role: member.role })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .where(eq(member.userId, userId))
    .orderBy(asc(organization.name));
  return rows.map((r) => ({ ...r, role: r.role === "owner" || r.role === "admin" ? "admin" : "member" }));
}

export async function listOrganisations() {
  const db = getDb();
  // Counted in a grouped subquery joined on, not a correlated subquery: in a
  // select from one table drizzle writes `${organization.id}` as a bare "id",
  // which inside a subquery means the subquery's own id column.
  const counts = db
    .select({
      organizationId: people.organizationId,
      active: sql<number>`count(*) filter (where ${people.status} = 'active')::int`.as("active"),
      invited: sql<number>`count(*) filter (where ${people.status} = 'invited')::int`.as("invited"),
    })
    .from(people)
    .groupBy(people.organizationId)
    .as("counts");
  const rows = await db
    .select({
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      createdAt: organization.createdAt,
      active: sql<number>`coalesce(${counts.active}, 0)`.mapWith(Number),
      invited: sql<number>`coalesce(${counts.invited}, 0)`.mapWith(Number),
    })
    .from(organization)
    .leftJoin(counts, eq(counts.organizationId, organization.id))
    .orderBy(asc(organization.name));
  const domains = await db.select().from(organisationDomains);
  return rows.map((r) => ({ ...r, domains: domains.filter((d) => d.organizationId === r.id).map((d) => d.domain) }));
}

/** An organisation's email domains, alphabetically (the single sign-on page offers them). */
export async function getOrganisationDomains(organisationId: string): Promise<string[]> {
  const rows = await getDb()
    .select({ domain: organisationDomains.domain })
    .from(organisationDomains)
    .where(eq(organisationDomains.organizationId, organisationId))
    .orderBy(asc(organisationDomains.domain));
  return rows.map((r) => r.domain);
}

export class OrganisationInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Creates an organisation with its allowed email domains. Platform admins
 * only (the route checks). The first training lead is added by the caller
 * through the people model, in the same transaction.
 */
export async function createOrganisation(
  tx: Executor,
  actor: AuditActor,
  input: { name: string; slug: string; domains: string[] },
): Promise<Organisation> {
  const [slugTaken] = await tx.select({ id: organization.id }).from(organization).where(eq(organization.slug, input.slug));
  if (slugTaken) throw new OrganisationInputError("slug", `The address “${input.slug}” is already used by another organisation`);
  if (input.domains.length > 0) {
    const taken = await tx
      .select({ domain: organisationDomains.domain, name: organization.name })
      .from(organisationDomains)
      .innerJoin(organization, eq(organization.id, organisationDomains.organizationId))
      .where(inArray(organisationDomains.domain, input.domains));
    if (taken[0]) throw new OrganisationInputError("domains", `${taken[0].domain} already belongs to ${taken[0].name}`);
  }
  const id = crypto.randomUUID();
  await tx.insert(organization).values({ id, name: input.name, slug: input.slug, createdAt: new Date() });
  if (input.domains.length > 0) {
    await tx.insert(organisationDomains).values(input.domains.map((domain) => ({ organizationId: id, domain })));
  }
  await tx.insert(organisationSettings).values({ organizationId: id });
  await audit(tx, { actor, action: "organisation.created", organisationId: id, target: { type: "organisation", id }, details: input });
  return { id, name: input.name, slug: input.slug };
}

/**
 * Creates an organisation and invites its first training lead, in one
 * transaction. The lead accepts by the mailed link like anyone else.
 */
export async function createOrganisationWithLead(
  actor: AuditActor & { id: string; name: string },
  input: { name: string; slug: string; domains: string[]; leadName: string; leadEmail: string },
): Promise<Organisation> {
  return getDb().transaction(async (tx) => {
    const org = await createOrganisation(tx, actor, { name: input.name, slug: input.slug, domains: input.domains });
    await invitePersonIn(tx, actor, org.id, {
      email: input.leadEmail,
      name: input.leadName,
      staffNumber: null,
      rank: null,
      teamId: null,
      role: "admin",
    });
    return org;
  });
}

/** The organisation a licences page is about, by id (the admin pages address organisations by id). */
export async function getOrganisationById(organisationId: string, db: Executor = getDb()) {
  const [row] = await db
    .select({ id: organization.id, name: organization.name, slug: organization.slug })
    .from(organization)
    .where(eq(organization.id, organisationId))
    .limit(1);
  return row ?? null;
}
