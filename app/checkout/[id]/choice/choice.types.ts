// The hosted payment page's own endpoints (not part of the /v1 API): the page's state, a price
// preview for a pair, and the payer's choice of deposit currency. No credential: the unguessable
// payment id is the capability, as it is for the page itself.
import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { depositCurrency, paymentNetwork } from "@/lib/payments/schemas";

const state = z.enum(["choose", "wait", "checkout", "expired", "blocked"]);

export const payerView = defineEndpoint({
  method: "GET",
  path: "/checkout/{id}/choice",
  tag: "Checkout",
  summary: "The payment page's state, and the price of a pair",
  auth: "none",
  query: z.strictObject({ depositCurrency: depositCurrency.optional(), network: paymentNetwork.optional() }),
  response: z.object({
    state,
    quote: z.object({ amount: z.string(), currency: z.string(), network: z.string() }).optional(),
  }),
  upstream: true,
});

export const submitChoice = defineEndpoint({
  method: "POST",
  path: "/checkout/{id}/choice",
  tag: "Checkout",
  summary: "The payer chooses the deposit currency and network",
  auth: "none",
  body: z.strictObject({ depositCurrency, network: paymentNetwork }),
  response: z.object({ state }),
  upstream: true,
});
