import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { paymentInfoSchema } from "@/lib/payments/schemas";

export const retryPayment = defineEndpoint({
  method: "POST",
  path: "/v1/payments/{paymentId}/retry",
  tag: "Payments",
  summary: "Retry a failed settlement",
  description: "When a processing payment's settlement failed (a forward or refund reverted, or it is waiting with a reason), starts its groups over " +
    "with a fresh forward on the next pass; emits `payment.retried`. A payment with nothing failed is a 409.",
  auth: "key",
  body: z.strictObject({}),
  response: z.object({ paymentInfo: paymentInfoSchema }),
});
