import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { people } from "#db/schema/index.ts";
import { createAssignment, listAssignments } from "#app/models/organisations/assignment.server.ts";
import { listOrganisations } from "#app/models/organisations/organisation.server.ts";
import { createTeam, listTeams } from "#app/models/organisations/team.server.ts";
import { importFixtures } from "#tests/factories.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

// The counts in these lists are correlated subqueries. drizzle writes a column
// without its table name when a select has one table and no joins, so
// `${organization.id}` inside the subquery became a bare "id" and compared the
// subquery's own rows with themselves: every count came out wrong.

test("the organisations list counts each organisation's own active and invited people", async () => {
  const a = await createOrganisation({ seats: 20 });
  const b = await createOrganisation({ seats: 20 });
  await addLearner(a.org.id, a.lead);
  await addLearner(a.org.id, a.lead);
  const { personId: gone } = await addLearner(a.org.id, a.lead);
  await handle.db.update(people).set({ status: "left" }).where(eq(people.id, gone));
  await handle.db.insert(people).values({ organizationId: a.org.id, email: "invited.one@example.org", name: "Invited One", status: "invited" });
  const list = await listOrganisations();
  // The lead plus two learners are active in A; one is invited; the one who left is not counted.
  expect(list.find((o) => o.id === a.org.id)).toMatchObject({ active: 3, invited: 1 });
  expect(list.find((o) => o.id === b.org.id)).toMatchObject({ active: 1, invited: 0 });
});

test("the teams list counts each team's own members, leavers excluded", async () => {
  const { org, lead } = await createOrganisation({ seats: 20 });
  const red = await createTeam(lead, org.id, "Red team");
  const blue = await createTeam(lead, org.id, "Blue team");
  await addLearner(org.id, lead, { teamId: red });
  await addLearner(org.id, lead, { teamId: red });
  const { personId: gone } = await addLearner(org.id, lead, { teamId: red });
  await handle.db.update(people).set({ status: "left" }).where(eq(people.id, gone));
  await addLearner(org.id, lead, { teamId: blue });
  const teams = await listTeams(org.id);
  expect(teams.map((t) => [t.name, t.members])).toEqual([
    ["Blue team", 1],
    ["Red team", 2],
  ]);
});

test("the assignments list counts the people named on each assignment", async () => {
  const { org, lead } = await createOrganisation({ seats: 20 });
  const one = await addLearner(org.id, lead);
  const two = await addLearner(org.id, lead);
  const pair = await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [one.personId, two.personId], dueDate: null, dueDays: 30 });
  const list = await listAssignments(org.id);
  expect(list.find((a) => a.id === pair)).toMatchObject({ people: 2, total: 2 });
});
