ALTER TABLE "certificates" ADD COLUMN "holder_erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisation_settings" ADD COLUMN "retention_months" integer DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "anonymised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "former_user_id" text;--> statement-breakpoint
CREATE INDEX "people_former_user_idx" ON "people" USING btree ("former_user_id") WHERE former_user_id is not null;--> statement-breakpoint
-- Retention bounds (app/utils/privacy-validation.ts): also here, so no write path can store a value outside them.
ALTER TABLE "organisation_settings" ADD CONSTRAINT "organisation_settings_retention_months_check" CHECK (retention_months BETWEEN 6 AND 84);--> statement-breakpoint
-- Anonymised people (docs/decisions/020) keep counting in the report: their
-- training is found through former_user_id (user_id is cleared so the account
-- can join again as someone new), and their certificate code is left out, since
-- /verify would name them. Otherwise as in 0004_reports.
CREATE OR REPLACE FUNCTION refresh_report_rows(p_org text, p_people text[], p_modules text[]) RETURNS void AS $$
BEGIN
  EXECUTE format($q$
    DELETE FROM report_rows r WHERE r.organization_id = $1 %s %s$q$,
    CASE WHEN p_people IS NULL THEN '' ELSE 'AND r.person_id = ANY($2)' END,
    CASE WHEN p_modules IS NULL THEN '' ELSE 'AND r.module_id = ANY($3)' END)
  USING p_org, p_people, p_modules;
  EXECUTE format($q$
    INSERT INTO report_rows (organization_id, person_id, module_id, assignment_id, user_id, person_status, person_name,
      sort_name, email, staff_number, team_id, assigned_at, due, extended, open_started_at, open_version,
      completed_started_at, completed_at, completed_version, certificate_code, certificate_expires_at,
      certificate_revoked, score, attempts)
    SELECT DISTINCT ON (d.person_id, d.module_id)
      d.organization_id, d.person_id, d.module_id, d.assignment_id, d.user_id, d.person_status, d.name,
      lower(d.name), d.email, d.staff_number, d.team_id, d.assigned_at, d.due, d.extended, op.started_at, op.version,
      lc.started_at, lc.completed_at, lc.version, CASE WHEN d.anonymised THEN NULL ELSE lc.code END, lc.expires_at, coalesce(lc.revoked, false),
      coalesce(lc.score, la.score), coalesce(la.n, 0)
    FROM (
      SELECT t.*, x.due_date IS NOT NULL AS extended,
        coalesce(x.due_date, t.due_date,
          CASE WHEN t.due_days IS NOT NULL THEN (t.since AT TIME ZONE 'Europe/London')::date + t.due_days END) AS due
      FROM (
        SELECT a.id AS assignment_id, a.organization_id, a.module_id, a.due_date, a.due_days, a.created_at AS assigned_at,
               p.id AS person_id, p.user_id, coalesce(p.user_id, p.former_user_id) AS link_user_id,
               p.anonymised_at IS NOT NULL AS anonymised, p.status AS person_status, p.name, p.email, p.staff_number, p.team_id,
               greatest(a.created_at, coalesce(p.joined_at, p.invited_at, p.created_at)) AS since
        FROM assignments a
        JOIN people p ON p.organization_id = a.organization_id
        WHERE a.organization_id = $1 AND a.withdrawn_at IS NULL %s %s
          AND (a.target = 'organisation'
            OR (a.target = 'team' AND p.team_id = a.team_id)
            OR (a.target = 'people' AND EXISTS (
              SELECT 1 FROM assignment_people ap WHERE ap.assignment_id = a.id AND ap.person_id = p.id)))
      ) t
      LEFT JOIN LATERAL (
        SELECT e.due_date FROM assignment_extensions e
        WHERE e.assignment_id = t.assignment_id AND e.person_id = t.person_id
        ORDER BY e.created_at DESC LIMIT 1
      ) x ON true
    ) d
    LEFT JOIN LATERAL (
      SELECT e.started_at, e.completed_at, mv.version, c.code, c.expires_at, c.revoked_at IS NOT NULL AS revoked,
             c.score_percent AS score
      FROM enrolments e
      JOIN module_versions mv ON mv.id = e.module_version_id
      LEFT JOIN certificates c ON c.enrolment_id = e.id
      WHERE e.user_id = d.link_user_id AND e.module_id = d.module_id AND e.completed_at IS NOT NULL
      ORDER BY e.completed_at DESC LIMIT 1
    ) lc ON true
    LEFT JOIN LATERAL (
      SELECT e.started_at, mv.version
      FROM enrolments e JOIN module_versions mv ON mv.id = e.module_version_id
      WHERE e.user_id = d.link_user_id AND e.module_id = d.module_id AND e.completed_at IS NULL
      LIMIT 1
    ) op ON true
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS n, (array_agg(qa.score ORDER BY qa.submitted_at DESC))[1] AS score
      FROM quiz_attempts qa JOIN enrolments e ON e.id = qa.enrolment_id
      WHERE qa.user_id = d.link_user_id AND e.module_id = d.module_id AND qa.submitted_at IS NOT NULL
    ) la ON true
    ORDER BY d.person_id, d.module_id, d.due ASC NULLS LAST, d.assigned_at$q$,
    CASE WHEN p_people IS NULL THEN '' ELSE 'AND p.id = ANY($2)' END,
    CASE WHEN p_modules IS NULL THEN '' ELSE 'AND a.module_id = ANY($3)' END)
  USING p_org, p_people, p_modules;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- The learner's progress also feeds rows of the people they were before anonymisation.
CREATE OR REPLACE FUNCTION refresh_report_rows_for_learner(p_user text, p_module text) RETURNS void AS $$
DECLARE
  r record;
BEGIN
  IF p_user IS NULL THEN RETURN; END IF;
  FOR r IN SELECT organization_id, id FROM people WHERE user_id = p_user OR former_user_id = p_user LOOP
    PERFORM refresh_report_rows(r.organization_id, ARRAY[r.id], ARRAY[p_module]);
  END LOOP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_rows_on_people() RETURNS trigger AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    FOR r IN SELECT organization_id, array_agg(id) AS ids FROM new_people GROUP BY organization_id LOOP
      PERFORM refresh_report_rows(r.organization_id, r.ids, NULL);
    END LOOP;
  ELSE
    FOR r IN
      SELECT n.organization_id, array_agg(n.id) AS ids
      FROM new_people n JOIN old_people o ON o.id = n.id
      WHERE (n.name, n.email, n.staff_number, n.team_id, n.status, n.user_id, n.joined_at, n.invited_at, n.created_at,
             n.former_user_id, n.anonymised_at)
        IS DISTINCT FROM (o.name, o.email, o.staff_number, o.team_id, o.status, o.user_id, o.joined_at, o.invited_at, o.created_at,
             o.former_user_id, o.anonymised_at)
      GROUP BY n.organization_id
    LOOP
      PERFORM refresh_report_rows(r.organization_id, r.ids, NULL);
    END LOOP;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
