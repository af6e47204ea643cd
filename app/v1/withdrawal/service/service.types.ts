import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { currencyCode } from "@/lib/deposit-addresses/schemas";

export const serviceWithdrawal = defineEndpoint({
  method: "POST",
  path: "/v1/withdrawal/service",
  tag: "Withdrawals",
  summary: "Sweep a deposit address",
  description: "Moves everything one of your deposit addresses holds in `currency` (default: the address's own currency) to the hot wallet. " +
    "Token sweeps first fund the address's gas from the hot wallet. Returns a `memo` identifying the sweep.",
  auth: "key",
  lenientJson: true,
  body: z.strictObject({
    from: z.string().trim().min(1).max(200).meta({ description: "one of your deposit addresses" }),
    currency: currencyCode.optional(),
  }),
  response: z.object({ memo: z.string() }),
});
