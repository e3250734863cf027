import { expect, test, vi } from "vitest";
import { importFixtures } from "#tests/factories.ts";
import { walkOrganisationRoutes } from "#tests/org-route-walk.ts";
import { openTestDatabase } from "./database.ts";

// A scope removed: membership is no longer checked, as if the WHERE on the
// organisation were dropped. The walk must notice.
vi.mock("#app/models/organisations/organisation.server.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("#app/models/organisations/organisation.server.ts")>();
  return { ...original, getMembershipRole: async () => "admin" as const };
});

const handle = await openTestDatabase();
await importFixtures(handle);

test("with the organisation scope removed, the walk reports the breaches", { timeout: 120_000 }, async () => {
  const violations = await walkOrganisationRoutes(handle);
  expect(violations.some((v) => v.includes("training lead of another organisation: got"))).toBe(true);
  expect(violations.some((v) => v.includes("learner of the organisation"))).toBe(true);
});
