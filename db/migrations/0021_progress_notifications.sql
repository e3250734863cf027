-- Issue 18, docs/decisions/047: a transaction that changes enrolments or lesson progress notifies every listening instance as it commits (one notification per transaction: PostgreSQL folds identical ones), so each can keep what a learner's progress read answered until the next change (db/progress-changes.ts). Statement triggers: one call per statement, whatever the number of rows, cascades and TRUNCATE included.
CREATE OR REPLACE FUNCTION notify_progress_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('distinct_progress', '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER enrolments_notify_progress AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "enrolments" FOR EACH STATEMENT EXECUTE FUNCTION notify_progress_changed();--> statement-breakpoint
CREATE TRIGGER lesson_progress_notify_progress AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "lesson_progress" FOR EACH STATEMENT EXECUTE FUNCTION notify_progress_changed();
