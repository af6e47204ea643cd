import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { currencyCode, userId } from "@/lib/deposit-addresses/schemas";

export const newAddress = defineEndpoint({
  method: "POST",
  path: "/v1/address/new",
  tag: "Deposit addresses",
  summary: "New deposit address",
  description: "A new permanent deposit address for the user on every call. Deposits to it are credited after the network's confirmations and reported in history, income and `deposit.*` events.",
  auth: "key",
  body: z.strictObject({ user_id: userId, currency: currencyCode }),
  response: z.object({ address: z.string() }),
});
