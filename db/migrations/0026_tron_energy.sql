ALTER TABLE "outbound_txs" ADD COLUMN "energy_used" bigint;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD COLUMN "energy_fee" bigint;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD COLUMN "net_usage" bigint;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD COLUMN "net_fee" bigint;--> statement-breakpoint
-- Tron Stake 2.0 (issue 21): the hot wallet lends a receiver energy (energy_delegation) and takes it
-- back (energy_reclaim). No TRX moves, so neither posts anything but its fee, which the hot wallet
-- paid: charged from hot_wallet (not receivers). Otherwise as in 0017.
CREATE OR REPLACE FUNCTION ledger_on_outbound() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_from text := CASE NEW.purpose WHEN 'gas_funding' THEN 'hot_wallet' WHEN 'withdrawal' THEN 'hot_wallet' WHEN 'energy_delegation' THEN 'hot_wallet'
    WHEN 'energy_reclaim' THEN 'hot_wallet' WHEN 'sweep' THEN 'custody' ELSE 'receivers' END;
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
