import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { baseUnits, currencyCode } from "@/lib/deposit-addresses/schemas";

export const getBalance = defineEndpoint({
  method: "GET",
  path: "/v1/balance",
  tag: "Withdrawals",
  summary: "Balance",
  description: "On-chain balance of the hot wallet (no `address`) or of one of your addresses, in base units. For the hot wallet, " +
    "`total_pending_amount` and `total_processing_amount` sum your queued and in-flight withdrawals in that currency.",
  auth: "key",
  query: z.strictObject({ currency: currencyCode, address: z.string().trim().min(1).max(200).optional() }),
  response: z.object({ balance: baseUnits, total_processing_amount: baseUnits, total_pending_amount: baseUnits }),
});
