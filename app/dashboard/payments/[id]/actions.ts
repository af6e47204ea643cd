"use server";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { refresh } from "next/cache";
import type { BlockPaymentState } from "@/components/dashboard/payments/block-payment-button";
import { authorize } from "@/lib/team/guard";
import { blockDashboardPayment } from "@/lib/dashboard/payments/block-payment";
import { actOnExceptionForm } from "@/lib/dashboard/checkout-actions";
import type { CheckoutActionState } from "@/components/dashboard/exception-panel";

// Blocks one of the signed-in merchant's payments (→ BLOCKED, emitting payment.blocked), in its own mode.
export async function blockPaymentAction(_prev: BlockPaymentState, data: FormData): Promise<BlockPaymentState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("checkouts:act");
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
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
  const a = await authorize("checkouts:act");
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
  const state = await actOnExceptionForm(merchantId, "payment", data);
  refresh();
  return state;
}
