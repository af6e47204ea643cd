"use server";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { refresh } from "next/cache";
import type { CancelSessionState } from "@/components/dashboard/sessions/cancel-session-button";
import { authorize } from "@/lib/team/guard";
import { cancelDashboardSession } from "@/lib/dashboard/sessions/cancel-session";
import { actOnExceptionForm } from "@/lib/dashboard/checkout-actions";
import type { CheckoutActionState } from "@/components/dashboard/exception-panel";

// Cancels one of the signed-in merchant's sessions (→ expired, emitting session.expired).
export async function cancelSessionAction(_prev: CancelSessionState, data: FormData): Promise<CancelSessionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("checkouts:act");
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
  const id = data.get("sessionId");
  const result = await cancelDashboardSession(merchantId, typeof id === "string" ? id : "");
  // Either way the page re-renders with the session as it is now (a lost race shows the new status).
  refresh();
  return result.ok ? { canceled: true } : { error: result.error };
}

// Accept an underpaid session, retry a failed settlement, or refund what a finished one left (lib/checkout/actions).
export async function sessionExceptionAction(_prev: CheckoutActionState, data: FormData): Promise<CheckoutActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("checkouts:act");
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
  const state = await actOnExceptionForm(merchantId, "session", data);
  refresh();
  return state;
}
