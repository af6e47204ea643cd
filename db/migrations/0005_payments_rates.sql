CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"client_payment_id" text NOT NULL,
	"locale" text DEFAULT 'en-US' NOT NULL,
	"rate_type" text DEFAULT 'FIXED' NOT NULL,
	"type" text DEFAULT 'ONE_TIME' NOT NULL,
	"overpayment_policy" text DEFAULT 'PROCESS' NOT NULL,
	"refund_follow_up_deposits" boolean DEFAULT false NOT NULL,
	"display_currency" text,
	"display_amount_cents" numeric(78, 0),
	"redirect_url" text,
	"expiration_minutes" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"stage" text DEFAULT 'new' NOT NULL,
	"blocked_at" timestamp with time zone,
	"deposit_currency" text,
	"expected_network" text,
	"checkout_id" uuid,
	"submit_quote_id" uuid,
	"deposit_quote_id" uuid,
	"requested_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_display_amount_positive" CHECK ("payments"."display_amount_cents" is null or "payments"."display_amount_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "rate_quotes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"base" text NOT NULL,
	"quote" text NOT NULL,
	"rate" text NOT NULL,
	"source" text NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_quotes" ADD CONSTRAINT "rate_quotes_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_merchant_list_idx" ON "payments" USING btree ("merchant_id","livemode","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "payments_stage_expires_idx" ON "payments" USING btree ("stage","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_checkout_key" ON "payments" USING btree ("checkout_id");--> statement-breakpoint
CREATE INDEX "rate_quotes_payment_idx" ON "rate_quotes" USING btree ("payment_id");