import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { httpUrlInput } from "@/lib/api/inputs";
import { displayAmountInput, displayCurrency, paymentInfoSchema } from "@/lib/payments/schemas";

export const createPayment = defineEndpoint({
  method: "POST",
  path: "/v1/payments",
  tag: "Payments",
  summary: "Create a payment",
  description: "Creates a payment priced in a display (fiat) currency, in status `NEW` (seed 004 dialect). " +
    "The deposit currency is chosen with `PATCH /v1/payments/{paymentId}`, which prices it with a rate quote. The payment's `url` is its hosted checkout page.",
  auth: "key",
  status: 201,
  body: z.strictObject({
    clientPaymentId: z.string().trim().min(1).max(255).meta({ description: "your own reference", example: "order-1042" }),
    displayCurrency: displayCurrency.optional(),
    displayAmount: displayAmountInput.optional(),
    type: z.enum(["ONE_TIME", "REUSABLE"]).optional().meta({ description: "REUSABLE: the address stays open and every deposit is credited (default ONE_TIME)" }),
    rateType: z.enum(["FIXED", "FLOATING"]).optional().meta({ description: "FIXED locks the submission quote for the payment's lifetime; FLOATING re-prices when the deposit arrives (default FIXED)" }),
    overpaymentPolicy: z.enum(["PROCESS", "EXCESS_REFUND"]).optional().meta({ description: "EXCESS_REFUND sends what was paid above the amount due back to the payer on chain (default PROCESS)" }),
    refundFollowUpDepositsForOneTimePayments: z.boolean().optional(),
    expirationMinutes: z.number().int().min(0).max(525_600).optional().meta({ description: "minutes until the payment expires; omitted or 0: the merchant's default expiry (Settings), which paymentInfo then reports", example: 60 }),
    redirectUrl: httpUrlInput.optional(),
    locale: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, "must be a BCP 47 language tag such as en-US").optional().meta({ example: "en-US" }),
  }),
  response: z.object({ paymentInfo: paymentInfoSchema }),
});
