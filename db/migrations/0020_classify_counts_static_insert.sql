-- The insert trigger of classify_counts in static SQL (docs/decisions/046): PL/pgSQL keeps its plan per connection,
-- where the shared dynamic statement (classify_counts_insert_sql) was parsed and planned again on every quiz
-- submit. The same rows as before: one delta per key, n the number of answers inserted with it. Update and delete
-- keep the dynamic form (rare: erasure and retention).
CREATE OR REPLACE FUNCTION classify_counts_on_answers_insert() RETURNS trigger AS $$
BEGIN
  INSERT INTO classify_counts (organization_id, module_id, question_id, expected, chosen, answered_month, n)
  SELECT a.organization_id, mv.module_id, a.question_id, a.expected, a.chosen,
    date_trunc('month', a.answered_at AT TIME ZONE 'Europe/London')::date, count(*)::int
  FROM new_answers a
  JOIN module_versions mv ON mv.id = a.module_version_id
  GROUP BY 1, 2, 3, 4, 5, 6;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP TRIGGER classify_counts_answers_insert ON classify_answers;
--> statement-breakpoint
CREATE TRIGGER classify_counts_answers_insert AFTER INSERT ON classify_answers
  REFERENCING NEW TABLE AS new_answers
  FOR EACH STATEMENT EXECUTE FUNCTION classify_counts_on_answers_insert();
