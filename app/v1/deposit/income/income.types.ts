import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { incomeSchema } from "@/lib/deposit-addresses/schemas";

export const depositIncome = defineEndpoint({
  method: "GET",
  path: "/v1/deposit/income",
  tag: "Deposit addresses",
  summary: "Deposit by transaction hash",
  description: "The deposit a transaction made to one of your deposit addresses, or 404.",
  auth: "key",
  query: z.strictObject({ tx_hash: z.string().trim().min(1).max(200) }),
  response: z.object({ currency: z.string(), income: incomeSchema }),
});
