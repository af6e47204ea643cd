import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { httpUrlInput } from "@/lib/api/inputs";
import { amountInput, evmAddressInput, sessionSchema, sessionStatus } from "@/lib/sessions/schemas";

const metadata = z.record(
  z.string().min(1, "metadata keys must not be empty").max(40, "metadata keys are at most 40 characters"),
  z.string().max(500, "metadata values are strings of at most 500 characters"),
).refine((m) => Object.keys(m).length <= 50, "metadata can have at most 50 keys")
  .meta({ description: "Your own key–value pairs (≤ 50 keys of ≤ 40 characters, string values of ≤ 500 characters); returned with the API key only.", example: { orderId: "1042" } });

export const createSession = defineEndpoint({
  method: "POST",
  path: "/v1/sessions",
  tag: "Sessions",
  summary: "Create a session",
  description: "Creates a checkout session that pays `amountUnits` of a token to `destination.address` on an EVM network of the key's mode. " +
    "The session starts in `requires_payment_method`; send the payer to its `url`, or drive it from your page with `clientSecret`.",
  auth: "key",
  status: 201,
  deferredWrite: true,
  body: z.strictObject({
    destination: z.strictObject({
      type: z.literal("evm"),
      address: evmAddressInput.meta({ description: "where the funds go; mixed case must be a valid EIP-55 checksum" }),
      chainId: z.number().int().positive().meta({ description: "an enabled EVM network of the key's mode (see GET /v1/currencies)", example: 1 }),
      tokenAddress: evmAddressInput.meta({ description: "a token contract this instance accepts on that chain", example: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48" }),
      amountUnits: amountInput.meta({ description: "amount in whole token units, at most the token's decimals", example: "25.00" }),
    }),
    display: z.strictObject({
      title: z.string().trim().min(1).max(200).meta({ example: "Order #1042" }),
      verb: z.string().trim().min(1).max(40).default("Pay").meta({ example: "Pay" }),
    }).optional().meta({ description: "what the hosted page shows; the title defaults to the merchant's name" }),
    refundAddress: evmAddressInput.nullish().meta({ description: "where funds go back if forwarding fails" }),
    metadata: metadata.nullish(),
    expiresInSeconds: z.number().int().min(300).max(86400).optional()
      .meta({ description: "300–86400; defaults to the merchant's default expiry (3600 unless changed)", example: 3600 }),
    successUrl: httpUrlInput.optional().meta({ description: "where the hosted page sends the payer after paying" }),
    cancelUrl: httpUrlInput.optional().meta({ description: "where the hosted page sends a payer who gives up" }),
  }),
  response: z.object({ session: sessionSchema }),
});

export const listSessions = defineEndpoint({
  method: "GET",
  path: "/v1/sessions",
  tag: "Sessions",
  summary: "List sessions",
  description: "The key's sessions in its mode, newest first. Pass the last `sessionId` of a page as `startingAfter` for the next one.",
  auth: "key",
  query: z.strictObject({
    status: sessionStatus.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: "1–100, default 20" }),
    startingAfter: z.string().optional().meta({ description: "a sessionId: return the sessions created before it" }),
  }),
  response: z.object({ data: z.array(sessionSchema), hasMore: z.boolean() }),
});
