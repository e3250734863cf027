import { and, asc, eq, lte, sql, type SQL } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import type { Executor } from "#db/client.ts";
import { emailOutbox } from "#db/schema/index.ts";
import { getDb } from "./db.server.ts";
import type { MailKind } from "#app/utils/email-templates.ts";
import { getEnv } from "#app/services/env.server.ts";
import { createLogger } from "#app/services/logger.server.ts";

const log = createLogger("mail");

export type EmailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the mail is for: one of the kinds in app/utils/email-templates.ts. */
  kind: MailKind;
  /** Files to attach, content base64. Keep them small (the weekly export caps its CSV; see ADR 012). */
  attachments?: EmailAttachment[];
  /**
   * "transactional" (the default): someone is waiting for it (verification,
   * reset, an invitation to one person). "bulk": reminders, digests, exports
   * and invitations from a staff list, sent after any transactional mail.
   */
  priority?: MailPriority;
};

export type MailPriority = "transactional" | "bulk";

/** The outbox's priority column: the drain sends lower numbers first. */
export const MAIL_PRIORITY: Record<MailPriority, number> = { transactional: 0, bulk: 1 };

export type EmailAttachment = { filename: string; contentType: string; content: string };

/**
 * Puts a mail in the outbox. Pass the transaction that makes the change the
 * mail reports, so both happen or neither does. Sending happens later.
 */
export async function enqueueEmail(db: Executor, message: EmailMessage): Promise<string> {
  const [row] = await db
    .insert(emailOutbox)
    .values({
      recipient: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html ?? null,
      attachments: message.attachments?.length ? message.attachments : null,
      kind: message.kind,
      priority: MAIL_PRIORITY[message.priority ?? "transactional"],
    })
    .returning({ id: emailOutbox.id });
  if (!row) throw new Error("Could not queue the e-mail");
  scheduleDrain();
  return row.id;
}

/**
 * Puts many bulk mails in the outbox in one statement (a staff list's
 * invitations), in the caller's transaction. They go behind transactional mail.
 */
export async function enqueueBulkEmails(db: Executor, messages: Omit<EmailMessage, "priority" | "attachments">[]): Promise<void> {
  if (messages.length === 0) return;
  await db.insert(emailOutbox).values(
    messages.map((m) => ({ recipient: m.to, subject: m.subject, text: m.text, html: m.html ?? null, kind: m.kind, priority: MAIL_PRIORITY.bulk })),
  );
  scheduleDrain();
}

/**
 * Puts one bulk mail in the outbox for every address a query returns, in one
 * INSERT ... SELECT in the caller's transaction: an assignment to a whole
 * organisation may tell tens of thousands of people. `recipients` is a SELECT
 * of one column, the address.
 */
export async function enqueueBulkEmailsTo(
  db: Executor,
  message: Omit<EmailMessage, "to" | "priority" | "attachments">,
  recipients: SQL,
): Promise<void> {
  await db.execute(sql`
    insert into ${emailOutbox} (id, recipient, subject, text, html, kind, priority)
    select gen_random_uuid()::text, r.recipient, ${message.subject}, ${message.text}, ${message.html ?? null}, ${message.kind}, ${MAIL_PRIORITY.bulk}
    from (${recipients}) as r(recipient)`);
  scheduleDrain();
}

/** Removes every queued or sent mail to this address (erasing an account, ADR 020). */
export async function forgetMailTo(db: Executor, email: string): Promise<void> {
  await db.delete(emailOutbox).where(sql`lower(${emailOutbox.recipient}) = ${email}`);
}

// After a mail is queued, drain soon rather than at the next job tick, so a
// sign-up's verification mail goes out at once. The server installs this.
let drainSoon: (() => void) | undefined;
export function onMailQueued(callback: (() => void) | undefined) {
  drainSoon = callback;
}
function scheduleDrain() {
  drainSoon?.();
}

/** For mail written to the outbox in bulk (not through enqueueEmail): send soon. */
export function requestMailDrain() {
  scheduleDrain();
}

/** Minutes to wait before retry n (1-based) of a mail the server refused; after the last, the mail is failed. */
const RETRY_DELAYS_MINUTES = [1, 5, 30, 120, 720];

let transporter: { url: string; transport: Transporter } | undefined;
function getTransporter(): Transporter | undefined {
  const url = getEnv().SMTP_URL;
  if (!url) return undefined;
  if (transporter?.url !== url) {
    transporter = {
      url,
      // nodemailer waits 2 minutes to connect and 10 for a silent socket by
      // default; the drain holds its claimed rows meanwhile, so fail sooner.
      // pool: one connection carries a whole drain's mails instead of a new
      // connection and greeting per mail (the two-instance load bench drained
      // 5,000 mails too slowly without it).
      transport: nodemailer.createTransport({ url, pool: true, maxConnections: 2, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }),
    };
  }
  return transporter.transport;
}

/**
 * When the mail server itself cannot be reached (refused, timed out, gone
 * mid-conversation, or answering 421 "try later"), no mail is at fault: the
 * drain stops, charges no mail an attempt, and this process waits before
 * trying the server again, doubling from 5 seconds to at most 2 minutes. So
 * an outage of any length loses nothing and its queue goes out within 2
 * minutes of the server's return, while a mail the server refuses (a bad
 * address) follows its own retries and gives up.
 */
const SERVER_BACKOFF_MS = { first: 5_000, max: 120_000 };
const serverDown = { until: 0, delay: 0 };
const SERVER_ERROR_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ECONNREFUSED", "ECONNRESET", "ETLS", "EAUTH", "EPROTOCOL"]);

function isServerUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = "code" in error ? error.code : undefined;
  const responseCode = "responseCode" in error ? error.responseCode : undefined;
  return (typeof code === "string" && SERVER_ERROR_CODES.has(code)) || responseCode === 421;
}

export type DrainResult = { sent: number; logged: number; retried: number; failed: number; deferred: boolean };

/**
 * Sends due mails, transactional before bulk, oldest first. Rows are claimed
 * with FOR UPDATE SKIP LOCKED, so any number of instances (or `npm run jobs`)
 * can drain at once without sending a mail twice. `now` is the drain's clock.
 */
export async function drainOutbox(options: { limit?: number; now?: Date } = {}): Promise<DrainResult> {
  const limit = options.limit ?? 50;
  const now = options.now ?? new Date();
  const result: DrainResult = { sent: 0, logged: 0, retried: 0, failed: 0, deferred: false };
  const transport = getTransporter();
  if (transport && now.getTime() < serverDown.until) return { ...result, deferred: true };
  const from = getEnv().MAIL_FROM;
  // A mail is due by the clock that stamped it: the database's (now(), to the
  // microsecond), not this process's (to the millisecond, and perhaps behind
  // on another instance), or a mail queued just before a drain waits for the
  // next one. A drain given its own clock (the tests' outage replay) uses it.
  const dueBy = options.now ?? sql`now()`;
  await getDb().transaction(async (tx) => {
    // Attachments are read one mail at a time, when sent, not for the whole batch.
    const due = await tx
      .select({
        id: emailOutbox.id,
        recipient: emailOutbox.recipient,
        subject: emailOutbox.subject,
        text: emailOutbox.text,
        html: emailOutbox.html,
        kind: emailOutbox.kind,
        attempts: emailOutbox.attempts,
        hasAttachments: sql<boolean>`${emailOutbox.attachments} is not null`,
      })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, dueBy)))
      .orderBy(asc(emailOutbox.priority), asc(emailOutbox.createdAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    for (const mail of due) {
      if (!transport) {
        // No SMTP configured: keep the mail (platform admins read it at
        // /admin/outbox) and print it, so local runs can follow links.
        log.info(`not sent (no SMTP_URL); kept in the outbox`, { to: mail.recipient, subject: mail.subject, kind: mail.kind });
        console.log(`----- mail to ${mail.recipient}: ${mail.subject}\n${mail.text}\n-----`);
        await tx
          .update(emailOutbox)
          .set({ status: "logged", attempts: mail.attempts + 1, sentAt: now })
          .where(eq(emailOutbox.id, mail.id));
        result.logged++;
        continue;
      }
      try {
        const attachments = mail.hasAttachments
          ? ((await tx.select({ attachments: emailOutbox.attachments }).from(emailOutbox).where(eq(emailOutbox.id, mail.id)))[0]?.attachments ?? [])
          : [];
        await transport.sendMail({
          from,
          to: mail.recipient,
          subject: mail.subject,
          text: mail.text,
          html: mail.html ?? undefined,
          attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, "base64") })),
        });
        await tx
          .update(emailOutbox)
          .set({ status: "sent", attempts: mail.attempts + 1, sentAt: now, lastError: null })
          .where(eq(emailOutbox.id, mail.id));
        result.sent++;
        serverDown.delay = 0;
      } catch (error) {
        if (isServerUnavailable(error)) {
          const message = error instanceof Error ? error.message : String(error);
          serverDown.delay = Math.min(SERVER_BACKOFF_MS.max, serverDown.delay ? serverDown.delay * 2 : SERVER_BACKOFF_MS.first);
          serverDown.until = now.getTime() + serverDown.delay;
          log.warn("mail server unavailable; trying again later", { retryInSeconds: serverDown.delay / 1000, error: message });
          await tx.update(emailOutbox).set({ lastError: message }).where(eq(emailOutbox.id, mail.id));
          result.deferred = true;
          break;
        }
        const attempts = mail.attempts + 1;
        const delay = RETRY_DELAYS_MINUTES[attempts - 1];
        const message = error instanceof Error ? error.message : String(error);
        log.warn("sending failed", { to: mail.recipient, attempt: attempts, error: message });
        await tx
          .update(emailOutbox)
          .set(
            delay === undefined
              ? { status: "failed", attempts, lastError: message }
              : { attempts, lastError: message, nextAttemptAt: new Date(now.getTime() + delay * 60_000) },
          )
          .where(eq(emailOutbox.id, mail.id));
        if (delay === undefined) result.failed++;
        else result.retried++;
      }
    }
  });
  return result;
}
