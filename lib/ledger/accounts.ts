// Reading the ledger (DOMAIN.md "Ledger"; the posting rules are in the database, db/migrations
// 0008_ledger.sql, so every writer posts): a merchant's balances per network and asset, and the
// instance's own accounts for the operator.
import { and, eq, isNull, sql } from "drizzle-orm";
import { ledgerAccounts, type LedgerAccountKind } from "@/db/schema";
import { db, type Db } from "@/lib/db/client";
import type { Executor } from "@/lib/events/emit";
import { pgError } from "@/lib/db/errors";

export type Owner = { merchantId: string; livemode: boolean };

/** SQLSTATE raised by ledger_post() when a debit would take what a merchant is owed below zero. */
export const INSUFFICIENT_BALANCE = "TG001";

export function isInsufficientBalance(e: unknown): boolean {
  return pgError(e)?.code === INSUFFICIENT_BALANCE;
}

/** A credit-normal account's balance (what is owed), a debit-normal one's (what is held or spent). */
function balanceOf(kind: LedgerAccountKind, debits: bigint, credits: bigint): bigint {
  return kind === "available" || kind === "incoming" || kind === "reserved" || kind === "settling" ? credits - debits : debits - credits;
}

export type MerchantBalance = {
  network: string;
  asset: string;
  available: bigint;
  incoming: bigint;
  reserved: bigint;
  /** assigned to the merchant's next settlement batch (batch settlement policy), not forwarded yet */
  settling: bigint;
  /** network fees spent for the merchant in this asset (the network's native coin) */
  fees: bigint;
};

/** Every account of the merchant in one mode, one row per (network, asset), sorted. */
export async function merchantBalances(owner: Owner, exec: Executor | Db = db()): Promise<MerchantBalance[]> {
  const rows = await exec.select().from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.merchantId, owner.merchantId), eq(ledgerAccounts.livemode, owner.livemode)));
  const by = new Map<string, MerchantBalance>();
  for (const r of rows) {
    const key = `${r.network}\u0000${r.asset}`;
    let b = by.get(key);
    if (!b) by.set(key, b = { network: r.network, asset: r.asset, available: 0n, incoming: 0n, reserved: 0n, settling: 0n, fees: 0n });
    b[r.kind as "available" | "incoming" | "reserved" | "settling" | "fees"] = balanceOf(r.kind, r.debits, r.credits);
  }
  return [...by.values()].sort((a, b) => a.network.localeCompare(b.network) || a.asset.localeCompare(b.asset));
}

/** The merchant's balances in one asset on one network (zeros when it has no account yet). */
export async function merchantBalance(owner: Owner, network: string, asset: string, exec: Executor | Db = db()): Promise<MerchantBalance> {
  const all = await merchantBalances(owner, exec);
  return all.find((b) => b.network === network && b.asset === asset) ?? { network, asset, available: 0n, incoming: 0n, reserved: 0n, settling: 0n, fees: 0n };
}

/** What the instance owes all merchants of a mode on a network, per asset: Σ (available + reserved). */
export async function owedOn(network: string, livemode: boolean, exec: Executor | Db = db()): Promise<Map<string, bigint>> {
  const rows = await exec.select({ asset: ledgerAccounts.asset, owed: sql<string>`sum(${ledgerAccounts.credits} - ${ledgerAccounts.debits})::text` })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.network, network), eq(ledgerAccounts.livemode, livemode), sql`${ledgerAccounts.kind} in ('available', 'reserved')`))
    .groupBy(ledgerAccounts.asset);
  return new Map(rows.map((r) => [r.asset, BigInt(r.owed)]));
}

export type InstanceAccount = { network: string; asset: string; kind: LedgerAccountKind; balance: bigint };

/** The instance's own accounts (operator view). */
export async function instanceAccounts(livemode: boolean, exec: Executor | Db = db()): Promise<InstanceAccount[]> {
  const rows = await exec.select().from(ledgerAccounts).where(and(isNull(ledgerAccounts.merchantId), eq(ledgerAccounts.livemode, livemode)));
  return rows.map((r) => ({ network: r.network, asset: r.asset, kind: r.kind, balance: balanceOf(r.kind, r.debits, r.credits) }));
}
