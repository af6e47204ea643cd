// Blocking a payment from the dashboard: the same operation as the API's block (lib/payments/block.ts)
// in the payment's own mode, with its errors turned into a sentence for the merchant. Another
// merchant's payment and one that does not exist get the same answer: the dashboard must not tell
// them apart (issue 14).
import { and, eq } from "drizzle-orm";
import { payments } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { blockPayment } from "@/lib/payments/block";
import { isPaymentId } from "@/lib/payments/load";

export type BlockResult = { blocked: true } | { error: string };

export const NO_SUCH_PAYMENT = "This payment doesn't exist.";

export async function blockDashboardPayment(merchantId: string, paymentId: string): Promise<BlockResult> {
  if (!isPaymentId(paymentId)) return { error: NO_SUCH_PAYMENT };
  const [row] = await db().select({ livemode: payments.livemode }).from(payments)
    .where(and(eq(payments.id, paymentId), eq(payments.merchantId, merchantId)));
  if (!row) return { error: NO_SUCH_PAYMENT };
  try {
    await blockPayment({ merchantId, livemode: row.livemode }, paymentId);
    return { blocked: true };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { error: NO_SUCH_PAYMENT };
    if (e instanceof ApiError) return { error: e.message };
    throw e;
  }
}
