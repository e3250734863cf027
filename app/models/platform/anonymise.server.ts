import { and, eq, ne, or, sql } from "drizzle-orm";
import type { Executor } from "#db/client.ts";
import { assignmentExtensions, auditEvents, invitation, member, people, scormLaunches } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";

/** What an anonymised person is called wherever their name was (reports, the people list). */
export const ANONYMISED_NAME = "Anonymised person";
/** The reason an extension of an anonymised person's due date shows: the reason given may have been about their health. */
export const ERASED_TEXT = "Erased";

/** A per-person placeholder: people.email is unique in an organisation, and .invalid can never receive mail. */
export const anonymisedEmail = (personId: string) => `anonymised-${personId}@anonymised.invalid`;

/**
 * Erases one person's details from an organisation's records, keeping the
 * rows its statistics count (docs/decisions/020): the roster row stays, as
 * "left", with its team, role and dates, and is linked to their training
 * through former_user_id, so report_rows (refreshed by the people trigger)
 * and report_counts keep counting it; attempts and classify answers are
 * untouched. Their name, email, staff number and rank go, as do the email on
 * invitations, the reasons given for extensions, and names and emails in
 * audit details. The certificate code is left out of their report rows by
 * refresh_report_rows, since /verify would name them.
 *
 * Runs in the caller's transaction; returns false when already anonymised.
 */
export async function anonymisePersonIn(
  tx: Executor,
  input: { organisationId: string; personId: string; reason: "account deleted" | "retention"; actor: AuditActor; now: Date; details?: Record<string, unknown> },
): Promise<boolean> {
  const { organisationId: organisationId, personId, now } = input;
  const [person] = await tx
    .select({ id: people.id, email: people.email, userId: people.userId, anonymisedAt: people.anonymisedAt })
    .from(people)
    .where(and(eq(people.id, personId), eq(people.organizationId, organisationId)))
    .for("update");
  if (!person || person.anonymisedAt) return false;
  if (person.userId) {
    await tx.delete(member).where(and(eq(member.organizationId, organisationId), eq(member.userId, person.userId)));
    // The organisation's LMS id for them goes too. Their CPD reflections do not: those are the
    // learner's own (their account keeps them), never the organisation's record.
    await tx
      .update(scormLaunches)
      .set({ lmsLearnerId: null })
      .where(and(eq(scormLaunches.organizationId, organisationId), eq(scormLaunches.userId, person.userId)));
  }
  const placeholder = anonymisedEmail(person.id);
  await tx
    .update(invitation)
    .set({ status: "canceled" })
    .where(and(eq(invitation.organizationId, organisationId), eq(invitation.email, person.email), eq(invitation.status, "pending")));
  await tx
    .update(invitation)
    .set({ email: placeholder })
    .where(and(eq(invitation.organizationId, organisationId), eq(invitation.email, person.email)));
  // One update, so the people trigger refreshes the report once with the new name and link.
  await tx
    .update(people)
    .set({
      name: ANONYMISED_NAME,
      email: placeholder,
      staffNumber: null,
      rank: null,
      status: "left",
      leftAt: sql`coalesce(${people.leftAt}, ${now.toISOString()}::timestamptz)`,
      // Cleared so the account can join again as a new person; the old row keeps counting through former_user_id.
      userId: null,
      formerUserId: sql`coalesce(${people.userId}, ${people.formerUserId})`,
      anonymisedAt: now,
      updatedAt: now,
    })
    .where(and(eq(people.id, person.id), eq(people.organizationId, organisationId)));
  await tx
    .update(assignmentExtensions)
    .set({ reason: ERASED_TEXT })
    .where(and(eq(assignmentExtensions.personId, person.id), ne(assignmentExtensions.reason, ERASED_TEXT)));
  // The audit log stays (who did what, when) but stops naming them.
  await tx
    .update(auditEvents)
    .set({ details: sql`${auditEvents.details} - 'email' - 'name' - 'reason'` })
    .where(
      and(
        eq(auditEvents.organizationId, organisationId),
        or(
          and(eq(auditEvents.targetType, "person"), eq(auditEvents.targetId, person.id)),
          sql`${auditEvents.details}->>'personId' = ${person.id}`,
        ),
      ),
    );
  if (person.userId) {
    await tx
      .update(auditEvents)
      .set({ actorLabel: ANONYMISED_NAME })
      .where(and(eq(auditEvents.organizationId, organisationId), eq(auditEvents.actorId, person.userId)));
  }
  await audit(tx, {
    actor: input.actor,
    action: "person.anonymised",
    organisationId,
    target: { type: "person", id: person.id },
    details: { reason: input.reason, ...input.details },
  });
  return true;
}

