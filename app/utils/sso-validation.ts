import { z } from "zod";

/** Loopback hosts, where a test or a developer's provider may speak plain http. */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** An issuer is an https URL (http only on loopback), without query or fragment. */
export function issuerProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter the issuer as a full address, like https://login.microsoftonline.com/<tenant id>/v2.0";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) return "The issuer must start with https://";
  if (url.search || url.hash) return "The issuer must not have ? or # in it";
  return null;
}

/** Both kinds of provider: the email domains it signs in, and whether those people must use it. */
const domainsAndRequirement = {
  domains: z
    .array(z.string().trim().toLowerCase().max(253), { error: "Choose at least one email domain" })
    .min(1, "Choose at least one email domain"),
  requireSso: z
    .literal("on")
    .optional()
    .transform((value) => value === "on"),
};

export const SsoSettingsSchema = z.object({
  intent: z.literal("save", { error: "Choose what to do" }),
  issuer: z
    .string({ error: "Enter the issuer address from your identity provider" })
    .trim()
    .max(500, "The issuer must be 500 characters or fewer")
    .superRefine((value, ctx) => {
      const problem = issuerProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  clientId: z
    .string({ error: "Enter the client (application) ID" })
    .trim()
    .min(1, "Enter the client (application) ID")
    .max(200, "The client ID must be 200 characters or fewer")
    .regex(/^[\x21-\x7e]+$/, "The client ID must not contain spaces or special characters"),
  clientSecret: z
    .string()
    .max(500, "The client secret must be 500 characters or fewer")
    .regex(/^[\x20-\x7e]*$/, "The client secret must not contain control characters")
    .optional()
    .transform((value) => value?.trim() ?? ""),
  ...domainsAndRequirement,
});

export const SsoRemoveSchema = z.object({ intent: z.literal("remove") });

/** A SAML identity provider, by hand or from its metadata XML (the model reads and checks both). */
export const SamlSettingsSchema = z.object({
  intent: z.literal("save-saml", { error: "Choose what to do" }),
  idpEntityId: z
    .string()
    .trim()
    .max(500, "The entity ID must be 500 characters or fewer")
    .regex(/^[\x21-\x7e]*$/, "The entity ID must not contain spaces or special characters")
    .optional()
    .transform((value) => value ?? ""),
  ssoUrl: z
    .string()
    .trim()
    .max(1000, "The sign-on URL must be 1,000 characters or fewer")
    .optional()
    .transform((value) => value ?? ""),
  certificate: z
    .string()
    .max(20_000, "The certificate must be 20,000 characters or fewer")
    .regex(/^[\x20-\x7e\r\n\t]*$/, "The certificate must contain only Base64 text (from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----)")
    .optional()
    .transform((value) => value ?? ""),
  metadataXml: z
    .string()
    .max(100_000, "The metadata must be 100,000 characters or fewer")
    .optional()
    .transform((value) => value ?? ""),
  ...domainsAndRequirement,
});
