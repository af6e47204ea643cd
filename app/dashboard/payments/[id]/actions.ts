"use server";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { refresh } from "next/cache";
import type { BlockPaymentState } from "@/components/dashboard/payments/block-payment-button";
import { ApiError } from "@/lib/api/errors";
import { requireMerchant } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { blockPayment } from "@/lib/payments/block";
import { payments } from "@/db/schema";
import { eq } from "drizzle-orm";

// Blocks one of the signed-in merchant's payments (→ BLOCKED, emitting payment.blocked), in its own mode.
export async function blockPaymentAction(_prev: BlockPaymentState, data: FormData): Promise<BlockPaymentState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const { merchantId } = await requireMerchant();
  const id = data.get("paymentId");
  const paymentId = typeof id === "string" ? id : "";
  try {
    const [row] = await db().select({ livemode: payments.livemode }).from(payments).where(eq(payments.id, paymentId)).catch(() => []);
    if (!row) return { error: "This payment no longer exists." };
    await blockPayment({ merchantId, livemode: row.livemode }, paymentId);
    return { blocked: true };
  } catch (e) {
    if (e instanceof ApiError) return { error: e.message };
    throw e;
  } finally {
    refresh();
  }
}
