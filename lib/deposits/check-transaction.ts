// PUT /v1/sessions/{id}/check: look at the payer's transaction now instead of waiting for the
// next scan. The receipt's Transfer logs (and the transaction's own value) to the session's
// receivers become credits, recorded exactly as the watcher records them (idempotent: the watcher
// finds them already there, or reverts them if their block is replaced before it gets there).
import { and, eq, inArray } from "drizzle-orm";
import { chainBlocks, networkStatus, receivers } from "@/db/schema";
import { chainAssets } from "@/lib/deposits/assets";
import { evaluateCheckout } from "@/lib/checkout/evaluate";
import { enabledEvmChains } from "@/lib/checkout/evm-assets";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { chainFor, config, type ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Tx as DbTx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { wireAddress } from "@/lib/addresses";
import { parseTransferLog, type Hex, type RawLog } from "@/lib/chains/evm/chain-reader";
import { hotWalletWire } from "@/lib/chains/evm/watcher";
import { EvmRpc } from "@/lib/chains/evm/rpc";
import { announceAndEvaluate, confirmDeposits, noChanges, recordCredits, type Credit } from "./record";

type Receipt = { status?: Hex; blockNumber: Hex; blockHash: Hex; logs: RawLog[] };
type RawTx = { from: Hex; to: Hex | null; value: Hex };

const rpcs = new Map<string, EvmRpc>();
function rpcOf(chain: ChainConfig): EvmRpc {
  let r = rpcs.get(chain.key);
  if (!r) rpcs.set(chain.key, (r = new EvmRpc(chain.rpcUrls, { timeoutMs: 5000, attempts: 2 })));
  return r;
}

/** The credits `txHash` made to `watched` on one chain, or null when the chain does not know it. */
async function creditsOn(chain: ChainConfig, txHash: Hex, watched: Set<string>, ignoredSenders: Set<string>): Promise<Credit[] | null> {
  const rpc = rpcOf(chain);
  const receipt = await rpc.request<Receipt | null>("eth_getTransactionReceipt", [txHash]);
  if (!receipt) return null;
  if (receipt.status !== undefined && receipt.status !== "0x1") return [];
  const [block, tx] = await rpc.batch<unknown>([
    { method: "eth_getBlockByNumber", params: [receipt.blockNumber, false] },
    { method: "eth_getTransactionByHash", params: [txHash] },
  ]) as [{ hash: Hex; timestamp: Hex } | null, RawTx | null];
  // a receipt from a block the node no longer has at that height is stale: nothing to record
  if (!block || block.hash !== receipt.blockHash) return [];
  const base = {
    network: chain.network, livemode: chain.livemode, chainId: chain.chainId, txHash,
    blockNumber: Number.parseInt(receipt.blockNumber, 16), blockHash: receipt.blockHash, blockTime: new Date(Number.parseInt(block.timestamp, 16) * 1000),
  };
  const { tokens, native } = chainAssets(chain);
  const out: Credit[] = [];
  for (const raw of receipt.logs) {
    const l = parseTransferLog(raw);
    const asset = l && tokens.get(l.token);
    if (!l || !asset || !watched.has(l.to) || l.value === 0n) continue;
    out.push({ ...base, logIndex: l.logIndex, from: l.from, to: l.to, tokenAddress: l.token, assetCode: asset.code, amount: l.value });
  }
  const to = tx?.to?.toLowerCase();
  if (native && tx && to && watched.has(to) && BigInt(tx.value) > 0n && !ignoredSenders.has(tx.from.toLowerCase())) {
    out.push({ ...base, logIndex: -1, from: tx.from.toLowerCase() as Hex, to: to as Hex, tokenAddress: null, assetCode: native.code, amount: BigInt(tx.value) });
  }
  return out;
}

/**
 * Records what `txHash` paid to the checkout's receivers on any enabled EVM chain (or Tron) of its mode,
 * then evaluates the checkout. Without a hash, only evaluates. Returns the checkout as it is now.
 */
export async function checkCheckout(checkout: CheckoutRow, txHash?: Hex): Promise<CheckoutRow> {
  let credits: Credit[] = [];
  if (txHash) {
    const rows = await db().select({ address: receivers.address }).from(receivers).where(eq(receivers.checkoutId, checkout.id));
    const watched = new Set(rows.map((r) => wireAddress(r.address)));
    if (watched.size) {
      const ignored = new Set((await Promise.all([hotWalletWire("evm"), hotWalletWire("tron")])).filter((w): w is string => w !== null));
      const tron = config().networks.filter((c) => c.family === "tron" && c.enabled && c.livemode === checkout.livemode);
      const chains = [...enabledEvmChains(checkout.livemode), ...tron];
      const found = await Promise.allSettled(chains.map((c) => creditsOn(c, txHash, watched, ignored)));
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
