import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { currencyCode, incomeSchema, userId } from "@/lib/deposit-addresses/schemas";

export const depositHistory = defineEndpoint({
  method: "GET",
  path: "/v1/deposit/history",
  tag: "Deposit addresses",
  summary: "Deposit history of a user",
  description: "Deposits in `currency` to the deposit addresses of `user_id`, seen or confirmed (a deposit removed by a reorg disappears).",
  auth: "key",
  query: z.strictObject({
    user_id: userId,
    currency: currencyCode,
    limit: z.coerce.number().int().min(1).max(1000).default(100).meta({ description: "1–1000, default 100" }),
    offset: z.coerce.number().int().min(0).default(0),
    sort_order: z.enum(["asc", "desc"]).default("desc"),
  }),
  response: z.object({ incomes: z.array(incomeSchema) }),
});
