// zod schemas shared by the session endpoints: the session object (API.md §1) and the input
// validators several request bodies use. Endpoint-specific bodies sit in app/v1/sessions/**.types.ts.
import { z } from "zod";
import { CHECKOUT_STATUSES } from "@/lib/checkout/state-machine";

// Address inputs live in lib/addresses (one validator per network family); re-exported for the endpoints.
export { evmAddressInput, isEvmAddress, isSolanaAddress, solanaAddressInput, tronAddressInput } from "@/lib/addresses";

/** A decimal amount in whole units of the asset; the asset's decimals are checked by the domain code. */
export const amountInput = z.string()
  .regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'must be a decimal string such as "25.00" (digits, optional "." fraction)')
  .meta({ example: "25.00" });

/**
 * The decimal text of a JSON number. lib/api/json.ts has already refused any literal a double
 * cannot hold exactly, so the shortest round-trip text (String(n)) has the literal's value; only
 * its exponent form ("1e-7", "1.5e+21") needs expanding.
 */
export function exactDecimal(n: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n));
  if (!m) return String(n); // NaN/Infinity cannot come from JSON
  const [, sign, int, frac = "", e = "0"] = m;
  const exp = Number(e);
  if (exp === 0) return String(n);
  const digits = int + frac;
  const point = int.length + exp;
  const out = point <= 0 ? `0.${"0".repeat(-point)}${digits}`
    : point >= digits.length ? digits + "0".repeat(point - digits.length)
    : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + out.replace(/^0+(?=\d)/, "");
}

/** An amount that seed dialects may send as a JSON number (seed 003 clients send `amountUsd: 12.5`): read exactly, as text. */
export const jsonAmountInput = z.union([z.string(), z.number()])
  .transform((v) => (typeof v === "number" ? exactDecimal(v) : v))
  .pipe(amountInput);

export const sessionStatus = z.enum(CHECKOUT_STATUSES).meta({ id: "SessionStatus" });

const address = z.string().meta({ description: "EIP-55 checksummed", example: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045" });
const tokenAddress = z.string().meta({ description: "EIP-55 checksummed", example: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48" });
const unixSeconds = z.number().int().meta({ example: 1763700000 });

/** What one settlement group (network, receiver, asset) really delivered: the chain and token the payer's funds settled on. */
export const deliverySchema = z.object({
  txHash: z.string().nullable().meta({ description: "the delivering (or refunding) transaction; null while the group is batched" }),
  receivedUnits: z.string().meta({ description: "what arrived, in whole units of the token delivered", example: "25" }),
  chainId: z.number().int().nullable().meta({ example: 137 }),
  chainName: z.string().meta({ example: "polygon" }),
  tokenAddress: z.string().nullable().meta({ description: "the token delivered (base58 on Tron and Solana); null for a native coin" }),
  tokenSymbol: z.string().meta({ example: "USDT" }),
  status: z.enum(["delivered", "refunded", "batched"]).meta({
    description: "delivered to the merchant; refunded after its forward failed; or batched — confirmed and assigned to the merchant's next settlement batch (batch settlement policy), delivered with that batch",
  }),
}).meta({ id: "Delivery" });

const destination = z.object({
  type: z.string().meta({ example: "evm", description: "the chain family: always evm for a session; the checkout of a seed-004 payment on Tron reports tron" }),
  address,
  chainId: z.number().int().nullable().meta({ example: 1, description: "the EVM chain id; null on Tron" }),
  chainName: z.string().meta({ example: "ethereum" }),
  tokenAddress,
  tokenSymbol: z.string().meta({ example: "USDC" }),
  amountUnits: z.string().meta({ example: "25" }),
  delivery: deliverySchema.optional().meta({ description: "present once the session succeeded or bounced: its first settlement group (deliveries lists them all)" }),
});


const sourceSchema = z.object({
  address: z.string().nullable().meta({ description: "the payer's address; null when the sender cannot be determined" }),
  chainId: z.number().int().nullable(),
  chainName: z.string(),
  tokenAddress: z.string().meta({ description: "the token sent (base58 T… on Tron); the zero address for a native coin" }),
  tokenSymbol: z.string(),
  sentUnits: z.string().meta({ description: "amount sent, in whole units of the token sent", example: "25" }),
  txHash: z.string(),
}).meta({ id: "PaymentSource" });

/** A session paid in a coin at a quoted price (type bitcoin): the quote it was priced with (DOMAIN.md "Money"). */
export const sessionQuoteSchema = z.object({
  network: z.string().meta({ example: "bitcoin" }),
  asset: z.string().meta({ example: "BTC" }),
  amountUnits: z.string().meta({ description: "what pays the whole session in the coin, in whole coins (rounded up)", example: "0.00041667" }),
  remainingUnits: z.string().meta({ description: "what is still to send in the coin (what remains, pro rata to the quote, rounded up)", example: "0.00041667" }),
  rate: z.string().meta({ description: "exact decimal text: `currency` per one whole coin, as the source gave it", example: "60000" }),
  currency: z.string().meta({ example: "USD" }),
  source: z.string().meta({ example: "coingecko" }),
  fetchedAt: unixSeconds,
  expiresAt: unixSeconds.meta({ description: "the quote holds until then: the session's expiresAt" }),
}).meta({ id: "SessionQuote" });

export const paymentMethodSchema = z.object({
  type: z.enum(["evm", "tron", "solana", "ton", "bitcoin"]),
  receiverAddress: z.string().optional().meta({ description: "the session's deposit address: 0x… (EIP-55) for evm, base58check T… for tron, user-friendly non-bounceable for ton, bech32 for bitcoin (rb1…/bcrt1… BTC, rltc1… LTC on regtest)" }),
  quote: sessionQuoteSchema.optional().meta({ description: "type bitcoin (and after switching away from it): the session's amount quoted in BTC or LTC; deposits of that coin count pro rata" }),
  createdAt: unixSeconds,
  source: sourceSchema.optional().meta({ description: "the payer's first transaction to the receiver, once seen (a counting token transfer first, else any)" }),
  sources: z.array(sourceSchema).optional().meta({ description: "every deposit of the checkout once one is seen (reverted ones leave), `source` first, then in the order they were seen" }),
}).meta({ id: "PaymentMethod" });

const publicShape = {
  sessionId: z.string().meta({ description: "a UUID", example: "3f0c2a8e-5b1d-4c7e-9a4f-2d6b8e1c0a57" }),
  status: sessionStatus,
  destination,
  deliveries: z.array(deliverySchema).optional().meta({ description: "once the session succeeded or bounced: one per settlement group" }),
  exception: z.enum(["underpaid", "overpaid", "paid_late", "mixed", "blocked"]).nullable().meta({
    description: "beside status: underpaid (accepted or expired short), overpaid, paid_late (a deposit after expiry or after it finished), mixed (paid on several networks or assets), blocked",
  }),
  display: z.object({ title: z.string(), verb: z.string() }),
  paymentMethod: paymentMethodSchema.nullable(),
  paidUnits: z.string().optional().meta({
    description: "once a payment method is chosen: what the seen (non-reverted) deposits count for, in whole units of the destination token " +
      "(USDC/USDT on any EVM network 1:1; native coins do not count)",
    example: "10",
  }),
  remainingUnits: z.string().optional().meta({ description: "once a payment method is chosen: what is still due, in whole units of the destination token", example: "15" }),
  overpaidUnits: z.string().optional().meta({ description: "present when more than the amount due was paid", example: "0.5" }),
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
