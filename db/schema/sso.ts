import { boolean, customType, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { open, seal } from "../secret-box.ts";
import { organization, user } from "./auth.ts";

/** A text column encrypted at rest (db/secret-box.ts); code reads and writes plain text. */
const sealedText = customType<{ data: string; driverData: string }>({
  dataType: () => "text",
  toDriver: (value) => seal(value),
  fromDriver: (value) => open(value),
});

/**
 * An organisation's identity provider, in the shape @better-auth/sso reads
 * (model "ssoProvider"). `oidc_config` is JSON holding the client secret, so
 * the whole of it is sealed. `domain` is the comma-separated list of email
 * domains it serves. Rows are written only by app/models/organisations/sso.server.ts;
 * the plugin's own register/update endpoints are not on the HTTP allow-list.
 */
export const ssoProvider = pgTable("sso_provider", {
  id: text("id").primaryKey(),
  issuer: text("issuer").notNull(),
  oidcConfig: sealedText("oidc_config"),
  samlConfig: text("saml_config"),
  userId: text("user_id").references(() => user.id, { onDelete: "set null" }),
  providerId: text("provider_id").notNull().unique(),
  organizationId: text("organization_id")
    .notNull()
    .unique()
    .references(() => organization.id, { onDelete: "cascade" }),
  domain: text("domain").notNull(),
  /** Password and magic-link sign-in are refused for addresses on these domains. */
  requireSso: boolean("require_sso").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
