import { desc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { certificates, emailOutbox, enrolments, moduleVersions, quizAttempts, staffImports } from "#db/schema/index.ts";
import { createScormPackage } from "#app/models/learning/scorm.server.ts";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { getAuth } from "#app/services/auth.server.ts";
import { createUser, importFixtures, sessionCookie, type TestUser } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { createAppHandler, discoverRoutes, fullPattern } from "#tests/remix-handler.ts";
import { checkUpload } from "#app/models/organisations/staff-import.server.ts";
import { openTestDatabase } from "./database.ts";
import { EXPECTED_AUTH, EXPECTED_ROUTES, ROLES, type Role } from "./route-matrix-expected.ts";

/**
 * Issue 14's route × role matrix: every Remix route (discovered from
 * app/routes with Remix's own convention) and every /api/auth path
 * better-auth registers (read from its router), GET and POST, for each kind
 * of visitor, against the status written for it in route-matrix-expected.ts.
 * A new route or endpoint fails until its row is written there.
 *
 * The 2,000-odd requests are split into three parts, one test file each
 * (route-matrix-*.test.ts), so that vitest runs them side by side and none
 * takes minutes; each file builds the same world in its own database. Every
 * address belongs to exactly one part (partOf), so together the files walk
 * every route and endpoint and check every row of the table.
 */
export const PARTS = ["organisations", "platform", "public"] as const;
export type Part = (typeof PARTS)[number];

export function partOf(key: string): Part {
  if (key.startsWith("/org/")) return "organisations";
  if (key.startsWith("/api/auth") || /^\/(admin|studio)(\/|$)/.test(key)) return "platform";
  return "public";
}

const ORIGIN = "http://localhost:3999";
type Table = Record<string, Partial<Record<"GET" | "POST", readonly number[]>>>;

/** Builds the world in this file's database, then one test per route or endpoint of `part`. */
export async function defineRouteMatrix(part: Part) {
  const handle = await openTestDatabase();
  await importFixtures(handle);
  const app = await createAppHandler();

  const alpha = await createOrganisation({ name: "Alpha Constabulary", seats: 20 });
  const bravo = await createOrganisation({ name: "Bravo Police", seats: 20 });
  const teamId = await createTeam(alpha.lead, alpha.org.id, "Response");
  const { learner, personId } = await addLearner(alpha.org.id, alpha.lead, { teamId });
  const assignmentId = await createAssignment(alpha.lead, alpha.org.id, { moduleSlug: "sample-basics", target: "organisation", teamId: null, personIds: [], dueDate: null, dueDays: 30 });
  const importId = await checkUpload(alpha.lead, alpha.org.id, "list.csv", new TextEncoder().encode("email,name\nnew.person@example.org,New Person\n"));
  await completeModule(learner.id, "sample-basics", { organizationId: alpha.org.id });
  const [certificate] = await handle.db.select({ code: certificates.code }).from(certificates).where(eq(certificates.userId, learner.id));
  const [attempt] = await handle.db.select({ id: quizAttempts.id }).from(quizAttempts).orderBy(desc(quizAttempts.startedAt)).limit(1);
  const [mail] = await handle.db.select({ id: emailOutbox.id }).from(emailOutbox).limit(1);
  const [enrolment] = await handle.db.select({ id: enrolments.id }).from(enrolments).where(eq(enrolments.userId, learner.id));
  const [version] = await handle.db.select({ id: moduleVersions.id }).from(moduleVersions).limit(1);
  const packageId = await createScormPackage(alpha.lead, alpha.org.id, version!.id);
  const author = await createUser({ role: "author", name: "Ava Author" });
  const admin = alpha.platformAdmin;
  const [upload] = await handle.db.select({ id: staffImports.id }).from(staffImports).where(eq(staffImports.id, importId));
  if (!upload) throw new Error("the staff list upload was not kept");

  const accounts: Record<Exclude<Role, "anonymous">, TestUser> = { learner, "other-lead": bravo.lead, lead: alpha.lead, author, admin };
  const cookies = new Map<Role, string | null>([["anonymous", null]]);
  const signIn = async (role: Role) => {
    if (role !== "anonymous") cookies.set(role, await sessionCookie(accounts[role]));
  };
  for (const role of ROLES) await signIn(role);

  const params: Record<string, string> = {
    orgSlug: alpha.org.slug,
    orgId: alpha.org.id,
    personId,
    assignmentId,
    importId,
    code: certificate!.code,
    id: mail!.id,
    slug: "sample-basics",
    lesson: "first",
    file: "01-first.mdx",
    version: "1",
    attemptId: attempt!.id,
    enrolmentId: enrolment!.id,
    packageId: packageId!,
    token: "not-a-real-invitation-token-000000000000000",
    hash: "0".repeat(64),
    "*": "no-such-page",
  };
  const toUrl = (pattern: string) =>
    pattern.replace(/:(\w+)\??|\*/g, (whole, name: string | undefined) => {
      const value = params[name ?? "*"];
      if (value === undefined) throw new Error(`no value for ${whole} in ${pattern}`);
      return encodeURIComponent(value);
    });

  const request = async (role: Role, method: "GET" | "POST", pathname: string, json: boolean) => {
    const cookie = cookies.get(role);
    const headers: Record<string, string> = { ...(cookie ? { Cookie: cookie } : {}) };
    let body: string | undefined;
    if (method === "POST") {
      headers.Origin = ORIGIN;
      headers["Content-Type"] = json ? "application/json" : "application/x-www-form-urlencoded";
      body = json ? "{}" : "intent=matrix";
    }
    const response = await app(new Request(`${ORIGIN}${pathname}`, { method, headers, body, redirect: "manual" }));
    await response.arrayBuffer();
    // Signing out ends the session the next cells need: sign in again.
    if (method === "POST" && /^\/(logout|api\/auth\/sign-out)$/.test(pathname)) await signIn(role);
    return response.status;
  };

  // Every address there is, whichever part it belongs to: the rows of other parts are checked by their files.
  const all = discoverRoutes();
  // A layout and its index route share an address, so a request to it is made once.
  const routeKeys = [...new Set(all.map((route) => fullPattern(route, all)))].filter((pattern) => !pattern.startsWith("/api/auth")); // every better-auth path is walked below
  // Server-only endpoints (no path) cannot be reached over HTTP at all.
  const authKeys = Object.values(getAuth().api).flatMap((endpoint) => (endpoint.path ? [`/api/auth${endpoint.path}`] : []));
  const cells = [
    ...routeKeys.map((key) => ({ key, table: EXPECTED_ROUTES as Table, pathname: toUrl(key), json: false })),
    ...authKeys.map((key) => ({ key, table: EXPECTED_AUTH as Table, pathname: key.replace(/:(\w+)/g, "x"), json: true })),
  ].filter((cell) => partOf(cell.key) === part);
  if (cells.length === 0) throw new Error(`no routes in the ${part} part`);

  test.each(cells)("$key answers each role, GET and POST, with the status written for it", async ({ key, table, pathname, json }) => {
    const observed: Record<string, number[]> = {};
    for (const method of ["GET", "POST"] as const) {
      const statuses: number[] = [];
      for (const role of ROLES) statuses.push(await request(role, method, pathname, json));
      observed[method] = statuses;
    }
    // Roles in the order of ROLES: anonymous, learner, other-lead, lead, author, admin.
    expect(observed, `${key}: observed ${JSON.stringify(observed)}`).toEqual({ GET: table[key]?.GET ?? "no expected row", POST: table[key]?.POST ?? "no expected row" });
  });

  test(`no stale rows: every row of the ${part} part is a route or endpoint that exists`, () => {
    expect(Object.keys(EXPECTED_ROUTES).filter((k) => partOf(k) === part && !routeKeys.includes(k))).toEqual([]);
    expect(Object.keys(EXPECTED_AUTH).filter((k) => partOf(k) === part && !authKeys.includes(k))).toEqual([]);
  });
}
