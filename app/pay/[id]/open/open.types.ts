// A payment link's own endpoint (not part of the /v1 API): whoever has the link opens a payment
// from it. No credential: the unguessable link id is the capability, as for the link's page.
import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";

export const openLink = defineEndpoint({
  method: "POST",
  path: "/pay/{id}/open",
  tag: "Checkout",
  summary: "Open a payment from a payment link",
  auth: "none",
  body: z.strictObject({
    amount: z.string().max(32).optional().meta({ description: "the amount to pay in the link's display currency, for a link without a price", example: "25.00" }),
  }),
  response: z.object({
    paymentId: z.string(),
    url: z.string().meta({ description: "the payment's page, where the payer chooses what to pay with" }),
  }),
});
