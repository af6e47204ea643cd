CREATE TABLE "key_pool" (
	"family" text NOT NULL,
	"derivation_index" bigint NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_pool_family_derivation_index_pk" PRIMARY KEY("family","derivation_index")
);
--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD COLUMN "fee_payer" text;--> statement-breakpoint
CREATE UNIQUE INDEX "key_pool_family_address_key" ON "key_pool" USING btree ("family","address");--> statement-breakpoint
-- A transaction whose fee another account paid (fee_payer: Solana's hot wallet pays sweeps) charges
-- the fee to that account: a sweep's fee out of the hot wallet rather than custody. Otherwise as before.
CREATE OR REPLACE FUNCTION ledger_on_outbound() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_from text := CASE NEW.purpose WHEN 'gas_funding' THEN 'hot_wallet' WHEN 'withdrawal' THEN 'hot_wallet' WHEN 'sweep' THEN 'custody' ELSE 'receivers' END;
  v_fee_from text := CASE WHEN NEW.fee_payer IS NOT NULL AND NEW.fee_payer <> NEW.from_address THEN 'hot_wallet' ELSE v_from END;
  v_asset text;
BEGIN
  IF OLD.status = NEW.status OR NEW.status NOT IN ('confirmed', 'failed') THEN RETURN NULL; END IF;
  IF NEW.fee_asset IS NOT NULL AND coalesce(NEW.fee_paid, 0) > 0 THEN
    PERFORM ledger_post(ledger_account(NEW.merchant_id, NEW.livemode, NEW.network, NEW.fee_asset, 'fees'),
      ledger_account(NULL, NEW.livemode, NEW.network, NEW.fee_asset, v_fee_from), NEW.fee_paid, 'fee', 'outbound_tx', NEW.id::text, NEW.merchant_id);
  END IF;
  IF NEW.status <> 'confirmed' THEN RETURN NULL; END IF;
  IF NEW.purpose = 'gas_funding' AND NEW.fee_asset IS NOT NULL THEN
    PERFORM ledger_post(ledger_account(NULL, NEW.livemode, NEW.network, NEW.fee_asset, CASE WHEN NEW.withdrawal_id IS NULL THEN 'receivers' ELSE 'custody' END),
      ledger_account(NULL, NEW.livemode, NEW.network, NEW.fee_asset, 'hot_wallet'), NEW.amount, 'gas_funding', 'outbound_tx', NEW.id::text, NEW.merchant_id);
  ELSIF NEW.purpose = 'sweep' THEN
    SELECT currency INTO v_asset FROM withdrawals WHERE id = NEW.withdrawal_id;
    IF v_asset IS NOT NULL THEN
      PERFORM ledger_post(ledger_account(NULL, NEW.livemode, NEW.network, v_asset, 'hot_wallet'),
        ledger_account(NULL, NEW.livemode, NEW.network, v_asset, 'custody'), NEW.amount, 'sweep', 'outbound_tx', NEW.id::text, NEW.merchant_id);
    END IF;
  END IF;
  RETURN NULL;
END $$;
