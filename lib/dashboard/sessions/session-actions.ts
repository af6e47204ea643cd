// The merchant's actions on a session's exception from the dashboard: the same operations as
// POST /v1/sessions/{id}/accept | retry | refund (lib/checkout/actions), in the session's own mode,
// with their API errors turned into a sentence for the merchant.
import { and, eq } from "drizzle-orm";
import { checkouts } from "@/db/schema";
import { acceptCheckout, refundCheckout, retryCheckout, type RefundInput } from "@/lib/checkout/actions";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { isSessionId } from "@/lib/sessions/get-session";

export type ActionResult = { ok: true; message: string } | { ok: false; error: string };
export type SessionAction = { kind: "accept" } | { kind: "retry" } | ({ kind: "refund" } & RefundInput);

export async function runSessionAction(merchantId: string, id: string, action: SessionAction): Promise<ActionResult> {
  const notFound: ActionResult = { ok: false, error: "This session doesn't exist." };
  if (!isSessionId(id)) return notFound;
  const [row] = await db().select({ livemode: checkouts.livemode }).from(checkouts)
    .where(and(eq(checkouts.id, id), eq(checkouts.merchantId, merchantId), eq(checkouts.kind, "session")));
  if (!row) return notFound;
  const scope = { merchantId, livemode: row.livemode };
  try {
    if (action.kind === "accept") {
      await acceptCheckout(scope, "session", id);
      return { ok: true, message: "Accepted: what was paid is being settled" };
    }
    if (action.kind === "retry") {
      await retryCheckout(scope, "session", id);
      return { ok: true, message: "Retrying settlement on the next pass" };
    }
    const { address, amountUnits, network } = action;
    await refundCheckout(scope, "session", id, { address, ...(amountUnits ? { amountUnits } : {}), ...(network ? { network } : {}) });
    return { ok: true, message: "Refund queued: it is signed and sent within seconds" };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 400 || e.status === 404 || e.status === 409 || e.status === 422)) return { ok: false, error: e.message };
    throw e;
  }
}
