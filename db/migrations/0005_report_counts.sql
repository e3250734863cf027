CREATE TABLE "report_counts" (
	"organization_id" text NOT NULL,
	"module_id" text NOT NULL,
	"team_id" text,
	"person_status" text NOT NULL,
	"due_month" date,
	"kind" text NOT NULL,
	"completed_month" date,
	"expires_month" date,
	"n" integer NOT NULL
);
--> statement-breakpoint
DROP INDEX "report_rows_org_module_idx";--> statement-breakpoint
DROP INDEX "report_rows_org_completed_idx";--> statement-breakpoint
DROP INDEX "report_rows_org_name_idx";--> statement-breakpoint
ALTER TABLE "report_counts" ADD CONSTRAINT "report_counts_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_counts_org_idx" ON "report_counts" USING btree ("organization_id","module_id");--> statement-breakpoint
CREATE INDEX "report_rows_org_module_name_idx" ON "report_rows" USING btree ("organization_id","module_id","sort_name","person_id");--> statement-breakpoint
CREATE INDEX "report_rows_org_team_idx" ON "report_rows" USING btree ("organization_id","team_id");--> statement-breakpoint
CREATE INDEX "report_rows_org_due_sort_idx" ON "report_rows" USING btree ("organization_id",(coalesce(due - date '2000-01-01', 1000000000000)::numeric),"sort_name","person_id","module_id");--> statement-breakpoint
CREATE INDEX "report_rows_org_due_idx" ON "report_rows" USING btree ("organization_id","due");--> statement-breakpoint
CREATE INDEX "report_rows_org_expires_idx" ON "report_rows" USING btree ("organization_id","certificate_expires_at") WHERE completed_at is not null and not certificate_revoked;--> statement-breakpoint
CREATE INDEX "report_rows_org_name_idx" ON "report_rows" USING btree ("organization_id","sort_name","person_id","module_id");--> statement-breakpoint
-- The counts key of a report row: see db/schema/reports.ts (reportCounts).
-- Month boundaries are London's, as everywhere else in the report. p_source
-- is a query yielding report rows with a sign column s (+1 or -1). Returns
-- the statement, to be run by the caller: transition tables are visible only
-- to the trigger function's own statements.
CREATE OR REPLACE FUNCTION report_counts_insert_sql(p_source text) RETURNS text AS $$
BEGIN
  RETURN format($q$
  INSERT INTO report_counts (organization_id, module_id, team_id, person_status, due_month, kind, completed_month, expires_month, n)
  SELECT r.organization_id, r.module_id, r.team_id, r.person_status,
    date_trunc('month', r.due)::date,
    CASE WHEN r.completed_at IS NOT NULL AND NOT r.certificate_revoked
           THEN CASE WHEN r.open_started_at IS NULL THEN 'done' ELSE 'done+open' END
         WHEN r.open_started_at IS NOT NULL THEN 'open'
         ELSE 'none' END,
    CASE WHEN r.completed_at IS NOT NULL AND NOT r.certificate_revoked
      THEN date_trunc('month', r.completed_at AT TIME ZONE 'Europe/London')::date END,
    CASE WHEN r.completed_at IS NOT NULL AND NOT r.certificate_revoked
      THEN date_trunc('month', r.certificate_expires_at AT TIME ZONE 'Europe/London')::date END,
    sum(r.s)::int
  FROM (%s) r
  -- Rows going with their organisation need no counts (and could not reference it).
  WHERE EXISTS (SELECT 1 FROM organization o WHERE o.id = r.organization_id)
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum(r.s) <> 0$q$, p_source);
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_counts_on_rows() RETURNS trigger AS $$
BEGIN
  EXECUTE report_counts_insert_sql(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT n.*, 1 AS s FROM new_rows n'
    WHEN 'DELETE' THEN 'SELECT o.*, -1 AS s FROM old_rows o'
    ELSE 'SELECT o.*, -1 AS s FROM old_rows o UNION ALL SELECT n.*, 1 AS s FROM new_rows n' END);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER report_counts_rows_insert AFTER INSERT ON report_rows
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_counts_on_rows();
--> statement-breakpoint
CREATE TRIGGER report_counts_rows_update AFTER UPDATE ON report_rows
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_counts_on_rows();
--> statement-breakpoint
CREATE TRIGGER report_counts_rows_delete AFTER DELETE ON report_rows
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_counts_on_rows();
--> statement-breakpoint
-- Folds an organisation's deltas into one row per key. One statement: it
-- deletes exactly the rows it sums, so a delta committed meanwhile survives.
CREATE OR REPLACE FUNCTION compact_report_counts(p_org text) RETURNS integer AS $$
DECLARE
  folded integer;
BEGIN
  WITH gone AS (
    DELETE FROM report_counts WHERE organization_id = p_org
    RETURNING organization_id, module_id, team_id, person_status, due_month, kind, completed_month, expires_month, n
  ), summed AS (
    INSERT INTO report_counts (organization_id, module_id, team_id, person_status, due_month, kind, completed_month, expires_month, n)
    SELECT organization_id, module_id, team_id, person_status, due_month, kind, completed_month, expires_month, sum(n)::int
    FROM gone GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(n) <> 0
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM summed) INTO folded;
  RETURN folded;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Counts an organisation's rows afresh (rebuildReport; and the first count, below).
CREATE OR REPLACE FUNCTION recount_report_counts(p_org text) RETURNS void AS $$
BEGIN
  DELETE FROM report_counts WHERE organization_id = p_org;
  EXECUTE report_counts_insert_sql(format('SELECT r.*, 1 AS s FROM report_rows r WHERE r.organization_id = %L', p_org));
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT recount_report_counts(id) FROM organization;
