// Cancelling a session from the dashboard: the same operation as POST /v1/sessions/{id}/cancel
// (lib/sessions/cancel-session.ts, through the state machine), in the session's own mode, with
// its API errors turned into a sentence for the merchant.
import { and, eq } from "drizzle-orm";
import { checkouts } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { TransitionConflictError } from "@/lib/checkout/state-machine";
import { db } from "@/lib/db/client";
import { cancelSession } from "@/lib/sessions/cancel-session";
import { isSessionId } from "@/lib/sessions/get-session";

export type CancelResult = { ok: true } | { ok: false; error: string };

const STATUS_TEXT: Record<string, string> = {
  processing: "a payment for it is being processed",
  succeeded: "it has already been paid",
  bounced: "its payment was already refunded",
  expired: "it has already expired or been canceled",
};

export async function cancelDashboardSession(merchantId: string, id: string): Promise<CancelResult> {
  const notFound: CancelResult = { ok: false, error: "This session doesn't exist." };
  if (!isSessionId(id)) return notFound;
  const [row] = await db().select({ livemode: checkouts.livemode }).from(checkouts)
    .where(and(eq(checkouts.id, id), eq(checkouts.merchantId, merchantId), eq(checkouts.kind, "session")));
  if (!row) return notFound;
  try {
    await cancelSession({ merchantId, livemode: row.livemode }, id);
    return { ok: true };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return notFound;
    if (!(e instanceof ApiError && e.status === 409) && !(e instanceof TransitionConflictError)) throw e;
    // Lost a race (the watcher saw a payment, the expiry job ran, or it was canceled elsewhere).
    const [now] = await db().select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, id));
    const why = now ? STATUS_TEXT[now.status] : undefined;
    return { ok: false, error: `This session can no longer be canceled${why ? `: ${why}` : ""}.` };
  }
}
