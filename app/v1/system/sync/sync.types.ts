import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";

const networkSync = z.object({
  is_synced: z.boolean(),
  last_block_gen_utime: z.number().int().nullable().meta({ description: "unix time of the newest block the worker has processed" }),
  lag_seconds: z.number().int().nullable(),
  payouts_paused: z.boolean().meta({ description: "true while the solvency check finds on-chain holdings below what merchants are owed: no payouts are sent" }),
});

export const getSync = defineEndpoint({
  method: "GET",
  path: "/v1/system/sync",
  tag: "System",
  summary: "Blockchain sync flag",
  description: "True while the worker keeps up with every enabled network of the mode. Withdrawals and forwarding pause while a network is not synced.",
  auth: "none",
  query: z.strictObject({
    livemode: z.enum(["true", "false"]).optional().meta({ description: "which networks to report; defaults to the instance's mode" }),
  }),
  response: z.object({
    is_synced: z.boolean(),
    last_block_gen_utime: z.number().int().nullable(),
    networks: z.record(z.string(), networkSync),
  }),
});
