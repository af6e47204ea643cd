// POST /v1/payments/{paymentId}/refund – the merchant refunds what a finished payment left on its deposit address
import { handle, methods } from "@/lib/api/route";
import { refundCheckout, serializeRefund } from "@/lib/checkout/actions";
import { loadPaymentById } from "@/lib/payments/load";
import { serializePayment } from "@/lib/payments/serialize";
import { refundPayment } from "./refund.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(refundPayment, async ({ principal, params, body, log }) => {
    const { checkout, action } = await refundCheckout(principal, "payment", params.paymentId, body);
    log.info({ paymentId: checkout.id, refundId: action.id, network: action.network }, "refund requested");
    return { body: { paymentInfo: serializePayment((await loadPaymentById(checkout.id))!), refund: serializeRefund(action) } };
  }),
});
