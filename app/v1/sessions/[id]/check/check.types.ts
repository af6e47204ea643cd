import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { publicSessionSchema, sessionSchema } from "@/lib/sessions/schemas";

export const checkSession = defineEndpoint({
  method: "PUT",
  path: "/v1/sessions/{id}/check",
  tag: "Sessions",
  summary: "Check a session's payment now",
  description: "Looks at the payer's transaction now instead of waiting for the next scan: with `txHash`, its transfers to the " +
    "session's receiver on any enabled EVM chain are recorded (as the chain watcher would record them; recording twice is a no-op) " +
    "and the session is re-evaluated; without it, the session is re-evaluated from the deposits already seen. A session paid on " +
    "Solana has its reference keys looked at now (`txHash` may then be the transaction's base58 signature). " +
    "Authenticated by the session's `clientSecret` (public view in the response) or the merchant's API key (full view).",
  auth: "key-or-client-secret",
  body: z.strictObject({
    clientSecret: z.string().optional().meta({ description: "the session's client secret" }),
    txHash: z.string().regex(/^(0x[0-9a-fA-F]{64}|[1-9A-HJ-NP-Za-km-z]{64,88})$/, "must be a 0x-prefixed 32-byte transaction hash or a base58 Solana signature").optional()
      .meta({ description: "the payer's transaction (EVM hash, or Solana signature)", example: "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060" }),
  }),
  response: z.object({ session: z.union([sessionSchema, publicSessionSchema]) }),
});
