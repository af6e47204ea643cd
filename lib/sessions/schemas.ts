// zod schemas shared by the session endpoints: the session object (API.md §1) and the input
// validators several request bodies use. Endpoint-specific bodies sit in app/v1/sessions/**.types.ts.
import { isAddress } from "viem";
import { z } from "zod";
import { CHECKOUT_STATUSES } from "@/lib/checkout/state-machine";

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** An EVM address: all lower (or upper) case hex, or mixed case with a valid EIP-55 checksum. */
export function isEvmAddress(s: string): boolean {
  if (!HEX_ADDRESS.test(s)) return false;
  const hex = s.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  return isAddress(s, { strict: true });
}

export const evmAddressInput = z.string()
  .regex(HEX_ADDRESS, "must be a 0x-prefixed 20-byte hex EVM address")
  .refine(isEvmAddress, "has an invalid EIP-55 checksum (mixed-case addresses must be checksummed; lower case is accepted)")
  .meta({ example: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045" });

/** A decimal amount in whole units of the asset; the asset's decimals are checked by the domain code. */
export const amountInput = z.string()
  .regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'must be a decimal string such as "25.00" (digits, optional "." fraction)')
  .meta({ example: "25.00" });

export const sessionStatus = z.enum(CHECKOUT_STATUSES).meta({ id: "SessionStatus" });

const address = z.string().meta({ description: "EIP-55 checksummed", example: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045" });
const tokenAddress = z.string().meta({ description: "EIP-55 checksummed", example: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48" });
const unixSeconds = z.number().int().meta({ example: 1763700000 });

const destination = z.object({
  type: z.literal("evm"),
  address,
  chainId: z.number().int().meta({ example: 1 }),
  chainName: z.string().meta({ example: "ethereum" }),
  tokenAddress,
  tokenSymbol: z.string().meta({ example: "USDC" }),
  amountUnits: z.string().meta({ example: "25" }),
  delivery: z.object({
    txHash: z.string(),
    receivedUnits: z.string().meta({ example: "25" }),
  }).optional().meta({ description: "present once the session succeeded or bounced" }),
});

export const paymentMethodSchema = z.object({
  type: z.enum(["evm", "tron", "solana"]),
  receiverAddress: z.string().optional(),
  createdAt: unixSeconds,
  source: z.object({
    address: z.string(),
    chainId: z.number().int().nullable(),
    chainName: z.string(),
    tokenAddress: z.string(),
    tokenSymbol: z.string(),
    sentUnits: z.string(),
    txHash: z.string(),
  }).optional().meta({ description: "the payer's transaction, once seen" }),
}).meta({ id: "PaymentMethod" });

const publicShape = {
  sessionId: z.string().meta({ description: "a UUID", example: "3f0c2a8e-5b1d-4c7e-9a4f-2d6b8e1c0a57" }),
  status: sessionStatus,
  destination,
  display: z.object({ title: z.string(), verb: z.string() }),
  paymentMethod: paymentMethodSchema.nullable(),
  refundAddress: z.string().nullable(),
  url: z.string().meta({ description: "the hosted checkout page" }),
  livemode: z.boolean(),
  createdAt: unixSeconds,
  expiresAt: unixSeconds,
};

/** What the session's id or clientSecret may read: the full view without metadata and clientSecret. */
export const publicSessionSchema = z.object(publicShape).meta({ id: "SessionPublic" });

/** What the merchant's API key reads. */
export const sessionSchema = z.object({
  ...publicShape,
  metadata: z.record(z.string(), z.string()).nullable(),
  clientSecret: z.string(),
}).meta({ id: "Session" });
