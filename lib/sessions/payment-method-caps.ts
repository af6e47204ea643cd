// Bounds on what one checkout URL can make us do (anyone holding it can call paymentMethods):
// a session's payment method changes at most N times an hour, and it has at most M Solana
// references open (each one is watched until the session's window ends).
import { and, count, eq, gt, sql } from "drizzle-orm";
import { receivers } from "@/db/schema";
import { ApiError, errors } from "@/lib/api/errors";
import { takeToken } from "@/lib/api/rate-limit";
import { config } from "@/lib/config";
import type { Tx } from "@/lib/events/emit";

/** One payment-method change of this session; a 429 (Retry-After) once its hourly allowance is spent. */
export function takePaymentMethodChange(sessionId: string): void {
  const cap = config().sessionCaps.paymentMethodChanges;
  const wait = takeToken(`pm:${sessionId}`, Date.now(), { perSecond: cap / 3600, burst: cap });
  if (wait > 0) {
    throw new ApiError("rate_limit_error", "payment_method_changes_exceeded",
      `This session's payment method was changed ${cap} times within the hour; retry later.`, null, 429, { "Retry-After": String(wait) });
  }
}

/** A 409 when the session already has as many open Solana references as allowed. */
export async function assertReferenceRoom(tx: Tx, checkoutId: string): Promise<void> {
  const cap = config().sessionCaps.openReferences;
  const [{ open }] = await tx.select({ open: count() }).from(receivers)
    .where(and(eq(receivers.checkoutId, checkoutId), eq(receivers.family, "solana"), gt(receivers.watchUntil, sql`now()`)));
  if (open >= cap) {
    throw errors.conflict(`This session already has ${cap} open Solana payment requests; pay one of them, or use another payment method.`,
      "too_many_references", "paymentMethod.type");
  }
}
