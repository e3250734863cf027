ALTER TABLE "invitation" ADD COLUMN "token_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "invitation_token_hash_idx" ON "invitation" USING btree ("token_hash");--> statement-breakpoint
-- Links mailed before this migration carry the invitation's id, which is not a
-- secret: they stop working. The invitations stay pending (the person is still
-- "invited" on the People page), so a training lead's "Resend invitation" mails
-- a link with a token. See docs/decisions/015-invitation-tokens.md.
COMMENT ON COLUMN "invitation"."token_hash" IS 'SHA-256 (hex) of the secret in the mailed link; null for invitations mailed before tokens, which must be resent';
