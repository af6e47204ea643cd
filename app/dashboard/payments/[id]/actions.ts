"use server";
import { refresh } from "next/cache";
import type { BlockPaymentState } from "@/components/dashboard/payments/block-payment-button";
import { requireMerchant } from "@/lib/auth/session";
import { blockDashboardPayment } from "@/lib/dashboard/payments/block-payment";

// Blocks one of the signed-in merchant's payments (→ BLOCKED, emitting payment.blocked), in its own mode.
export async function blockPaymentAction(_prev: BlockPaymentState, data: FormData): Promise<BlockPaymentState> {
  const { merchantId } = await requireMerchant();
  const id = data.get("paymentId");
  try {
    return await blockDashboardPayment(merchantId, typeof id === "string" ? id : "");
  } finally {
    refresh();
  }
}
