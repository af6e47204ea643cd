// The one function that decides what a checkout's deposits mean (BTCPay's UpdateInvoice): it
// locks the checkout, sums its deposits and applies DOMAIN.md's rules in one transaction —
//   counted total ≥ due − tolerance   waiting_payment → processing         (session.processing)
//   less than that                    stays waiting_payment, one session.underpaid per new deposit
//   fell below it (a reorg reverted)  processing → waiting_payment         (session.underpaid)
//   a deposit in a block after expiresAt, or recorded while the checkout is terminal:
//                                     late = true, session.late_payment, never counted, no transition
// Overpayment is not a state: overpaidUnits comes from the deposits (payment-summary.ts).
// Expiry itself is the expiry loop's (expire.ts): it waits until every watched chain is past
// expiresAt, so a payment mined in time is never turned into a late one by a slow watcher.
import { and, eq, inArray } from "drizzle-orm";
import { checkouts, deposits, merchants } from "@/db/schema";
import { db } from "@/lib/db/client";
import { emit, type Executor, type NewEvent, type Tx } from "@/lib/events/emit";
import type { DepositRow } from "@/lib/deposits/serialize";
import { sessionEvent } from "@/lib/sessions/events";
import { emitPaymentStatus } from "@/lib/payments/events";
import { repriceOnDeposit } from "@/lib/payments/reprice";
import { countingDecimals, isReadyToForward, summarizePayment, type PaymentSummary } from "./payment-summary";
import { isTerminal, transition, type CheckoutRow, type EventBuilder } from "./state-machine";

/** A deposit just recorded (or re-included after a reorg), with its block's timestamp. */
export type FreshDeposit = { id: string; blockTime: Date };

export type Evaluation = {
  checkout: CheckoutRow;
  summary: PaymentSummary<DepositRow>;
  readyToForward: boolean;
  /** the status before, when this evaluation changed it */
  transitionedFrom: CheckoutRow["status"] | null;
};

/** Session events for sessions; payments (another dialect) get theirs from their own module. */
function eventsFor(row: CheckoutRow, type: "session.processing" | "session.underpaid" | "session.late_payment"): EventBuilder[] {
  return row.kind === "session" ? [sessionEvent(type)] : [];
}

async function loadLocked(tx: Executor, checkoutId: string, lock: boolean) {
  const q = tx.select({ checkout: checkouts, toleranceBps: merchants.toleranceBps })
    .from(checkouts).innerJoin(merchants, eq(merchants.id, checkouts.merchantId))
    .where(eq(checkouts.id, checkoutId));
  const [found] = lock ? await q.for("update", { of: checkouts }) : await q;
  return found;
}

/**
 * Re-evaluates a checkout. `fresh` lists deposits recorded in the caller's transaction: they
 * are the ones that can be late and that each earn a session.underpaid. Runs in `tx` when given
 * (the watcher records deposits and evaluates atomically), else in its own transaction.
 */
export async function evaluateCheckout(
  checkoutId: string,
  opts: { fresh?: readonly FreshDeposit[]; tx?: Tx } = {},
): Promise<Evaluation | null> {
  if (!opts.tx) return db().transaction((tx) => evaluateCheckout(checkoutId, { ...opts, tx }));
  const tx = opts.tx;
  const found = await loadLocked(tx, checkoutId, true);
  if (!found) return null;
  let row = found.checkout;
  const before = row.status;
  const rows = await tx.select().from(deposits).where(eq(deposits.checkoutId, checkoutId));
  const fresh = new Map((opts.fresh ?? []).map((f) => [f.id, f]));

  // late is decided once, when the deposit is recorded, from chain time (its block) against expiresAt
  const late = rows.filter((d) => {
    const f = fresh.get(d.id);
    return f && !d.late && d.status !== "reverted" && (isTerminal(row.status) || f.blockTime.getTime() > row.expiresAt.getTime());
  });
  if (late.length) {
    await tx.update(deposits).set({ late: true }).where(and(eq(deposits.checkoutId, checkoutId), inArray(deposits.id, late.map((d) => d.id))));
    for (const d of late) d.late = true;
  }

  // a FLOATING payment takes its deposit-time quote when the first countable deposit arrives
  if (row.kind === "payment" && row.status === "waiting_payment"
    && rows.some((d) => fresh.has(d.id) && !d.late && d.status !== "reverted" && countingDecimals(row, d) !== null)) {
    row = await repriceOnDeposit(tx, row);
  }

  const summary = summarizePayment(row, found.toleranceBps, rows);
  if (row.status === "waiting_payment" && summary.sufficient) {
    row = await transition(tx, row.id, "waiting_payment", "processing", eventsFor(row, "session.processing"));
  } else if (row.status === "processing" && !summary.sufficient) {
    row = await transition(tx, row.id, "processing", "waiting_payment", eventsFor(row, "session.underpaid"));
  }

  // payments: payment.<status> for the change (their own object, built from the stored rows)
  if (row.kind === "payment" && row.status !== before) await emitPaymentStatus(tx, row.id);

  const extra: EventBuilder[] = [];
  if (row.status === "waiting_payment" && before === "waiting_payment") {
    for (const d of summary.counted) if (fresh.has(d.id)) extra.push(...eventsFor(row, "session.underpaid"));
  }
  for (let i = 0; i < late.length; i++) extra.push(...eventsFor(row, "session.late_payment"));
  if (extra.length) {
    const at = row;
    await emit(tx, extra.map((b): NewEvent => ({ merchantId: at.merchantId, livemode: at.livemode, objectId: at.id, ...b(at) })));
  }
  return { checkout: row, summary, readyToForward: isReadyToForward(row, summary), transitionedFrom: row.status !== before ? before : null };
}

/**
 * What a checkout has received, for display and for forwarding: paid/remaining/overpaid units and
 * whether forwarding may start (processing, every counted deposit confirmed, the confirmed total
 * covers due − tolerance). With `lock`, the checkout row is locked FOR UPDATE in `exec` (a tx).
 */
export async function paymentState(
  checkoutId: string,
  opts: { exec?: Executor; lock?: boolean } = {},
): Promise<{ checkout: CheckoutRow; summary: PaymentSummary<DepositRow>; readyToForward: boolean } | null> {
  const exec = opts.exec ?? db();
  const found = await loadLocked(exec, checkoutId, opts.lock ?? false);
  if (!found) return null;
  const rows = await exec.select().from(deposits).where(eq(deposits.checkoutId, checkoutId));
  const summary = summarizePayment(found.checkout, found.toleranceBps, rows);
  return { checkout: found.checkout, summary, readyToForward: isReadyToForward(found.checkout, summary) };
}
