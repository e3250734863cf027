import { X509Certificate } from "node:crypto";
import { eq } from "drizzle-orm";
import * as samlify from "samlify";
import { z } from "zod";
import { account, organisationDomains, ssoProvider } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";
import type { Executor } from "#db/client.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { getEnv } from "#app/services/env.server.ts";

/**
 * An organisation's single sign-on: one identity provider (a force's Entra ID
 * tenant, say), spoken to by OpenID Connect or by SAML 2.0, serving some of
 * the organisation's email domains. The row is @better-auth/sso's
 * `ssoProvider`; its `oidc_config`, which holds the client secret, is
 * encrypted at rest (db/secret-box.ts); its `saml_config` holds only public
 * values (entity IDs, the sign-on URL, the IdP's signing certificate).
 * Nothing here returns the secret to a page. ADR 034 and ADR 037.
 */

export type SsoProtocol = "oidc" | "saml";

export type SamlSettings = {
  idpEntityId: string;
  ssoUrl: string;
  certificate: string;
  /** When the IdP's signing certificate stops being valid, and whose it is. */
  certificateExpires: string;
  certificateSubject: string;
};

export type SsoSettings = {
  providerId: string;
  protocol: SsoProtocol;
  issuer: string;
  clientId: string;
  saml: SamlSettings | null;
  domains: string[];
  requireSso: boolean;
  redirectUri: string;
};

export type SsoInput = {
  issuer: string;
  clientId: string;
  /** Empty keeps the stored secret. */
  clientSecret: string;
  domains: string[];
  requireSso: boolean;
};

export type SamlInput = {
  idpEntityId: string;
  ssoUrl: string;
  certificate: string;
  /** When given, the entity ID, sign-on URL and certificate are read from it instead. */
  metadataXml: string;
  domains: string[];
  requireSso: boolean;
};

export class SsoInputError extends Error {
  constructor(
    readonly field: keyof SsoInput | keyof SamlInput,
    message: string,
  ) {
    super(message);
  }
}

/** What the force's IT team enters at a SAML identity provider for Distinct (the "service provider"). */
export type SamlServiceProvider = { entityId: string; acsUrl: string; metadataUrl: string };

export function samlServiceProvider(providerId: string): SamlServiceProvider {
  const base = `${getEnv().APP_URL}/api/auth/sso/saml2/sp`;
  const metadataUrl = `${base}/metadata?providerId=${encodeURIComponent(providerId)}`;
  // The metadata address doubles as the entity ID (the assertion's Audience),
  // as many service providers do: unique per organisation, and it resolves.
  return { entityId: metadataUrl, acsUrl: `${base}/acs/${encodeURIComponent(providerId)}`, metadataUrl };
}

/** The redirect (callback) URI to register with the provider. */
export function ssoRedirectUri(providerId: string): string {
  return `${getEnv().APP_URL}/api/auth/sso/callback/${encodeURIComponent(providerId)}`;
}

type StoredOidc = { issuer: string; clientId: string; clientSecret: string; pkce: boolean; discoveryEndpoint: string; scopes: string[] };

const StoredOidcSchema = z.object({ issuer: z.string(), clientId: z.string(), clientSecret: z.string(), discoveryEndpoint: z.string().optional() });

function parseOidc(json: string | null): StoredOidc | null {
  if (!json) return null;
  const parsed = StoredOidcSchema.safeParse(JSON.parse(json));
  if (!parsed.success) return null;
  const { issuer, clientId, clientSecret, discoveryEndpoint } = parsed.data;
  return { issuer, clientId, clientSecret, pkce: true, discoveryEndpoint: discoveryEndpoint ?? `${issuer}/.well-known/openid-configuration`, scopes: ["openid", "email", "profile"] };
}

/**
 * The SAML configuration as @better-auth/sso reads it (its samlConfig JSON):
 * the IdP given by hand (entity ID, redirect-binding sign-on URL, signing
 * certificate), Distinct's own entity ID as the audience, signed assertions
 * required, and the attributes the assertion's person is read from.
 */
type StoredSaml = {
  issuer: string;
  entryPoint: string;
  audience: string;
  callbackUrl: string;
  wantAssertionsSigned: true;
  idpMetadata: { entityID: string; cert: string };
  spMetadata: { entityID: string };
  identifierFormat: string;
  mapping: { email: string; emailVerified: string; name: string; firstName: string; lastName: string };
};

const StoredSamlSchema = z.object({ entryPoint: z.string(), idpMetadata: z.object({ entityID: z.string(), cert: z.string() }) });

function parseSaml(json: string | null): SamlSettings | null {
  if (!json) return null;
  const parsed = StoredSamlSchema.safeParse(JSON.parse(json));
  if (!parsed.success) return null;
  const certificate = parsed.data.idpMetadata.cert;
  let certificateExpires = "";
  let certificateSubject = "";
  try {
    const x509 = new X509Certificate(certificate);
    certificateExpires = new Date(x509.validTo).toISOString();
    certificateSubject = x509.subject.replace(/\n/g, ", ");
  } catch {
    // Stored only after parsing (saveSamlSettings), so this is not reached.
  }
  return { idpEntityId: parsed.data.idpMetadata.entityID, ssoUrl: parsed.data.entryPoint, certificate, certificateExpires, certificateSubject };
}

const splitDomains = (list: string) => list.split(",").map((d) => d.trim().toLowerCase()).filter(Boolean);

export async function getSsoSettings(organisationId: string): Promise<SsoSettings | null> {
  const [row] = await getDb()
    .select({ providerId: ssoProvider.providerId, oidcConfig: ssoProvider.oidcConfig, samlConfig: ssoProvider.samlConfig, domain: ssoProvider.domain, requireSso: ssoProvider.requireSso })
    .from(ssoProvider)
    .where(eq(ssoProvider.organizationId, organisationId));
  if (!row) return null;
  const oidc = parseOidc(row.oidcConfig);
  const saml = parseSaml(row.samlConfig);
  return {
    providerId: row.providerId,
    protocol: saml ? "saml" : "oidc",
    issuer: oidc?.issuer ?? "",
    clientId: oidc?.clientId ?? "",
    saml,
    domains: splitDomains(row.domain),
    requireSso: row.requireSso,
    redirectUri: ssoRedirectUri(row.providerId),
  };
}

/**
 * Sets up or changes the organisation's OpenID Connect provider. The domains
 * must be the organisation's own (a platform admin assigns those), so a
 * training lead can only route their own organisation's addresses to it.
 */
async function assertOwnDomains<F extends string>(organisationId: string, domains: string[], error: (message: string) => Error & { field: F }): Promise<void> {
  const owned = await getDb()
    .select({ domain: organisationDomains.domain })
    .from(organisationDomains)
    .where(eq(organisationDomains.organizationId, organisationId));
  const ownDomains = owned.map((d) => d.domain.toLowerCase());
  const foreign = domains.find((d) => !ownDomains.includes(d));
  if (foreign) throw error(`${foreign} is not one of your organisation's email domains`);
  if (domains.length === 0) throw error("Choose at least one email domain for single sign-on");
}

type ProviderValues = Pick<typeof ssoProvider.$inferInsert, "issuer" | "oidcConfig" | "samlConfig" | "domain" | "requireSso" | "updatedAt">;

/** Writes the organisation's one provider row (its id is the organisation's slug) and audits the change. */
async function writeProvider(
  tx: Executor,
  actor: AuditActor,
  organisation: { id: string; slug: string },
  existingId: string | null,
  values: ProviderValues,
  details: Record<string, unknown>,
): Promise<void> {
  if (existingId) await tx.update(ssoProvider).set(values).where(eq(ssoProvider.id, existingId));
  else {
    await tx.insert(ssoProvider).values({
      id: crypto.randomUUID(),
      providerId: organisation.slug,
      organizationId: organisation.id,
      userId: actor === "system" ? null : actor.id,
      ...values,
    });
  }
  await audit(tx, { actor, action: "sso.configured", organisationId: organisation.id, target: { type: "organisation", id: organisation.id }, details });
}

export async function saveOidcSettings(actor: AuditActor, organisation: { id: string; slug: string }, input: SsoInput): Promise<SsoSettings> {
  await assertOwnDomains(organisation.id, input.domains, (message) => new SsoInputError("domains", message));
  const issuer = input.issuer.replace(/\/+$/, "");
  await getDb().transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: ssoProvider.id, oidcConfig: ssoProvider.oidcConfig })
      .from(ssoProvider)
      .where(eq(ssoProvider.organizationId, organisation.id))
      .for("update");
    const secret = input.clientSecret || parseOidc(existing?.oidcConfig ?? null)?.clientSecret;
    if (!secret) throw new SsoInputError("clientSecret", "Enter the client secret from your identity provider");
    const oidc: StoredOidc = {
      issuer,
      clientId: input.clientId,
      clientSecret: secret,
      pkce: true,
      discoveryEndpoint: `${issuer}/.well-known/openid-configuration`,
      scopes: ["openid", "email", "profile"],
    };
    // One provider per organisation: saving OpenID Connect replaces any SAML settings.
    const values = { issuer, oidcConfig: JSON.stringify(oidc), samlConfig: null, domain: input.domains.join(","), requireSso: input.requireSso, updatedAt: new Date() };
    // Never the secret; whether it changed is enough.
    const details = { protocol: "oidc", issuer, clientId: input.clientId, domains: input.domains, requireSso: input.requireSso, secretChanged: !!input.clientSecret };
    await writeProvider(tx, actor, organisation, existing?.id ?? null, values, details);
  });
  return (await getSsoSettings(organisation.id))!;
}

/** Whether a URL is https (http only on loopback, for tests and a developer's IdP). */
function samlUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter the sign-on URL as a full address, like https://login.microsoftonline.com/<tenant id>/saml2";
  }
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) return "The sign-on URL must start with https://";
  if (url.hash) return "The sign-on URL must not have # in it";
  return null;
}

/**
 * The IdP's signing certificate as PEM, from what a person pastes: a PEM
 * block, or the bare Base64 of a .cer file (Entra ID's "Certificate
 * (Base64)"). Refused, naming the field: a private key, something that is
 * not a certificate, or a certificate that has expired.
 */
export function readSigningCertificate(text: string, field: "certificate" | "metadataXml" = "certificate"): string {
  if (/PRIVATE KEY/.test(text)) {
    throw new SsoInputError(field, "This is a private key. Paste the identity provider's signing certificate (the public part) instead, and keep the private key secret.");
  }
  const block = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text);
  const base64 = (block ? block[1]! : text).replace(/\s+/g, "");
  const notCertificate = "This is not a certificate. Paste the identity provider's signing certificate in Base64, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----";
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new SsoInputError(field, notCertificate);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(`-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE-----\n`);
  } catch {
    throw new SsoInputError(field, notCertificate);
  }
  const expires = new Date(x509.validTo);
  if (expires.getTime() <= Date.now()) {
    throw new SsoInputError(field, `This certificate expired on ${expires.toISOString().slice(0, 10)}. Download the current signing certificate from your identity provider.`);
  }
  return x509.toString();
}

/** Entity ID, sign-on URL and signing certificate from an IdP's metadata XML. */
function readIdpMetadata(xml: string): Pick<SamlInput, "idpEntityId" | "ssoUrl"> & { pem: string } {
  const notMetadata = "This is not SAML identity provider metadata. Paste the whole XML document (it starts with <EntityDescriptor or <md:EntityDescriptor), or fill in the fields below instead.";
  let entityId: string | undefined;
  let ssoUrl: unknown;
  let certificates: unknown;
  try {
    const idp = samlify.IdentityProvider({ metadata: xml });
    entityId = idp.entityMeta.getEntityID();
    ssoUrl = idp.entityMeta.getSingleSignOnService("redirect");
    certificates = idp.entityMeta.getX509Certificate("signing");
  } catch {
    throw new SsoInputError("metadataXml", notMetadata);
  }
  if (!entityId || !/IDPSSODescriptor/.test(xml)) throw new SsoInputError("metadataXml", notMetadata);
  if (typeof ssoUrl !== "string" || !ssoUrl) {
    throw new SsoInputError("metadataXml", "The metadata has no sign-on URL for the HTTP-Redirect binding, which Distinct uses to send people to your identity provider.");
  }
  const urlProblem = samlUrlProblem(ssoUrl);
  if (urlProblem) throw new SsoInputError("metadataXml", `In the metadata: ${urlProblem}`);
  const certificate = [certificates].flat().find((c): c is string => typeof c === "string" && c.trim() !== "");
  if (!certificate) throw new SsoInputError("metadataXml", "The metadata has no signing certificate. Distinct accepts only signed assertions, so it needs the certificate they are signed with.");
  return { idpEntityId: entityId, ssoUrl, pem: readSigningCertificate(certificate, "metadataXml") };
}

/**
 * Sets up or changes the organisation's SAML 2.0 identity provider. Either
 * the metadata XML or the three values by hand; the metadata wins when both
 * are given. Only public values are stored. Assertions must be signed with
 * the certificate given here (ADR 037).
 */
export async function saveSamlSettings(actor: AuditActor, organisation: { id: string; slug: string }, input: SamlInput): Promise<SsoSettings> {
  let idp: { idpEntityId: string; ssoUrl: string; pem: string };
  if (input.metadataXml.trim()) idp = readIdpMetadata(input.metadataXml.trim());
  else {
    if (!input.idpEntityId) throw new SsoInputError("idpEntityId", "Enter the identity provider's entity ID (its Identifier or Issuer), or paste its metadata XML");
    if (!input.ssoUrl) throw new SsoInputError("ssoUrl", "Enter the identity provider's sign-on URL, or paste its metadata XML");
    const urlProblem = samlUrlProblem(input.ssoUrl);
    if (urlProblem) throw new SsoInputError("ssoUrl", urlProblem);
    if (!input.certificate.trim()) throw new SsoInputError("certificate", "Paste the identity provider's signing certificate, or its metadata XML");
    idp = { idpEntityId: input.idpEntityId, ssoUrl: input.ssoUrl, pem: readSigningCertificate(input.certificate) };
  }
  await assertOwnDomains(organisation.id, input.domains, (message) => new SsoInputError("domains", message));
  const sp = samlServiceProvider(organisation.slug);
  const saml: StoredSaml = {
    issuer: sp.entityId,
    entryPoint: idp.ssoUrl,
    audience: sp.entityId,
    // Where the plugin sends a refused answer that carries no usable relay
    // state (a replay, an unsolicited post): /login, which explains. A good
    // answer goes where the sign-in started (the relay state's callback).
    callbackUrl: "/login",
    wantAssertionsSigned: true,
    idpMetadata: { entityID: idp.idpEntityId, cert: idp.pem },
    spMetadata: { entityID: sp.entityId },
    identifierFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    // Attribute names as OpenID Connect's claims; README "SAML 2.0" tells the
    // force's IT team to send these (Entra ID: Attributes & Claims).
    mapping: { email: "email", emailVerified: "email_verified", name: "displayName", firstName: "givenName", lastName: "surname" },
  };
  await getDb().transaction(async (tx) => {
    const [existing] = await tx.select({ id: ssoProvider.id }).from(ssoProvider).where(eq(ssoProvider.organizationId, organisation.id)).for("update");
    // One provider per organisation: saving SAML replaces any OpenID Connect settings (and their secret).
    const values = { issuer: idp.idpEntityId, oidcConfig: null, samlConfig: JSON.stringify(saml), domain: input.domains.join(","), requireSso: input.requireSso, updatedAt: new Date() };
    const details = { protocol: "saml", idpEntityId: idp.idpEntityId, ssoUrl: idp.ssoUrl, domains: input.domains, requireSso: input.requireSso, fromMetadata: !!input.metadataXml.trim() };
    await writeProvider(tx, actor, organisation, existing?.id ?? null, values, details);
  });
  return (await getSsoSettings(organisation.id))!;
}

/** How many people have signed in through the organisation's provider (their accounts are linked to it). */
export async function countSsoAccounts(providerId: string): Promise<number> {
  const rows = await getDb().select({ userId: account.userId }).from(account).where(eq(account.providerId, providerId));
  return new Set(rows.map((r) => r.userId)).size;
}

export async function removeSso(actor: AuditActor, organisationId: string): Promise<void> {
  await getDb().transaction(async (tx) => {
    const removed = await tx.delete(ssoProvider).where(eq(ssoProvider.organizationId, organisationId)).returning({ id: ssoProvider.id });
    if (removed.length > 0) await audit(tx, { actor, action: "sso.removed", organisationId, target: { type: "organisation", id: organisationId } });
  });
}

export type SsoRoute = { providerId: string; organisationId: string; required: boolean };

/** The provider that serves this address's domain, if any: /login sends the person there. */
export async function ssoRouteForEmail(email: string): Promise<SsoRoute | null> {
  const domain = email.split("@")[1]?.trim().toLowerCase();
  if (!domain) return null;
  // A handful of rows at most (one per organisation with SSO); domains are a short list each.
  const rows = await getDb()
    .select({ providerId: ssoProvider.providerId, organizationId: ssoProvider.organizationId, domain: ssoProvider.domain, required: ssoProvider.requireSso })
    .from(ssoProvider);
  const row = rows.find((r) => splitDomains(r.domain).includes(domain));
  return row ? { providerId: row.providerId, organisationId: row.organizationId, required: row.required } : null;
}

/** Whether password (and magic-link) sign-in is refused for this address. */
export async function ssoRequiredFor(email: string): Promise<boolean> {
  return (await ssoRouteForEmail(email))?.required ?? false;
}

/**
 * Whether a provider may assert this address: only addresses on the domains
 * it serves. Without this check a training lead's provider could assert any
 * address, and so sign in as (and link to) a person of another organisation.
 */
export async function providerServesEmail(providerId: string, email: string): Promise<boolean> {
  const [row] = await getDb().select({ domain: ssoProvider.domain }).from(ssoProvider).where(eq(ssoProvider.providerId, providerId));
  const domain = email.split("@")[1]?.trim().toLowerCase();
  return !!row && !!domain && splitDomains(row.domain).includes(domain);
}

export const PASSWORD_REFUSED_FOR_SSO = "Your organisation signs you in with your force account. Use “Sign in with your force account” instead of a password.";

/**
 * The providers' origins, which /login's CSP form-action admits
 * (app/services/sso-origins.server.ts): an OpenID provider's issuer, a SAML
 * identity provider's sign-on URL (its entity ID need not be a URL at all).
 */
export async function ssoProviderOrigins(): Promise<string[]> {
  const rows = await getDb().select({ issuer: ssoProvider.issuer, samlConfig: ssoProvider.samlConfig }).from(ssoProvider);
  return rows.flatMap((r) => {
    try {
      return [new URL(parseSaml(r.samlConfig)?.ssoUrl ?? r.issuer).origin];
    } catch {
      return [];
    }
  });
}
