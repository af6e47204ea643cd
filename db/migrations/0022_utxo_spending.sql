CREATE TABLE "utxo_outputs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network" text NOT NULL,
	"livemode" boolean NOT NULL,
	"txid" text NOT NULL,
	"vout" integer NOT NULL,
	"address" text NOT NULL,
	"derivation_index" bigint NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"origin" text NOT NULL,
	"spent_by" text,
	"spent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "utxo_outputs_outpoint_key" ON "utxo_outputs" USING btree ("network","livemode","txid","vout");--> statement-breakpoint
CREATE INDEX "utxo_outputs_spendable_idx" ON "utxo_outputs" USING btree ("network","livemode","address") WHERE "utxo_outputs"."spent_at" is null;--> statement-breakpoint
CREATE INDEX "utxo_outputs_spent_by_idx" ON "utxo_outputs" USING btree ("spent_by");