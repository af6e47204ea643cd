// Which checkouts have a settlement group to forward on a chain: the candidates come from SQL
// (processing, a confirmed deposit on this network whose group is not final yet), the decision
// from the decider's facts (lib/checkout/decide readyToSettle: every counted deposit confirmed,
// the confirmed total covering the amount due minus the merchant's tolerance, or accepted).
import { and, eq, inArray, max, ne, sql } from "drizzle-orm";
import { checkoutActions, checkouts, deposits, merchants, payments, settlementGroups } from "@/db/schema";
import { readyToSettle, settlementGroups as groupsOf } from "@/lib/checkout/decide";
import { factsOf, type GroupRow } from "@/lib/checkout/evaluate";
import { summarizePayment, type PaymentSummary } from "@/lib/checkout/payment-summary";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";

export type DepositRow = typeof deposits.$inferSelect;
export type ReadyCheckout = {
  checkout: CheckoutRow;
  /** every non-reverted deposit of the checkout, on any network */
  deposits: DepositRow[];
  summary: PaymentSummary<DepositRow>;
  /** the merchant's last retry (POST …/retry): failed transactions before it are history */
  retriedAt: Date | null;
  /** its settlement groups on this chain still to settle, by receiver */
  pending: { receiverId: string; deposits: DepositRow[] }[];
};

/** Processing checkouts ready to settle with a group on `chain` that is not final yet. */
export async function readyCheckouts(chain: ChainConfig, limit = 100): Promise<ReadyCheckout[]> {
  const candidates = await db().select({ checkout: checkouts, toleranceBps: merchants.toleranceBps, blockedAt: payments.blockedAt })
    .from(checkouts)
    .innerJoin(merchants, eq(merchants.id, checkouts.merchantId))
    .leftJoin(payments, eq(payments.id, checkouts.id))
    .where(and(
      eq(checkouts.status, "processing"),
      eq(checkouts.livemode, chain.livemode),
      sql`exists (select 1 from deposits d where d.checkout_id = ${checkouts.id} and d.network = ${chain.network} and d.livemode = ${chain.livemode}
        and d.status = 'confirmed' and not d.late
        and not exists (select 1 from settlement_groups g where g.checkout_id = d.checkout_id and g.network = d.network and g.receiver_id = d.receiver_id and g.asset_code = d.asset_code))`,
      sql`not exists (select 1 from deposits d where d.checkout_id = ${checkouts.id} and d.status = 'seen')`,
    ))
    // blocked ones (a settlement note says why) last, so they never crowd out new checkouts
    .orderBy(sql`exists (select 1 from settlement_notes n where n.checkout_id = ${checkouts.id})`, checkouts.updatedAt)
    .limit(limit);
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => c.checkout.id);
  const [rows, groups, retries] = await Promise.all([
    db().select().from(deposits).where(and(inArray(deposits.checkoutId, ids), ne(deposits.status, "reverted"))),
    db().select().from(settlementGroups).where(inArray(settlementGroups.checkoutId, ids)),
    db().select({ checkoutId: checkoutActions.checkoutId, at: max(checkoutActions.createdAt) }).from(checkoutActions)
      .where(and(inArray(checkoutActions.checkoutId, ids), eq(checkoutActions.kind, "retry"))).groupBy(checkoutActions.checkoutId),
  ]);
  return candidates.flatMap(({ checkout, toleranceBps, blockedAt }) => {
    const own = rows.filter((d) => d.checkoutId === checkout.id);
    const ownGroups: GroupRow[] = groups.filter((g) => g.checkoutId === checkout.id);
    const summary = summarizePayment(checkout, toleranceBps, own);
    const facts = factsOf({ checkout, toleranceBps, deposits: own, groups: ownGroups, blocked: blockedAt !== null }, summary);
    if (!readyToSettle(facts)) return [];
    const byReceiver = new Map<string, DepositRow[]>();
    for (const g of groupsOf(summary, facts.finalGroups)) {
      if (g.network !== chain.network || g.state !== "pending") continue;
      byReceiver.set(g.receiverId, [...(byReceiver.get(g.receiverId) ?? []), ...g.deposits]);
    }
    if (byReceiver.size === 0) return [];
    const retriedAt = retries.find((r) => r.checkoutId === checkout.id)?.at ?? null;
    return [{ checkout, deposits: own, summary, retriedAt, pending: [...byReceiver].map(([receiverId, deposits]) => ({ receiverId, deposits })) }];
  });
}
