import { and, count, eq, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import {
  account,
  auditEvents,
  certificates,
  cpdReflections,
  invitation,
  member,
  organization,
  people,
  seatRequests,
  scormLaunches,
  session,
  staffImports,
  teamMember,
  user,
  verification,
} from "#db/schema/index.ts";
import { audit } from "#app/models/platform/audit.server.ts";
import { forgetMailTo } from "#app/models/platform/email.server.ts";
import { verifyPassword } from "better-auth/crypto";
import { getDb } from "#app/models/platform/db.server.ts";
import { hitRateLimit } from "#app/models/platform/rate-limit.server.ts";
import { anonymisePersonIn } from "./anonymise.server.ts";
import { forgetLiveSessionsOf } from "./sessions.server.ts";

/** What a deleted account is called, and the name its certificates no longer carry. */
export const DELETED_ACCOUNT_NAME = "Deleted account";
export const ERASED_CERTIFICATE_NAME = "Name erased";
export const DELETED_BAN_REASON = "Account deleted";

/** Password tries per account per window before the form stops checking (someone at an unlocked screen guessing). */
const DELETE_TRIES = 5;
const DELETE_WINDOW_SECONDS = 15 * 60;

export class AccountDeletionError extends Error {
  constructor(
    readonly field: "password" | "confirm" | "form",
    message: string,
    readonly status: 400 | 403 | 429 = 400,
  ) {
    super(message);
  }
}

/**
 * Why this account cannot be deleted by its holder, if it cannot: trust staff
 * (platform admins and authors) are removed by another admin, and the last
 * training lead of an organisation must hand over first, or the organisation
 * is left with no one to run it.
 */
export async function accountDeletionBlockers(userId: string, db = getDb()): Promise<string[]> {
  const [row] = await db.select({ role: user.role }).from(user).where(eq(user.id, userId));
  const reasons: string[] = [];
  if (row?.role === "admin" || row?.role === "author") {
    reasons.push("You are trust staff (a platform administrator or author). Ask another platform administrator to remove your account.");
  }
  const leads = await db
    .select({ organisation: organization.name, organizationId: people.organizationId, personId: people.id })
    .from(people)
    .innerJoin(organization, eq(organization.id, people.organizationId))
    .where(and(eq(people.userId, userId), eq(people.status, "active"), eq(people.role, "admin")));
  for (const lead of leads) {
    const [others] = await db
      .select({ n: count() })
      .from(people)
      .where(and(eq(people.organizationId, lead.organizationId), eq(people.status, "active"), eq(people.role, "admin"), ne(people.id, lead.personId)));
    if ((others?.n ?? 0) === 0) {
      reasons.push(`You are the only training lead of ${lead.organisation}. Make someone else a training lead there first.`);
    }
  }
  return reasons;
}

/** What deleting will do, for the confirmation page. */
export async function accountDeletionSummary(userId: string) {
  const db = getDb();
  const [certs, orgs, blockers] = await Promise.all([
    db.select({ n: count() }).from(certificates).where(eq(certificates.userId, userId)),
    db
      .select({ name: organization.name, status: people.status })
      .from(people)
      .innerJoin(organization, eq(organization.id, people.organizationId))
      .where(and(eq(people.userId, userId), isNull(people.anonymisedAt))),
    accountDeletionBlockers(userId, db),
  ]);
  return { certificates: certs[0]?.n ?? 0, organisations: orgs.map((o) => o.name), blockers };
}

async function checkPassword(userId: string, password: string): Promise<boolean> {
  const [credential] = await getDb()
    .select({ hash: account.password })
    .from(account)
    .where(and(eq(account.userId, userId), eq(account.providerId, "credential")));
  if (!credential?.hash) return false;
  // better-auth's own scrypt check, the one its sign-in uses (no custom hasher is configured).
  return verifyPassword({ password, hash: credential.hash });
}

/**
 * Deletes the holder's account (docs/decisions/020). The user row stays as a
 * tombstone with no personal data (name and email replaced, banned, no
 * password, no sessions), because enrolments, attempts and classify answers
 * hang off it and organisations count them; everything naming the person is
 * erased: their roster rows in every organisation are anonymised, their
 * certificates lose the name and stop verifying, mail to them is dropped
 * from the outbox, and the audit log stops naming them. The email address is
 * free to sign up again, as a new person. One transaction: all or nothing.
 */
export async function deleteAccount(userId: string, password: string, now: Date = new Date()): Promise<void> {
  const limit = await hitRateLimit(`account-delete:${userId}`, DELETE_TRIES, DELETE_WINDOW_SECONDS);
  if (!limit.allowed) {
    throw new AccountDeletionError("password", `Too many tries. Wait ${Math.ceil(limit.retryAfterSeconds / 60)} minutes, then try again.`, 429);
  }
  if (!(await checkPassword(userId, password))) throw new AccountDeletionError("password", "The password is not right");
  await getDb().transaction(async (tx) => {
    const [holder] = await tx.select({ email: user.email, banReason: user.banReason }).from(user).where(eq(user.id, userId)).for("update");
    if (!holder || holder.banReason === DELETED_BAN_REASON) throw new AccountDeletionError("form", "This account has already been deleted.", 403);
    const blockers = await accountDeletionBlockers(userId, tx);
    if (blockers.length > 0) throw new AccountDeletionError("form", blockers.join(" "), 403);
    const email = holder.email.toLowerCase();

    const roster = await tx
      .select({ id: people.id, organizationId: people.organizationId })
      .from(people)
      .where(or(eq(people.userId, userId), and(eq(people.email, email), isNull(people.anonymisedAt))));
    for (const person of roster) {
      await anonymisePersonIn(tx, { organisationId: person.organizationId, personId: person.id, reason: "account deleted", actor: "system", now });
    }
    await tx.delete(member).where(eq(member.userId, userId));
    await tx.delete(teamMember).where(eq(teamMember.userId, userId));
    await tx.update(invitation).set({ status: "canceled" }).where(and(eq(invitation.email, email), eq(invitation.status, "pending")));
    await tx.update(invitation).set({ email: `deleted-${userId}@deleted.invalid` }).where(eq(invitation.email, email));

    const erased = await tx
      .update(certificates)
      .set({ learnerName: ERASED_CERTIFICATE_NAME, holderErasedAt: now })
      .where(and(eq(certificates.userId, userId), isNull(certificates.holderErasedAt)))
      .returning({ id: certificates.id });

    // Their private CPD reflections go entirely; LMS launches keep the completion but not the LMS's id for them.
    await tx.delete(cpdReflections).where(eq(cpdReflections.userId, userId));
    await tx.update(scormLaunches).set({ lmsLearnerId: null }).where(eq(scormLaunches.userId, userId));

    // Mail about them (invitations, reminders, resets) would print their name: not kept.
    await forgetMailTo(tx, email);
    await tx.update(auditEvents).set({ actorLabel: DELETED_ACCOUNT_NAME }).where(eq(auditEvents.actorId, userId));
    // Seat requests they made or handled keep the figures, not the name or address.
    await tx
      .update(seatRequests)
      .set({ requestedByName: DELETED_ACCOUNT_NAME, requestedByEmail: `deleted-${userId}@deleted.invalid` })
      .where(eq(seatRequests.requestedBy, userId));
    await tx.update(seatRequests).set({ handledByName: DELETED_ACCOUNT_NAME }).where(eq(seatRequests.handledBy, userId));
    // Rows of a staff list left out for want of seats (ADR 033) name people who were never added.
    const inRow = sql`exists (select 1 from jsonb_array_elements(${staffImports.leftOut}) e where lower(e->>'email') = ${email})`;
    await tx
      .update(staffImports)
      .set({ leftOut: sql`(select jsonb_agg(e) from jsonb_array_elements(${staffImports.leftOut}) e where lower(e->>'email') <> ${email})` })
      .where(and(isNotNull(staffImports.leftOut), inRow));
    await tx
      .update(auditEvents)
      .set({ details: sql`${auditEvents.details} - 'email' - 'name'` })
      .where(and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, userId)));

    // Sessions end, the password goes, and reset or verification links stop working.
    await tx.delete(session).where(eq(session.userId, userId));
    await tx.delete(account).where(eq(account.userId, userId));
    await tx.delete(verification).where(or(eq(verification.value, userId), eq(verification.identifier, email)));
    await tx
      .update(user)
      .set({
        name: DELETED_ACCOUNT_NAME,
        email: `deleted-${userId}@deleted.invalid`,
        emailVerified: false,
        image: null,
        // better-auth refuses sessions to banned users: a second lock on the door.
        banned: true,
        banReason: DELETED_BAN_REASON,
        banExpires: null,
        updatedAt: now,
      })
      .where(eq(user.id, userId));
    await audit(tx, {
      actor: { id: userId, name: DELETED_ACCOUNT_NAME },
      action: "account.deleted",
      target: { type: "user", id: userId },
      details: { organisations: new Set(roster.map((p) => p.organizationId)).size, certificates: erased.length },
    });
  });
  // Their sessions were deleted above: this process stops trusting them now, not within the live-check bound.
  forgetLiveSessionsOf(userId);
}

