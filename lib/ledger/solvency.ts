// Solvency (DOMAIN.md "Ledger"): per network and asset, what the instance holds on chain (the hot
// wallet and the permanent deposit addresses that may hold the asset, read at one block height, in
// a few batched requests) must cover what it owes
// its merchants, Σ (available + reserved), less payouts already signed (they may have left the
// hot wallet before they are marked processed). A shortfall pauses payouts on the network
// (network_status.payouts_paused_reason: /healthz, /v1/system/sync, the dashboard) until a check
// passes again.
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { deposits, networkStatus, outboundTxs, receivers, withdrawals } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { withdrawalFamily } from "@/lib/withdrawals/families";
import { owedOn } from "./accounts";

export type AssetSolvency = { asset: string; owed: bigint; inFlight: bigint; held: bigint };
export type Solvency = { network: string; livemode: boolean; block: bigint; assets: AssetSolvency[]; shortfalls: AssetSolvency[] };

/** Reads the chain and compares; does not write. Null when the family holds no custody (no withdrawals). */
export async function measureSolvency(chain: ChainConfig): Promise<Solvency | null> {
  const family = withdrawalFamily(chain.family);
  if (!family) return null;
  const owed = await owedOn(chain.network, chain.livemode);
  const assets = [...owed.entries()].filter(([, v]) => v > 0n).map(([asset]) => asset);
  if (assets.length === 0) return { network: chain.network, livemode: chain.livemode, block: 0n, assets: [], shortfalls: [] };
  const signed = await db().select({ asset: withdrawals.currency, sum: sql<string>`sum(${withdrawals.amount})::text` }).from(withdrawals)
    .where(and(eq(withdrawals.network, chain.network), eq(withdrawals.livemode, chain.livemode), eq(withdrawals.kind, "payout"), eq(withdrawals.status, "processing")))
    .groupBy(withdrawals.currency);
  const custody = await custodyHolders(chain);
  const hot = await family.hotWallet(chain.key);
  const block = await family.head(chain);
  const out: AssetSolvency[] = [];
  for (const asset of assets) {
    if (!(asset in chain.assets)) continue; // not configured any more: nothing to read
    const holders = [hot, ...(custody.get(asset) ?? [])];
    const balances = await family.balancesOf(chain, chain.assets[asset], holders, block);
    const held = balances.reduce((a, b) => a + b, 0n);
    const inFlight = BigInt(signed.find((s) => s.asset === asset)?.sum ?? "0");
    out.push({ asset, owed: owed.get(asset)!, inFlight, held });
  }
  const shortfalls = out.filter((a) => a.held < a.owed - a.inFlight);
  return { network: chain.network, livemode: chain.livemode, block, assets: out, shortfalls };
}

/**
 * Per asset, the permanent deposit addresses that may hold it: each received a deposit of it
 * (not reverted) that no confirmed sweep of the asset from the address began after. A swept
 * address is not read again until it receives more; one whose sweep is still in flight is (its
 * coins are there or in the hot wallet, read at the same height). Leaving out an address that
 * still holds something can only make holdings look smaller, never larger: a false pause, never a
 * missed shortfall.
 */
async function custodyHolders(chain: ChainConfig): Promise<Map<string, string[]>> {
  const rows = await db().selectDistinct({ address: receivers.address, asset: deposits.assetCode }).from(receivers)
    .innerJoin(deposits, eq(deposits.receiverId, receivers.id))
    .where(and(isNull(receivers.checkoutId), eq(receivers.livemode, chain.livemode), eq(deposits.network, chain.network), ne(deposits.status, "reverted"),
      sql`not exists (select 1 from ${outboundTxs} o where o.network = ${deposits.network} and o.livemode = ${deposits.livemode}
        and o.purpose = 'sweep' and o.status = 'confirmed' and lower(o.from_address) = lower(${receivers.address})
        and lower(o.token_address) is not distinct from lower(${deposits.tokenAddress}) and o.created_at > ${deposits.createdAt})`));
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.asset, [...(out.get(r.asset) ?? []), r.address]);
  return out;
}

export function shortfallReason(s: Solvency): string | null {
  if (s.shortfalls.length === 0) return null;
  return "payouts paused: on-chain holdings are below what merchants are owed (" +
    s.shortfalls.map((a) => `${a.asset}: holds ${a.held}, owes ${a.owed - a.inFlight}`).join("; ") + ", base units)";
}

/** The worker's periodic check: records the result on the network's status row. */
export async function solvencyTick(chain: ChainConfig): Promise<Solvency | null> {
  const s = await measureSolvency(chain);
  if (!s) return null;
  const reason = shortfallReason(s);
  const [before] = await db().select({ reason: networkStatus.payoutsPausedReason }).from(networkStatus)
    .where(and(eq(networkStatus.network, chain.network), eq(networkStatus.livemode, chain.livemode)));
  await db().update(networkStatus).set({ payoutsPausedReason: reason, solvencyCheckedAt: sql`now()` })
    .where(and(eq(networkStatus.network, chain.network), eq(networkStatus.livemode, chain.livemode)));
  if (reason && before?.reason !== reason) logger.error({ network: chain.key, shortfalls: s.shortfalls.map((a) => a.asset) }, reason);
  else if (!reason && before?.reason) logger.info({ network: chain.key }, "solvency restored: payouts resume");
  return s;
}

/** Why payouts are paused on the network, or null. */
export async function payoutsPaused(network: string, livemode: boolean): Promise<string | null> {
  const [row] = await db().select({ reason: networkStatus.payoutsPausedReason }).from(networkStatus)
    .where(and(eq(networkStatus.network, network), eq(networkStatus.livemode, livemode)));
  return row?.reason ?? null;
}

