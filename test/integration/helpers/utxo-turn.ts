// The integration files that mine the stack's Bitcoin and Litecoin regtest chains and assert what
// sits in their mempools take turns (a PostgreSQL advisory lock held for the whole file): one file's
// blocks would otherwise confirm another's payment before its "detected from the mempool" assertions,
// or land on a block its reorg invalidates.
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";

export function takeUtxoTurn(): void {
  let client: pg.Client | undefined;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: inject("testEnv").adminUrl });
    await client.connect();
    await client.query("select pg_advisory_lock(hashtext('tollgate-test-utxo-devnets'))");
  }, 600_000);
  afterAll(async () => {
    await client?.query("select pg_advisory_unlock_all()").catch(() => {});
    await client?.end().catch(() => {});
  });
}
