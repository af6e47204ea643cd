"use server";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { refresh } from "next/cache";
import type { CancelSessionState } from "@/components/dashboard/sessions/cancel-session-button";
import { requireMerchant } from "@/lib/auth/session";
import { cancelDashboardSession } from "@/lib/dashboard/sessions/cancel-session";
import { runSessionAction } from "@/lib/dashboard/sessions/session-actions";
import type { SessionActionState } from "@/components/dashboard/sessions/exception-panel";

// Cancels one of the signed-in merchant's sessions (→ expired, emitting session.expired).
export async function cancelSessionAction(_prev: CancelSessionState, data: FormData): Promise<CancelSessionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const { merchantId } = await requireMerchant();
  const id = data.get("sessionId");
  const result = await cancelDashboardSession(merchantId, typeof id === "string" ? id : "");
  // Either way the page re-renders with the session as it is now (a lost race shows the new status).
  refresh();
  return result.ok ? { canceled: true } : { error: result.error };
}

const text = (data: FormData, name: string) => {
  const v = data.get(name);
  return typeof v === "string" ? v.trim() : "";
};

// Accept an underpaid session, retry a failed settlement, or refund what a finished one left (lib/checkout/actions).
export async function sessionExceptionAction(_prev: SessionActionState, data: FormData): Promise<SessionActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const { merchantId } = await requireMerchant();
  const kind = text(data, "kind");
  const id = text(data, "sessionId");
  if (kind !== "accept" && kind !== "retry" && kind !== "refund") return { error: INVALID_FORM };
  if (kind === "refund" && !text(data, "address")) return { error: "Enter the address to send the refund to." };
  const result = await runSessionAction(merchantId, id, kind === "refund"
    ? { kind, address: text(data, "address"), amountUnits: text(data, "amountUnits") || undefined, network: text(data, "network") || undefined }
    : { kind });
  refresh();
  return result.ok ? { done: result.message } : { error: result.error };
}
