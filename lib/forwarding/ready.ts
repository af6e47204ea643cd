// Which checkouts may be forwarded on a chain. Stand-in for the "ready to forward" check that
// lib/checkout/evaluate.ts will export: status processing, every counted (non-reverted) deposit
// confirmed, and the confirmed total covering the amount due minus the merchant's tolerance.
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { checkouts, deposits, merchants } from "@/db/schema";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import type { ChainConfig } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { mulDivDown } from "@/lib/money/units";

export type DepositRow = typeof deposits.$inferSelect;
export type ReadyCheckout = { checkout: CheckoutRow; deposits: DepositRow[] };

/** A deposit's amount in the checkout token's base units; null when it has no stablecoin value (native coin, unknown asset). */
export function depositValue(d: DepositRow, checkout: CheckoutRow): bigint | null {
  if (d.tokenAddress === null) return null;
  const asset = networkSpec(d.network)?.assets.find((a) => a.code === d.assetCode);
  if (!asset || asset.standard === "native") return null;
  // stablecoins quote 1:1 against each other (DOMAIN.md "Money"); only the decimals differ
  return mulDivDown(d.amount, 10n ** BigInt(checkout.tokenDecimals), 10n ** BigInt(asset.decimals));
}

export function isCovered(checkout: CheckoutRow, toleranceBps: number, confirmed: readonly DepositRow[]): boolean {
  const due = checkout.amountUnits - mulDivDown(checkout.amountUnits, BigInt(toleranceBps), 10_000n);
  const total = confirmed.reduce((sum, d) => sum + (depositValue(d, checkout) ?? 0n), 0n);
  return total >= due;
}

/** Processing sessions with a confirmed deposit on `chain`, nothing still unconfirmed, and enough confirmed. */
export async function readyCheckouts(chain: ChainConfig, limit = 100): Promise<ReadyCheckout[]> {
  const candidates = await db().select({ checkout: checkouts, toleranceBps: merchants.toleranceBps })
    .from(checkouts)
    .innerJoin(merchants, eq(merchants.id, checkouts.merchantId))
    .where(and(
      eq(checkouts.status, "processing"),
      eq(checkouts.livemode, chain.livemode),
      // the payments dialect (seed 004) has its own events; it joins when that issue lands
      eq(checkouts.kind, "session"),
      sql`exists (select 1 from deposits d where d.checkout_id = ${checkouts.id} and d.network = ${chain.network} and d.livemode = ${chain.livemode} and d.status = 'confirmed')`,
      sql`not exists (select 1 from deposits d where d.checkout_id = ${checkouts.id} and d.status = 'seen')`,
    ))
    // blocked ones (a `created` note says why) last, so they never crowd out new checkouts
    .orderBy(sql`exists (select 1 from outbound_txs o where o.checkout_id = ${checkouts.id} and o.status = 'created')`, checkouts.updatedAt)
    .limit(limit);
  if (candidates.length === 0) return [];
  const rows = await db().select().from(deposits).where(and(
    inArray(deposits.checkoutId, candidates.map((c) => c.checkout.id)),
    ne(deposits.status, "reverted"),
  ));
  return candidates.flatMap(({ checkout, toleranceBps }) => {
    const own = rows.filter((d) => d.checkoutId === checkout.id);
    return isCovered(checkout, toleranceBps, own) ? [{ checkout, deposits: own }] : [];
  });
}
