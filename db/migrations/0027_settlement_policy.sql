CREATE TABLE "settlement_policies" (
	"merchant_id" uuid NOT NULL,
	"network" text NOT NULL,
	"livemode" boolean NOT NULL,
	"min_cents" bigint NOT NULL,
	"max_wait_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_policies_merchant_id_network_livemode_pk" PRIMARY KEY("merchant_id","network","livemode"),
	CONSTRAINT "settlement_policies_min_check" CHECK ("settlement_policies"."min_cents" >= 0),
	CONSTRAINT "settlement_policies_wait_check" CHECK ("settlement_policies"."max_wait_minutes" between 1 and 43200)
);
--> statement-breakpoint
ALTER TABLE "settlement_groups" DROP CONSTRAINT "settlement_groups_status_check";--> statement-breakpoint
ALTER TABLE "settlement_groups" ALTER COLUMN "tx_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "settlement_policies" ADD CONSTRAINT "settlement_policies_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_groups" ADD CONSTRAINT "settlement_groups_tx_check" CHECK (("settlement_groups"."tx_hash" is null) = ("settlement_groups"."status" = 'batched'));--> statement-breakpoint
ALTER TABLE "settlement_groups" ADD CONSTRAINT "settlement_groups_status_check" CHECK ("settlement_groups"."status" in ('delivered', 'refunded', 'batched'));--> statement-breakpoint
-- `settling` (what a merchant on batch settlement is owed from checkouts assigned to its next batch)
-- is owed like available: never below zero. Otherwise ledger_post as in 0009.
CREATE OR REPLACE FUNCTION ledger_post(p_debit bigint, p_credit bigint, p_amount numeric, p_reason text, p_ref_type text, p_ref_id text, p_merchant uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_ok boolean;
BEGIN
  IF p_amount IS NULL OR p_amount = 0 THEN RETURN; END IF;
  IF p_amount < 0 THEN RAISE EXCEPTION 'ledger_post: negative amount %', p_amount; END IF;
  PERFORM 1 FROM ledger_accounts WHERE id IN (p_debit, p_credit) ORDER BY id FOR UPDATE;
  UPDATE ledger_accounts SET debits = debits + p_amount, updated_at = now()
   WHERE id = p_debit AND (kind NOT IN ('available', 'incoming', 'reserved', 'settling') OR credits - debits >= p_amount)
   RETURNING true INTO v_ok;
  IF v_ok IS NULL THEN
    RAISE EXCEPTION 'insufficient_balance' USING ERRCODE = 'TG001', DETAIL = format('account %s, amount %s, %s %s', p_debit, p_amount, p_ref_type, p_ref_id);
  END IF;
  UPDATE ledger_accounts SET credits = credits + p_amount, updated_at = now() WHERE id = p_credit;
  INSERT INTO ledger_entries (debit_account_id, credit_account_id, amount, reason, ref_type, ref_id, merchant_id)
    VALUES (p_debit, p_credit, p_amount, p_reason, p_ref_type, p_ref_id, p_merchant);
END $$;
--> statement-breakpoint
-- Batch settlement (issue 21): a settlement group assigned to the merchant's next batch is the
-- merchant's — credited to its `settling` account, held by the instance on the receiver
-- (`receivers`); when the batch delivers it, the same amount goes back out. The group's
-- deposited_units (the asset of the group) is what is owed.
CREATE FUNCTION ledger_on_settlement_group() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_old text := CASE WHEN TG_OP = 'INSERT' THEN 'none' ELSE OLD.status END;
BEGIN
  IF NEW.status = 'batched' AND v_old = 'none' THEN
    PERFORM ledger_post(ledger_account(NULL, NEW.livemode, NEW.network, NEW.asset_code, 'receivers'),
      ledger_account(NEW.merchant_id, NEW.livemode, NEW.network, NEW.asset_code, 'settling'),
      NEW.deposited_units, 'settlement_batched', 'settlement_group', NEW.id::text, NEW.merchant_id);
  ELSIF v_old = 'batched' AND NEW.status <> 'batched' THEN
    PERFORM ledger_post(ledger_account(NEW.merchant_id, NEW.livemode, NEW.network, NEW.asset_code, 'settling'),
      ledger_account(NULL, NEW.livemode, NEW.network, NEW.asset_code, 'receivers'),
      NEW.deposited_units, 'settlement_delivered', 'settlement_group', NEW.id::text, NEW.merchant_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER settlement_groups_ledger AFTER INSERT OR UPDATE OF status ON settlement_groups FOR EACH ROW EXECUTE FUNCTION ledger_on_settlement_group();
