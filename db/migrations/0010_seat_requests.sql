CREATE TABLE "seat_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"seats" integer NOT NULL,
	"message" text,
	"status" text DEFAULT 'open' NOT NULL,
	"requested_by" text,
	"requested_by_name" text NOT NULL,
	"requested_by_email" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"handled_at" timestamp with time zone,
	"handled_by" text,
	"handled_by_name" text,
	"handled_note" text
);
--> statement-breakpoint
ALTER TABLE "staff_imports" ADD COLUMN "left_out" jsonb;--> statement-breakpoint
ALTER TABLE "seat_requests" ADD CONSTRAINT "seat_requests_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_requests" ADD CONSTRAINT "seat_requests_requested_by_user_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_requests" ADD CONSTRAINT "seat_requests_handled_by_user_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "seat_requests_one_open_uidx" ON "seat_requests" USING btree ("organization_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "seat_requests_status_idx" ON "seat_requests" USING btree ("status","created_at");