import { and, desc, eq } from "drizzle-orm";
import { emailOutbox, licences, people } from "#db/schema/index.ts";
import { createOrganisationWithLead } from "#app/models/organisations/organisation.server.ts";
import { acceptInvitation, invitePerson } from "#app/models/organisations/invitation.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { createUser, uniqueEmail, type TestUser } from "./factories.ts";

/**
 * The token from the newest invitation mailed to this address, read from the
 * outbox as the invited person would read it from their inbox: the token is
 * stored nowhere else (only its hash).
 */
export async function invitationToken(email: string): Promise<string> {
  const [mail] = await getDb()
    .select({ text: emailOutbox.text })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.recipient, email), eq(emailOutbox.kind, "invitation")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail?.text ?? "")?.[1];
  if (!token) throw new Error(`no invitation mail with a link for ${email}`);
  return token;
}

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
  await acceptInvitation(await invitationToken(leadEmail), lead);
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
  const { personId } = await invitePerson(lead, organizationId, {
    email: learner.email,
    name: learner.name,
    staffNumber: options.staffNumber ?? null,
    rank: "PC",
    teamId: options.teamId ?? null,
    role: "member",
  });
  await acceptInvitation(await invitationToken(learner.email), learner);
  return { learner, personId };
}

export async function personRow(personId: string) {
  const [row] = await getDb().select().from(people).where(eq(people.id, personId));
  return row!;
}
