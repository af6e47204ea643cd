// Dashboard reads for the Wallets pages: deposit addresses with their totals, deposits with
// filters (and the CSV export), daily deposit volume, withdrawals. Always scoped by merchant and mode.
import { and, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { depositAddresses, deposits, withdrawals } from "@/db/schema";
import { db } from "@/lib/db/client";
import { assetSpec } from "@/lib/deposits/assets";
import { assetDisplay, formatAmount } from "@/lib/money/format";
import { formatUnits } from "@/lib/money/units";
import { receivedTotals } from "@/lib/deposit-addresses/create";
import { explorerTxUrl, networkLabel } from "@/lib/dashboard/sessions/chain-display";
import type { TxRef } from "@/lib/dashboard/sessions/timeline";

type Scope = { merchantId: string; livemode: boolean };

/** A transaction for display: the explorer link only in live mode (test networks have no public explorer), Tron's bare txID there. */
function txRef(network: string, livemode: boolean, hash: string): TxRef {
  return { hash, url: explorerTxUrl(network, livemode, hash), networkLabel: networkLabel(network, livemode) };
}

/** An amount of `code` on `network` for display (lib/money/format: grouped, the asset's display decimals). */
export function displayAmount(network: string, code: string, units: bigint | null): string {
  if (units === null) return "";
  return formatAmount(units, { network, code });
}

/** Every digit, no grouping (CSV, charts). */
function exactAmount(network: string, code: string, units: bigint): string {
  return formatUnits(units, assetSpec(network, code)?.decimals ?? 0);
}

/** The asset's display name ("USDC" for eUSDC). */
const assetName = (network: string, code: string) => assetDisplay({ network, code }).symbol;

export async function listDepositAddressesForDashboard(s: Scope, q: string, limit = 100) {
  const where: SQL[] = [eq(depositAddresses.merchantId, s.merchantId), eq(depositAddresses.livemode, s.livemode)];
  if (q) where.push(or(ilike(depositAddresses.userId, `%${q}%`), ilike(depositAddresses.address, `%${q}%`), ilike(depositAddresses.title, `%${q}%`))!);
  const rows = await db().select().from(depositAddresses).where(and(...where)).orderBy(desc(depositAddresses.createdAt)).limit(limit);
  const totals = await receivedTotals(rows.map((r) => r.id));
  return rows.map((r) => {
    const t = totals.get(r.id);
    return {
      id: r.id, address: r.address, network: r.network, networkLabel: networkLabel(r.network, s.livemode), currency: r.currency, asset: assetName(r.network, r.currency), customer: r.userId, title: r.title, kind: r.kind,
      callbackUrl: r.callbackUrl, minAmount: displayAmount(r.network, r.currency, r.minAmount),
      received: displayAmount(r.network, r.currency, t?.amount ?? 0n), deposits: t?.count ?? 0, createdAt: r.createdAt,
    };
  });
}

export type DepositFilters = { currency: string; status: string; q: string };

export async function listDepositsForDashboard(s: Scope, f: DepositFilters, limit = 200) {
  const where: SQL[] = [eq(deposits.merchantId, s.merchantId), eq(deposits.livemode, s.livemode)];
  if (f.currency) where.push(eq(deposits.assetCode, f.currency));
  if (f.status === "seen" || f.status === "confirmed" || f.status === "reverted") where.push(eq(deposits.status, f.status));
  if (f.q) where.push(or(ilike(deposits.txHash, `%${f.q}%`), ilike(deposits.toAddress, `%${f.q}%`), ilike(deposits.fromAddress, `%${f.q}%`))!);
  const rows = await db().select({ d: deposits, customer: depositAddresses.userId }).from(deposits)
    .leftJoin(depositAddresses, eq(depositAddresses.receiverId, deposits.receiverId))
    .where(and(...where)).orderBy(desc(deposits.createdAt), desc(deposits.id)).limit(limit);
  return rows.map(({ d, customer }) => ({
    id: d.id, txHash: d.txHash, tx: txRef(d.network, d.livemode, d.txHash), network: d.network, networkLabel: networkLabel(d.network, d.livemode), currency: d.assetCode, asset: assetName(d.network, d.assetCode),
    amount: displayAmount(d.network, d.assetCode, d.amount), amountExact: exactAmount(d.network, d.assetCode, d.amount),
    amountUnits: d.amount.toString(), from: d.fromAddress, to: d.toAddress, status: d.status, belowMinimum: d.belowMinimum,
    sessionId: d.checkoutId, customer, createdAt: d.createdAt,
  }));
}

export async function depositCurrencies(s: Scope): Promise<string[]> {
  const rows = await db().selectDistinct({ c: deposits.assetCode }).from(deposits)
    .where(and(eq(deposits.merchantId, s.merchantId), eq(deposits.livemode, s.livemode)));
  return rows.map((r) => r.c).sort();
}

export type VolumePoint = { day: string; amount: number; label: string; /** every digit, ungrouped */ exact: string };

/** Confirmed deposit volume of one currency per UTC day over the last `days` days (zero days included). */
export async function depositVolume(s: Scope, currency: string, days = 30): Promise<VolumePoint[]> {
  const { rows } = await db().execute<{ day: string; amount: string; network: string }>(sql`
    select to_char(date_trunc('day', confirmed_at at time zone 'UTC'), 'YYYY-MM-DD') as day, sum(amount)::text as amount, min(network) as network
    from deposits
    where merchant_id = ${s.merchantId} and livemode = ${s.livemode} and asset_code = ${currency} and status = 'confirmed'
      and confirmed_at > now() - make_interval(days => ${days})
    group by 1`);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: VolumePoint[] = [];
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(today - i * 86_400_000).toISOString().slice(0, 10);
    const r = byDay.get(day);
    const exact = r ? exactAmount(r.network, currency, BigInt(r.amount)) : "0";
    // the chart's bar heights only: a float is fine for drawing, never for money
    out.push({ day, amount: Number(exact), exact, label: r ? displayAmount(r.network, currency, BigInt(r.amount)) : "0.00" });
  }
  return out;
}

export async function listWithdrawalsForDashboard(s: Scope, limit = 100) {
  const rows = await db().select().from(withdrawals)
    .where(and(eq(withdrawals.merchantId, s.merchantId), eq(withdrawals.livemode, s.livemode)))
    .orderBy(desc(withdrawals.createdAt), desc(withdrawals.id)).limit(limit);
  return rows.map((w) => ({
    id: String(w.id), kind: w.kind, status: w.status, reason: w.reason, network: w.network, networkLabel: networkLabel(w.network, w.livemode), currency: w.currency,
    asset: assetName(w.network, w.currency),
    amount: w.amount === null ? "everything" : displayAmount(w.network, w.currency, w.amount),
    amountExact: w.amount === null ? "" : exactAmount(w.network, w.currency, w.amount),
    amountUnits: w.amount === null ? null : w.amount.toString(),
    from: w.fromAddress, destination: w.destination, txHash: w.txHash, tx: w.txHash ? txRef(w.network, w.livemode, w.txHash) : null, userId: w.userId, queryId: w.queryId, createdAt: w.createdAt,
  }));
}
