// Shared zod pieces of the seed 001 endpoints (API.md §3).
import { z } from "zod";
import type { Principal } from "@/lib/api/auth";

export const userId = z.string().trim().min(1, "user_id must not be empty").max(200).meta({ description: "your identifier of the user", example: "123" });
export const currencyCode = z.string().trim().min(1).max(20).meta({ description: "a currency code of GET /v1/currencies", example: "eUSDC" });
/** seed 001: amounts are integer base-unit strings */
export const baseUnits = z.string().regex(/^\d{1,78}$/, "must be an integer number of base units, as a string (e.g. \"1000000\")")
  .meta({ description: "integer base units (wei, …) as a string", example: "1000000" });

export const incomeSchema = z.object({
  deposit_address: z.string(),
  time: z.number().int().meta({ description: "unix seconds when the deposit was seen" }),
  source_address: z.string().nullable(),
  amount: baseUnits,
  comment: z.string().meta({ description: "the transfer's comment; \"\" when it carried none (always on EVM, Tron and Solana: their transfers carry no comment)" }),
  tx_hash: z.string(),
}).meta({ id: "Income" });

export function ownerOf(p: Extract<Principal, { kind: "key" }>): { merchantId: string; livemode: boolean } {
  return { merchantId: p.merchantId, livemode: p.livemode };
}
