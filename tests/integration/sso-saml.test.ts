import fs from "node:fs";
import path from "node:path";
import { and, eq, like } from "drizzle-orm";
import { expect, test } from "vitest";
import { account, auditEvents, member, ssoProvider, user, verification } from "#db/schema/index.ts";
import { createUser, sessionCookie } from "#tests/factories.ts";
import { createOrganisation } from "#tests/org-factories.ts";
import { createAppHandler } from "#tests/remix-handler.ts";
import { createSamlIdp, makeSigningKey, readAuthnRequest, tamper, type ResponseOptions, type SamlPerson } from "#tests/saml-idp.ts";
import { openTestDatabase } from "./database.ts";

/**
 * SAML 2.0 single sign-on (issue 19, ADR 037) against a real samlify
 * identity provider whose key and certificate openssl made for this run.
 * Each test signs in as a person would: /login's email step, "Sign in with
 * your force account" (our AuthnRequest, by redirect), then the IdP's
 * response posted to our ACS from the IdP's site, with none of our cookies
 * (SameSite=Lax keeps them off a cross-site POST).
 */
const handle = await openTestDatabase();
const app = await createAppHandler();
const ORIGIN = "http://localhost:3999";
const IDP_ORIGIN = "https://idp.alpha-constabulary.example";
const DOMAIN = "alpha-saml.police.uk";
const signing = makeSigningKey();
const idp = createSamlIdp({ entityId: `${IDP_ORIGIN}/entity`, ssoUrl: `${IDP_ORIGIN}/saml2`, signing });

const alpha = await createOrganisation({ name: "Alpha SAML Constabulary", domains: [DOMAIN, "alpha-saml-partners.org.uk"], seats: 10 });
const leadCookie = await sessionCookie(alpha.lead);
const ACS = `${ORIGIN}/api/auth/sso/saml2/sp/acs/${alpha.org.slug}`;
const SP_ENTITY_ID = `${ORIGIN}/api/auth/sso/saml2/sp/metadata?providerId=${alpha.org.slug}`;

function postForm(pathname: string, fields: Record<string, string | string[]>, cookie = "", origin = ORIGIN) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  return app(new Request(`${ORIGIN}${pathname}`, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, Cookie: cookie } }));
}

async function configure(fields: Partial<Record<string, string | string[]>> = {}) {
  return postForm(
    `/org/${alpha.org.slug}/sso`,
    {
      intent: "save-saml",
      idpEntityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      certificate: signing.cert,
      metadataXml: "",
      domains: [DOMAIN],
      ...Object.fromEntries(Object.entries(fields).filter((e): e is [string, string | string[]] => e[1] !== undefined)),
    },
    leadCookie,
  );
}

const saved = await configure();
if (saved.status !== 302) throw new Error(`configuring SAML answered ${saved.status}: ${await saved.text()}`);

/** /login's email step and "Sign in with your force account": our AuthnRequest, as the IdP receives it. */
async function startSignIn(email: string) {
  const step = await postForm("/login", { intent: "email", email });
  expect(await step.text()).toContain("Sign in with your force account");
  const start = await postForm("/login", { intent: "sso", email, redirectTo: "/learning" });
  expect(start.status).toBe(302);
  const location = new URL(start.headers.get("location")!);
  expect(`${location.origin}${location.pathname}`).toBe(idp.ssoUrl);
  return readAuthnRequest(location);
}

/** The IdP's auto-posted form arriving at our ACS: cross-site, no cookies of ours. */
async function postToAcs(samlResponse: string, relayState: string) {
  const r = await postForm(`/api/auth/sso/saml2/sp/acs/${alpha.org.slug}`, { SAMLResponse: samlResponse, RelayState: relayState }, "", IDP_ORIGIN);
  return r;
}

async function signInThroughIdp(person: SamlPerson, options: ResponseOptions = {}) {
  const request = await startSignIn(person.email);
  const samlResponse = await idp.respond(request, person, options);
  const acs = await postToAcs(samlResponse, request.relayState);
  return { acs, request, samlResponse, signedIn: acs.headers.getSetCookie().some((c) => /session_token=[^;]/.test(c)) };
}

async function userRow(email: string) {
  const [row] = await handle.db.select({ id: user.id, emailVerified: user.emailVerified, name: user.name }).from(user).where(eq(user.email, email));
  return row;
}

async function membership(userId: string) {
  const [row] = await handle.db.select({ role: member.role }).from(member).where(and(eq(member.organizationId, alpha.org.id), eq(member.userId, userId)));
  return row?.role ?? null;
}

test("the settings page shows the entity ID and reply URL for the IT team, and the SP metadata is served", async () => {
  const page = await app(new Request(`${ORIGIN}/org/${alpha.org.slug}/sso`, { headers: { Cookie: leadCookie } }));
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).toContain(ACS);
  expect(html).toContain(SP_ENTITY_ID.replace("&", "&amp;"));
  expect(html).toContain("CN=Test Identity Provider");
  const metadata = await app(new Request(SP_ENTITY_ID));
  expect(metadata.status).toBe(200);
  const xml = await metadata.text();
  expect(xml).toContain(`entityID="${SP_ENTITY_ID.replace("&", "&amp;")}"`);
  expect(xml).toContain(`Location="${ACS}"`);
  expect(xml).toContain('WantAssertionsSigned="true"');
  // Only public values are stored.
  const [row] = await handle.db.select({ samlConfig: ssoProvider.samlConfig, oidcConfig: ssoProvider.oidcConfig }).from(ssoProvider).where(eq(ssoProvider.organizationId, alpha.org.id));
  expect(row?.oidcConfig).toBeNull();
  expect(row?.samlConfig).not.toContain("PRIVATE KEY");
});

test("a signed assertion signs the officer in: account made, verified as asserted, joined as a learner; a second sign-in is the same person", async () => {
  const email = `nia.officer@${DOMAIN}`;
  const person = { email, givenName: "Nia", surname: "Officer", emailVerified: true };
  const { acs, signedIn } = await signInThroughIdp(person);
  expect(acs.status).toBe(302);
  expect(acs.headers.get("location")).toBe("/learning");
  expect(signedIn).toBe(true);
  const row = await userRow(email);
  expect(row).toMatchObject({ emailVerified: true, name: "Nia Officer" });
  expect(await membership(row!.id)).toBe("member");
  const again = await signInThroughIdp(person);
  expect(again.signedIn).toBe(true);
  const users = await handle.db.select({ id: user.id }).from(user).where(eq(user.email, email));
  expect(users.length).toBe(1);
  const accounts = await handle.db.select({ providerId: account.providerId }).from(account).where(eq(account.userId, row!.id));
  expect(accounts.map((a) => a.providerId)).toEqual([alpha.org.slug]);
});

test("an address the IdP does not assert as verified gets an unverified account and no membership", async () => {
  const email = `uma.unverified@${DOMAIN}`;
  await signInThroughIdp({ email, givenName: "Uma", surname: "Unverified" });
  const row = await userRow(email);
  expect(row?.emailVerified).toBe(false);
  expect(await membership(row!.id)).toBe(null);
});

test("an existing verified account with the same address is linked, not duplicated", async () => {
  const email = `eve.existing@${DOMAIN}`;
  const existing = await createUser({ email, name: "Eve Existing" });
  const { signedIn } = await signInThroughIdp({ email, givenName: "Eve", surname: "Existing", emailVerified: true });
  expect(signedIn).toBe(true);
  const accounts = await handle.db.select({ providerId: account.providerId }).from(account).where(eq(account.userId, existing.id));
  expect(accounts.map((a) => a.providerId).sort()).toEqual([alpha.org.slug, "credential"].sort());
});

test("an IdP asserting an address outside its domains is refused, and no account is made", async () => {
  const request = await startSignIn(`rogue@${DOMAIN}`);
  const acs = await postToAcs(await idp.respond(request, { email: "chief@bravo.police.uk", givenName: "Not", surname: "Alpha", emailVerified: true }), request.relayState);
  expect(acs.headers.get("location")).toMatch(/^\/login\?error=EMAIL_NOT_ON_PROVIDER_DOMAIN/);
  expect(await userRow("chief@bravo.police.uk")).toBeUndefined();
});

test("a tampered assertion (the signed address changed) is refused", async () => {
  const request = await startSignIn(`tom.tampered@${DOMAIN}`);
  const good = await idp.respond(request, { email: `tom.tampered@${DOMAIN}`, givenName: "Tom", surname: "Tampered", emailVerified: true });
  const acs = await postToAcs(tamper(good, `tom.tampered@${DOMAIN}`, `chief.constable@${DOMAIN}`), request.relayState);
  expect(acs.status).toBe(302);
  expect(acs.headers.get("location")).toBe("/login?error=saml_error&error_description=Invalid+SAML+response");
  expect(acs.headers.getSetCookie().some((c) => /session_token=[^;]/.test(c))).toBe(false);
  expect(await userRow(`chief.constable@${DOMAIN}`)).toBeUndefined();
});

test("an unsigned assertion is refused, whether only the response is signed or nothing is", async () => {
  const refusals = {
    response: "/login?error=invalid_saml_response&error_description=SAML+assertion+signature+is+required",
    none: "/login?error=saml_error&error_description=Invalid+SAML+response",
  };
  for (const sign of ["response", "none"] as const) {
    const email = `una.unsigned.${sign}@${DOMAIN}`;
    const { acs, signedIn } = await signInThroughIdp({ email, givenName: "Una", surname: "Unsigned", emailVerified: true }, { sign });
    expect(acs.headers.get("location"), sign).toBe(refusals[sign]);
    expect(signedIn, sign).toBe(false);
    expect(await userRow(email), sign).toBeUndefined();
  }
});

test("an assertion for another service provider (wrong audience) is refused", async () => {
  const email = `walt.wrong@${DOMAIN}`;
  const { acs, signedIn } = await signInThroughIdp({ email, givenName: "Walt", surname: "Wrong", emailVerified: true }, { audience: "https://another-service.example/saml" });
  expect(acs.headers.get("location")).toBe("/login?error=invalid_saml_response&error_description=SAML+assertion+audience+does+not+match+this+Service+Provider");
  expect(signedIn).toBe(false);
  expect(await userRow(email)).toBeUndefined();
});

test("an expired assertion (NotOnOrAfter ten minutes ago, beyond the clock skew) is refused", async () => {
  const email = `ed.expired@${DOMAIN}`;
  const { acs, signedIn } = await signInThroughIdp({ email, givenName: "Ed", surname: "Expired", emailVerified: true }, { validForMinutes: -10 });
  expect(acs.headers.get("location")).toBe("/login?error=saml_error&error_description=Invalid+SAML+response");
  expect(signedIn).toBe(false);
  expect(await userRow(email)).toBeUndefined();
});

test("a replayed assertion is refused: the same response posted again signs no one in", async () => {
  const email = `ray.replay@${DOMAIN}`;
  const first = await signInThroughIdp({ email, givenName: "Ray", surname: "Replay", emailVerified: true });
  expect(first.signedIn).toBe(true);
  // As captured (with its relay state), and as an attacker would retry it (without).
  for (const relayState of [first.request.relayState, ""]) {
    const again = await postToAcs(first.samlResponse, relayState);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/login?error=invalid_saml_response&error_description=Unknown%20or%20expired%20request%20ID");
    expect(again.headers.getSetCookie().some((c) => /session_token=[^;]/.test(c))).toBe(false);
  }
  // The assertion's ID is kept until it expires, for every instance to see.
  const kept = await handle.db.select({ identifier: verification.identifier }).from(verification).where(like(verification.identifier, "saml-used-assertion:%"));
  expect(kept.length).toBeGreaterThan(0);
});

test("an assertion ID already used is refused even inside a new response to a new request (the replay store, beside InResponseTo)", async () => {
  const email = `sam.same@${DOMAIN}`;
  const person = { email, givenName: "Sam", surname: "Same", emailVerified: true };
  const assertionId = `_reused-${Date.now()}`;
  const first = await signInThroughIdp(person, { assertionId });
  expect(first.signedIn).toBe(true);
  const second = await signInThroughIdp(person, { assertionId });
  expect(second.acs.headers.get("location")).toBe("/login?error=replay_detected&error_description=SAML+assertion+has+already+been+used");
  expect(second.signedIn).toBe(false);
});

test("an unsolicited response (not answering an AuthnRequest of ours) is refused", async () => {
  const email = `ivy.unasked@${DOMAIN}`;
  const request = { id: "_not-one-of-ours", acsUrl: ACS, spEntityId: SP_ENTITY_ID, relayState: "" };
  const acs = await postToAcs(await idp.respond(request, { email, givenName: "Ivy", surname: "Unasked", emailVerified: true }), "");
  expect(acs.status).toBe(302);
  expect(acs.headers.get("location")).toBe("/login?error=invalid_saml_response&error_description=Unknown%20or%20expired%20request%20ID");
  expect(acs.headers.getSetCookie().some((c) => /session_token=[^;]/.test(c))).toBe(false);
  expect(await userRow(email)).toBeUndefined();
});

test("the login page explains a refused answer in plain words", async () => {
  const page = await app(new Request(`${ORIGIN}/login?error=invalid_saml_response&error_description=Invalid+SAML+response`));
  expect(await page.text()).toContain("Your force&#x27;s sign-in service sent an answer Distinct could not trust");
});

test("bad SAML settings are a 400 naming the field, and nothing is written", async () => {
  const before = await handle.db.select({ samlConfig: ssoProvider.samlConfig, domain: ssoProvider.domain }).from(ssoProvider).where(eq(ssoProvider.organizationId, alpha.org.id));
  const cases: [Partial<Record<string, string | string[]>>, string][] = [
    [{ certificate: "not a certificate at all" }, "This is not a certificate"],
    [{ certificate: signing.key }, "This is a private key"],
    [{ certificate: "" }, "Paste the identity provider&#x27;s signing certificate"],
    [{ ssoUrl: "http://idp.example.org/saml2" }, "The sign-on URL must start with https://"],
    [{ ssoUrl: "" }, "Enter the identity provider&#x27;s sign-on URL"],
    [{ idpEntityId: "" }, "Enter the identity provider&#x27;s entity ID"],
    [{ idpEntityId: "has spaces in it" }, "The entity ID must not contain spaces"],
    [{ metadataXml: "<html>not metadata</html>" }, "This is not SAML identity provider metadata"],
    [{ domains: ["bravo.police.uk"] }, "bravo.police.uk is not one of your organisation"],
    [{ domains: [] }, "Choose at least one email domain"],
  ];
  for (const [fields, message] of cases) {
    const response = await configure(fields);
    expect(response.status, JSON.stringify(fields)).toBe(400);
    expect(await response.text(), JSON.stringify(fields)).toContain(message);
  }
  // Self-signed, valid 1 to 2 January 2020 (made once with openssl ca -selfsign -startdate/-enddate; public only).
  const expired = fs.readFileSync(path.resolve(import.meta.dirname, "..", "fixtures", "saml", "expired-idp-certificate.pem"), "utf8");
  const old = await configure({ certificate: expired });
  expect(old.status).toBe(400);
  expect(await old.text()).toContain("This certificate expired on");
  const after = await handle.db.select({ samlConfig: ssoProvider.samlConfig, domain: ssoProvider.domain }).from(ssoProvider).where(eq(ssoProvider.organizationId, alpha.org.id));
  expect(after).toEqual(before);
});

test("the IdP's metadata XML can be pasted instead of the three fields", async () => {
  const response = await configure({ idpEntityId: "", ssoUrl: "", certificate: "", metadataXml: idp.metadataXml() });
  expect(response.status).toBe(302);
  const [row] = await handle.db.select({ samlConfig: ssoProvider.samlConfig, issuer: ssoProvider.issuer }).from(ssoProvider).where(eq(ssoProvider.organizationId, alpha.org.id));
  expect(row?.issuer).toBe(idp.entityId);
  expect(row?.samlConfig).toContain(idp.ssoUrl);
  const { signedIn } = await signInThroughIdp({ email: `mo.metadata@${DOMAIN}`, givenName: "Mo", surname: "Metadata", emailVerified: true });
  expect(signedIn).toBe(true);
});

test("setting up SAML is in the organisation's audit log", async () => {
  const rows = await handle.db.select({ details: auditEvents.details }).from(auditEvents).where(and(eq(auditEvents.organizationId, alpha.org.id), eq(auditEvents.action, "sso.configured")));
  expect(JSON.stringify(rows)).toContain('"protocol":"saml"');
  expect(JSON.stringify(rows)).not.toContain("PRIVATE KEY");
});

test("the two SAML endpoints at the front door answer a malformed request with a 400, and the others stay 404", async () => {
  const empty = await app(new Request(ACS, { method: "POST", body: "{}", headers: { "Content-Type": "application/json", Origin: ORIGIN } }));
  expect(empty.status).toBe(400);
  const noProvider = await app(new Request(`${ORIGIN}/api/auth/sso/saml2/sp/metadata`));
  expect(noProvider.status).toBe(400);
  const unknown = await app(new Request(`${ORIGIN}/api/auth/sso/saml2/sp/metadata?providerId=no-such-force`));
  expect(unknown.status).toBe(404);
  const getAcs = await app(new Request(ACS));
  expect(getAcs.status).toBe(404);
  const logout = await app(new Request(`${ORIGIN}/api/auth/sso/saml2/sp/slo/${alpha.org.slug}`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json", Origin: ORIGIN } }));
  expect(logout.status).toBe(404);
});
