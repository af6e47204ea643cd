"use server";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { refresh } from "next/cache";
import type { BlockPaymentState } from "@/components/dashboard/payments/block-payment-button";
import { requireMerchant } from "@/lib/auth/session";
import { blockDashboardPayment } from "@/lib/dashboard/payments/block-payment";
import { actOnExceptionForm } from "@/lib/dashboard/checkout-actions";
import type { CheckoutActionState } from "@/components/dashboard/exception-panel";

// Blocks one of the signed-in merchant's payments (→ BLOCKED, emitting payment.blocked), in its own mode.
export async function blockPaymentAction(_prev: BlockPaymentState, data: FormData): Promise<BlockPaymentState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const { merchantId } = await requireMerchant();
  const id = data.get("paymentId");
  try {
    return await blockDashboardPayment(merchantId, typeof id === "string" ? id : "");
  } finally {
    refresh();
  }
}

// Accept an underpaid payment, retry a failed settlement, or refund what a finished one left (lib/checkout/actions).
export async function paymentExceptionAction(_prev: CheckoutActionState, data: FormData): Promise<CheckoutActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const { merchantId } = await requireMerchant();
  const state = await actOnExceptionForm(merchantId, "payment", data);
  refresh();
  return state;
}
