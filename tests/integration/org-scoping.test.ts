import { expect, test } from "vitest";
import { importFixtures } from "#tests/factories.ts";
import { walkOrganisationRoutes } from "#tests/org-route-walk.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

test("every organisation page and action answers each visitor as it should: sign in, 403, 404 for other organisations and their ids", { timeout: 120_000 }, async () => {
  expect(await walkOrganisationRoutes(handle)).toEqual([]);
});
