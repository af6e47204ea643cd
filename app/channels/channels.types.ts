import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";

export const createChannel = defineEndpoint({
  method: "POST",
  path: "/channels",
  tag: "Deposit addresses",
  summary: "Customer channel (seed 000)",
  description: "The customer's channel for the currency: the same record as POST /wallet/address (same customer and currency → same channel and address).",
  auth: "key",
  body: z.strictObject({
    customerId: z.string().trim().min(1).max(200).meta({ example: "customer-42" }),
    currency: z.string().trim().min(1).max(20).meta({ example: "eUSDC" }),
  }),
  response: z.object({ data: z.object({ channelId: z.string(), address: z.string(), qrCodeURL: z.string() }) }),
});
