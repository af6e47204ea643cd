// What the checkout page works with: the public session view (API.md §1) and the props the server
// component computes. Plain types only, so client code never imports server modules.
import type { FamilyId } from "@/lib/chains/family";

export type SessionStatus = "requires_payment_method" | "waiting_payment" | "processing" | "succeeded" | "bounced" | "expired";

export type PublicSession = {
  sessionId: string;
  status: SessionStatus;
  destination: {
    type: string;
    address: string;
    chainId: number | null;
    chainName: string;
    tokenAddress: string;
    tokenSymbol: string;
    amountUnits: string;
    delivery?: { txHash: string | null; receivedUnits: string; chainId: number | null; chainName: string; tokenAddress: string | null; tokenSymbol: string; status: "delivered" | "refunded" | "batched" };
  };
  display: { title: string; verb: string };
  paymentMethod: null | {
    type: "evm" | "tron" | "solana" | "ton" | "bitcoin";
    receiverAddress?: string;
    /** a session paid in a coin at a quoted price (BTC, LTC): the amount in it (decimal strings in whole coins) */
    quote?: { network: string; asset: string; amountUnits: string; remainingUnits: string; rate: string; currency: string; source: string; fetchedAt: number; expiresAt: number };
    createdAt: number;
    source?: {
      address: string;
      chainId: number | null;
      chainName: string;
      tokenAddress: string;
      tokenSymbol: string;
      sentUnits: string;
      txHash: string;
    };
  };
  /** set while underpaid (decimal strings in whole units, like amountUnits) */
  paidUnits?: string;
  remainingUnits?: string;
  overpaidUnits?: string;
  refundAddress: string | null;
  url: string;
  livemode: boolean;
  createdAt: number;
  expiresAt: number;
};

/** Stands in for a chain id in the network picker for Tron (its mainnet JSON-RPC answers eth_chainId 0x2b6653dc). */
export const TRON_CHOICE_CHAIN_ID = 728126428;

/** Stands in for a chain id for Solana's choices (a seed-004 payment paid to a receiver of its own). */
export const SOLANA_CHOICE_CHAIN_ID = 0x501;

/** Stands in for a chain id for TON's choices (607: TON's SLIP-44 coin type). */
export const TON_CHOICE_CHAIN_ID = 607;

/**
 * The families whose choices pay a receiver of ours (./families): the picker lists EVM's and
 * Tron's; Solana's is only ever a seed-004 payment's one fixed way to pay (sessions on Solana pay
 * the merchant directly, on a step of their own).
 */
export type ChoiceFamily = FamilyId;

/** One way to pay: a token on an enabled EVM chain, or on Tron (TRC-20), of the session's mode. */
export type TokenChoice = {
  /** evm: paid by wallet or by hand to the session's EVM receiver; tron, solana: by hand (QR) to its receiver */
  family: ChoiceFamily;
  /** the EVM chain id; TRON_CHOICE_CHAIN_ID for Tron, SOLANA_CHOICE_CHAIN_ID for Solana */
  chainId: number;
  /** "ethereum", "polygon", … */
  network: string;
  /** "Ethereum", "Polygon", … */
  networkName: string;
  /** 0x… on EVM chains, base58check T… on Tron, the mint on Solana; NATIVE_TOKEN for the native coin */
  tokenAddress: string;
  /** what the payer sees: "USDC", "USDT", "USDC.e" */
  label: string;
  symbol: string;
  decimals: number;
  /** block explorer transaction URL prefix; null on test networks (no public explorer) */
  explorerTx: string | null;
  /** a session pays in this coin at a quoted price (BTC, LTC): the amount comes from paymentMethod.quote, not 1:1 */
  quoted?: boolean;
};

export type MerchantBranding = { name: string; logoUrl: string | null; accentColor: string };

/** A payment's price in its display currency (decimal strings with two places). */
export type FiatAmount = { amount: string; currency: string; paid: string };
/** Paying on Solana from this page: offered when the network is enabled and the merchant has a Solana wallet. */
export type SolanaCheckout = {
  /** the JSON-RPC URL the browser's wallet flow uses (never one carrying an API key) */
  rpcUrl: string;
  /** the stablecoin mints that pay this session */
  tokens: { label: string; mint: string; decimals: number }[];
};

export type CheckoutProps = {
  session: PublicSession;
  /** issued to this page only (rendered for this session's payer); never put in a URL or a log */
  clientSecret: string;
  merchant: MerchantBranding;
  choices: TokenChoice[];
  solana: SolanaCheckout | null;
  successUrl: string | null;
  cancelUrl: string | null;
  /** payments: the display-currency price shown next to the crypto amount */
  fiat?: FiatAmount | null;
  /** payments: the method was chosen through the API; the page shows it and never chooses another */
  fixedMethod?: boolean;
  /** the server's clock at render time (unix s): the countdown's first frame matches the HTML */
  serverNow: number;
};

export const TERMINAL: readonly SessionStatus[] = ["succeeded", "bounced", "expired"];
export const isTerminal = (s: SessionStatus) => TERMINAL.includes(s);

export const choiceKey = (c: { chainId: number; tokenAddress: string }) => `${c.chainId}:${c.tokenAddress.toLowerCase()}`;
