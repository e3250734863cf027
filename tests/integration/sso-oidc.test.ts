import { and, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { account, auditEvents, emailOutbox, invitation, member, people, user } from "#db/schema/index.ts";
import { invitePerson } from "#app/models/organisations/invitation.server.ts";
import { createUser, sessionCookie, uniqueEmail } from "#tests/factories.ts";
import { listenLoopback, startOidcProvider } from "#tests/oidc-idp.ts";
import { createOrganisation } from "#tests/org-factories.ts";
import { createAppHandler } from "#tests/remix-handler.ts";
import { openTestDatabase } from "./database.ts";

// The provider's address must be known (and trusted) before better-auth starts.
const listening = await listenLoopback();
process.env.SSO_INTERNAL_IDP_ORIGINS = listening.issuer;
const handle = await openTestDatabase();
const app = await createAppHandler();
const ORIGIN = "http://localhost:3999";
const DOMAIN = "alpha.police.uk";
const CLIENT_ID = "distinct-alpha";
const CLIENT_SECRET = "alpha-client-secret-do-not-store-in-clear";

const alpha = await createOrganisation({ name: "Alpha Constabulary", domains: [DOMAIN, "alpha-partners.org.uk"], seats: 10 });
const idp = await startOidcProvider({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  redirectUris: [`${ORIGIN}/api/auth/sso/callback/${alpha.org.slug}`],
  listening,
});
const leadCookie = await sessionCookie(alpha.lead);

/** Cookies by name, enough for one host's flow. */
class Jar {
  private cookies = new Map<string, string>();
  take(response: Response) {
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      if (/max-age=0/i.test(c) || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
  }
  header() {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join("; ");
  }
}

function postForm(pathname: string, fields: Record<string, string | string[]>, cookie = "") {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  return app(new Request(`${ORIGIN}${pathname}`, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie } }));
}

async function configure(fields: Partial<Record<string, string | string[]>> = {}) {
  const response = await postForm(`/org/${alpha.org.slug}/sso`, {
    intent: "save",
    issuer: idp.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    domains: [DOMAIN],
    ...Object.fromEntries(Object.entries(fields).filter((e): e is [string, string | string[]] => e[1] !== undefined)),
  }, leadCookie);
  return response;
}

const saved = await configure();
if (saved.status !== 302) throw new Error(`configuring SSO answered ${saved.status}: ${await saved.text()}`);

/**
 * Signs in as a person would: the email step, "Sign in with your force
 * account", the provider's own sign-in page (login names the account), and
 * back to our callback. Returns the callback's answer and the app's cookies.
 */
async function signInThroughProvider(email: string, login: string) {
  const appJar = new Jar();
  const first = await postForm("/login", { intent: "email", email });
  expect(first.status).toBe(200);
  expect(await first.text()).toContain("Sign in with your force account");
  const start = await postForm("/login", { intent: "sso", email, redirectTo: "/learning" });
  expect(start.status).toBe(302);
  appJar.take(start);
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin).toBe(idp.issuer);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const idpJar = new Jar();
  let next: URL = authorize;
  let method = "GET";
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(next, { method, body, redirect: "manual", headers: { Cookie: idpJar.header(), ...(body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) } });
    idpJar.take(response);
    method = "GET";
    body = undefined;
    if (response.status >= 300 && response.status < 400) {
      next = new URL(response.headers.get("location")!, next);
      if (next.origin === ORIGIN) break;
      continue;
    }
    const html = await response.text();
    expect(html, `the provider's page at ${next.pathname}`).toContain('name="login"');
    const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!;
    next = new URL(action, next);
    method = "POST";
    body = new URLSearchParams({ prompt: "login", login, password: "anything" });
  }
  expect(next.pathname).toBe(`/api/auth/sso/callback/${alpha.org.slug}`);
  expect(next.searchParams.get("code")).toBeTruthy();
  const callback = await app(new Request(next, { headers: { Cookie: appJar.header() } }));
  appJar.take(callback);
  return { callback, cookie: appJar.header(), callbackUrl: next, appCookieAtStart: appJar };
}

async function userRow(email: string) {
  const [row] = await handle.db.select({ id: user.id, emailVerified: user.emailVerified, name: user.name }).from(user).where(eq(user.email, email));
  return row;
}

async function membership(userId: string) {
  const [row] = await handle.db.select({ role: member.role }).from(member).where(and(eq(member.organizationId, alpha.org.id), eq(member.userId, userId)));
  return row?.role ?? null;
}

test("the client secret is stored encrypted, never shown back, and the settings page gives the redirect URI", async () => {
  const raw = await handle.db.execute(sql`select oidc_config from sso_provider where organization_id = ${alpha.org.id}`);
  const stored = String((raw as unknown as { rows: { oidc_config: string }[] }).rows[0]!.oidc_config);
  expect(stored.startsWith("enc:v1:")).toBe(true);
  expect(stored).not.toContain(CLIENT_SECRET);
  expect(stored).not.toContain(CLIENT_ID);
  const page = await app(new Request(`${ORIGIN}/org/${alpha.org.slug}/sso`, { headers: { Cookie: leadCookie } }));
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).toContain(`${ORIGIN}/api/auth/sso/callback/${alpha.org.slug}`);
  expect(html).not.toContain(CLIENT_SECRET);
});

test("a domain the organisation does not own, or an issuer that is not https, is a 400 naming the field", async () => {
  const foreign = await configure({ domains: ["bravo.police.uk"] });
  expect(foreign.status).toBe(400);
  expect(await foreign.text()).toContain("bravo.police.uk is not one of your organisation");
  const plain = await configure({ issuer: "http://idp.example.org" });
  expect(plain.status).toBe(400);
  expect(await plain.text()).toContain("The issuer must start with https://");
});

test("first sign-in through the force's provider creates the account, verified as the provider asserts, and joins as a learner", async () => {
  const email = `new-officer@${DOMAIN}`;
  idp.accounts.set("new-officer", { email, email_verified: true, name: "Nia Officer" });
  const { callback, cookie } = await signInThroughProvider(email, "new-officer");
  expect(callback.status).toBe(302);
  expect(callback.headers.get("location")).toBe("/learning");
  const row = await userRow(email);
  expect(row).toMatchObject({ emailVerified: true, name: "Nia Officer" });
  expect(await membership(row!.id)).toBe("member");
  const learning = await app(new Request(`${ORIGIN}/learning`, { headers: { Cookie: cookie } }));
  expect(learning.status).toBe(200);
  // A second sign-in is the same person: one user, one SSO account, one membership.
  await signInThroughProvider(email, "new-officer");
  const users = await handle.db.select({ id: user.id }).from(user).where(eq(user.email, email));
  expect(users.length).toBe(1);
  const accounts = await handle.db.select({ providerId: account.providerId }).from(account).where(eq(account.userId, row!.id));
  expect(accounts.map((a) => a.providerId)).toEqual([alpha.org.slug]);
});

test("an address the provider does not assert as verified gets an unverified account and no membership", async () => {
  const email = `unverified@${DOMAIN}`;
  idp.accounts.set("unverified", { email, email_verified: false, name: "Uma Unverified" });
  await signInThroughProvider(email, "unverified");
  const row = await userRow(email);
  expect(row?.emailVerified).toBe(false);
  expect(await membership(row!.id)).toBe(null);
  // They are mailed a confirmation link; confirming joins them (as self sign-up does).
  const mailed = await handle.db.select({ kind: emailOutbox.kind }).from(emailOutbox).where(eq(emailOutbox.recipient, email));
  expect(mailed.map((m) => m.kind)).toEqual(["verify-email"]);
});

test("an existing verified account with the same address is linked, not duplicated", async () => {
  const email = `existing@${DOMAIN}`;
  const existing = await createUser({ email, name: "Eve Existing" });
  idp.accounts.set("existing", { email, email_verified: true, name: "Eve Existing" });
  const { callback } = await signInThroughProvider(email, "existing");
  expect(callback.headers.get("location")).toBe("/learning");
  const users = await handle.db.select({ id: user.id }).from(user).where(eq(user.email, email));
  expect(users.map((u) => u.id)).toEqual([existing.id]);
  const accounts = await handle.db.select({ providerId: account.providerId }).from(account).where(eq(account.userId, existing.id));
  expect(accounts.map((a) => a.providerId).sort()).toEqual([alpha.org.slug, "credential"].sort());
});

test("an existing account whose address was never confirmed is not linked: the person is sent back to /login with a reason", async () => {
  const email = `squatted@${DOMAIN}`;
  const squatter = await createUser({ email, name: "Sam Squatter", verified: false });
  idp.accounts.set("squatted", { email, email_verified: true, name: "Real Officer" });
  const { callback } = await signInThroughProvider(email, "squatted");
  expect(callback.status).toBe(302);
  expect(callback.headers.get("location")).toMatch(/^\/login\?error=account(\+|%20)not(\+|%20)linked/);
  const accounts = await handle.db.select({ providerId: account.providerId }).from(account).where(eq(account.userId, squatter.id));
  expect(accounts.map((a) => a.providerId)).toEqual(["credential"]);
  const page = await app(new Request(`${ORIGIN}${callback.headers.get("location")}`));
  expect(await page.text()).toContain("An account with your email address already exists");
});

test("a pending invitation is accepted by the first sign-in (the invited role, no second person)", async () => {
  const email = `invited@${DOMAIN}`;
  await invitePerson(alpha.lead, alpha.org.id, { email, name: "Ivy Invited", staffNumber: "A123", rank: null, teamId: null, role: "admin" });
  idp.accounts.set("invited", { email, email_verified: true, name: "Ivy Invited" });
  await signInThroughProvider(email, "invited");
  const row = await userRow(email);
  expect(await membership(row!.id)).toBe("admin");
  const [invite] = await handle.db.select({ status: invitation.status }).from(invitation).where(and(eq(invitation.organizationId, alpha.org.id), eq(invitation.email, email)));
  expect(invite?.status).toBe("accepted");
  const persons = await handle.db.select({ status: people.status, staffNumber: people.staffNumber }).from(people).where(and(eq(people.organizationId, alpha.org.id), eq(people.email, email)));
  expect(persons).toEqual([{ status: "active", staffNumber: "A123" }]);
});

test("a provider asserting an address outside its domains is refused, and no account is made", async () => {
  const email = `chief@bravo.police.uk`;
  idp.accounts.set("rogue", { email, email_verified: true, name: "Not Alpha" });
  // The person typed an Alpha address; the provider answers with another force's.
  const { callback } = await signInThroughProvider(`rogue@${DOMAIN}`, "rogue");
  expect(callback.headers.get("location")).toMatch(/^\/login\?error=EMAIL_NOT_ON_PROVIDER_DOMAIN/);
  expect(await userRow(email)).toBeUndefined();
});

test("the provider's answer works once: replaying the callback signs no one in", async () => {
  const email = `replay@${DOMAIN}`;
  idp.accounts.set("replay", { email, email_verified: true, name: "Ray Replay" });
  const { callbackUrl, appCookieAtStart } = await signInThroughProvider(email, "replay");
  const again = await app(new Request(callbackUrl, { headers: { Cookie: appCookieAtStart.header() } }));
  expect(again.status).toBe(302);
  expect(again.headers.get("location")).toBe(`${ORIGIN}/login?error=state_mismatch`);
  expect(again.headers.getSetCookie().some((c) => /session_token=[^;]/.test(c))).toBe(false);
});

test("requiring SSO refuses password sign-in (form and API) and emailed links for the domain, with a message; other domains keep passwords", async () => {
  const officer = await createUser({ email: `password-officer@${DOMAIN}`, name: "Pat Password" });
  const partner = await createUser({ email: uniqueEmail("partner"), name: "Pip Partner" });
  expect((await configure({ requireSso: "on" })).status).toBe(302);
  try {
    const form = await postForm("/login", { email: officer.email, password: officer.password });
    expect(form.status).toBe(403);
    expect(await form.text()).toContain("Your organisation signs you in with your force account");
    const api = await app(new Request(`${ORIGIN}/api/auth/sign-in/email`, { method: "POST", body: JSON.stringify({ email: officer.email, password: officer.password }), headers: { "Content-Type": "application/json", Origin: ORIGIN } }));
    expect(api.status).toBe(403);
    const link = await postForm("/login", { intent: "magic-link", email: officer.email });
    expect(link.status).toBe(403);
    // The email step goes straight to the provider.
    const step = await postForm("/login", { intent: "email", email: officer.email });
    expect(step.status).toBe(302);
    expect(new URL(step.headers.get("location")!).origin).toBe(idp.issuer);
    const other = await postForm("/login", { email: partner.email, password: partner.password });
    expect(other.status).toBe(302);
  } finally {
    expect((await configure({ requireSso: undefined })).status).toBe(302);
  }
});

test("setting up and changing SSO is in the organisation's audit log, without the secret", async () => {
  const rows = await handle.db.select({ details: auditEvents.details }).from(auditEvents).where(and(eq(auditEvents.organizationId, alpha.org.id), eq(auditEvents.action, "sso.configured")));
  expect(rows.length).toBeGreaterThan(0);
  expect(JSON.stringify(rows)).not.toContain(CLIENT_SECRET);
});
