-- Live updates for payer pages (lib/live): any change to a checkout, and any deposit recorded or
-- confirmed or reverted for one, notifies channel tollgate_checkout with the checkout's id when its
-- transaction commits. A trigger, so every writer (web, worker, a future family, hand-written SQL)
-- is heard; PostgreSQL folds identical notifications of one transaction into one.
CREATE OR REPLACE FUNCTION tollgate_notify_checkout() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'checkouts' THEN
    PERFORM pg_notify('tollgate_checkout', NEW.id::text);
  ELSIF NEW.checkout_id IS NOT NULL THEN
    PERFORM pg_notify('tollgate_checkout', NEW.checkout_id::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER checkouts_notify AFTER UPDATE ON checkouts FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION tollgate_notify_checkout();
--> statement-breakpoint
CREATE TRIGGER deposits_notify AFTER INSERT OR UPDATE OF status ON deposits FOR EACH ROW EXECUTE FUNCTION tollgate_notify_checkout();
