import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const emptyToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

const urlWithProtocols = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}, e.g. ${example}` },
  );

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["production", "development", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: optional(z.string()),
    APP_URL: optional(urlWithProtocols(["http:", "https:"], "https://training.example.org")),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("./data")),
    DATABASE_URL: optional(urlWithProtocols(["postgres:", "postgresql:"], "postgres://user:pass@host:5432/distinct")),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    BETTER_AUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters (try: openssl rand -hex 32)")),
    SMTP_URL: optional(urlWithProtocols(["smtp:", "smtps:"], "smtps://user:pass@smtp.example.org:465")),
    MAIL_FROM: z.preprocess(emptyToUndefined, z.string().default("Distinct <no-reply@distinct.invalid>")),
    /**
     * Where training leads send purchase orders and ask for more seats. Unset:
     * the platform administrators' own addresses are shown instead.
     */
    SUPPORT_EMAIL: optional(z.string().trim().email("must be an email address, such as training@trust.example.org")),
    STRIPE_SECRET_KEY: optional(z.string().startsWith("sk_", "must start with sk_")),
    STRIPE_WEBHOOK_SECRET: optional(z.string().startsWith("whsec_", "must start with whsec_")),
    STRIPE_PRICE_ID: optional(z.string().startsWith("price_", "must start with price_")),
    /** Where the Stripe API lives; only changed to point tests at a local stub. */
    STRIPE_API_BASE: optional(urlWithProtocols(["http:", "https:"], "https://api.stripe.com")),
    /** Hops of reverse proxies to trust for the client address (0: none). */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    /** Sign-in and sign-up attempts allowed per client address per window. */
    AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
    AUTH_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    /** Run scheduled jobs (mail, reminders) inside this server: on, or off where cron runs `npm run jobs`. */
    JOBS_IN_SERVER: z.enum(["on", "off"]).default("on"),
    JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(5).default(60),
    /** The embedded database in a worker thread, beside the requests' thread (ADR 049): on, or off to run it in the main thread. */
    PGLITE_IN_WORKER: z.enum(["on", "off"]).default("on"),
    /**
     * How long an instance's claim on a staff import lasts without a batch renewing it: after that another
     * instance takes the import over from its progress (ADR 018). Shortened only by tests.
     */
    IMPORT_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /**
     * 32 bytes (64 hex characters) that encrypt identity providers' client
     * secrets in the database. Unset: a key derived from BETTER_AUTH_SECRET.
     */
    SSO_ENCRYPTION_KEY: optional(z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (try: openssl rand -hex 32)")),
    /**
     * Origins of identity providers on private or loopback addresses that the
     * server may call (discovery, token, keys), comma-separated. Public ones need nothing.
     */
    SSO_INTERNAL_IDP_ORIGINS: optional(z.string()),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production") {
      if (!env.BETTER_AUTH_SECRET) {
        ctx.addIssue({ code: "custom", path: ["BETTER_AUTH_SECRET"], message: "is required in production" });
      }
      if (!env.APP_URL) {
        ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "is required in production (the public address, used in e-mails and certificates)" });
      }
    }
    const stripe = [env.STRIPE_SECRET_KEY, env.STRIPE_WEBHOOK_SECRET, env.STRIPE_PRICE_ID];
    if (stripe.some(Boolean) && !stripe.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["STRIPE_SECRET_KEY"],
        message: "STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_ID must be set together (or none, to bill by invoice only)",
      });
    }
  });

export type Env = z.infer<typeof EnvSchema> & { APP_URL: string; BETTER_AUTH_SECRET: string; production: boolean };

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/**
 * Outside production a missing BETTER_AUTH_SECRET is generated once and kept
 * in DATA_DIR, so sessions survive restarts without anyone setting it.
 */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not there yet
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString("hex");
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Validates `source` (process.env by default). Throws EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".") || "environment";
        const value = source[name];
        const shown = value === undefined ? "" : ` (got "${name.includes("SECRET") || name.includes("URL") ? "…" : value}")`;
        return `${name} ${issue.message}${shown}`;
      }),
    );
  }
  const env = result.data;
  return {
    ...env,
    APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""),
    BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET ?? developmentSecret(env.DATA_DIR),
    production: env.NODE_ENV === "production",
  };
}

let cached: Env | undefined;

/** The validated environment. The server calls this at boot, so a bad value stops it there. */
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}
