import { expect, test } from "vitest";
import { OrganisationSchema } from "#app/utils/org-validation.ts";

const valid = { name: "Cambridgeshire Constabulary", slug: "cambs", leadName: "Lee Lead", leadEmail: "lee@cambs.police.uk" };

test("a wrong email domain is reported at the domains field itself, naming the domain", () => {
  const result = OrganisationSchema.safeParse({ ...valid, domains: "cambs.police.uk, not a domain" });
  expect(result.error?.issues.map((i) => ({ path: i.path.join("."), message: i.message }))).toEqual([
    { path: "domains", message: "“not” is not an email domain: enter domains like cambs.police.uk, separated by commas or new lines" },
  ]);
  expect(OrganisationSchema.safeParse({ ...valid, domains: "cambs.police.uk\n@met.police.uk" }).data?.domains).toEqual(["cambs.police.uk", "met.police.uk"]);
});
