CREATE TABLE "settlement_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"checkout_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"network" text NOT NULL,
	"purpose" text NOT NULL,
	"from_address" text NOT NULL,
	"to_address" text,
	"token_address" text,
	"amount" numeric(78, 0) NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "settlement_notes" ADD CONSTRAINT "settlement_notes_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_notes" ADD CONSTRAINT "settlement_notes_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "settlement_notes_checkout_idx" ON "settlement_notes" USING btree ("checkout_id","network");--> statement-breakpoint
-- the notes earlier versions kept in outbound_txs (status `created`, never signed) move to their own table
INSERT INTO "settlement_notes" ("checkout_id", "merchant_id", "livemode", "network", "purpose", "from_address", "to_address", "token_address", "amount", "reason", "created_at")
SELECT "checkout_id", "merchant_id", "livemode", "network", "purpose", "from_address", nullif("to_address", ''), "token_address", "amount", coalesce("error", 'blocked'), "created_at"
FROM "outbound_txs" WHERE "status" = 'created' AND "checkout_id" IS NOT NULL;--> statement-breakpoint
DELETE FROM "outbound_txs" WHERE "status" = 'created';
