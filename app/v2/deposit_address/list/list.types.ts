import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { v2AddressSchema } from "../create/create.types";

export const listDepositAddressesV2 = defineEndpoint({
  method: "POST",
  path: "/v2/deposit_address/list",
  tag: "Deposit addresses",
  readOnly: true,
  summary: "List deposit addresses (seed 002)",
  description: "Your deposit addresses (every dialect's), oldest first, optionally of one currency and/or network; `limit` 1–100 (default 100), `page` from 1.",
  auth: "key",
  lenientJson: true,
  body: z.strictObject({
    currency: z.string().trim().min(1).max(20).optional(),
    network: z.string().trim().min(1).max(20).optional(),
    limit: z.number().int().min(1).max(100).default(100),
    page: z.number().int().min(1).default(1),
  }),
  response: z.object({ status: z.literal("success"), data: z.array(v2AddressSchema) }),
});
