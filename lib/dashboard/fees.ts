// What moving a merchant's money cost on chain (issue 21): the network fees of each checkout's
// transactions — its share of a batch when several payments went in one transaction — and the
// fees the ledger charged the merchant per day. Read-only; the amounts are native-coin base units.
import { and, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";
import { ledgerAccounts, ledgerEntries, outboundTxs } from "@/db/schema";
import { db, type Db } from "@/lib/db/client";
import type { Executor } from "@/lib/events/emit";
import type { Owner } from "@/lib/ledger/accounts";
import { findFamilyOf } from "@/lib/chains/registry";
import { chainFor } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";

export type CheckoutFee = {
  txHash: string | null;
  network: string;
  livemode: boolean;
  purpose: string;
  /** the native coin the fee was paid in (ETH, TRX, …) */
  asset: string;
  /** base units of `asset`: this checkout's share */
  amount: bigint;
  /** how many payments shared the transaction (1: a transaction of its own) */
  sharedBy: number;
};

/** The fees of a checkout's final transactions, one entry per transaction, with how many payments shared each. */
export async function checkoutFees(checkoutId: string, exec: Executor | Db = db()): Promise<CheckoutFee[]> {
  const rows = await exec.select({
    txHash: outboundTxs.txHash, network: outboundTxs.network, purpose: outboundTxs.purpose, asset: outboundTxs.feeAsset, amount: outboundTxs.feePaid,
    livemode: outboundTxs.livemode,
  }).from(outboundTxs).where(and(
    eq(outboundTxs.checkoutId, checkoutId), inArray(outboundTxs.status, ["confirmed", "failed"]), isNotNull(outboundTxs.feePaid), isNotNull(outboundTxs.feeAsset),
  )).orderBy(outboundTxs.createdAt);
  const hashes = [...new Set(rows.map((r) => r.txHash).filter((h): h is string => h !== null))];
  const shared = new Map<string, number>();
  if (hashes.length) {
    const counts = await exec.select({ txHash: outboundTxs.txHash, n: sql<number>`count(*)::int` }).from(outboundTxs)
      .where(and(inArray(outboundTxs.txHash, hashes), inArray(outboundTxs.status, ["confirmed", "failed"]))).groupBy(outboundTxs.txHash);
    for (const c of counts) if (c.txHash) shared.set(c.txHash, c.n);
  }
  return rows.filter((r) => (r.amount ?? 0n) > 0n).map((r) => ({
    txHash: r.txHash, network: r.network, livemode: r.livemode, purpose: r.purpose, asset: r.asset!, amount: r.amount!, sharedBy: (r.txHash && shared.get(r.txHash)) || 1,
  }));
}

export type DailyFees = { day: string; network: string; asset: string; amount: bigint; transactions: number };

/** The network fees the ledger charged the merchant per day (UTC), network and coin, over the last `days` days, newest first. */
export async function feesPerDay(owner: Owner, days = 30, exec: Executor | Db = db()): Promise<DailyFees[]> {
  const since = new Date(Date.now() - days * 86_400_000);
  const day = sql<string>`to_char(date_trunc('day', ${ledgerEntries.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await exec.select({
    day, network: ledgerAccounts.network, asset: ledgerAccounts.asset,
    amount: sql<string>`sum(${ledgerEntries.amount})::text`, transactions: sql<number>`count(*)::int`,
  }).from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.debitAccountId))
    .where(and(
      eq(ledgerEntries.reason, "fee"), eq(ledgerEntries.merchantId, owner.merchantId), gte(ledgerEntries.createdAt, since),
      eq(ledgerAccounts.kind, "fees"), eq(ledgerAccounts.merchantId, owner.merchantId), eq(ledgerAccounts.livemode, owner.livemode),
    ))
    .groupBy(day, ledgerAccounts.network, ledgerAccounts.asset)
    .orderBy(sql`1 desc`, ledgerAccounts.network, ledgerAccounts.asset);
  return rows.map((r) => ({ ...r, amount: BigInt(r.amount) }));
}

/** The native coin's decimals as fees are counted on `network` (the node's own units: the anvil-backed Tron devnet counts 18). */
export function feeDecimals(network: string, livemode: boolean, asset: string): { decimals: number; symbol: string } {
  const spec = networkSpec(network)?.assets.find((a) => a.code === asset);
  const chain = chainFor(network, livemode);
  const rail = chain ? findFamilyOf(chain)?.sender?.rail : undefined;
  return { decimals: chain && rail ? rail.nativeDecimals(chain) : spec?.decimals ?? 18, symbol: spec?.asset ?? asset };
}
