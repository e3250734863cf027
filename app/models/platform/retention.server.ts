import { eq, sql } from "drizzle-orm";
import { organisationSettings } from "#db/schema/index.ts";
import { audit, type AuditActor } from "#app/models/platform/audit.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { RETENTION_DEFAULT_MONTHS } from "#app/utils/privacy-validation.ts";
import { anonymisePersonIn } from "./anonymise.server.ts";

/** The organisation's retention period in months (the default until a lead sets one). */
export async function retentionMonths(organisationId: string): Promise<number> {
  const [row] = await getDb()
    .select({ months: organisationSettings.retentionMonths })
    .from(organisationSettings)
    .where(eq(organisationSettings.organizationId, organisationId));
  return row?.months ?? RETENTION_DEFAULT_MONTHS;
}

/** Sets it (bounds checked by RetentionSchema, and by the database). Audited with the old and new value. */
export async function setRetentionMonths(actor: AuditActor, organisationId: string, months: number): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [before] = await tx
      .select({ months: organisationSettings.retentionMonths })
      .from(organisationSettings)
      .where(eq(organisationSettings.organizationId, organisationId))
      .for("update");
    const from = before?.months ?? RETENTION_DEFAULT_MONTHS;
    if (from === months) return;
    await tx
      .insert(organisationSettings)
      .values({ organizationId: organisationId, retentionMonths: months })
      .onConflictDoUpdate({ target: organisationSettings.organizationId, set: { retentionMonths: months } });
    await audit(tx, { actor, action: "organisation.retention-changed", organisationId, target: { type: "organisation", id: organisationId }, details: { from, to: months } });
  });
}

/** People anonymised per transaction: each refreshes its report rows, and a request waiting on the database should not wait long. */
const BATCH = 100;

/**
 * The retention job: anonymises everyone who left an organisation longer ago
 * than its retention period (months counted on London's calendar, so someone
 * who left on 15 March with 24 months is anonymised from 15 March two years on).
 * `now` is the job's clock. Safe on several instances at once (SKIP LOCKED)
 * and to run twice (anonymised people are skipped). Each person is audited.
 */
export async function anonymiseLeaversPastRetention(now: Date = new Date()): Promise<{ anonymised: number }> {
  let total = 0;
  for (;;) {
    const done = await getDb().transaction(async (tx) => {
      const due = (await tx.execute(sql`
        select p.id, p.organization_id, p.left_at, coalesce(s.retention_months, ${RETENTION_DEFAULT_MONTHS}) as months
        from people p
        left join organisation_settings s on s.organization_id = p.organization_id
        where p.status = 'left' and p.anonymised_at is null and p.left_at is not null
          and ((p.left_at at time zone 'Europe/London') + make_interval(months => coalesce(s.retention_months, ${RETENTION_DEFAULT_MONTHS})))
              at time zone 'Europe/London' <= ${now.toISOString()}::timestamptz
        order by p.left_at
        limit ${BATCH}
        for update of p skip locked`)) as unknown as { rows: { id: string; organization_id: string; left_at: Date | string; months: number }[] };
      for (const row of due.rows) {
        await anonymisePersonIn(tx, {
          organisationId: row.organization_id,
          personId: row.id,
          reason: "retention",
          actor: "system",
          now,
          details: { retentionMonths: row.months, leftAt: new Date(row.left_at).toISOString() },
        });
      }
      return due.rows.length;
    });
    total += done;
    if (done < BATCH) return { anonymised: total };
  }
}

/** For the retention page: the period, and how many people who left are still named or already anonymised. */
export async function retentionOverview(organisationId: string) {
  const months = await retentionMonths(organisationId);
  const result = (await getDb().execute(sql`
    select count(*) filter (where anonymised_at is null)::int as named,
           count(*) filter (where anonymised_at is not null)::int as anonymised,
           min(left_at) filter (where anonymised_at is null) as earliest
    from people where organization_id = ${organisationId} and status = 'left'`)) as unknown as {
    rows: { named: number; anonymised: number; earliest: Date | string | null }[];
  };
  const row = result.rows[0];
  return { months, named: row?.named ?? 0, anonymised: row?.anonymised ?? 0, earliestLeftAt: row?.earliest ? new Date(row.earliest) : null };
}
