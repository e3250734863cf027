import { and, count, desc, eq } from "drizzle-orm";
import { auditEvents } from "#db/schema/index.ts";
import { getDb } from "#app/models/platform/db.server.ts";

export const AUDIT_PAGE_SIZE = 50;

/** An organisation's audit log, newest first. */
export async function listOrganisationAudit(organisationId: string, page: number) {
  const db = getDb();
  const where = and(eq(auditEvents.organizationId, organisationId));
  const [rows, totals] = await Promise.all([
    db
      .select({
        id: auditEvents.id,
        at: auditEvents.at,
        actor: auditEvents.actorLabel,
        action: auditEvents.action,
        targetType: auditEvents.targetType,
        targetId: auditEvents.targetId,
        details: auditEvents.details,
      })
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((page - 1) * AUDIT_PAGE_SIZE),
    db.select({ n: count() }).from(auditEvents).where(where),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}
