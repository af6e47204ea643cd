// Request and response shapes of the merchant's actions on a checkout (API.md §1: refund, accept,
// retry), shared by the sessions and payments routes.
import { z } from "zod";

export const refundBody = z.strictObject({
  address: z.string().min(1).max(128).meta({ description: "where the funds go back: an address of the network they are on", example: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045" }),
  amountUnits: z.string().regex(/^\d+(\.\d+)?$/, "a decimal string such as \"5\" or \"2.5\"").optional()
    .meta({ description: "how much, in whole units of the asset held; default: all of it", example: "5" }),
  network: z.string().min(1).max(32).optional().meta({ description: "which network's funds, when the checkout holds funds on several", example: "ethereum" }),
  asset: z.string().min(1).max(32).optional().meta({ description: "which asset's funds (its currency code, e.g. eUSDT, or its symbol, e.g. USDT), when the checkout holds several on one network", example: "eUSDT" }),
});

export const refundView = z.object({
  id: z.string().meta({ description: "the refund's id (a UUID)" }),
  status: z.enum(["pending", "sent", "done", "failed"]).meta({ description: "pending: queued for the network's runner; sent: signed, stored and broadcast; done: confirmed; failed: see error" }),
  network: z.string().nullable(),
  toAddress: z.string().nullable(),
  amountUnits: z.string().nullable().meta({ description: "null until sent when no amount was given (everything the receiver holds)" }),
  txHash: z.string().optional(),
  error: z.string().optional(),
}).meta({ id: "Refund" });
