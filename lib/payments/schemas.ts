// zod schemas of the payments dialect (API.md §2, seed 004): the paymentInfo object and inputs.
import { z } from "zod";
import { jsonAmountInput } from "@/lib/sessions/schemas";
import { DEPOSIT_CURRENCIES, DISPLAY_CURRENCIES, PAYMENT_NETWORKS } from "./currencies";

export const PAYMENT_STATUSES = ["NEW", "PENDING", "AWAITING", "DEPOSITED", "EXPIRED", "BLOCKED", "OVERPAID"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const displayCurrency = z.enum(DISPLAY_CURRENCIES).meta({ example: "EUR" });
export const depositCurrency = z.enum(DEPOSIT_CURRENCIES).meta({ example: "USDT" });
export const paymentNetwork = z.enum(PAYMENT_NETWORKS).meta({ example: "ETH" });
/** A display amount: a decimal string or a JSON number read exactly, at most two decimals (checked by the domain code). */
export const displayAmountInput = jsonAmountInput.meta({ description: "amount in the display currency, e.g. \"50.00\" or 50", example: "50.00" });

const amount = (description: string) => z.string().meta({ description });

export const quoteSchema = z.object({
  purpose: z.enum(["submit", "deposit"]).meta({ description: "submit: priced the expected deposit; deposit: FLOATING re-price when the first deposit arrived" }),
  base: z.string(),
  quote: z.string(),
  rate: z.string().meta({ description: "display-currency units per one whole unit of the deposit currency" }),
  source: z.string().meta({ description: "coingecko, coinbase, static (devnet table) or peg (stablecoin in its own currency)" }),
  fetchedAt: z.number().int(),
  expiresAt: z.number().int(),
});

export const paymentDepositSchema = z.object({
  depositId: z.string(),
  txHash: z.string(),
  network: z.string().meta({ description: "seed 004's network enum (ETH, BSC, SOL, TRX, …; POLYGON on this instance), as expectedNetwork" }),
  depositCurrency: z.string(),
  fromAddress: z.string().nullable(),
  amount: amount("in the deposit currency"),
  displayAmount: amount("worth in the display currency at the quote that applies"),
  status: z.enum(["PENDING", "CONFIRMED"]),
  /** arrived after the payment was finished or expired */
  followUp: z.boolean(),
  createdAt: z.number().int(),
  confirmedAt: z.number().int().nullable(),
});

export const paymentInfoSchema = z.object({
  paymentId: z.string(),
  clientPaymentId: z.string(),
  businessId: z.string(),
  locale: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  rateType: z.enum(["FIXED", "FLOATING"]),
  type: z.enum(["ONE_TIME", "REUSABLE"]),
  url: z.string(),
  overpaymentPolicy: z.enum(["PROCESS", "EXCESS_REFUND"]),
  refundFollowUpDepositsForOneTimePayments: z.boolean(),
  processorType: z.literal("BLOCKCHAIN"),
  walletAddress: z.string().optional(),
  displayCurrency: z.string().optional(),
  expectedDisplayAmount: z.string().optional(),
  expectedDisplayDistributedUserServiceFee: z.string().optional(),
  actualDisplayAmount: z.string(),
  actualDisplayDistributedUserServiceFee: z.string(),
  depositCurrency: z.string().optional(),
  expectedNetwork: z.string().optional(),
  expectedDepositAmount: z.string().optional(),
  expectedDepositDistributedUserServiceFee: z.string().optional(),
  actualDepositAmount: z.string(),
  actualDepositDistributedUserServiceFee: z.string(),
  expectedUniformAmount: z.string().optional(),
  actualUniformAmount: z.string(),
  userServiceFeeDistributionPercentage: z.string(),
  redirectUrl: z.string().optional(),
  expirationMinutes: z.number().int(),
  paymentInitiatedAt: z.number().int(),
  paymentRequestedAt: z.number().int().optional(),
  deposits: z.array(paymentDepositSchema),
  /** every quote this payment was priced with (Tollgate addition: every amount can be explained) */
  quotes: z.array(quoteSchema),
  /** Tollgate addition: excess refunded on chain (EXCESS_REFUND) */
  excessRefund: z.object({ txHash: z.string().nullable(), amount: z.string(), status: z.string() }).optional(),
}).meta({ id: "PaymentInfo" });

export type PaymentInfo = z.input<typeof paymentInfoSchema>;
