-- Idempotency-Key records are scoped by caller (API.md "Idempotency"): 'key' for the merchant's
-- secret keys (merchant and mode), 'session:<id>' for one session's client secret, so a payer can
-- neither replay the merchant's responses nor poison the merchant's keys. Rows written before this
-- migration were all the merchant's scope; they expire within 24 h.
DROP INDEX "idempotency_keys_scope_key";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "caller" text DEFAULT 'key' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_scope_key" ON "idempotency_keys" USING btree ("merchant_id","livemode","caller","key");
