/**
 * A certificate's status at a moment: revoked wins, then expired. Pure: the
 * verify page, the learner's list, reports and reminders all use this.
 */
export type CertificateStatus = "valid" | "expiring" | "expired" | "revoked";

export const EXPIRING_WITHIN_DAYS = 30;
const DAY = 24 * 60 * 60 * 1000;

export function certificateStatus(
  cert: { expiresAt: Date | string | null; revokedAt: Date | string | null },
  now: Date = new Date(),
): CertificateStatus {
  if (cert.revokedAt) return "revoked";
  if (!cert.expiresAt) return "valid";
  const expires = new Date(cert.expiresAt).getTime();
  if (expires <= now.getTime()) return "expired";
  if (expires - now.getTime() <= EXPIRING_WITHIN_DAYS * DAY) return "expiring";
  return "valid";
}

/** The expiry date for a certificate issued at `issuedAt` valid for `months` (same day of month, clamped). */
export function addMonths(issuedAt: Date, months: number): Date {
  const result = new Date(issuedAt.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

export type ReminderMilestone = "30d" | "7d" | "expired";

/**
 * Which expiry reminder is due now, if any: 30 days before, 7 days before,
 * and on expiry. Only the latest milestone reached is due, so a job that did
 * not run for a while sends one timely mail, not three stale ones.
 */
export function dueReminder(expiresAt: Date, now: Date): ReminderMilestone | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return left > -14 * DAY ? "expired" : null;
  if (left <= 7 * DAY) return "7d";
  if (left <= 30 * DAY) return "30d";
  return null;
}
