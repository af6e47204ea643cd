DROP INDEX "receivers_family_address_key";--> statement-breakpoint
DROP INDEX "receivers_family_index_key";--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "reuse_receivers" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "receivers" ADD COLUMN "reuses" uuid;--> statement-breakpoint
ALTER TABLE "receivers" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "receivers" ADD CONSTRAINT "receivers_reuses_receivers_id_fk" FOREIGN KEY ("reuses") REFERENCES "public"."receivers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "receivers_reuses_key" ON "receivers" USING btree ("reuses");--> statement-breakpoint
CREATE UNIQUE INDEX "receivers_family_seq_key" ON "receivers" USING btree ("family",coalesce("seq", "derivation_index"));--> statement-breakpoint
CREATE INDEX "receivers_address_idx" ON "receivers" USING btree ("family","address");--> statement-breakpoint
CREATE UNIQUE INDEX "receivers_family_address_key" ON "receivers" USING btree ("family","address") WHERE "receivers"."reuses" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "receivers_family_index_key" ON "receivers" USING btree ("family","derivation_index") WHERE "receivers"."reuses" is null;