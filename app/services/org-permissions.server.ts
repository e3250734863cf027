import { getMembershipRole, getOrganisationBySlug, type Organisation, type OrgRole } from "#app/models/organisations/organisation.server.ts";
import { requireUser, type SessionUser } from "./session.server.ts";

export type OrgAccess = { user: SessionUser; organisation: Organisation; role: OrgRole; platformAdmin: boolean };

const notFound = () =>
  new Response("There is no organisation at this address, or you are not a member of it.", { status: 404, statusText: "Not Found" });

/**
 * The gate of every /org/:orgSlug page and action.
 * - not signed in: redirect to sign in;
 * - no such organisation, or not a member of it: 404 (whether it exists is not revealed);
 * - a member without the role: 403 with the reason;
 * - platform admins (who run organisations) pass as training leads.
 */
export async function requireOrgRole(request: Request, orgSlug: string | undefined, role: OrgRole): Promise<OrgAccess> {
  const user = await requireUser(request);
  const organisation = orgSlug ? await getOrganisationBySlug(orgSlug) : null;
  if (!organisation) throw notFound();
  if (user.role === "admin") return { user, organisation, role: "admin", platformAdmin: true };
  const membership = await getMembershipRole(organisation.id, user.id);
  if (!membership) throw notFound();
  if (role === "admin" && membership !== "admin") {
    throw new Response("Only training leads of this organisation can use this page.", { status: 403, statusText: "Forbidden" });
  }
  return { user, organisation, role: membership, platformAdmin: false };
}
