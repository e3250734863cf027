-- Invariant 2: a published module version never changes. Enrolments, attempts and
-- certificates point at it, so an UPDATE or DELETE would rewrite history.
CREATE OR REPLACE FUNCTION module_versions_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'module_versions rows are immutable: publish a new version instead (version id %)', OLD.id
    USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER module_versions_no_update BEFORE UPDATE OR DELETE ON module_versions
  FOR EACH ROW EXECUTE FUNCTION module_versions_immutable();
