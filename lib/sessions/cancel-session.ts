// Cancelling a session that has not been paid: it becomes expired (API.md §1), through the state
// machine, emitting session.expired. Anything already paid or finished is a 409.
import { errors } from "@/lib/api/errors";
import { evaluateCheckout } from "@/lib/checkout/evaluate";
import { retryOnConflict, type CheckoutRow, type CheckoutStatus } from "@/lib/checkout/state-machine";
import { db } from "@/lib/db/client";
import { findSession, type Scope } from "./get-session";

const CANCELABLE: readonly CheckoutStatus[] = ["requires_payment_method", "waiting_payment"];

export async function cancelSession(scope: Scope, id: string): Promise<CheckoutRow> {
  // A conflict means the watcher moved the session meanwhile: re-read and decide again.
  return retryOnConflict(() => db().transaction(async (tx) => {
    const row = await findSession(tx, scope, id);
    if (!row) throw errors.notFound("session", "id");
    if (!CANCELABLE.includes(row.status)) {
      throw errors.conflict(`This session is ${row.status} and can no longer be canceled; only sessions in ${CANCELABLE.join(" or ")} can.`, "session_not_cancelable");
    }
    // the decider expires it (with exception underpaid when part was paid)
    const e = await evaluateCheckout(row.id, { tx, expire: true });
    if (!e || e.checkout.status !== "expired" || e.transitionedFrom === null) {
      throw errors.conflict(`This session is ${e?.checkout.status} and can no longer be canceled; only sessions in ${CANCELABLE.join(" or ")} can.`, "session_not_cancelable");
    }
    return e.checkout;
  }));
}
