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
 * A new route or endpoint fails this test until its row is written there.
 */
const handle = await openTestDatabase();
await importFixtures(handle);
const app = await createAppHandler();
const ORIGIN = "http://localhost:3999";

test("every route and every /api/auth endpoint answers each role with the status written for it", { timeout: 900_000 }, async () => {
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
  expect(await handle.db.select({ id: staffImports.id }).from(staffImports).where(eq(staffImports.id, importId))).toHaveLength(1);

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

  const observed: Record<string, Record<string, number[]>> = {};
  const mismatches: string[] = [];
  const check = async (table: Record<string, Partial<Record<"GET" | "POST", readonly number[]>>>, key: string, pathname: string, json: boolean) => {
    for (const method of ["GET", "POST"] as const) {
      const statuses: number[] = [];
      for (const role of ROLES) statuses.push(await request(role, method, pathname, json));
      (observed[key] ??= {})[method] = statuses;
      const wanted = table[key]?.[method];
      if (!wanted) mismatches.push(`${method} ${key}: no expected row (observed ${statuses.join(", ")})`);
      else if (wanted.join() !== statuses.join()) mismatches.push(`${method} ${key}: expected ${wanted.join(", ")} got ${statuses.join(", ")}`);
    }
  };

  const all = discoverRoutes();
  const routeKeys: string[] = [];
  for (const route of all) {
    const pattern = fullPattern(route, all);
    if (pattern.startsWith("/api/auth")) continue; // every better-auth path is walked below
    routeKeys.push(pattern);
    await check(EXPECTED_ROUTES, pattern, toUrl(pattern), false);
  }
  const authKeys: string[] = [];
  for (const endpoint of Object.values(getAuth().api)) {
    // Server-only endpoints (no path) cannot be reached over HTTP at all.
    if (!endpoint.path) continue;
    const key = `/api/auth${endpoint.path}`;
    authKeys.push(key);
    await check(EXPECTED_AUTH, key, key.replace(/:(\w+)/g, "x"), true);
  }
  if (mismatches.length > 0) console.log(JSON.stringify(observed));
  expect(mismatches).toEqual([]);
  // No stale rows: every row in the table is a route or endpoint that exists.
  expect(Object.keys(EXPECTED_ROUTES).filter((k) => !routeKeys.includes(k))).toEqual([]);
  expect(Object.keys(EXPECTED_AUTH).filter((k) => !authKeys.includes(k))).toEqual([]);
  const cells = (routeKeys.length + authKeys.length) * 2 * ROLES.length;
  console.info(`route × role matrix: ${routeKeys.length} routes and ${authKeys.length} /api/auth endpoints, GET and POST, ${ROLES.length} roles: ${cells} cells`);
});
