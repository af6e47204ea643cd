import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";

export const withdrawalStatus = defineEndpoint({
  method: "GET",
  path: "/v1/withdrawal/status",
  tag: "Withdrawals",
  summary: "Withdrawal status",
  description: "`pending` (queued; `reason` says why it waits) → `processing` (signed and sent) → `processed` (confirmed) or `failed` (`reason`).",
  auth: "key",
  query: z.strictObject({ id: z.string().regex(/^\d{1,18}$/, "id must be the numeric ID returned by withdrawal/send").meta({ example: "1" }) }),
  response: z.object({
    user_id: z.string().nullable(),
    query_id: z.string().nullable(),
    status: z.enum(["pending", "processing", "processed", "failed"]),
    tx_hash: z.string().nullable(),
    reason: z.string().nullable().meta({ description: "why a pending withdrawal waits, or why it failed" }),
    memo: z.string().nullable().meta({ description: "service withdrawals (sweeps): the memo returned when it was requested" }),
  }),
});
