ALTER TABLE "checkouts" ADD COLUMN "quote_network" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_asset" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_units" numeric(78, 0);--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_rate" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_currency" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_source" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_fetched_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "quote_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD COLUMN "fee_from_amount" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Who bears a forward's fee (DOMAIN.md "Ledger"; issue 18): a UTXO forward spends the receiver's
-- outputs — the payment's coins, which never were the instance's (checkout deposits are not
-- posted, 0009) — and pays the merchant what they held less the fee. The payment bears that fee:
-- the merchant receives the amount minus the fee, and no account of the instance paid anything.
-- Charging it to `receivers` (as a fee the instance paid from gas it had funded, EVM/Tron) drove
-- that account below zero by every forward's fee. A row with fee_from_amount posts no fee entry;
-- the fee stays on the row (fee_paid), where the checkout's fee report reads it. Otherwise as in 0026.
CREATE OR REPLACE FUNCTION ledger_on_outbound() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_from text := CASE NEW.purpose WHEN 'gas_funding' THEN 'hot_wallet' WHEN 'withdrawal' THEN 'hot_wallet' WHEN 'energy_delegation' THEN 'hot_wallet'
    WHEN 'energy_reclaim' THEN 'hot_wallet' WHEN 'sweep' THEN 'custody' ELSE 'receivers' END;
  v_fee_from text := CASE WHEN NEW.fee_payer IS NOT NULL AND NEW.fee_payer <> NEW.from_address THEN 'hot_wallet' ELSE v_from END;
  v_asset text;
BEGIN
  IF OLD.status = NEW.status OR NEW.status NOT IN ('confirmed', 'failed') THEN RETURN NULL; END IF;
  IF NEW.fee_asset IS NOT NULL AND coalesce(NEW.fee_paid, 0) > 0 AND NOT NEW.fee_from_amount THEN
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
--> statement-breakpoint
-- Existing instances: the forwards of Bitcoin/Litecoin checkout receivers (lib/chains/bitcoin/forward)
-- are marked, and the fee entries they already posted are reversed (entries are immutable: a
-- reversing entry, reason 'fee_reversed'), which brings `receivers` back to what it holds.
UPDATE outbound_txs o SET fee_from_amount = true
 WHERE o.purpose = 'forward' AND EXISTS (SELECT 1 FROM receivers r WHERE r.address = o.from_address AND r.family = 'bitcoin' AND r.checkout_id IS NOT NULL);
--> statement-breakpoint
DO $$
DECLARE
  o record;
BEGIN
  FOR o IN SELECT x.* FROM outbound_txs x
      WHERE x.fee_from_amount AND x.status IN ('confirmed', 'failed') AND x.fee_asset IS NOT NULL AND coalesce(x.fee_paid, 0) > 0
        AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.ref_type = 'outbound_tx' AND e.ref_id = x.id::text AND e.reason = 'fee')
        AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.ref_type = 'outbound_tx' AND e.ref_id = x.id::text AND e.reason = 'fee_reversed')
      ORDER BY x.updated_at, x.id LOOP
    PERFORM ledger_post(ledger_account(NULL, o.livemode, o.network, o.fee_asset, 'receivers'),
      ledger_account(o.merchant_id, o.livemode, o.network, o.fee_asset, 'fees'), o.fee_paid, 'fee_reversed', 'outbound_tx', o.id::text, o.merchant_id);
  END LOOP;
END $$;
