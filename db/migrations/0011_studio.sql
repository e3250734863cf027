CREATE TABLE "draft_comments" (
	"id" text PRIMARY KEY NOT NULL,
	"draft_id" text NOT NULL,
	"author_id" text,
	"author_name" text NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "module_drafts" (
	"id" text PRIMARY KEY NOT NULL,
	"module_id" text NOT NULL,
	"base_version_id" text,
	"files" jsonb NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'editing' NOT NULL,
	"origin" text DEFAULT 'studio' NOT NULL,
	"created_by_id" text,
	"created_by_name" text NOT NULL,
	"updated_by_id" text,
	"updated_by_name" text NOT NULL,
	"last_change" text,
	"submitted_by_id" text,
	"submitted_by_name" text,
	"submitted_at" timestamp with time zone,
	"change_note" text,
	"material_change" boolean,
	"published_version_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "module_update_acks" (
	"user_id" text NOT NULL,
	"module_version_id" text NOT NULL,
	"acknowledged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "module_update_acks_user_id_module_version_id_pk" PRIMARY KEY("user_id","module_version_id")
);
--> statement-breakpoint
ALTER TABLE "module_versions" ADD COLUMN "author_name" text;--> statement-breakpoint
ALTER TABLE "module_versions" ADD COLUMN "reviewer_name" text;--> statement-breakpoint
ALTER TABLE "module_versions" ADD COLUMN "source_files" jsonb;--> statement-breakpoint
ALTER TABLE "modules" ADD COLUMN "retired_by" text;--> statement-breakpoint
ALTER TABLE "modules" ADD COLUMN "studio_published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "draft_comments" ADD CONSTRAINT "draft_comments_draft_id_module_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."module_drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_comments" ADD CONSTRAINT "draft_comments_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_drafts" ADD CONSTRAINT "module_drafts_module_id_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."modules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_drafts" ADD CONSTRAINT "module_drafts_base_version_id_module_versions_id_fk" FOREIGN KEY ("base_version_id") REFERENCES "public"."module_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_drafts" ADD CONSTRAINT "module_drafts_created_by_id_user_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_drafts" ADD CONSTRAINT "module_drafts_updated_by_id_user_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_drafts" ADD CONSTRAINT "module_drafts_submitted_by_id_user_id_fk" FOREIGN KEY ("submitted_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_drafts" ADD CONSTRAINT "module_drafts_published_version_id_module_versions_id_fk" FOREIGN KEY ("published_version_id") REFERENCES "public"."module_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_update_acks" ADD CONSTRAINT "module_update_acks_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_update_acks" ADD CONSTRAINT "module_update_acks_module_version_id_module_versions_id_fk" FOREIGN KEY ("module_version_id") REFERENCES "public"."module_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "draft_comments_draft_idx" ON "draft_comments" USING btree ("draft_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "module_drafts_open_uidx" ON "module_drafts" USING btree ("module_id") WHERE status in ('editing', 'in_review');