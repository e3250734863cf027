import { eq } from "drizzle-orm";
import { z } from "zod";
import { organisationDomains, ssoProvider } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { getEnv } from "#app/services/env.server.ts";

/**
 * An organisation's single sign-on: one OpenID Connect provider (a force's
 * Entra ID tenant, say) serving some of the organisation's email domains.
 * The row is @better-auth/sso's `ssoProvider`; its `oidc_config`, which holds
 * the client secret, is encrypted at rest (db/secret-box.ts). Nothing here
 * returns the secret to a page.
 */

export type SsoSettings = {
  providerId: string;
  issuer: string;
  clientId: string;
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

export class SsoInputError extends Error {
  constructor(
    readonly field: keyof SsoInput,
    message: string,
  ) {
    super(message);
  }
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

const splitDomains = (list: string) => list.split(",").map((d) => d.trim().toLowerCase()).filter(Boolean);

export async function getSsoSettings(organizationId: string): Promise<SsoSettings | null> {
  const [row] = await getDb()
    .select({ providerId: ssoProvider.providerId, oidcConfig: ssoProvider.oidcConfig, domain: ssoProvider.domain, requireSso: ssoProvider.requireSso })
    .from(ssoProvider)
    .where(eq(ssoProvider.organizationId, organizationId));
  if (!row) return null;
  const oidc = parseOidc(row.oidcConfig);
  return {
    providerId: row.providerId,
    issuer: oidc?.issuer ?? "",
    clientId: oidc?.clientId ?? "",
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
export async function saveOidcSettings(actor: AuditActor, organization: { id: string; slug: string }, input: SsoInput): Promise<SsoSettings> {
  const owned = await getDb()
    .select({ domain: organisationDomains.domain })
    .from(organisationDomains)
    .where(eq(organisationDomains.organizationId, organization.id));
  const ownDomains = owned.map((d) => d.domain.toLowerCase());
  const foreign = input.domains.find((d) => !ownDomains.includes(d));
  if (foreign) throw new SsoInputError("domains", `${foreign} is not one of your organisation's email domains`);
  if (input.domains.length === 0) throw new SsoInputError("domains", "Choose at least one email domain for single sign-on");
  const issuer = input.issuer.replace(/\/+$/, "");
  await getDb().transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: ssoProvider.id, oidcConfig: ssoProvider.oidcConfig })
      .from(ssoProvider)
      .where(eq(ssoProvider.organizationId, organization.id))
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
    const values = { issuer, oidcConfig: JSON.stringify(oidc), domain: input.domains.join(","), requireSso: input.requireSso, updatedAt: new Date() };
    if (existing) await tx.update(ssoProvider).set(values).where(eq(ssoProvider.id, existing.id));
    else {
      await tx.insert(ssoProvider).values({
        id: crypto.randomUUID(),
        providerId: organization.slug,
        organizationId: organization.id,
        userId: actor === "system" ? null : actor.id,
        ...values,
      });
    }
    await audit(tx, {
      actor,
      action: "sso.configured",
      organizationId: organization.id,
      target: { type: "organisation", id: organization.id },
      // Never the secret; whether it changed is enough.
      details: { issuer, clientId: input.clientId, domains: input.domains, requireSso: input.requireSso, secretChanged: !!input.clientSecret },
    });
  });
  return (await getSsoSettings(organization.id))!;
}

export async function removeSso(actor: AuditActor, organizationId: string): Promise<void> {
  await getDb().transaction(async (tx) => {
    const removed = await tx.delete(ssoProvider).where(eq(ssoProvider.organizationId, organizationId)).returning({ id: ssoProvider.id });
    if (removed.length > 0) await audit(tx, { actor, action: "sso.removed", organizationId, target: { type: "organisation", id: organizationId } });
  });
}

export type SsoRoute = { providerId: string; organizationId: string; required: boolean };

/** The provider that serves this address's domain, if any: /login sends the person there. */
export async function ssoRouteForEmail(email: string): Promise<SsoRoute | null> {
  const domain = email.split("@")[1]?.trim().toLowerCase();
  if (!domain) return null;
  // A handful of rows at most (one per organisation with SSO); domains are a short list each.
  const rows = await getDb()
    .select({ providerId: ssoProvider.providerId, organizationId: ssoProvider.organizationId, domain: ssoProvider.domain, required: ssoProvider.requireSso })
    .from(ssoProvider);
  const row = rows.find((r) => splitDomains(r.domain).includes(domain));
  return row ? { providerId: row.providerId, organizationId: row.organizationId, required: row.required } : null;
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

/** The providers' origins, which /login's CSP form-action admits (app/services/sso-origins.server.ts). */
export async function ssoProviderOrigins(): Promise<string[]> {
  const rows = await getDb().select({ issuer: ssoProvider.issuer }).from(ssoProvider);
  return rows.flatMap((r) => {
    try {
      return [new URL(r.issuer).origin];
    } catch {
      return [];
    }
  });
}
