import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { baseUnits, currencyCode } from "@/lib/deposit-addresses/schemas";

export const getBalance = defineEndpoint({
  method: "GET",
  path: "/v1/balance",
  tag: "Withdrawals",
  summary: "Balance",
  description: "Without `address`: your available balance in that currency (what your ledger account holds: confirmed deposits to " +
    "your deposit addresses less withdrawals), with `total_pending_amount` and `total_processing_amount` summing your queued and " +
    "in-flight withdrawals. With `address`: the on-chain balance of one of your deposit addresses (the hot wallet's only for the " +
    "instance's operator). In base units. On TON, `status` is the account's state: `active`, `uninit` (holds coins, no code yet: a " +
    "deposit address before its first sweep), `frozen` or `non_exist`.",
  auth: "key",
  query: z.strictObject({ currency: currencyCode, address: z.string().trim().min(1).max(200).optional() }),
  response: z.object({
    balance: baseUnits,
    status: z.enum(["active", "uninit", "frozen", "non_exist"]).optional(),
    total_processing_amount: baseUnits,
    total_pending_amount: baseUnits,
  }),
});
