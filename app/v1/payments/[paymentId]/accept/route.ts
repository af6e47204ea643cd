// POST /v1/payments/{paymentId}/accept – the merchant accepts an underpaid payment as paid
import { handle, methods } from "@/lib/api/route";
import { acceptCheckout } from "@/lib/checkout/actions";
import { loadPaymentById } from "@/lib/payments/load";
import { serializePayment } from "@/lib/payments/serialize";
import { acceptPayment } from "./accept.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(acceptPayment, async ({ principal, params, log }) => {
    const row = await acceptCheckout(principal, "payment", params.paymentId);
    log.info({ paymentId: row.id, status: row.status }, "underpaid payment accepted");
    return { body: { paymentInfo: serializePayment((await loadPaymentById(row.id))!) } };
  }),
});
