// NEW payments (no deposit currency yet, so no checkout) expire here; submitted ones expire with
// their checkout (lib/checkout/expire.ts). payment.expired either way. SKIP LOCKED lets every
// worker run it.
import { and, eq, lte, sql } from "drizzle-orm";
import { payments } from "@/db/schema";
import { db } from "@/lib/db/client";
import { evaluateNewPayment } from "@/lib/checkout/evaluate";

export async function expireNewPayments(limit = 200): Promise<number> {
  return db().transaction(async (tx) => {
    const due = await tx.select({ id: payments.id }).from(payments)
      .where(and(eq(payments.stage, "new"), lte(payments.expiresAt, sql`now()`)))
      .limit(limit).for("update", { skipLocked: true });
    let expired = 0;
    // the decider takes each (NEW → EXPIRED, payment.expired)
    for (const { id } of due) if ((await evaluateNewPayment(tx, id, { expire: true })) === "expired") expired++;
    return expired;
  });
}
