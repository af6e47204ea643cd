// Which checkouts may be forwarded on a chain: the candidates come from SQL, the decision from
// lib/checkout/payment-summary (status processing, every counted deposit confirmed, and the
// confirmed total covering the amount due minus the merchant's tolerance).
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { checkouts, deposits, merchants } from "@/db/schema";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { isReadyToForward, summarizePayment } from "@/lib/checkout/payment-summary";

export type DepositRow = typeof deposits.$inferSelect;
export type ReadyCheckout = { checkout: CheckoutRow; deposits: DepositRow[] };

/** Processing sessions with a confirmed deposit on `chain`, nothing still unconfirmed, and enough confirmed. */
export async function readyCheckouts(chain: ChainConfig, limit = 100): Promise<ReadyCheckout[]> {
  const candidates = await db().select({ checkout: checkouts, toleranceBps: merchants.toleranceBps })
    .from(checkouts)
    .innerJoin(merchants, eq(merchants.id, checkouts.merchantId))
    .where(and(
      eq(checkouts.status, "processing"),
      eq(checkouts.livemode, chain.livemode),
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
    return isReadyToForward(checkout, summarizePayment(checkout, toleranceBps, own)) ? [{ checkout, deposits: own }] : [];
  });
}
