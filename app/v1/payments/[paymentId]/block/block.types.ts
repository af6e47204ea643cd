import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { paymentInfoSchema } from "@/lib/payments/schemas";

export const blockPayment = defineEndpoint({
  method: "POST",
  path: "/v1/payments/{paymentId}/block",
  tag: "Payments",
  summary: "Block a payment",
  description: "Blocks a payment that is `NEW`, `PENDING` or `AWAITING`: it becomes `BLOCKED` and emits `payment.blocked`. " +
    "Funds already received stay on the deposit address for you to handle; later deposits are recorded as follow-ups. A finished payment cannot be blocked (409).",
  auth: "key",
  body: z.strictObject({}),
  response: z.object({ paymentInfo: paymentInfoSchema }),
});
