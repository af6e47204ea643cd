// POST /v1/payments/{paymentId}/block – the merchant blocks a payment
import { handle, methods } from "@/lib/api/route";
import { blockPayment as block } from "@/lib/payments/block";
import { serializePayment } from "@/lib/payments/serialize";
import { blockPayment } from "./block.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(blockPayment, async ({ principal, params, log }) => {
    const loaded = await block(principal, params.paymentId);
    log.info({ paymentId: loaded.payment.id }, "payment blocked");
    return { body: { paymentInfo: serializePayment(loaded) } };
  }),
});
