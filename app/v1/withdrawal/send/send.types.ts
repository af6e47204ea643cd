import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { baseUnits, currencyCode, userId } from "@/lib/deposit-addresses/schemas";

export const sendWithdrawal = defineEndpoint({
  method: "POST",
  path: "/v1/withdrawal/send",
  tag: "Withdrawals",
  summary: "Send a withdrawal",
  description: "Queues a payout from the hot wallet. `(user_id, query_id)` is unique: the same request again returns the same `ID`, a different body is a 409. " +
    "The worker sends it once the network is synced and the hot wallet holds enough; follow it with GET /v1/withdrawal/status.",
  auth: "key",
  body: z.strictObject({
    user_id: userId,
    query_id: z.string().trim().min(1, "query_id must not be empty").max(200).meta({ description: "your identifier of this request", example: "321" }),
    currency: currencyCode,
    amount: baseUnits,
    destination: z.string().trim().min(1).max(200).meta({ description: "an address of the currency's network: 0x… on EVM networks, base58check T… on Tron", example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }),
    comment: z.string().max(500).optional().meta({ description: "stored with the withdrawal (EVM and Tron transfers carry no comment on chain)" }),
    binary_comment: z.string().max(1000).regex(/^[0-9a-fA-F]*_?$/, "binary_comment must be hex (optionally ending in _)").optional(),
  }).refine((b) => !(b.comment !== undefined && b.binary_comment !== undefined), { message: "send comment or binary_comment, not both", path: ["binary_comment"] }),
  response: z.object({ ID: z.number().int() }),
});
