-- Bitcoin/Litecoin (lib/chains/bitcoin/spend.ts): a batch may spend a deposit address's outputs
-- directly (a payout's inputs), not only through a sweep; whatever they held joins the hot
-- wallet's change. A deposit output (utxo_outputs.origin 'deposit') spent by a final transaction
-- of ours (spent_at set) moves its amount from custody to the hot wallet, as a sweep does: the
-- instance's accounts follow the coins, no merchant's balance changes. Outputs a sweep row of
-- the same transaction moved already (its amount is all of its address's inputs) are not posted
-- again.
CREATE FUNCTION ledger_on_utxo_spent() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d record;
BEGIN
  IF NEW.origin <> 'deposit' OR NEW.spent_at IS NULL OR OLD.spent_at IS NOT NULL OR NEW.spent_by IS NULL THEN RETURN NULL; END IF;
  IF EXISTS (SELECT 1 FROM outbound_txs o WHERE o.network = NEW.network AND o.livemode = NEW.livemode AND o.tx_hash = NEW.spent_by
      AND o.purpose = 'sweep' AND o.from_address = NEW.address) THEN
    RETURN NULL;
  END IF;
  SELECT asset_code, merchant_id INTO d FROM deposits
   WHERE network = NEW.network AND livemode = NEW.livemode AND tx_hash = NEW.txid AND log_index = NEW.vout AND checkout_id IS NULL LIMIT 1;
  IF NOT FOUND THEN RETURN NULL; END IF;
  PERFORM ledger_post(ledger_account(NULL, NEW.livemode, NEW.network, d.asset_code, 'hot_wallet'),
    ledger_account(NULL, NEW.livemode, NEW.network, d.asset_code, 'custody'), NEW.amount, 'sweep', 'utxo_output', NEW.id::text, d.merchant_id);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Existing instances: deposit outputs already spent outside a sweep.
DO $$
DECLARE
  u record;
BEGIN
  FOR u IN SELECT x.*, d.asset_code, d.merchant_id FROM utxo_outputs x
      JOIN deposits d ON d.network = x.network AND d.livemode = x.livemode AND d.tx_hash = x.txid AND d.log_index = x.vout AND d.checkout_id IS NULL
     WHERE x.origin = 'deposit' AND x.spent_at IS NOT NULL AND x.spent_by IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM outbound_txs o WHERE o.network = x.network AND o.livemode = x.livemode AND o.tx_hash = x.spent_by
         AND o.purpose = 'sweep' AND o.from_address = x.address)
     ORDER BY x.spent_at, x.id LOOP
    PERFORM ledger_post(ledger_account(NULL, u.livemode, u.network, u.asset_code, 'hot_wallet'),
      ledger_account(NULL, u.livemode, u.network, u.asset_code, 'custody'), u.amount, 'sweep', 'utxo_output', u.id::text, u.merchant_id);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE TRIGGER utxo_outputs_ledger AFTER UPDATE OF spent_at ON utxo_outputs FOR EACH ROW EXECUTE FUNCTION ledger_on_utxo_spent();
