import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { evmAddressInput, solanaAddressInput } from "@/lib/sessions/schemas";

const tokenOption = z.object({
  chainId: z.number().int().meta({ example: 1 }),
  tokenAddress: z.string().meta({ description: "EIP-55 checksummed", example: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48" }),
  tokenSymbol: z.string().meta({ example: "USDC" }),
  requiredUnits: z.string().meta({ description: "what is still due, in whole units of this token (rounded up)", example: "25" }),
  balanceUnits: z.string().optional()
    .meta({ description: "the payer's balance of this token; absent when the network could not be read", example: "1000" }),
}).meta({ id: "TokenOption" });

export const getTokenOptions = defineEndpoint({
  method: "GET",
  path: "/v1/sessions/{id}/tokenOptions",
  tag: "Sessions",
  summary: "List what a payer's wallet can pay with",
  description: "For each stablecoin accepted on each enabled EVM network of the session's mode: the amount still due in that token " +
    "and the payer's balance. Options the balance covers come first, then those whose balance could not be read, then the rest. " +
    "A session that can no longer be paid has no options. `solanaAddress` is validated but yields no options until Solana is enabled. " +
    "Authenticate with the API key or the session's `clientSecret`.",
  auth: "key-or-client-secret",
  query: z.strictObject({
    clientSecret: z.string().optional().meta({ description: "the session's client secret, when calling without an API key" }),
    evmAddress: evmAddressInput.optional().meta({ description: "the payer's EVM wallet (at least one of evmAddress, solanaAddress)" }),
    solanaAddress: solanaAddressInput.optional().meta({ description: "the payer's Solana wallet" }),
  }),
  response: z.object({
    sessionId: z.string(),
    options: z.array(tokenOption),
  }),
});
