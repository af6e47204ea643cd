import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { refundBody, refundView } from "@/lib/checkout/action-schemas";
import { paymentInfoSchema } from "@/lib/payments/schemas";

export const refundPayment = defineEndpoint({
  method: "POST",
  path: "/v1/payments/{paymentId}/refund",
  tag: "Payments",
  summary: "Refund what a payment left on its deposit address",
  description: "Sends funds of a finished payment that were not delivered — paid late, short (expired), in an asset that does not count — " +
    "back to `address` (all of it, or `amountUnits`). The network's runner signs and stores the transaction before broadcasting it; " +
    "`payment.refund_requested`, then `payment.refunded` or `payment.refund_failed`. 409 while the payment is open or when nothing is left.",
  auth: "key",
  body: refundBody,
  response: z.object({ paymentInfo: paymentInfoSchema, refund: refundView }),
});
