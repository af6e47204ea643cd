CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"email" text,
	"created_by" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_accounts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"merchant_id" uuid,
	"livemode" boolean NOT NULL,
	"network" text NOT NULL,
	"asset" text NOT NULL,
	"kind" text NOT NULL,
	"debits" numeric(78, 0) DEFAULT 0 NOT NULL,
	"credits" numeric(78, 0) DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_owner_check" CHECK (("ledger_accounts"."merchant_id" is null) = ("ledger_accounts"."kind" in ('pending', 'custody', 'receivers', 'hot_wallet'))),
	CONSTRAINT "ledger_accounts_owed_not_negative" CHECK ("ledger_accounts"."kind" not in ('available', 'incoming', 'reserved') or "ledger_accounts"."credits" >= "ledger_accounts"."debits")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"debit_account_id" bigint NOT NULL,
	"credit_account_id" bigint NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"reason" text NOT NULL,
	"ref_type" text NOT NULL,
	"ref_id" text NOT NULL,
	"merchant_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_amount_positive" CHECK ("ledger_entries"."amount" > 0),
	CONSTRAINT "ledger_entries_two_accounts" CHECK ("ledger_entries"."debit_account_id" <> "ledger_entries"."credit_account_id")
);
--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "is_operator" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "network_status" ADD COLUMN "payouts_paused_reason" text;--> statement-breakpoint
ALTER TABLE "network_status" ADD COLUMN "solvency_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbound_txs" ADD COLUMN "fee_asset" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_created_by_merchants_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_used_by_merchants_id_fk" FOREIGN KEY ("used_by") REFERENCES "public"."merchants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_debit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("debit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_credit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("credit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_key" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_key" ON "ledger_accounts" USING btree (coalesce("merchant_id", '00000000-0000-0000-0000-000000000000'::uuid),"livemode","network","asset","kind");--> statement-breakpoint
CREATE INDEX "ledger_accounts_merchant_idx" ON "ledger_accounts" USING btree ("merchant_id","livemode");--> statement-breakpoint
CREATE INDEX "ledger_entries_ref_idx" ON "ledger_entries" USING btree ("ref_type","ref_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_merchant_idx" ON "ledger_entries" USING btree ("merchant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ledger_entries_debit_idx" ON "ledger_entries" USING btree ("debit_account_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_credit_idx" ON "ledger_entries" USING btree ("credit_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "merchants_one_operator_key" ON "merchants" USING btree ("is_operator") WHERE "merchants"."is_operator";
-- The ledger's posting rules (DOMAIN.md "Ledger"), in the database so that every writer posts:
-- a deposit, withdrawal or outbound transaction changing state posts its entries in the same
-- transaction, whoever wrote it. ledger_post() is the only thing that changes an account row.
CREATE FUNCTION ledger_account(p_merchant uuid, p_livemode boolean, p_network text, p_asset text, p_kind text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  SELECT id INTO v_id FROM ledger_accounts
   WHERE coalesce(merchant_id, '00000000-0000-0000-0000-000000000000'::uuid) = coalesce(p_merchant, '00000000-0000-0000-0000-000000000000'::uuid)
     AND livemode = p_livemode AND network = p_network AND asset = p_asset AND kind = p_kind;
  IF v_id IS NULL THEN
    INSERT INTO ledger_accounts (merchant_id, livemode, network, asset, kind) VALUES (p_merchant, p_livemode, p_network, p_asset, p_kind)
      ON CONFLICT DO NOTHING RETURNING id INTO v_id;
    IF v_id IS NULL THEN -- created meanwhile by a concurrent transaction
      SELECT id INTO v_id FROM ledger_accounts
       WHERE coalesce(merchant_id, '00000000-0000-0000-0000-000000000000'::uuid) = coalesce(p_merchant, '00000000-0000-0000-0000-000000000000'::uuid)
         AND livemode = p_livemode AND network = p_network AND asset = p_asset AND kind = p_kind;
    END IF;
  END IF;
  RETURN v_id;
END $$;
--> statement-breakpoint
-- One double entry. The debited account, when it is one the instance owes a merchant
-- (available, incoming, reserved), is changed by compare-and-set: it never goes below zero;
-- short → SQLSTATE TG001 'insufficient_balance'. Both rows are locked in id order first.
CREATE FUNCTION ledger_post(p_debit bigint, p_credit bigint, p_amount numeric, p_reason text, p_ref_type text, p_ref_id text, p_merchant uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_ok boolean;
BEGIN
  IF p_amount IS NULL OR p_amount = 0 THEN RETURN; END IF;
  IF p_amount < 0 THEN RAISE EXCEPTION 'ledger_post: negative amount %', p_amount; END IF;
  PERFORM 1 FROM ledger_accounts WHERE id IN (p_debit, p_credit) ORDER BY id FOR UPDATE;
  UPDATE ledger_accounts SET debits = debits + p_amount, updated_at = now()
   WHERE id = p_debit AND (kind NOT IN ('available', 'incoming', 'reserved') OR credits - debits >= p_amount)
   RETURNING true INTO v_ok;
  IF v_ok IS NULL THEN
    RAISE EXCEPTION 'insufficient_balance' USING ERRCODE = 'TG001', DETAIL = format('account %s, amount %s, %s %s', p_debit, p_amount, p_ref_type, p_ref_id);
  END IF;
  UPDATE ledger_accounts SET credits = credits + p_amount, updated_at = now() WHERE id = p_credit;
  INSERT INTO ledger_entries (debit_account_id, credit_account_id, amount, reason, ref_type, ref_id, merchant_id)
    VALUES (p_debit, p_credit, p_amount, p_reason, p_ref_type, p_ref_id, p_merchant);
END $$;
--> statement-breakpoint
-- Entries are immutable.
CREATE FUNCTION ledger_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are immutable';
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_change BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_entries_immutable();
--> statement-breakpoint
-- Deposits to permanent deposit addresses (custody): seen → the merchant's incoming; confirmed →
-- available (and the instance's custody); reverted → incoming reversed. Checkout deposits are
-- forwarded to the merchant's own wallet and never become a balance here.
CREATE FUNCTION ledger_on_deposit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_old text := CASE WHEN TG_OP = 'INSERT' THEN 'none' ELSE OLD.status END;
  v_incoming bigint;
  v_pending bigint;
BEGIN
  IF NEW.checkout_id IS NOT NULL OR v_old = NEW.status THEN RETURN NULL; END IF;
  v_incoming := ledger_account(NEW.merchant_id, NEW.livemode, NEW.network, NEW.asset_code, 'incoming');
  v_pending := ledger_account(NULL, NEW.livemode, NEW.network, NEW.asset_code, 'pending');
  IF NEW.status IN ('seen', 'confirmed') AND v_old IN ('none', 'reverted') THEN
    PERFORM ledger_post(v_pending, v_incoming, NEW.amount, 'deposit_seen', 'deposit', NEW.id::text, NEW.merchant_id);
  END IF;
  IF NEW.status = 'confirmed' THEN
    PERFORM ledger_post(v_incoming, ledger_account(NEW.merchant_id, NEW.livemode, NEW.network, NEW.asset_code, 'available'),
      NEW.amount, 'deposit_confirmed', 'deposit', NEW.id::text, NEW.merchant_id);
    PERFORM ledger_post(ledger_account(NULL, NEW.livemode, NEW.network, NEW.asset_code, 'custody'), v_pending,
      NEW.amount, 'deposit_confirmed', 'deposit', NEW.id::text, NEW.merchant_id);
  ELSIF NEW.status = 'reverted' AND v_old = 'seen' THEN
    PERFORM ledger_post(v_incoming, v_pending, NEW.amount, 'deposit_reverted', 'deposit', NEW.id::text, NEW.merchant_id);
  ELSIF NEW.status = 'reverted' AND v_old = 'confirmed' THEN
    -- never done by Tollgate (a confirmed deposit is final); reversed in full if someone does it by hand
    PERFORM ledger_post(ledger_account(NEW.merchant_id, NEW.livemode, NEW.network, NEW.asset_code, 'available'),
      ledger_account(NULL, NEW.livemode, NEW.network, NEW.asset_code, 'custody'), NEW.amount, 'deposit_reverted', 'deposit', NEW.id::text, NEW.merchant_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Payouts: queued → reserve (refused with TG001 when available is short: nothing is queued);
-- failed or cancelled → released; processed → spent out of the hot wallet.
CREATE FUNCTION ledger_on_withdrawal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_available bigint;
  v_reserved bigint;
BEGIN
  IF NEW.kind <> 'payout' OR (TG_OP = 'UPDATE' AND OLD.status = NEW.status) THEN RETURN NULL; END IF;
  v_available := ledger_account(NEW.merchant_id, NEW.livemode, NEW.network, NEW.currency, 'available');
  v_reserved := ledger_account(NEW.merchant_id, NEW.livemode, NEW.network, NEW.currency, 'reserved');
  IF TG_OP = 'INSERT' THEN
    PERFORM ledger_post(v_available, v_reserved, NEW.amount, 'withdrawal_reserved', 'withdrawal', NEW.id::text, NEW.merchant_id);
  ELSIF NEW.status = 'failed' THEN
    PERFORM ledger_post(v_reserved, v_available, NEW.amount, 'withdrawal_released', 'withdrawal', NEW.id::text, NEW.merchant_id);
  ELSIF NEW.status = 'processed' THEN
    PERFORM ledger_post(v_reserved, ledger_account(NULL, NEW.livemode, NEW.network, NEW.currency, 'hot_wallet'),
      NEW.amount, 'withdrawal_paid', 'withdrawal', NEW.id::text, NEW.merchant_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Our own transactions, once final: the network fee is charged to the merchant it was spent for
-- (out of the account of the address that paid it); a confirmed gas funding moves native coin from
-- the hot wallet to a deposit address (custody) or a checkout receiver; a confirmed sweep moves
-- custody to the hot wallet. Neither changes what a merchant owns.
CREATE FUNCTION ledger_on_outbound() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_from text := CASE NEW.purpose WHEN 'gas_funding' THEN 'hot_wallet' WHEN 'withdrawal' THEN 'hot_wallet' WHEN 'sweep' THEN 'custody' ELSE 'receivers' END;
  v_asset text;
BEGIN
  IF OLD.status = NEW.status OR NEW.status NOT IN ('confirmed', 'failed') THEN RETURN NULL; END IF;
  IF NEW.fee_asset IS NOT NULL AND coalesce(NEW.fee_paid, 0) > 0 THEN
    PERFORM ledger_post(ledger_account(NEW.merchant_id, NEW.livemode, NEW.network, NEW.fee_asset, 'fees'),
      ledger_account(NULL, NEW.livemode, NEW.network, NEW.fee_asset, v_from), NEW.fee_paid, 'fee', 'outbound_tx', NEW.id::text, NEW.merchant_id);
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
-- The first account of an existing instance is its operator.
UPDATE merchants SET is_operator = true WHERE id = (SELECT id FROM merchants ORDER BY created_at, id LIMIT 1);
--> statement-breakpoint
-- Existing instances: post what is already there. Deposits to deposit addresses as they stand;
-- queued payouts reserve what their merchant has (a payout its merchant's deposits do not cover
-- is failed: it was never the merchant's money); processed payouts spend what is left.
DO $$
DECLARE
  d record;
  w record;
BEGIN
  FOR d IN SELECT * FROM deposits WHERE checkout_id IS NULL AND status <> 'reverted' ORDER BY created_at LOOP
    PERFORM ledger_post(ledger_account(NULL, d.livemode, d.network, d.asset_code, 'pending'),
      ledger_account(d.merchant_id, d.livemode, d.network, d.asset_code, 'incoming'), d.amount, 'deposit_seen', 'deposit', d.id::text, d.merchant_id);
    IF d.status = 'confirmed' THEN
      PERFORM ledger_post(ledger_account(d.merchant_id, d.livemode, d.network, d.asset_code, 'incoming'),
        ledger_account(d.merchant_id, d.livemode, d.network, d.asset_code, 'available'), d.amount, 'deposit_confirmed', 'deposit', d.id::text, d.merchant_id);
      PERFORM ledger_post(ledger_account(NULL, d.livemode, d.network, d.asset_code, 'custody'),
        ledger_account(NULL, d.livemode, d.network, d.asset_code, 'pending'), d.amount, 'deposit_confirmed', 'deposit', d.id::text, d.merchant_id);
    END IF;
  END LOOP;
  FOR w IN SELECT * FROM withdrawals WHERE kind = 'payout' AND status <> 'failed' ORDER BY id LOOP
    BEGIN
      PERFORM ledger_post(ledger_account(w.merchant_id, w.livemode, w.network, w.currency, 'available'),
        ledger_account(w.merchant_id, w.livemode, w.network, w.currency, 'reserved'), w.amount, 'withdrawal_reserved', 'withdrawal', w.id::text, w.merchant_id);
      IF w.status = 'processed' THEN
        PERFORM ledger_post(ledger_account(w.merchant_id, w.livemode, w.network, w.currency, 'reserved'),
          ledger_account(NULL, w.livemode, w.network, w.currency, 'hot_wallet'), w.amount, 'withdrawal_paid', 'withdrawal', w.id::text, w.merchant_id);
      END IF;
    EXCEPTION WHEN SQLSTATE 'TG001' THEN
      IF w.status = 'pending' THEN
        UPDATE withdrawals SET status = 'failed', reason = 'not covered by the merchant''s own balance (the ledger was introduced)', updated_at = now() WHERE id = w.id;
      END IF;
    END;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE TRIGGER deposits_ledger AFTER INSERT OR UPDATE OF status ON deposits FOR EACH ROW EXECUTE FUNCTION ledger_on_deposit();
--> statement-breakpoint
CREATE TRIGGER withdrawals_ledger AFTER INSERT OR UPDATE OF status ON withdrawals FOR EACH ROW EXECUTE FUNCTION ledger_on_withdrawal();
--> statement-breakpoint
CREATE TRIGGER outbound_txs_ledger AFTER UPDATE OF status ON outbound_txs FOR EACH ROW EXECUTE FUNCTION ledger_on_outbound();
