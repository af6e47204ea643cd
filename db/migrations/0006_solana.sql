CREATE TABLE "solana_payment_requests" (
	"receiver_id" uuid PRIMARY KEY NOT NULL,
	"checkout_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"recipient" text NOT NULL,
	"mint" text,
	"asset_code" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"payer" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "solana_payment_requests" ADD CONSTRAINT "solana_payment_requests_receiver_id_receivers_id_fk" FOREIGN KEY ("receiver_id") REFERENCES "public"."receivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "solana_payment_requests" ADD CONSTRAINT "solana_payment_requests_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "solana_payment_requests_reference_key" ON "solana_payment_requests" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "solana_payment_requests_checkout_idx" ON "solana_payment_requests" USING btree ("checkout_id");