CREATE TABLE "report_rows" (
	"organization_id" text NOT NULL,
	"person_id" text NOT NULL,
	"module_id" text NOT NULL,
	"assignment_id" text NOT NULL,
	"user_id" text,
	"person_status" text NOT NULL,
	"person_name" text NOT NULL,
	"sort_name" text NOT NULL,
	"email" text NOT NULL,
	"staff_number" text,
	"team_id" text,
	"assigned_at" timestamp with time zone NOT NULL,
	"due" date,
	"extended" boolean DEFAULT false NOT NULL,
	"open_started_at" timestamp with time zone,
	"open_version" integer,
	"completed_started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"completed_version" integer,
	"certificate_code" text,
	"certificate_expires_at" timestamp with time zone,
	"certificate_revoked" boolean DEFAULT false NOT NULL,
	"score" integer,
	"attempts" integer DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_rows_organization_id_person_id_module_id_pk" PRIMARY KEY("organization_id","person_id","module_id")
);
--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "attachments" jsonb;--> statement-breakpoint
ALTER TABLE "report_rows" ADD CONSTRAINT "report_rows_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_rows" ADD CONSTRAINT "report_rows_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_rows" ADD CONSTRAINT "report_rows_module_id_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."modules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_rows" ADD CONSTRAINT "report_rows_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_rows_org_module_idx" ON "report_rows" USING btree ("organization_id","module_id","team_id","due","completed_at","certificate_expires_at","certificate_revoked","open_started_at","person_status");--> statement-breakpoint
CREATE INDEX "report_rows_org_name_idx" ON "report_rows" USING btree ("organization_id","sort_name","person_id");--> statement-breakpoint
CREATE INDEX "report_rows_org_completed_idx" ON "report_rows" USING btree ("organization_id","completed_at") WHERE completed_at is not null;--> statement-breakpoint
CREATE INDEX "report_rows_user_idx" ON "report_rows" USING btree ("user_id","module_id");--> statement-breakpoint
CREATE INDEX "report_rows_assignment_idx" ON "report_rows" USING btree ("assignment_id");--> statement-breakpoint
-- The compliance report is derived data: report_rows is rebuilt for a scope
-- (an organisation, optionally some of its people and some modules) from the
-- source tables, and the triggers below call this with the narrowest scope
-- each change touches. Dynamic SQL so each call is planned for its own scope
-- (a generic plan for "p_people is null or id = any(p_people)" would scan).
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
      lc.started_at, lc.completed_at, lc.version, lc.code, lc.expires_at, coalesce(lc.revoked, false),
      coalesce(lc.score, la.score), coalesce(la.n, 0)
    FROM (
      SELECT t.*, x.due_date IS NOT NULL AS extended,
        coalesce(x.due_date, t.due_date,
          CASE WHEN t.due_days IS NOT NULL THEN (t.since AT TIME ZONE 'Europe/London')::date + t.due_days END) AS due
      FROM (
        SELECT a.id AS assignment_id, a.organization_id, a.module_id, a.due_date, a.due_days, a.created_at AS assigned_at,
               p.id AS person_id, p.user_id, p.status AS person_status, p.name, p.email, p.staff_number, p.team_id,
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
      WHERE e.user_id = d.user_id AND e.module_id = d.module_id AND e.completed_at IS NOT NULL
      ORDER BY e.completed_at DESC LIMIT 1
    ) lc ON true
    LEFT JOIN LATERAL (
      SELECT e.started_at, mv.version
      FROM enrolments e JOIN module_versions mv ON mv.id = e.module_version_id
      WHERE e.user_id = d.user_id AND e.module_id = d.module_id AND e.completed_at IS NULL
      LIMIT 1
    ) op ON true
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS n, (array_agg(qa.score ORDER BY qa.submitted_at DESC))[1] AS score
      FROM quiz_attempts qa JOIN enrolments e ON e.id = qa.enrolment_id
      WHERE qa.user_id = d.user_id AND e.module_id = d.module_id AND qa.submitted_at IS NOT NULL
    ) la ON true
    ORDER BY d.person_id, d.module_id, d.due ASC NULLS LAST, d.assigned_at$q$,
    CASE WHEN p_people IS NULL THEN '' ELSE 'AND p.id = ANY($2)' END,
    CASE WHEN p_modules IS NULL THEN '' ELSE 'AND a.module_id = ANY($3)' END)
  USING p_org, p_people, p_modules;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- A learner's own progress on a module changed: refresh their rows in every
-- organisation that has them on its roster.
CREATE OR REPLACE FUNCTION refresh_report_rows_for_learner(p_user text, p_module text) RETURNS void AS $$
DECLARE
  r record;
BEGIN
  IF p_user IS NULL THEN RETURN; END IF;
  FOR r IN SELECT organization_id, id FROM people WHERE user_id = p_user LOOP
    PERFORM refresh_report_rows(r.organization_id, ARRAY[r.id], ARRAY[p_module]);
  END LOOP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_rows_on_learning() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'quiz_attempts' THEN
    PERFORM refresh_report_rows_for_learner(NEW.user_id, (SELECT module_id FROM enrolments WHERE id = NEW.enrolment_id));
  ELSE
    PERFORM refresh_report_rows_for_learner(NEW.user_id, NEW.module_id);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER report_rows_enrolment_insert AFTER INSERT ON enrolments
  FOR EACH ROW EXECUTE FUNCTION report_rows_on_learning();
--> statement-breakpoint
-- Not on every lesson view: last_activity_at and last_lesson_key do not show in reports.
CREATE TRIGGER report_rows_enrolment_update AFTER UPDATE ON enrolments
  FOR EACH ROW WHEN (OLD.completed_at IS DISTINCT FROM NEW.completed_at
    OR OLD.started_at IS DISTINCT FROM NEW.started_at
    OR OLD.module_version_id IS DISTINCT FROM NEW.module_version_id
    OR OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION report_rows_on_learning();
--> statement-breakpoint
CREATE TRIGGER report_rows_certificate_change AFTER INSERT OR UPDATE ON certificates
  FOR EACH ROW EXECUTE FUNCTION report_rows_on_learning();
--> statement-breakpoint
-- Saving answers while an attempt is open does not count; submitting does.
CREATE TRIGGER report_rows_attempt_submitted AFTER UPDATE ON quiz_attempts
  FOR EACH ROW WHEN (OLD.submitted_at IS DISTINCT FROM NEW.submitted_at)
  EXECUTE FUNCTION report_rows_on_learning();
--> statement-breakpoint
-- Roster changes come in bulk (a staff import of thousands): statement-level,
-- one refresh per organisation for all the people the statement touched.
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
      WHERE (n.name, n.email, n.staff_number, n.team_id, n.status, n.user_id, n.joined_at, n.invited_at, n.created_at)
        IS DISTINCT FROM (o.name, o.email, o.staff_number, o.team_id, o.status, o.user_id, o.joined_at, o.invited_at, o.created_at)
      GROUP BY n.organization_id
    LOOP
      PERFORM refresh_report_rows(r.organization_id, r.ids, NULL);
    END LOOP;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER report_rows_people_insert AFTER INSERT ON people
  REFERENCING NEW TABLE AS new_people
  FOR EACH STATEMENT EXECUTE FUNCTION report_rows_on_people();
--> statement-breakpoint
CREATE TRIGGER report_rows_people_update AFTER UPDATE ON people
  REFERENCING OLD TABLE AS old_people NEW TABLE AS new_people
  FOR EACH STATEMENT EXECUTE FUNCTION report_rows_on_people();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_rows_on_assignment() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- Deleted with its team or organisation. Another assignment may still
    -- cover the same people and module; not when the organisation itself is going.
    IF EXISTS (SELECT 1 FROM organization WHERE id = OLD.organization_id) THEN
      PERFORM refresh_report_rows(OLD.organization_id, NULL, ARRAY[OLD.module_id]);
    END IF;
    RETURN NULL;
  END IF;
  PERFORM refresh_report_rows(NEW.organization_id, NULL,
    CASE WHEN TG_OP = 'UPDATE' AND OLD.module_id <> NEW.module_id THEN ARRAY[OLD.module_id, NEW.module_id] ELSE ARRAY[NEW.module_id] END);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER report_rows_assignment_change AFTER INSERT OR UPDATE OR DELETE ON assignments
  FOR EACH ROW EXECUTE FUNCTION report_rows_on_assignment();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_rows_on_assignment_people() RETURNS trigger AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT a.organization_id, a.module_id, array_agg(ap.person_id) AS ids
    FROM changed_assignment_people ap JOIN assignments a ON a.id = ap.assignment_id
    GROUP BY a.organization_id, a.module_id
  LOOP
    PERFORM refresh_report_rows(r.organization_id, r.ids, ARRAY[r.module_id]);
  END LOOP;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER report_rows_assignment_people_insert AFTER INSERT ON assignment_people
  REFERENCING NEW TABLE AS changed_assignment_people
  FOR EACH STATEMENT EXECUTE FUNCTION report_rows_on_assignment_people();
--> statement-breakpoint
CREATE TRIGGER report_rows_assignment_people_delete AFTER DELETE ON assignment_people
  REFERENCING OLD TABLE AS changed_assignment_people
  FOR EACH STATEMENT EXECUTE FUNCTION report_rows_on_assignment_people();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_rows_on_extension() RETURNS trigger AS $$
BEGIN
  PERFORM refresh_report_rows(a.organization_id, ARRAY[NEW.person_id], ARRAY[a.module_id])
  FROM assignments a WHERE a.id = NEW.assignment_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER report_rows_extension_insert AFTER INSERT ON assignment_extensions
  FOR EACH ROW EXECUTE FUNCTION report_rows_on_extension();
--> statement-breakpoint
SELECT refresh_report_rows(id, NULL, NULL) FROM organization;
