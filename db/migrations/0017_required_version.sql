ALTER TABLE "assignments" ADD COLUMN "required_version" integer;--> statement-breakpoint
ALTER TABLE "report_rows" ADD COLUMN "last_completed_version" integer;--> statement-breakpoint
-- An assignment may require a version (a training lead assigning a new version
-- to those who completed an older one, docs/decisions/036): a completion of an
-- earlier version does not count for it. Of a person's assignments of one
-- module, the one requiring the newest version decides their row (it is the
-- stricter); otherwise as before, the one due first. last_completed_version
-- keeps the latest completion of any version, so the report can still say
-- "completed version 1". Otherwise as in 0008_privacy.
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
      certificate_revoked, score, attempts, last_completed_version)
    SELECT DISTINCT ON (d.person_id, d.module_id)
      d.organization_id, d.person_id, d.module_id, d.assignment_id, d.user_id, d.person_status, d.name,
      lower(d.name), d.email, d.staff_number, d.team_id, d.assigned_at, d.due, d.extended, op.started_at, op.version,
      lc.started_at, lc.completed_at, lc.version, CASE WHEN d.anonymised THEN NULL ELSE lc.code END, lc.expires_at, coalesce(lc.revoked, false),
      coalesce(lc.score, la.score), coalesce(la.n, 0),
      CASE WHEN d.required_version IS NULL THEN lc.version ELSE anyc.version END
    FROM (
      SELECT t.*, x.due_date IS NOT NULL AS extended,
        coalesce(x.due_date, t.due_date,
          CASE WHEN t.due_days IS NOT NULL THEN (t.since AT TIME ZONE 'Europe/London')::date + t.due_days END) AS due
      FROM (
        SELECT a.id AS assignment_id, a.organization_id, a.module_id, a.due_date, a.due_days, a.required_version, a.created_at AS assigned_at,
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
        AND mv.version >= coalesce(d.required_version, 0)
      ORDER BY e.completed_at DESC LIMIT 1
    ) lc ON true
    LEFT JOIN LATERAL (
      SELECT mv.version
      FROM enrolments e JOIN module_versions mv ON mv.id = e.module_version_id
      WHERE d.required_version IS NOT NULL
        AND e.user_id = d.link_user_id AND e.module_id = d.module_id AND e.completed_at IS NOT NULL
      ORDER BY e.completed_at DESC LIMIT 1
    ) anyc ON true
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
    ORDER BY d.person_id, d.module_id, d.required_version DESC NULLS LAST, d.due ASC NULLS LAST, d.assigned_at$q$,
    CASE WHEN p_people IS NULL THEN '' ELSE 'AND p.id = ANY($2)' END,
    CASE WHEN p_modules IS NULL THEN '' ELSE 'AND a.module_id = ANY($3)' END)
  USING p_org, p_people, p_modules;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Fill the new column for existing rows.
UPDATE report_rows SET last_completed_version = completed_version;
