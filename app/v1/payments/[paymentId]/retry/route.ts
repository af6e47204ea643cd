// POST /v1/payments/{paymentId}/retry – the merchant retries a payment's failed settlement
import { handle, methods } from "@/lib/api/route";
import { retryCheckout } from "@/lib/checkout/actions";
import { loadPaymentById } from "@/lib/payments/load";
import { serializePayment } from "@/lib/payments/serialize";
import { retryPayment } from "./retry.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(retryPayment, async ({ principal, params, log }) => {
    const row = await retryCheckout(principal, "payment", params.paymentId);
    log.info({ paymentId: row.id }, "settlement retried");
    return { body: { paymentInfo: serializePayment((await loadPaymentById(row.id))!) } };
  }),
});
