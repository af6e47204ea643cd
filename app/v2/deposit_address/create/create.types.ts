import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { jsonAmountInput } from "@/lib/sessions/schemas";

const nullableText = (max: number) => z.string().max(max).nullish();

export const v2AddressSchema = z.object({
  uuid: z.string(),
  client_id: z.string().nullable(),
  currency: z.string(),
  network: z.string(),
  currency_to: z.string().nullable(),
  address_title: z.string(),
  address: z.string(),
  memo: z.null(),
  callback_url: z.string().nullable(),
  created_at: z.string().meta({ description: "\"Y-m-d H:i:s\", UTC" }),
  min_amount: z.string().nullable(),
  max_amount: z.string().nullable(),
  total_received_amount: z.string().nullable(),
  total_received_deposits: z.number().int().nullable(),
}).meta({ id: "DepositAddressV2" });

export const createDepositAddressV2 = defineEndpoint({
  method: "POST",
  path: "/v2/deposit_address/create",
  tag: "Deposit addresses",
  summary: "Create a deposit address (seed 002)",
  description: "A new permanent deposit address for `currency` on `network` (e.g. `usdt` + `erc20`). The key may be sent in `Api-key`; when you set a " +
    "request-signing secret in Settings, `Signature` must be hex(HMAC-SHA256(secret, raw body)). Deposits below `min_amount` (default: the currency's " +
    "minimum) are recorded and flagged. `callback_url` receives the address's signed `deposit.*` events, signed with `callback_secret` (returned here only).",
  auth: "key",
  lenientJson: true,
  body: z.strictObject({
    currency: z.string().trim().min(1).max(20).meta({ example: "usdt" }),
    network: z.string().trim().min(1).max(20).meta({ example: "erc20" }),
    currency_to: nullableText(20),
    callback_url: z.union([z.literal(""), z.url({ protocol: /^https?$/ }).max(2048)]).nullish(),
    address_title: nullableText(200),
    client_info: z.strictObject({
      client_id: nullableText(200),
      client_ip: nullableText(100),
      client_email: nullableText(320),
    }).nullish(),
    min_amount: jsonAmountInput.optional(),
    max_amount: jsonAmountInput.optional(),
  }),
  response: z.object({ status: z.literal("success"), data: v2AddressSchema.extend({ callback_secret: z.string().optional() }) }),
});
