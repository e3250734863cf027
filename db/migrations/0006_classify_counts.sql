CREATE TABLE "classify_counts" (
	"organization_id" text,
	"module_id" text NOT NULL,
	"question_id" text NOT NULL,
	"expected" text NOT NULL,
	"chosen" text NOT NULL,
	"answered_month" date NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "classify_counts_org_idx" ON "classify_counts" USING btree ("organization_id","module_id");--> statement-breakpoint
CREATE INDEX "classify_answers_answered_idx" ON "classify_answers" USING btree ("answered_at");--> statement-breakpoint
-- The insert for a set of answers with a sign column s: see db/schema/learning.ts
-- (classifyCounts). Returned as text, run by the caller: transition tables are
-- visible only to the trigger function's own statements.
CREATE OR REPLACE FUNCTION classify_counts_insert_sql(p_source text) RETURNS text AS $$
BEGIN
  RETURN format($q$
  INSERT INTO classify_counts (organization_id, module_id, question_id, expected, chosen, answered_month, n)
  SELECT a.organization_id, mv.module_id, a.question_id, a.expected, a.chosen,
    date_trunc('month', a.answered_at AT TIME ZONE 'Europe/London')::date, sum(a.s)::int
  FROM (%s) a
  JOIN module_versions mv ON mv.id = a.module_version_id
  GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(a.s) <> 0$q$, p_source);
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION classify_counts_on_answers() RETURNS trigger AS $$
BEGIN
  EXECUTE classify_counts_insert_sql(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT n.*, 1 AS s FROM new_answers n'
    WHEN 'DELETE' THEN 'SELECT o.*, -1 AS s FROM old_answers o'
    ELSE 'SELECT o.*, -1 AS s FROM old_answers o UNION ALL SELECT n.*, 1 AS s FROM new_answers n' END);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER classify_counts_answers_insert AFTER INSERT ON classify_answers
  REFERENCING NEW TABLE AS new_answers
  FOR EACH STATEMENT EXECUTE FUNCTION classify_counts_on_answers();
--> statement-breakpoint
CREATE TRIGGER classify_counts_answers_update AFTER UPDATE ON classify_answers
  REFERENCING OLD TABLE AS old_answers NEW TABLE AS new_answers
  FOR EACH STATEMENT EXECUTE FUNCTION classify_counts_on_answers();
--> statement-breakpoint
CREATE TRIGGER classify_counts_answers_delete AFTER DELETE ON classify_answers
  REFERENCING OLD TABLE AS old_answers
  FOR EACH STATEMENT EXECUTE FUNCTION classify_counts_on_answers();
--> statement-breakpoint
-- Folds every delta into one row per key, in one statement (see compact_report_counts).
CREATE OR REPLACE FUNCTION compact_classify_counts() RETURNS integer AS $$
DECLARE
  folded integer;
BEGIN
  WITH gone AS (
    DELETE FROM classify_counts
    RETURNING organization_id, module_id, question_id, expected, chosen, answered_month, n
  ), summed AS (
    INSERT INTO classify_counts (organization_id, module_id, question_id, expected, chosen, answered_month, n)
    SELECT organization_id, module_id, question_id, expected, chosen, answered_month, sum(n)::int
    FROM gone GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM summed) INTO folded;
  RETURN folded;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Counts every answer afresh (repair; and the first count, below).
CREATE OR REPLACE FUNCTION recount_classify_counts() RETURNS void AS $$
BEGIN
  LOCK TABLE classify_counts IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM classify_counts;
  EXECUTE classify_counts_insert_sql('SELECT a.*, 1 AS s FROM classify_answers a');
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT recount_classify_counts();
