import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { baseUnits, userId } from "@/lib/deposit-addresses/schemas";

export const getIncome = defineEndpoint({
  method: "GET",
  path: "/v1/income",
  tag: "Deposit addresses",
  summary: "Total income of a user",
  description: "Per deposit address of `user_id`, the total received in its currency over all time: confirmed deposits (`deposit`, the default) " +
    "or what sweeps moved on to the hot wallet (`hot_wallet`), per the merchant's setting.",
  auth: "key",
  query: z.strictObject({ user_id: userId }),
  response: z.object({
    counting_side: z.enum(["deposit", "hot_wallet"]),
    total_income: z.array(z.object({ deposit_address: z.string(), amount: baseUnits, currency: z.string() })),
  }),
});
