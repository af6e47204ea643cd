// PUT /v1/sessions/{id}/check: look at the payer's transaction now instead of waiting for the
// next scan. The receipt's Transfer logs (and the transaction's own value) to the session's
// receivers become credits, recorded exactly as the watcher records them (idempotent: the watcher
// finds them already there, or reverts them if their block is replaced before it gets there).
import { and, eq, inArray } from "drizzle-orm";
import { chainBlocks, networkStatus, receivers } from "@/db/schema";
import { evaluateCheckout } from "@/lib/checkout/evaluate";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { chainFor } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Tx as DbTx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import type { Hex } from "@/lib/chains/evm/chain-reader";
import { chainFamilies, chainFamily, familyOf, watchedChains } from "@/lib/chains/registry";
import { announceAndEvaluate, confirmDeposits, noChanges, recordCredits, type Credit } from "./record";

/**
 * Records what `txHash` paid to the checkout's receivers on any enabled chain of its mode whose family can look a transaction up,
 * then evaluates the checkout. Without a hash, only evaluates. Returns the checkout as it is now.
 */
export async function checkCheckout(checkout: CheckoutRow, txHash?: Hex): Promise<CheckoutRow> {
  let credits: Credit[] = [];
  if (txHash) {
    const rows = await db().select({ address: receivers.address, family: receivers.family }).from(receivers).where(eq(receivers.checkoutId, checkout.id));
    const watched = new Set(rows.map((r) => chainFamily(r.family).addresses.key(r.address)));
    if (watched.size) {
      // the hot wallets' own transfers fund gas: they are not payments
      const hot = await Promise.all(chainFamilies().map(async (f) => { const w = await f.hotWallet(); return w ? f.addresses.key(w) : null; }));
      const ignored = new Set(hot.filter((w): w is string => w !== null));
      const chains = watchedChains(checkout.livemode).flatMap((c) => { const check = familyOf(c).checkTransaction; return check ? [{ c, check }] : []; });
      const found = await Promise.allSettled(chains.map(({ c, check }) => check(c, txHash, watched, ignored)));
      for (const f of found) {
        if (f.status === "fulfilled") credits.push(...(f.value ?? []));
        else logger.warn({ sessionId: checkout.id, txHash, err: f.reason instanceof Error ? f.reason.message : String(f.reason) }, "check: a chain did not answer");
      }
    }
  }
  if (credits.length === 0) return (await evaluateCheckout(checkout.id))?.checkout ?? checkout;
  credits = credits.filter((c, i) => credits.findIndex((d) => d.network === c.network && d.logIndex === c.logIndex) === i);
  return db().transaction(async (tx) => {
    const { keep, deep } = await againstWatcher(tx, credits);
    const recorded = await recordCredits(tx, keep);
    const confirmed = await confirmDeposits(tx, recorded.filter((r) => deep.has(`${r.row.network}:${r.row.txHash}:${r.row.logIndex}`)).map((r) => r.row.id));
    if (recorded.length) await announceAndEvaluate(tx, { ...noChanges(), recorded, confirmed });
    // already recorded by the watcher: evaluate anyway, the caller asked to look now
    return (await evaluateCheckout(checkout.id, { tx }))?.checkout ?? checkout;
  });
}

/**
 * Where each credit's block stands against its network's watcher. Ahead of the checkpoint, the
 * watcher gets there and confirms or reverts it. Behind it, the block must be the one the watcher
 * kept at that height (else it was replaced: nothing to record), and a block already N deep is
 * confirmed now — the watcher will not pass that way again. The checkpoint row is read FOR SHARE
 * so the watcher cannot commit a range in between.
 */
async function againstWatcher(tx: DbTx, credits: readonly Credit[]): Promise<{ keep: Credit[]; deep: Set<string> }> {
  const keep: Credit[] = [];
  const deep = new Set<string>();
  for (const network of new Set(credits.map((c) => c.network))) {
    const mine = credits.filter((c) => c.network === network);
    const livemode = mine[0].livemode;
    const [cp] = await tx.select({ head: networkStatus.headNumber }).from(networkStatus)
      .where(and(eq(networkStatus.network, network), eq(networkStatus.livemode, livemode))).for("share");
    if (!cp) { keep.push(...mine); continue; }
    const head = Number(cp.head);
    const n = Math.max(chainFor(network, livemode)?.confirmations ?? 1, 1);
    const kept = await tx.select({ number: chainBlocks.number, hash: chainBlocks.hash }).from(chainBlocks)
      .where(and(eq(chainBlocks.network, network), eq(chainBlocks.livemode, livemode), inArray(chainBlocks.number, mine.map((c) => BigInt(c.blockNumber)))));
    const hashAt = new Map(kept.map((b) => [Number(b.number), b.hash]));
    for (const c of mine) {
      if (c.blockNumber <= head) {
        const ours = hashAt.get(c.blockNumber);
        if (ours && ours !== c.blockHash) continue;
        if (c.blockNumber <= head - n + 1) deep.add(`${c.network}:${c.txHash}:${c.logIndex}`);
      }
      keep.push(c);
    }
  }
  return { keep, deep };
}
