CREATE SEQUENCE "public"."receiver_index_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "chain_blocks" (
	"network" text NOT NULL,
	"livemode" boolean NOT NULL,
	"number" bigint NOT NULL,
	"hash" text NOT NULL,
	"parent_hash" text NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	CONSTRAINT "chain_blocks_network_livemode_number_pk" PRIMARY KEY("network","livemode","number")
);
--> statement-breakpoint
CREATE TABLE "deposits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"network" text NOT NULL,
	"chain_id" integer,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"from_address" text,
	"to_address" text NOT NULL,
	"token_address" text,
	"asset_code" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"status" text DEFAULT 'seen' NOT NULL,
	"receiver_id" uuid NOT NULL,
	"checkout_id" uuid,
	"late" boolean DEFAULT false NOT NULL,
	"below_minimum" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"reverted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "key_roots" (
	"family" text PRIMARY KEY NOT NULL,
	"xpub" text NOT NULL,
	"path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbound_txs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"network" text NOT NULL,
	"chain_id" integer,
	"purpose" text NOT NULL,
	"checkout_id" uuid,
	"from_address" text NOT NULL,
	"to_address" text NOT NULL,
	"token_address" text,
	"amount" numeric(78, 0) NOT NULL,
	"nonce" bigint,
	"signed_tx" text,
	"tx_hash" text,
	"status" text DEFAULT 'created' NOT NULL,
	"fee_paid" numeric(78, 0),
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receivers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"family" text NOT NULL,
	"address" text NOT NULL,
	"derivation_index" bigint NOT NULL,
	"checkout_id" uuid,
	"watch_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deposits" ADD CONSTRAINT "deposits_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposits" ADD CONSTRAINT "deposits_receiver_id_receivers_id_fk" FOREIGN KEY ("receiver_id") REFERENCES "public"."receivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposits" ADD CONSTRAINT "deposits_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD CONSTRAINT "outbound_txs_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD CONSTRAINT "outbound_txs_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receivers" ADD CONSTRAINT "receivers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receivers" ADD CONSTRAINT "receivers_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deposits_credit_key" ON "deposits" USING btree ("network","livemode","tx_hash","log_index");--> statement-breakpoint
CREATE INDEX "deposits_checkout_idx" ON "deposits" USING btree ("checkout_id");--> statement-breakpoint
CREATE INDEX "deposits_receiver_idx" ON "deposits" USING btree ("receiver_id");--> statement-breakpoint
CREATE INDEX "deposits_pending_idx" ON "deposits" USING btree ("network","livemode","status","block_number");--> statement-breakpoint
CREATE INDEX "deposits_merchant_idx" ON "deposits" USING btree ("merchant_id","livemode","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbound_txs_status_idx" ON "outbound_txs" USING btree ("network","livemode","status");--> statement-breakpoint
CREATE INDEX "outbound_txs_checkout_idx" ON "outbound_txs" USING btree ("checkout_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_txs_sender_nonce_key" ON "outbound_txs" USING btree ("network","livemode","from_address","nonce");--> statement-breakpoint
CREATE UNIQUE INDEX "receivers_family_address_key" ON "receivers" USING btree ("family","address");--> statement-breakpoint
CREATE UNIQUE INDEX "receivers_family_index_key" ON "receivers" USING btree ("family","derivation_index");--> statement-breakpoint
CREATE INDEX "receivers_checkout_idx" ON "receivers" USING btree ("checkout_id");--> statement-breakpoint
CREATE INDEX "receivers_watch_idx" ON "receivers" USING btree ("livemode","family","watch_until");