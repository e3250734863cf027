import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { people, team } from "#db/schema/index.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { action as teamsAction, loader as teamsLoader } from "#app/routes/org.$orgSlug.teams.tsx";
import { importFixtures, sessionCookie } from "#tests/factories.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

async function call<T>(fn: (args: never) => Promise<T>, url: string, cookie: string, params: Record<string, string>, init: RequestInit = {}): Promise<T | Response> {
  try {
    return await fn({ request: new Request(url, { ...init, headers: { Cookie: cookie, ...(init.headers ?? {}) } }), params, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

test("deleting a team: the link opens a confirmation that changes nothing; the confirmed post deletes and says what changed", async () => {
  const { org, lead } = await createOrganisation({ seats: 10 });
  const teamId = await createTeam(lead, org.id, "Night Shift");
  await addLearner(org.id, lead, { name: "Nat Night", teamId });
  const cookie = await sessionCookie(lead);
  const base = `http://localhost/org/${org.slug}/teams`;

  const confirming = (await call(teamsLoader, `${base}?delete=${teamId}`, cookie, { orgSlug: org.slug })) as { confirmDelete: { name: string; members: number } | null };
  expect(confirming.confirmDelete).toMatchObject({ name: "Night Shift", members: 1 });
  expect(await getDb().select({ id: team.id }).from(team).where(eq(team.id, teamId))).toHaveLength(1);

  // A team of another organisation is not found, even to confirm.
  const other = await createOrganisation({ seats: 1 });
  const theirs = await createTeam(other.lead, other.org.id, "Their Team");
  const notFound = await call(teamsLoader, `${base}?delete=${theirs}`, cookie, { orgSlug: org.slug });
  expect(notFound).toBeInstanceOf(Response);
  expect((notFound as Response).status).toBe(404);

  const done = (await call(teamsAction, `${base}?delete=${teamId}`, cookie, { orgSlug: org.slug }, {
    method: "POST",
    body: new URLSearchParams({ intent: "delete", teamId }),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  })) as Response;
  expect(done.status).toBe(302);
  expect(done.headers.get("Location")).toBe(`/org/${org.slug}/teams?deleted=Night+Shift&moved=1`);
  expect(await getDb().select({ id: team.id }).from(team).where(eq(team.id, teamId))).toEqual([]);
  const [nat] = await getDb().select({ teamId: people.teamId }).from(people).where(eq(people.name, "Nat Night"));
  expect(nat?.teamId).toBeNull();
});
