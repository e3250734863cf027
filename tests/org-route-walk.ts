import fs from "node:fs";
import path from "node:path";
import type { DatabaseHandle } from "#db/client.ts";
import { moduleVersions } from "#db/schema/index.ts";
import { createScormPackage } from "#app/models/learning/scorm.server.ts";
import { checkUpload } from "#app/models/organisations/staff-import.server.ts";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { sessionCookie } from "./factories.ts";
import { addLearner, createOrganisation } from "./org-factories.ts";

/**
 * Invariant 3's walk: every /org/:orgSlug route, loader and action, as four
 * kinds of visitor, must answer what it should. Returns the violations (an
 * empty list means every scope held).
 */
type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: never }) => Promise<unknown>;
  action?: (args: { request: Request; params: Record<string, string>; context: never }) => Promise<unknown>;
};

type Visitor = "signed-out" | "learner" | "other-lead" | "platform-admin" | "own-lead";

async function outcome(fn: () => Promise<unknown>): Promise<number> {
  try {
    const result = await fn();
    if (result instanceof Response) return result.status;
    if (result && typeof result === "object" && "init" in result) {
      const init = (result as { init: { status?: number } | null }).init;
      return init?.status ?? 200;
    }
    return 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    return 500;
  }
}

export async function walkOrganisationRoutes(handle: DatabaseHandle): Promise<string[]> {
  const routesDir = path.resolve(import.meta.dirname, "..", "app", "routes");
  const files = fs.readdirSync(routesDir).filter((f) => f.startsWith("org.$orgSlug"));
  if (files.length < 10) throw new Error(`expected the organisation routes, found ${files.length}`);

  const a = await createOrganisation({ seats: 20 });
  const b = await createOrganisation({ seats: 20 });
  const teamA = await createTeam(a.lead, a.org.id, "Team in A");
  const { learner, personId } = await addLearner(a.org.id, a.lead, { teamId: teamA });
  const assignmentId = await createAssignment(a.lead, a.org.id, { moduleSlug: "sample-basics", target: "organisation", teamId: null, personIds: [], dueDate: null, dueDays: 30 });
  const importId = await checkUpload(a.lead, a.org.id, "list.csv", new TextEncoder().encode("email,name\nx@example.org,X\n"));
  const [version] = await handle.db.select({ id: moduleVersions.id }).from(moduleVersions).limit(1);
  const packageId = await createScormPackage(a.lead, a.org.id, version!.id);

  const cookies: Record<Visitor, string | null> = {
    "signed-out": null,
    learner: await sessionCookie(learner),
    "other-lead": await sessionCookie(b.lead),
    "platform-admin": await sessionCookie({ email: a.platformAdmin.email, password: a.platformAdmin.password }),
    "own-lead": await sessionCookie(a.lead),
  };
  const paramsFor = (slug: string) => ({ orgSlug: slug, personId, assignmentId, importId, packageId: packageId!, orgId: a.org.id });
  const violations: string[] = [];
  for (const file of files) {
    const mod = (await import(path.join(routesDir, file))) as RouteModule;
    for (const kind of ["loader", "action"] as const) {
      const fn = mod[kind];
      if (!fn) continue;
      const call = async (visitor: Visitor, slug: string) => {
        const cookie = cookies[visitor];
        const request = new Request(`http://localhost:3999/org/${slug}/walk`, {
          method: kind === "loader" ? "GET" : "POST",
          headers: { ...(cookie ? { Cookie: cookie } : {}), ...(kind === "action" ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
          body: kind === "action" ? "intent=walk" : undefined,
        });
        return outcome(() => fn({ request, params: paramsFor(slug), context: undefined as never }));
      };
      const expect = (label: string, got: number, ok: (status: number) => boolean, wanted: string) => {
        if (!ok(got)) violations.push(`${file} ${kind} as ${label}: got ${got}, expected ${wanted}`);
      };
      expect("signed-out visitor", await call("signed-out", a.org.slug), (s) => s === 302, "302 to sign in");
      expect("learner of the organisation", await call("learner", a.org.slug), (s) => s === 403, "403");
      expect("training lead of another organisation", await call("other-lead", a.org.slug), (s) => s === 404, "404");
      // Their own organisation in the address, the other organisation's ids in the rest of it.
      const ownSlugForeignIds = await call("other-lead", b.org.slug);
      const hasIds = /\$(personId|assignmentId|importId|packageId)/.test(file);
      if (hasIds) expect("training lead of another organisation with foreign ids", ownSlugForeignIds, (s) => s === 404, "404");
      const admin = await call("platform-admin", a.org.slug);
      expect("platform admin", admin, (s) => s !== 403 && s !== 404 && s !== 500 && s !== 302, "to be let in");
      const own = await call("own-lead", a.org.slug);
      expect("own training lead", own, (s) => s !== 403 && s !== 404 && s !== 500, "to be let in");
    }
  }
  return violations;
}
