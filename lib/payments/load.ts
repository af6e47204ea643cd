// A payment with everything its object shows: the checkout (once submitted), its deposits and
// the quotes it was priced with. One function, used by the API, the events and the dashboard.
import { and, asc, eq, inArray, ne, notInArray } from "drizzle-orm";
import { checkouts, deposits, outboundTxs, payments, rateQuotes } from "@/db/schema";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { db } from "@/lib/db/client";
import type { Executor } from "@/lib/events/emit";

export type PaymentRow = typeof payments.$inferSelect;
export type QuoteRow = typeof rateQuotes.$inferSelect;
export type DepositRow = typeof deposits.$inferSelect;
export type OutboundRow = typeof outboundTxs.$inferSelect;
/** `refunds`: the excess and follow-up refunds sent back on chain (outbound_txs, not the `created` notes) */
export type LoadedPayment = { payment: PaymentRow; checkout: CheckoutRow | null; deposits: DepositRow[]; quotes: QuoteRow[]; refunds: OutboundRow[] };
export type Scope = { merchantId: string; livemode: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isPaymentId = (id: string) => UUID.test(id);

export async function loadPayments(exec: Executor, rows: readonly PaymentRow[]): Promise<LoadedPayment[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const checkoutIds = rows.flatMap((r) => (r.checkoutId ? [r.checkoutId] : []));
  const [cs, ds, qs, os] = await Promise.all([
    checkoutIds.length ? exec.select().from(checkouts).where(inArray(checkouts.id, checkoutIds)) : Promise.resolve([]),
    checkoutIds.length
      ? exec.select().from(deposits).where(and(inArray(deposits.checkoutId, checkoutIds), ne(deposits.status, "reverted")))
        .orderBy(asc(deposits.createdAt), asc(deposits.blockNumber), asc(deposits.logIndex))
      : Promise.resolve([]),
    exec.select().from(rateQuotes).where(inArray(rateQuotes.paymentId, ids)).orderBy(asc(rateQuotes.createdAt)),
    checkoutIds.length
      ? exec.select().from(outboundTxs).where(and(inArray(outboundTxs.checkoutId, checkoutIds), inArray(outboundTxs.purpose, ["excess_refund", "refund"]),
        notInArray(outboundTxs.status, ["created", "replaced"]))).orderBy(asc(outboundTxs.createdAt))
      : Promise.resolve([]),
  ]);
  return rows.map((payment) => ({
    payment,
    checkout: cs.find((c) => c.id === payment.checkoutId) ?? null,
    deposits: ds.filter((d) => d.checkoutId === payment.checkoutId),
    quotes: qs.filter((q) => q.paymentId === payment.id),
    refunds: os.filter((o) => o.checkoutId === payment.checkoutId),
  }));
}

/** The payment by id in the key's scope (404 for another merchant's or mode's), or null. */
export async function loadPayment(scope: Scope, id: string, exec: Executor = db()): Promise<LoadedPayment | null> {
  if (!isPaymentId(id)) return null;
  const [row] = await exec.select().from(payments)
    .where(and(eq(payments.id, id), eq(payments.merchantId, scope.merchantId), eq(payments.livemode, scope.livemode)));
  if (!row) return null;
  return (await loadPayments(exec, [row]))[0];
}

export async function loadPaymentById(id: string, exec: Executor = db()): Promise<LoadedPayment | null> {
  if (!isPaymentId(id)) return null;
  const [row] = await exec.select().from(payments).where(eq(payments.id, id));
  return row ? (await loadPayments(exec, [row]))[0] : null;
}
