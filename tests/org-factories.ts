import { and, eq } from "drizzle-orm";
import { invitation, licences, people } from "#db/schema/index.ts";
import { createOrganisationWithLead } from "#app/models/organisation.server.ts";
import { acceptInvitation, invitePerson } from "#app/models/people.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { createUser, uniqueEmail, type TestUser } from "./factories.ts";

/** An organisation with an active training lead (and a licence of `seats` seats, if given). */
export async function createOrganisation(options: { name?: string; domains?: string[]; seats?: number } = {}) {
  const admin = await createUser({ role: "admin", name: "Platform Admin" });
  const slug = `org-${crypto.randomUUID().slice(0, 8)}`;
  const leadEmail = uniqueEmail("lead");
  const org = await createOrganisationWithLead(admin, {
    name: options.name ?? `Test Force ${slug}`,
    slug,
    domains: options.domains ?? [],
    leadName: "Lee Lead",
    leadEmail,
  });
  const lead = await createUser({ email: leadEmail, name: "Lee Lead" });
  const [inv] = await getDb()
    .select({ id: invitation.id })
    .from(invitation)
    .where(and(eq(invitation.organizationId, org.id), eq(invitation.email, leadEmail)));
  await acceptInvitation(inv!.id, lead);
  if (options.seats) {
    const now = new Date();
    await getDb()
      .insert(licences)
      .values({
        organizationId: org.id,
        seats: options.seats,
        validFrom: new Date(now.getTime() - 86_400_000),
        validUntil: new Date(now.getTime() + 365 * 86_400_000),
        source: "manual",
        purchaseOrder: "PO-TEST",
        createdBy: admin.id,
      });
  }
  return { org, lead, platformAdmin: admin };
}

/** Invites a learner and has them accept: an active member with an account. */
export async function addLearner(organizationId: string, lead: TestUser, options: { name?: string; teamId?: string | null; staffNumber?: string | null } = {}) {
  const learner = await createUser({ name: options.name ?? "Lou Learner" });
  const { invitationId, personId } = await invitePerson(lead, organizationId, {
    email: learner.email,
    name: learner.name,
    staffNumber: options.staffNumber ?? null,
    rank: "PC",
    teamId: options.teamId ?? null,
    role: "member",
  });
  await acceptInvitation(invitationId, learner);
  return { learner, personId };
}

export async function personRow(personId: string) {
  const [row] = await getDb().select().from(people).where(eq(people.id, personId));
  return row!;
}
