import {
  bigserial,
  index,
  integer,
  jsonb,
  smallint,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Every e-mail the platform sends goes through here first, so a crash between
 * "decide to mail" and "mail sent" loses nothing, and any number of instances
 * can drain it (SELECT ... FOR UPDATE SKIP LOCKED).
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    /** Files to attach (content base64). Kept small: see docs/decisions/012. */
    attachments: jsonb("attachments").$type<{ filename: string; contentType: string; content: string }[]>(),
    kind: text("kind").notNull(),
    /**
     * Lower goes first: 0 for mail a person is waiting for (verification,
     * reset, an invitation to one person), 1 for bulk (reminders, digests,
     * invitations from a staff list), so a queue of bulk mail never delays a
     * sign-up's confirmation. See MAIL_PRIORITY in app/utils/email.server.ts.
     */
    priority: smallint("priority").notNull().default(0),
    /** pending: to send; sent: handed to SMTP; logged: no SMTP configured, kept here; failed: gave up. */
    status: text("status", { enum: ["pending", "sent", "logged", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: at("next_attempt_at").notNull().defaultNow(),
    createdAt: at("created_at").notNull().defaultNow(),
    sentAt: at("sent_at"),
  },
  (t) => [
    // The drain's order: pending mail by priority, then oldest first. Partial, so
    // it holds only the queue (sent mail is most of the table).
    index("email_outbox_queue_idx").on(t.priority, t.createdAt).where(sql`${t.status} = 'pending'`),
    index("email_outbox_created_idx").on(t.createdAt),
  ],
);

/** Append-only record of who did what. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: at("at").notNull().defaultNow(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    organizationId: text("organization_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_events_org_at_idx").on(t.organizationId, t.at),
    index("audit_events_at_idx").on(t.at),
  ],
);

/** Fixed-window counters for rate limits, shared by every instance. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: at("window_start").notNull(),
  count: integer("count").notNull(),
});

/** One-time tokens that create the first platform admin (printed in the log). */
export const setupTokens = pgTable("setup_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  createdAt: at("created_at").notNull().defaultNow(),
  expiresAt: at("expires_at").notNull(),
  usedAt: at("used_at"),
});
