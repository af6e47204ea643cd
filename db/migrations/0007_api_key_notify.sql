-- Web processes cache secret-key lookups (lib/api-keys/cache.ts) and drop a merchant's entries
-- when this channel names it: any change that can alter what a key authenticates as — a key
-- revoked, re-pointed or deleted, the merchant's name or default expiry changed, the merchant
-- deleted — notifies at commit, whoever wrote it (the dashboard, a script, psql).
CREATE FUNCTION tollgate_notify_api_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'merchants' THEN
    PERFORM pg_notify('tollgate_api_keys', OLD.id::text);
  ELSE
    PERFORM pg_notify('tollgate_api_keys', OLD.merchant_id::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_change AFTER UPDATE OF revoked_at, key_hash, livemode, merchant_id OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION tollgate_notify_api_key_change();
--> statement-breakpoint
CREATE TRIGGER merchants_notify_change AFTER UPDATE OF name, default_expiry_seconds OR DELETE ON merchants
  FOR EACH ROW EXECUTE FUNCTION tollgate_notify_api_key_change();
