// key_pool: addresses of hardened-derivation families (ChainFamily.keys.derive: Solana) derived
// ahead by the processes holding the mnemonic (launcher, worker), so the web process, which never
// sees the mnemonic, can hand out deposit addresses. Each index comes from receiver_index_seq (so
// it never collides with another receiver); allocation deletes one row in the transaction that
// inserts its receiver, so a rolled-back allocation puts it back.
import { and, eq, sql } from "drizzle-orm";
import { keyPool } from "@/db/schema";
import { chainFamilies } from "@/lib/chains/registry";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";

/** free addresses kept per family (≈ 0.4 s to derive); the worker tops up every 2 s */
export const KEY_POOL_TARGET = 500;

/** Derives addresses until each hardened family has KEY_POOL_TARGET free ones. Returns how many were added. */
export async function refillKeyPools(mnemonic: string, target = KEY_POOL_TARGET): Promise<number> {
  let added = 0;
  for (const f of chainFamilies()) {
    const derive = f.keys?.derive;
    if (!derive || f.keys?.addressAt) continue;
    const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(keyPool).where(eq(keyPool.family, f.id));
    const missing = target - n;
    if (missing <= 0) continue;
    const { rows } = await db().execute<{ index: string }>(sql`select nextval('receiver_index_seq')::text as index from generate_series(1, ${missing})`);
    const values = rows.map((r) => ({ family: f.id, derivationIndex: BigInt(r.index), address: derive(mnemonic, BigInt(r.index)) }));
    await db().insert(keyPool).values(values).onConflictDoNothing();
    added += values.length;
    logger.debug({ family: f.id, added: values.length }, "key pool topped up");
  }
  return added;
}

/** Takes the lowest free address of the family inside the caller's transaction, or null when the pool is empty. */
export async function takeFromPool(tx: Tx, family: string): Promise<{ index: bigint; address: string } | null> {
  const { rows } = await tx.execute<{ derivation_index: string; address: string }>(sql`
    delete from key_pool where (family, derivation_index) = (
      select family, derivation_index from key_pool where family = ${family} order by derivation_index limit 1 for update skip locked
    ) returning derivation_index::text, address`);
  const row = rows[0];
  return row ? { index: BigInt(row.derivation_index), address: row.address } : null;
}

/** Free addresses of a family (tests, diagnostics). */
export async function poolSize(family: string): Promise<number> {
  const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(keyPool).where(and(eq(keyPool.family, family)));
  return n;
}
