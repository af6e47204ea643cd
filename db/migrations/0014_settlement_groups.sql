CREATE TABLE "checkout_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"checkout_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"network" text,
	"receiver_id" uuid,
	"token_address" text,
	"asset_code" text,
	"to_address" text,
	"amount" numeric(78, 0),
	"outbound_tx_id" uuid,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkout_actions_kind_check" CHECK ("checkout_actions"."kind" in ('accept', 'retry', 'refund')),
	CONSTRAINT "checkout_actions_status_check" CHECK ("checkout_actions"."status" in ('pending', 'sent', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "settlement_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"checkout_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"network" text NOT NULL,
	"chain_id" integer,
	"receiver_id" uuid NOT NULL,
	"asset_code" text NOT NULL,
	"token_address" text,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"deposited_units" numeric(78, 0) NOT NULL,
	"delivered_units" numeric(78, 0) NOT NULL,
	"to_address" text,
	"tx_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_groups_status_check" CHECK ("settlement_groups"."status" in ('delivered', 'refunded'))
);
--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "exception" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "accepted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "checkout_actions" ADD CONSTRAINT "checkout_actions_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_actions" ADD CONSTRAINT "checkout_actions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_actions" ADD CONSTRAINT "checkout_actions_receiver_id_receivers_id_fk" FOREIGN KEY ("receiver_id") REFERENCES "public"."receivers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_actions" ADD CONSTRAINT "checkout_actions_outbound_tx_id_outbound_txs_id_fk" FOREIGN KEY ("outbound_tx_id") REFERENCES "public"."outbound_txs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_groups" ADD CONSTRAINT "settlement_groups_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_groups" ADD CONSTRAINT "settlement_groups_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_groups" ADD CONSTRAINT "settlement_groups_receiver_id_receivers_id_fk" FOREIGN KEY ("receiver_id") REFERENCES "public"."receivers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checkout_actions_checkout_idx" ON "checkout_actions" USING btree ("checkout_id");--> statement-breakpoint
CREATE INDEX "checkout_actions_pending_idx" ON "checkout_actions" USING btree ("network","livemode","status");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_groups_key" ON "settlement_groups" USING btree ("checkout_id","network","receiver_id","asset_code");--> statement-breakpoint
ALTER TABLE "checkouts" ADD CONSTRAINT "checkouts_exception_check" CHECK ("exception" is null or "exception" in ('underpaid', 'overpaid', 'paid_late', 'mixed', 'blocked'));--> statement-breakpoint
-- backfill: what earlier versions delivered, as groups (a forward or refund by the receiver, or a direct payment's own transaction)
INSERT INTO "settlement_groups" ("checkout_id", "merchant_id", "livemode", "network", "chain_id", "receiver_id", "asset_code", "token_address", "mode", "status", "deposited_units", "delivered_units", "to_address", "tx_hash", "created_at")
SELECT c.id, c.merchant_id, c.livemode, o.network, o.chain_id, d.receiver_id, d.asset_code, o.token_address, 'forward',
  CASE WHEN o.purpose = 'refund' THEN 'refunded' ELSE 'delivered' END, o.amount, coalesce(c.delivery_received_units, o.amount), o.to_address, o.tx_hash, o.updated_at
FROM "checkouts" c
JOIN "outbound_txs" o ON o.checkout_id = c.id AND o.tx_hash = c.delivery_tx_hash
JOIN LATERAL (SELECT receiver_id, asset_code FROM "deposits" x WHERE x.checkout_id = c.id AND x.network = o.network AND x.token_address = o.token_address LIMIT 1) d ON true
WHERE c.status IN ('succeeded', 'bounced')
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "settlement_groups" ("checkout_id", "merchant_id", "livemode", "network", "chain_id", "receiver_id", "asset_code", "token_address", "mode", "status", "deposited_units", "delivered_units", "to_address", "tx_hash", "created_at")
SELECT c.id, c.merchant_id, c.livemode, d.network, d.chain_id, d.receiver_id, d.asset_code, d.token_address, 'direct', 'delivered', d.amount, d.amount, d.to_address, d.tx_hash, coalesce(d.confirmed_at, now())
FROM "checkouts" c
JOIN "deposits" d ON d.checkout_id = c.id AND d.tx_hash = c.delivery_tx_hash
WHERE c.status = 'succeeded' AND NOT EXISTS (SELECT 1 FROM "outbound_txs" o WHERE o.checkout_id = c.id AND o.tx_hash = c.delivery_tx_hash)
ON CONFLICT DO NOTHING;
