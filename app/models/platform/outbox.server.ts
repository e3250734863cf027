import { sql, count, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import { emailOutbox } from "#db/schema/index.ts";
import { getDb } from "#app/models/platform/db.server.ts";

export const OUTBOX_PAGE_SIZE = 25;

/** What the outbox list shows of each mail, and the message page too. */
const mailColumns = {
  id: emailOutbox.id,
  recipient: emailOutbox.recipient,
  subject: emailOutbox.subject,
  kind: emailOutbox.kind,
  status: emailOutbox.status,
  attempts: emailOutbox.attempts,
  lastError: emailOutbox.lastError,
  createdAt: emailOutbox.createdAt,
  sentAt: emailOutbox.sentAt,
};

/** The outbox for platform admins: newest first, optionally filtered by recipient or subject. */
export async function listOutbox(options: { page: number; search?: string }) {
  const db = getDb();
  const where: SQL | undefined = options.search
    ? or(ilike(emailOutbox.recipient, `%${options.search}%`), ilike(emailOutbox.subject, `%${options.search}%`))
    : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select(mailColumns)
      .from(emailOutbox)
      .where(where)
      .orderBy(desc(emailOutbox.createdAt))
      .limit(OUTBOX_PAGE_SIZE)
      .offset((options.page - 1) * OUTBOX_PAGE_SIZE),
    db.select({ total: count() }).from(emailOutbox).where(where),
  ]);
  return { rows, total: totals[0]?.total ?? 0 };
}

export async function getOutboxMessage(id: string) {
  const [row] = await getDb()
    .select({
      ...mailColumns,
      text: emailOutbox.text,
      // Names and sizes only: an attachment (a report) holds personal data.
      attachments: sql<{ filename: string; bytes: number }[]>`coalesce((select jsonb_agg(jsonb_build_object('filename', a->>'filename', 'bytes', length(a->>'content') * 3 / 4)) from jsonb_array_elements(${emailOutbox.attachments}) a), '[]'::jsonb)`,
    })
    .from(emailOutbox)
    .where(eq(emailOutbox.id, id))
    .limit(1);
  return row ?? null;
}
