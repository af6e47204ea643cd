import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";

export const walletAddress = defineEndpoint({
  method: "POST",
  path: "/wallet/address",
  tag: "Deposit addresses",
  summary: "Customer address (seed 000)",
  description: "The customer's permanent deposit address for the currency: created on the first request, the same address on every later one. " +
    "The API key may be sent in `x-api-key`. `qrCodeURL` serves a PNG QR code of the address.",
  auth: "key",
  body: z.strictObject({
    customerId: z.string().trim().min(1).max(200).meta({ example: "customer-42" }),
    currency: z.string().trim().min(1).max(20).meta({ example: "eUSDC" }),
  }),
  response: z.object({ data: z.object({ address: z.string(), qrCodeURL: z.string(), currency: z.string(), customerId: z.string() }) }),
});
