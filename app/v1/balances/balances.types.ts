import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { baseUnits } from "@/lib/deposit-addresses/schemas";

const account = z.object({
  network: z.string().meta({ example: "ethereum" }),
  asset: z.string().meta({ description: "ticker of the asset", example: "USDC" }),
  code: z.string().meta({ description: "currency code of GET /v1/currencies", example: "eUSDC" }),
  available: baseUnits.meta({ description: "yours to withdraw: confirmed deposits to your deposit addresses, less withdrawals" }),
  incoming: baseUnits.meta({ description: "deposits seen on chain, not yet confirmed" }),
  reserved: baseUnits.meta({ description: "withdrawals queued or in flight" }),
  fees: baseUnits.meta({ description: "network fees spent for you in this asset (the network's native coin): gas funding, sweeps, payouts, forwards" }),
}).meta({ id: "BalanceAccount" });

export const listBalances = defineEndpoint({
  method: "GET",
  path: "/v1/balances",
  tag: "Withdrawals",
  summary: "List balances",
  description: "Your ledger accounts, one row per network and asset, in base units. What you own is what these say — " +
    "never the shared hot wallet's on-chain balance. `available` bounds `POST /v1/withdrawal/send`.",
  auth: "key",
  response: z.object({ object: z.literal("list"), data: z.array(account) }),
});
