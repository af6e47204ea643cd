DROP INDEX "outbound_txs_sender_nonce_key";--> statement-breakpoint
ALTER TABLE "network_status" ADD COLUMN "watch_paused_reason" text;--> statement-breakpoint
ALTER TABLE "network_status" ADD COLUMN "watch_resume" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD COLUMN "replaces_id" uuid;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD COLUMN "signed_at_block" bigint;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD CONSTRAINT "outbound_txs_replaces_id_outbound_txs_id_fk" FOREIGN KEY ("replaces_id") REFERENCES "public"."outbound_txs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbound_txs_replaces_idx" ON "outbound_txs" USING btree ("replaces_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_txs_sender_nonce_key" ON "outbound_txs" USING btree ("network","livemode","from_address","nonce") WHERE "outbound_txs"."status" <> 'replaced';