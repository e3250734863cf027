import { sendDueReminders, sendWeeklyOverdueDigest } from "#app/models/assignment.server.ts";
import { sendCertificateExpiryReminders } from "#app/models/certificate.server.ts";
import { sendWeeklyReportExports } from "#app/models/report-export.server.ts";
import { compactAllReportCounts } from "#app/models/report.server.ts";
import { compactClassifyCounts } from "#app/models/confusion.server.ts";
import { runImportJobs } from "#app/models/staff-import.server.ts";
import { analyzeGrownTables } from "#app/models/maintenance.server.ts";
import { drainOutbox } from "#app/utils/email.server.ts";
import { createLogger } from "#app/utils/logger.server.ts";
import { pruneRateLimits } from "#app/utils/rate-limit.server.ts";

const log = createLogger("jobs");

/**
 * Scheduled work. Each job must be safe to run on many instances at once
 * and twice in a row: mail is claimed with SKIP LOCKED, reminders are keyed
 * by a unique event so one event mails once.
 */
export type Job = { name: string; run: () => Promise<Record<string, number> | void> };

/** Every scheduled job, in the order they run. A new feature adds its job here. */
const jobs: Job[] = [
  { name: "certificate-expiry-reminders", run: () => sendCertificateExpiryReminders() },
  { name: "assignment-due-reminders", run: () => sendDueReminders() },
  { name: "weekly-overdue-digest", run: () => sendWeeklyOverdueDigest() },
  { name: "weekly-report-export", run: () => sendWeeklyReportExports() },
  // Imports whose instance stopped mid-way are resumed here once their lease runs out.
  { name: "apply-staff-imports", run: () => runImportJobs() },
  {
    name: "send-mail",
    run: async () => {
      const { deferred, ...counts } = await drainOutbox({ limit: 200 });
      return { ...counts, deferred: deferred ? 1 : 0 };
    },
  },
  { name: "prune-rate-limits", run: () => pruneRateLimits() },
  {
    name: "compact-report-counts",
    run: async () => ({ ...(await compactAllReportCounts()), answerDeltasFolded: await compactClassifyCounts() }),
  },
  { name: "analyze-embedded-database", run: () => analyzeGrownTables() },
];

/** Runs every job once; a failing job is logged and does not stop the others. */
export async function runAllJobs(): Promise<{ name: string; ok: boolean; result?: Record<string, number> | void }[]> {
  const results = [];
  for (const job of jobs) {
    try {
      const result = await job.run();
      results.push({ name: job.name, ok: true, result });
    } catch (error) {
      log.error(`job ${job.name} failed`, { error });
      results.push({ name: job.name, ok: false });
    }
  }
  return results;
}
