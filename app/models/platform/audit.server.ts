import type { Executor } from "#db/client.ts";
import { auditEvents } from "#db/schema/index.ts";

export type AuditActor = { id: string; name: string; email?: string } | "system";

/**
 * Appends an audit event. Pass the transaction that makes the change, so the
 * record and the change commit together.
 */
export async function audit(
  db: Executor,
  event: {
    actor: AuditActor;
    action: string;
    organisationId?: string | null;
    target?: { type: string; id: string };
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(auditEvents).values({
    actorId: event.actor === "system" ? null : event.actor.id,
    actorLabel: event.actor === "system" ? "system" : event.actor.email ? `${event.actor.name} <${event.actor.email}>` : event.actor.name,
    organizationId: event.organisationId ?? null,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    details: event.details ?? null,
  });
}
