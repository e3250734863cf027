import { eq } from "drizzle-orm";
import { organisationSettings, organization, sentNotifications } from "#db/schema/index.ts";
import { londonDate } from "#app/utils/assignment-status.ts";
import type { AuditActor } from "#app/models/platform/audit.server.ts";
import { audit } from "#app/models/platform/audit.server.ts";
import { CSV_BOM } from "#app/utils/csv.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { enqueueEmail } from "#app/models/platform/email.server.ts";
import { composeEmail } from "#app/utils/email-templates.ts";
import { getEnv } from "#app/services/env.server.ts";
import { STATUS_LABELS, ASSIGNMENT_STATUSES } from "#app/utils/assignment-status.ts";
import { parseReportQuery } from "#app/utils/report-query.ts";
import { reportCsvHeaderLine, reportCsvLine } from "#app/utils/report-csv.ts";
import { isoWeek } from "#app/models/organisations/assignment.server.ts";
import { leadContacts } from "#app/models/organisations/people.server.ts";
import { reportContext, reportRowsInBatches, reportSummary } from "./report.server.ts";

/**
 * The weekly export: training leads who turn it on get, once each week, the
 * report's per-person table as a CSV attachment. A force's full table can run
 * to tens of megabytes, more than mail servers accept, so above
 * WEEKLY_ATTACHMENT_LIMIT the mail carries the figures and a link to the
 * export instead (the link needs signing in: no personal data in a URL).
 */
export const WEEKLY_ATTACHMENT_LIMIT = 5 * 1024 * 1024;

export async function weeklyExportEnabled(organisationId: string): Promise<boolean> {
  const [row] = await getDb().select({ on: organisationSettings.weeklyExport }).from(organisationSettings).where(eq(organisationSettings.organizationId, organisationId));
  return row?.on ?? false;
}

export async function setWeeklyExport(actor: AuditActor, organisationId: string, enabled: boolean): Promise<void> {
  await getDb().transaction(async (tx) => {
    await tx.insert(organisationSettings).values({ organizationId: organisationId, weeklyExport: enabled }).onConflictDoUpdate({ target: organisationSettings.organizationId, set: { weeklyExport: enabled } });
    await audit(tx, { actor, organisationId, action: enabled ? "reports.weekly-export-on" : "reports.weekly-export-off" });
  });
}

/**
 * Builds the CSV of everyone's rows (people who left excluded, as on the
 * dashboard) if it fits under the limit; null if it does not. Reading stops
 * as soon as the limit is passed, so a large force costs one batch too many,
 * not the whole table in memory.
 */
async function csvUnderLimit(organisationId: string, limit: number, now: Date): Promise<{ csv: Buffer; rows: number } | null> {
  const parsed = parseReportQuery(new URLSearchParams());
  if (!parsed.ok) throw new Error(parsed.message);
  const context = await reportContext(organisationId);
  const chunks: Buffer[] = [Buffer.from(CSV_BOM + reportCsvHeaderLine(), "utf8")];
  let size = chunks[0]!.length;
  let rows = 0;
  for await (const batch of reportRowsInBatches(context, parsed.query, null, { clock: { now } })) {
    const chunk = Buffer.from(batch.map(reportCsvLine).join(""), "utf8");
    size += chunk.length;
    rows += batch.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return { csv: Buffer.concat(chunks), rows };
}

/** Mails each opted-in organisation's training leads once per ISO week (safe to run on many instances). */
export async function sendWeeklyReportExports(now: Date = new Date(), options: { limit?: number } = {}): Promise<{ sent: number; attached: number; linked: number }> {
  const db = getDb();
  const limit = options.limit ?? WEEKLY_ATTACHMENT_LIMIT;
  const week = isoWeek(now);
  const orgs = await db
    .select({ id: organization.id, name: organization.name, slug: organization.slug })
    .from(organization)
    .innerJoin(organisationSettings, eq(organisationSettings.organizationId, organization.id))
    .where(eq(organisationSettings.weeklyExport, true));
  const result = { sent: 0, attached: 0, linked: 0 };
  for (const org of orgs) {
    const key = `weekly-export:${org.id}:${week}`;
    const [already] = await db.select({ key: sentNotifications.key }).from(sentNotifications).where(eq(sentNotifications.key, key));
    if (already) continue;
    // Built outside the transaction: reading a large table must not hold it open.
    const [file, summary] = await Promise.all([
      csvUnderLimit(org.id, limit, now),
      reportContext(org.id).then((context) => {
        const parsed = parseReportQuery(new URLSearchParams());
        if (!parsed.ok) throw new Error(parsed.message);
        return reportSummary(context, parsed.query, null, { now });
      }),
    ]);
    const base = getEnv().APP_URL;
    const day = londonDate(now);
    const filename = `${org.slug}-training-report-${day}.csv`;
    const counts = summary.overall;
    const figures =
      counts.total === 0
        ? ["Nobody has an assigned module yet."]
        : ASSIGNMENT_STATUSES.filter((s) => counts[s] > 0).map((s) => `${STATUS_LABELS[s]}: ${counts[s].toLocaleString("en-GB")} (${Math.round((counts[s] / counts.total) * 100)}%)`);
    await db.transaction(async (tx) => {
      const claimed = await tx.insert(sentNotifications).values({ key }).onConflictDoNothing().returning({ key: sentNotifications.key });
      if (claimed.length === 0) return;
      for (const lead of await leadContacts(tx, org.id)) {
        await enqueueEmail(tx, {
          to: lead.email,
          kind: "weekly-report-export",
          priority: "bulk",
          subject: `${org.name}: training report for the week of ${day}`,
          ...composeEmail({
            heading: `Training report for ${org.name}`,
            paragraphs: [
              `Hello ${lead.name},`,
              `Across ${counts.total.toLocaleString("en-GB")} assigned module${counts.total === 1 ? "" : "s"}, as of ${day}:`,
              ...figures,
              file
                ? `The attached file (${filename}) lists everyone, one row per person and module. It holds personal information: keep it within your organisation.`
                : "The full list is too large to attach. Download it from the reports page (you will be asked to sign in).",
              "You get this mail because a training lead turned on the weekly export on the reports page; any training lead can turn it off there.",
            ],
            action: { label: file ? "Open the reports page" : "Download the full list", url: file ? `${base}/org/${org.slug}/reports` : `${base}/org/${org.slug}/reports/export.csv` },
          }),
          attachments: file ? [{ filename, contentType: "text/csv; charset=utf-8", content: file.csv.toString("base64") }] : undefined,
        });
        result.sent++;
        if (file) result.attached++;
        else result.linked++;
      }
    });
  }
  return result;
}
