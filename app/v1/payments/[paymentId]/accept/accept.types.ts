import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { paymentInfoSchema } from "@/lib/payments/schemas";

export const acceptPayment = defineEndpoint({
  method: "POST",
  path: "/v1/payments/{paymentId}/accept",
  tag: "Payments",
  summary: "Accept an underpaid payment",
  description: "Accepts what an underpaid payment (`waiting_payment` with part of the amount received) has received as payment: " +
    "it moves on to processing and settles like a paid one, its exception stays `underpaid`; emits `payment.accepted`. Anything else is a 409.",
  auth: "key",
  body: z.strictObject({}),
  response: z.object({ paymentInfo: paymentInfoSchema }),
});
