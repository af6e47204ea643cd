import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { depositCurrency, displayAmountInput, displayCurrency, paymentInfoSchema, paymentNetwork } from "@/lib/payments/schemas";

const submitBody = z.strictObject({
  depositCurrency,
  network: paymentNetwork.optional().meta({ description: "defaults to the first enabled network carrying depositCurrency" }),
  displayCurrency: displayCurrency.optional().meta({ description: "required when the payment was created without one" }),
  displayAmount: displayAmountInput.optional().meta({ description: "required when the payment was created without one" }),
});
const submitDescription = "Chooses the deposit currency (seed 004 \"Submit crypto payment\"): takes a rate quote, stores it, allocates the deposit address " +
  "and moves the payment to `PENDING` with `walletAddress` and `expectedDepositAmount`. When the rate provider is down the answer is a 503 `api_error` " +
  "(`rate_unavailable`) with `Retry-After`; when it has no price for the pair, a 400 `rate_pair_unsupported` naming it. Nothing changes either way.";

export const submitPayment = defineEndpoint({
  method: "PATCH",
  path: "/v1/payments/{paymentId}",
  tag: "Payments",
  summary: "Submit crypto payment",
  description: submitDescription,
  auth: "key",
  body: submitBody,
  response: z.object({ paymentInfo: paymentInfoSchema }),
  upstream: true,
});

export const submitPaymentSeed = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/payments/{paymentId}",
  tag: "Payments",
  summary: "Submit crypto payment (seed 004 path)",
  description: `The same as \`PATCH /v1/payments/{paymentId}\` at seed 004's path; the key may come in the \`FRX-API\` header. ${submitDescription}`,
  auth: "key",
  body: submitBody,
  response: z.object({ paymentInfo: paymentInfoSchema }),
  upstream: true,
});

export const getPayment = defineEndpoint({
  method: "GET",
  path: "/v1/payments/{paymentId}",
  tag: "Payments",
  summary: "Retrieve a payment",
  description: "The payment with its status, amounts, deposits and the quotes it was priced with.",
  auth: "key",
  response: z.object({ paymentInfo: paymentInfoSchema }),
});
