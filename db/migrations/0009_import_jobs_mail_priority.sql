DROP INDEX "email_outbox_due_idx";--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "priority" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_imports" ADD COLUMN "parsed" jsonb;--> statement-breakpoint
ALTER TABLE "staff_imports" ADD COLUMN "applied_by" jsonb;--> statement-breakpoint
ALTER TABLE "staff_imports" ADD COLUMN "plan" jsonb;--> statement-breakpoint
ALTER TABLE "staff_imports" ADD COLUMN "progress_done" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_imports" ADD COLUMN "progress_total" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_imports" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "staff_imports" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff_imports" ADD COLUMN "failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "email_outbox_queue_idx" ON "email_outbox" USING btree ("priority","created_at") WHERE "email_outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "staff_imports_applying_idx" ON "staff_imports" USING btree ("created_at") WHERE "staff_imports"."status" = 'applying';--> statement-breakpoint
-- Uploads checked but not yet applied kept the raw file, which is now parsed once at upload and
-- stored as rows: they cannot be converted here, so they ask to be uploaded again.
UPDATE "staff_imports" SET "status" = 'failed', "error" = 'Distinct was updated before this upload was applied. Upload the file again to check and apply it.' WHERE "status" IN ('checked', 'applying');--> statement-breakpoint
-- Mail already queued keeps its place, except what is plainly bulk, which goes behind people waiting for a mail.
UPDATE "email_outbox" SET "priority" = 1 WHERE "status" = 'pending' AND ("kind" IN ('assignment', 'assignment-due-soon', 'assignment-overdue', 'overdue-digest', 'weekly-report-export') OR "kind" LIKE 'certificate-expiry-%');--> statement-breakpoint
ALTER TABLE "staff_imports" DROP COLUMN "csv";
