// A merchant blocks a payment (API and dashboard): BLOCKED from NEW, PENDING or AWAITING.
// Submitted payments move their checkout to bounced (DOMAIN.md: BLOCKED = bounced or blocked by
// the merchant); funds already on the receiver stay there for the merchant to handle, and
// anything arriving later is recorded as a follow-up deposit, never dropped. Once a forward or
// refund of its funds is signed, a payment can no longer be blocked (409).
import { and, eq, inArray, sql } from "drizzle-orm";
import { checkouts, outboundTxs, payments } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { evaluateCheckout, evaluateNewPayment } from "@/lib/checkout/evaluate";
import { db } from "@/lib/db/client";
import { isPaymentId, loadPaymentById, type LoadedPayment, type Scope } from "./load";

export async function blockPayment(scope: Scope, id: string): Promise<LoadedPayment> {
  if (!isPaymentId(id)) throw errors.notFound("payment", "paymentId");
  return db().transaction(async (tx) => {
    const [p] = await tx.select().from(payments).where(eq(payments.id, id)).for("update");
    if (!p || p.merchantId !== scope.merchantId || p.livemode !== scope.livemode) throw errors.notFound("payment", "paymentId");
    if (p.stage === "blocked" || p.blockedAt) throw errors.conflict("This payment is already blocked.", "payment_blocked");
    if (p.stage === "expired") throw errors.conflict("This payment has expired and can no longer be blocked.", "payment_not_blockable");
    if (p.stage === "new") {
      await tx.update(payments).set({ blockedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(payments.id, id));
      // the decider: NEW → BLOCKED (payment.blocked emitted there)
      await evaluateNewPayment(tx, id);
      return (await loadPaymentById(id, tx))!;
    }
    const [c] = await tx.select().from(checkouts).where(eq(checkouts.id, id)).for("update");
    if (c.status !== "waiting_payment" && c.status !== "processing") {
      throw errors.conflict(`This payment is finished (${c.status}) and can no longer be blocked.`, "payment_not_blockable");
    }
    // block and forward exclude each other on the checkout row: the forwarder signs under the
    // same row lock (lib/forwarding/context isActive), so a forward either is visible here or
    // re-reads the blocked status before it signs
    const [sent] = await tx.select({ id: outboundTxs.id }).from(outboundTxs).where(and(
      eq(outboundTxs.checkoutId, id),
      inArray(outboundTxs.purpose, ["forward", "refund", "excess_refund"]),
      inArray(outboundTxs.status, ["signed", "broadcast", "confirmed"]),
    )).limit(1);
    if (sent) {
      throw errors.conflict("This payment's funds are already being forwarded and it can no longer be blocked.", "payment_not_blockable");
    }
    await tx.update(payments).set({ blockedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(payments.id, id));
    // the decider: blocked → bounced with exception `blocked` (payment.<status> emitted there)
    await evaluateCheckout(id, { tx });
    return (await loadPaymentById(id, tx))!;
  });
}
