CREATE TABLE "checkouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"kind" text DEFAULT 'session' NOT NULL,
	"status" text DEFAULT 'requires_payment_method' NOT NULL,
	"network" text NOT NULL,
	"chain_id" integer NOT NULL,
	"token_address" text NOT NULL,
	"token_symbol" text NOT NULL,
	"token_decimals" integer NOT NULL,
	"amount_units" numeric(78, 0) NOT NULL,
	"destination_address" text NOT NULL,
	"display_title" text NOT NULL,
	"display_verb" text DEFAULT 'Pay' NOT NULL,
	"refund_address" text,
	"metadata" jsonb,
	"client_secret" text NOT NULL,
	"success_url" text,
	"cancel_url" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"payment_method_type" text,
	"payment_method_chain_id" integer,
	"payment_method_token_address" text,
	"payment_method_receiver_address" text,
	"payment_method_chosen_at" timestamp with time zone,
	"delivery_tx_hash" text,
	"delivery_received_units" numeric(78, 0),
	CONSTRAINT "checkouts_status_check" CHECK ("checkouts"."status" in ('requires_payment_method', 'waiting_payment', 'processing', 'succeeded', 'bounced', 'expired')),
	CONSTRAINT "checkouts_kind_check" CHECK ("checkouts"."kind" in ('session', 'payment')),
	CONSTRAINT "checkouts_amount_positive" CHECK ("checkouts"."amount_units" > 0)
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"type" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checkouts" ADD CONSTRAINT "checkouts_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checkouts_merchant_list_idx" ON "checkouts" USING btree ("merchant_id","livemode","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "checkouts_status_expires_idx" ON "checkouts" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "events_merchant_list_idx" ON "events" USING btree ("merchant_id","livemode","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "events_object_idx" ON "events" USING btree ("object_id");