// Cancelling a session that has not been paid: it becomes expired (API.md §1), through the state
// machine, emitting session.expired. Anything already paid or finished is a 409.
import { errors } from "@/lib/api/errors";
import { retryOnConflict, transition, type CheckoutRow, type CheckoutStatus } from "@/lib/checkout/state-machine";
import { db } from "@/lib/db/client";
import { sessionEvent } from "./events";
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
    return transition(tx, row.id, row.status, "expired", [sessionEvent("session.expired")]);
  }));
}
