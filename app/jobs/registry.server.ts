import { sendDueReminders, sendWeeklyOverdueDigest } from "#app/models/organisations/assignment.server.ts";
import { sendCertificateExpiryReminders } from "#app/models/learning/certificate.server.ts";
import { sendWeeklyReportExports } from "#app/models/reporting/report-export.server.ts";
import { compactAllReportCounts } from "#app/models/reporting/report.server.ts";
import { compactClassifyCounts } from "#app/models/reporting/confusion.server.ts";
import { runImportJobs } from "#app/models/organisations/staff-import.server.ts";
import { analyzeGrownTables } from "#app/models/platform/maintenance.server.ts";
import { anonymiseLeaversPastRetention } from "#app/models/platform/retention.server.ts";
import { drainOutbox } from "#app/models/platform/email.server.ts";
import { createLogger } from "#app/services/logger.server.ts";
import { pruneRateLimits } from "#app/models/platform/rate-limit.server.ts";

const log = createLogger("jobs");

/**
 * Scheduled work. Each job must be safe to run on many instances at once
 * and twice in a row: mail is claimed with SKIP LOCKED, reminders are keyed
 * by a unique event so one event mails once.
 */
export type Job = { name: string; run: (now: Date) => Promise<Record<string, number> | void> };

/** Every scheduled job, in the order they run. A new feature adds its job here. */
const jobs: Job[] = [
  { name: "certificate-expiry-reminders", run: (now) => sendCertificateExpiryReminders(now) },
  { name: "assignment-due-reminders", run: (now) => sendDueReminders(now) },
  { name: "weekly-overdue-digest", run: (now) => sendWeeklyOverdueDigest(now) },
  { name: "weekly-report-export", run: (now) => sendWeeklyReportExports(now) },
  // Imports whose instance stopped mid-way are resumed here once their lease runs out.
  { name: "apply-staff-imports", run: () => runImportJobs() },
  // Mail goes out on the real clock whatever `now` is: delivery and its
  // retries are not a rule about dates, and a mail queued "in the future"
  // by `npm run jobs -- --at` is still meant to be read today.
  {
    name: "send-mail",
    run: async () => {
      const { deferred, ...counts } = await drainOutbox({ limit: 200 });
      return { ...counts, deferred: deferred ? 1 : 0 };
    },
  },
  { name: "prune-rate-limits", run: (now) => pruneRateLimits(now) },
  // Before compaction, so the report deltas it causes are folded in the same run.
  { name: "anonymise-leavers-past-retention", run: (now) => anonymiseLeaversPastRetention(now) },
  {
    name: "compact-report-counts",
    run: async () => ({ ...(await compactAllReportCounts()), answerDeltasFolded: await compactClassifyCounts() }),
  },
  { name: "analyze-embedded-database", run: () => analyzeGrownTables() },
];

/**
 * Runs every job once; a failing job is logged and does not stop the others.
 * `now` is the one clock every job decides by (reminders, digests, exports),
 * taken once so a run that crosses midnight treats every job alike; only
 * `npm run jobs -- --at` and tests pass another.
 */
export async function runAllJobs(now: Date = new Date()): Promise<{ name: string; ok: boolean; result?: Record<string, number> | void }[]> {
  const results = [];
  for (const job of jobs) {
    try {
      const result = await job.run(now);
      results.push({ name: job.name, ok: true, result });
    } catch (error) {
      log.error(`job ${job.name} failed`, { error });
      results.push({ name: job.name, ok: false });
    }
  }
  return results;
}
