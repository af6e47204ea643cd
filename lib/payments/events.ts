// payment.<status> events (API.md §4): one per status change, carrying the paymentInfo as it is
// after the change, written in the caller's transaction (the one that changed the status).
import { emit, type EventType, type Tx } from "@/lib/events/emit";
import { loadPaymentById } from "./load";
import { paymentFigures, serializePayment } from "./serialize";

/** Emits payment.<current status> for the payment with this id (= its checkout's id); no-op for a session. */
export async function emitPaymentStatus(tx: Tx, paymentId: string): Promise<void> {
  const loaded = await loadPaymentById(paymentId, tx);
  if (!loaded) return;
  const { status } = paymentFigures(loaded);
  await emit(tx, [{
    merchantId: loaded.payment.merchantId, livemode: loaded.payment.livemode,
    type: `payment.${status.toLowerCase()}` as EventType, objectType: "payment", objectId: loaded.payment.id,
    data: serializePayment(loaded),
  }]);
}
