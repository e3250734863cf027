import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { invitation, member, user } from "#db/schema/index.ts";
import { invitePerson } from "#app/models/organisations/invitation.server.ts";
import { AUTH_HTTP_ALLOW_LIST } from "#app/utils/auth-allow-list.ts";
import { getAuth } from "#app/services/auth.server.ts";
import { importFixtures, sessionCookie } from "#tests/factories.ts";
import { createOrganisation, invitationToken } from "#tests/org-factories.ts";
import { createAppHandler } from "#tests/remix-handler.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);
const app = await createAppHandler();
const ORIGIN = "http://localhost:3999";

function get(pathname: string, cookie?: string) {
  return app(new Request(`${ORIGIN}${pathname}`, { headers: cookie ? { Cookie: cookie } : {} }));
}

function postForm(pathname: string, fields: Record<string, string>, cookie?: string) {
  return app(
    new Request(`${ORIGIN}${pathname}`, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}) },
    }),
  );
}

function postJson(pathname: string, body: unknown, cookie?: string) {
  return app(
    new Request(`${ORIGIN}${pathname}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}) },
    }),
  );
}

async function userByEmail(email: string) {
  const [row] = await handle.db.select({ id: user.id, emailVerified: user.emailVerified }).from(user).where(eq(user.email, email));
  return row;
}

test("issue 14's attack chain: another force's training lead cannot get a confirmed account for an address, nor that force's access", async () => {
  const alpha = await createOrganisation({ name: "Alpha Constabulary", seats: 10 });
  const bravo = await createOrganisation({ name: "Bravo Police", seats: 10 });
  const chief = "chief@alpha.police.uk";
  const bravoLead = await sessionCookie(bravo.lead);

  // Bravo's lead invites alpha's chief.
  const bravoInvite = await invitePerson(bravo.lead, bravo.org.id, { email: chief, name: "Chief Constable", staffNumber: null, rank: null, teamId: null, role: "member" });
  const listed = await get(`/api/auth/organization/list-invitations?organizationId=${bravo.org.id}`, bravoLead);
  expect(listed.status).toBe(404);
  expect(await listed.text()).not.toContain(bravoInvite.invitationId);

  // Even knowing the invitation's id (it is not a secret), the link's page does not open, and no account is made.
  expect((await get(`/invitations/${bravoInvite.invitationId}`)).status).toBe(404);
  const created = await postForm(`/invitations/${bravoInvite.invitationId}`, {
    intent: "create-account",
    name: "Mallory",
    password: "mallory's own passphrase",
    confirmPassword: "mallory's own passphrase",
  });
  expect(created.status).toBe(404);
  expect(created.headers.get("set-cookie") ?? "").not.toContain("session_token");
  expect(await userByEmail(chief)).toBeUndefined();

  // Nor does the lead's own view of the person show the secret link.
  const token = await invitationToken(chief);
  const peoplePage = await get(`/org/${bravo.org.slug}/people/${bravoInvite.personId}`, bravoLead);
  expect(peoplePage.status).toBe(200);
  expect(await peoplePage.text()).not.toContain(token);
  const [stored] = await handle.db.select({ tokenHash: invitation.tokenHash }).from(invitation).where(eq(invitation.id, bravoInvite.invitationId));
  expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  expect(stored?.tokenHash).not.toContain(token);

  // Alpha later invites the chief as a training lead; bravo's lead cannot list or accept it.
  const alphaInvite = await invitePerson(alpha.lead, alpha.org.id, { email: chief, name: "Chief Constable", staffNumber: "C1", rank: "CC", teamId: null, role: "admin" });
  expect((await get("/api/auth/organization/list-user-invitations", bravoLead)).status).toBe(404);
  expect((await postForm(`/invitations/${alphaInvite.invitationId}`, { intent: "accept" }, bravoLead)).status).toBe(404);
  expect((await postJson("/api/auth/organization/accept-invitation", { invitationId: alphaInvite.invitationId }, bravoLead)).status).toBe(404);
  expect((await get(`/org/${alpha.org.slug}/people`, bravoLead)).status).toBe(404);
  expect(await handle.db.select().from(member).where(and(eq(member.organizationId, alpha.org.id), eq(member.userId, bravo.lead.id)))).toEqual([]);

  // The chief, following the link mailed to them, creates their account and joins alpha as its lead, once.
  const alphaToken = await invitationToken(chief);
  const page = await get(`/invitations/${alphaToken}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Join Alpha Constabulary");
  const joined = await postForm(`/invitations/${alphaToken}`, {
    intent: "create-account",
    name: "Chief Constable",
    password: "the chief's passphrase",
    confirmPassword: "the chief's passphrase",
  });
  expect(joined.status).toBe(302);
  expect(joined.headers.get("location")).toBe(`/org/${alpha.org.slug}`);
  expect(await userByEmail(chief)).toMatchObject({ emailVerified: true });
  const again = await postForm(`/invitations/${alphaToken}`, {
    intent: "create-account",
    name: "Someone Else",
    password: "another passphrase here",
    confirmPassword: "another passphrase here",
  });
  expect(again.status).toBe(400);
});

test("sign-up over the API makes an unconfirmed account that cannot sign in: only a mailed secret confirms an address", async () => {
  const email = "deputy@alpha.police.uk";
  const signedUp = await postJson("/api/auth/sign-up/email", { email, name: "Deputy", password: "a passphrase of my own" });
  expect(signedUp.status).toBe(200);
  expect(await userByEmail(email)).toMatchObject({ emailVerified: false });
  const signIn = await postJson("/api/auth/sign-in/email", { email, password: "a passphrase of my own" });
  expect(signIn.status).toBe(403);
  expect(signIn.headers.get("set-cookie") ?? "").not.toContain("session_token");
});

test("every /api/auth endpoint on the allow-list is one better-auth registers, for that method, and one our own code calls", async () => {
  const endpoints = Object.entries(getAuth().api).map(([key, endpoint]) => ({ key, path: endpoint.path, method: endpoint.options.method }));
  const source = readSource(path.resolve(import.meta.dirname, "..", "..", "app"));
  for (const allowed of AUTH_HTTP_ALLOW_LIST) {
    const endpoint = endpoints.find((e) => e.path === allowed.path);
    expect(endpoint, allowed.path).toBeDefined();
    const methods = [endpoint!.method].flat();
    expect(methods, allowed.path).toContain(allowed.method);
    // The identity provider, not our code, sends the browser to the SSO
    // callback and posts to the SAML ACS; the force's IT team reads the SP
    // metadata (the settings page links to it).
    if (["/sso/callback/:providerId", "/sso/saml2/sp/acs/:providerId", "/sso/saml2/sp/metadata"].includes(allowed.path)) continue;
    expect(source, `app/ calls auth.api.${endpoint!.key}`).toContain(`.api.${endpoint!.key}(`);
  }
});

test("our code calls better-auth only for the account flow: organisation and admin changes go through our models", () => {
  const source = readSource(path.resolve(import.meta.dirname, "..", "..", "app"));
  const called = [...new Set([...source.matchAll(/\.api\.(\w+)\(/g)].map((m) => m[1]))].sort();
  expect(called).toEqual(["getSession", "magicLinkVerify", "requestPasswordReset", "resetPassword", "signInEmail", "signInMagicLink", "signInSSO", "signOut", "signUpEmail", "verifyEmail"]);
});

function readSource(dir: string): string {
  let text = "";
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) text += readSource(full);
    else if (/\.(ts|tsx)$/.test(entry.name)) text += fs.readFileSync(full, "utf8");
  }
  return text;
}
