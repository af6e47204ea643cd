CREATE TABLE "deposit_addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"receiver_id" uuid NOT NULL,
	"address" text NOT NULL,
	"network" text NOT NULL,
	"currency" text NOT NULL,
	"kind" text NOT NULL,
	"user_id" text,
	"title" text,
	"callback_url" text,
	"callback_secret" text,
	"client_info" jsonb,
	"currency_to" text,
	"min_amount" numeric(78, 0),
	"max_amount" numeric(78, 0),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deposit_addresses_kind_check" CHECK ("deposit_addresses"."kind" in ('new', 'customer', 'v2'))
);
--> statement-breakpoint
CREATE TABLE "withdrawals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "withdrawals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"kind" text NOT NULL,
	"user_id" text,
	"query_id" text,
	"request_hash" text,
	"network" text NOT NULL,
	"currency" text NOT NULL,
	"amount" numeric(78, 0),
	"from_address" text,
	"destination" text NOT NULL,
	"comment" text,
	"binary_comment" text,
	"memo" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"tx_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "withdrawals_status_check" CHECK ("withdrawals"."status" in ('pending', 'processing', 'processed', 'failed')),
	CONSTRAINT "withdrawals_kind_check" CHECK ("withdrawals"."kind" in ('payout', 'sweep')),
	CONSTRAINT "withdrawals_amount_check" CHECK (("withdrawals"."kind" = 'sweep' and "withdrawals"."amount" is null) or "withdrawals"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "income_counting_side" text DEFAULT 'deposit' NOT NULL;--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "request_signing_secret" text;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD COLUMN "withdrawal_id" bigint;--> statement-breakpoint
ALTER TABLE "deposit_addresses" ADD CONSTRAINT "deposit_addresses_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposit_addresses" ADD CONSTRAINT "deposit_addresses_receiver_id_receivers_id_fk" FOREIGN KEY ("receiver_id") REFERENCES "public"."receivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deposit_addresses_receiver_key" ON "deposit_addresses" USING btree ("receiver_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deposit_addresses_customer_key" ON "deposit_addresses" USING btree ("merchant_id","livemode","user_id","currency") WHERE "deposit_addresses"."kind" = 'customer';--> statement-breakpoint
CREATE INDEX "deposit_addresses_user_idx" ON "deposit_addresses" USING btree ("merchant_id","livemode","user_id","created_at");--> statement-breakpoint
CREATE INDEX "deposit_addresses_address_idx" ON "deposit_addresses" USING btree ("address");--> statement-breakpoint
CREATE UNIQUE INDEX "withdrawals_query_key" ON "withdrawals" USING btree ("merchant_id","livemode","user_id","query_id") WHERE "withdrawals"."kind" = 'payout';--> statement-breakpoint
CREATE INDEX "withdrawals_queue_idx" ON "withdrawals" USING btree ("network","livemode","status");--> statement-breakpoint
CREATE INDEX "withdrawals_merchant_idx" ON "withdrawals" USING btree ("merchant_id","livemode","created_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD CONSTRAINT "outbound_txs_withdrawal_id_withdrawals_id_fk" FOREIGN KEY ("withdrawal_id") REFERENCES "public"."withdrawals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbound_txs_withdrawal_idx" ON "outbound_txs" USING btree ("withdrawal_id");