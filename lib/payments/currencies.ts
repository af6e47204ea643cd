// Seed 004's currency vocabulary and how its (depositCurrency, network) pairs map onto this
// instance's asset rows (API.md "Currencies and networks": one mapping table for every dialect).
import { familyOf, takesCustodialCheckouts } from "@/lib/chains/registry";
import { NATIVE_TOKEN } from "@/lib/checkout/native-token";
import { config, type ChainConfig } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { errors } from "@/lib/api/errors";

export const DISPLAY_CURRENCIES = [
  "AED", "ARS", "AUD", "BDT", "BGN", "BRL", "CAD", "CHF", "CLP", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HRK", "HUF",
  "IDR", "ILS", "INR", "ISK", "JPY", "KES", "KRW", "MXN", "MYR", "NGN", "NOK", "NZD", "PEN", "PHP", "PLN", "QAR", "RON",
  "RUB", "SEK", "SGD", "THB", "TRY", "USD", "VND", "ZAR",
] as const;
export type DisplayCurrency = (typeof DISPLAY_CURRENCIES)[number];

export const DEPOSIT_CURRENCIES = ["BCH", "BNB", "BTC", "ETH", "LINK", "LTC", "SOL", "TRX", "TON", "USDC", "USDT", "XLM", "XRP"] as const;
export type DepositCurrency = (typeof DEPOSIT_CURRENCIES)[number];

/** Seed 004's network names, plus POLYGON and TON (this instance also runs Polygon and TON). */
export const PAYMENT_NETWORKS = ["BCH", "BTC", "LTC", "XLM", "XRP", "ETH", "BSC", "SOL", "TRX", "POLYGON", "TON"] as const;
export type PaymentNetwork = (typeof PAYMENT_NETWORKS)[number];

const NETWORK_NAMES: Partial<Record<PaymentNetwork, string>> = { ETH: "ethereum", BSC: "bsc", POLYGON: "polygon", TRX: "tron", SOL: "solana", BTC: "bitcoin", LTC: "litecoin", TON: "ton" };

export function paymentNetworkOf(network: string): PaymentNetwork | undefined {
  return (Object.entries(NETWORK_NAMES) as [PaymentNetwork, string][]).find(([, n]) => n === network)?.[0];
}

/** An asset a payment can be priced in: its address in the family's form (NATIVE_TOKEN for the native coin). */
export type PaymentAsset = { address: string; symbol: string; decimals: number; code: string };
export type ResolvedDeposit = { chain: ChainConfig; asset: PaymentAsset; network: PaymentNetwork };

/**
 * The enabled chains of the mode a payment can be paid on: families whose payers pay a receiver
 * of the payment's own that the worker forwards from (EVM, Tron; Solana's from the key pool); in
 * configuration order.
 */
function payableChains(livemode: boolean): ChainConfig[] {
  return config().networks.filter((c) => c.enabled && c.livemode === livemode && takesCustodialCheckouts(familyOf(c)));
}

/** The configured assets of a chain, tokens and the native coin, in catalogue order. */
function paymentAssets(chain: ChainConfig): PaymentAsset[] {
  const { addresses } = familyOf(chain);
  const canonical = addresses.token ?? addresses.canonical;
  return (networkSpec(chain.network)?.assets ?? []).flatMap((a) => {
    if (!(a.code in chain.assets)) return [];
    const contract = chain.assets[a.code];
    return [{ address: contract === null || contract === undefined ? NATIVE_TOKEN : canonical(contract), symbol: a.asset, decimals: a.decimals, code: a.code }];
  });
}

/**
 * The enabled asset that `currency` on `network` (default: the first enabled network carrying it)
 * means in this mode: a token, or the network's native coin (ETH, BNB, POL, TRX) at NATIVE_TOKEN.
 */
export function resolveDeposit(livemode: boolean, currency: DepositCurrency, network: PaymentNetwork | undefined): ResolvedDeposit {
  const mode = livemode ? "live" : "test";
  const all = payableChains(livemode);
  const chains = all.filter((c) => network === undefined || NETWORK_NAMES[network] === c.network);
  if (network !== undefined && chains.length === 0) {
    throw errors.validation(`Network ${network} is not enabled for payments in ${mode} mode.`, "network", "network_not_supported");
  }
  for (const chain of chains) {
    const asset = paymentAssets(chain).find((a) => a.symbol === currency);
    const net = paymentNetworkOf(chain.network);
    if (asset && net) return { chain, asset, network: net };
  }
  const offered = [...new Set(all.flatMap((c) => paymentAssets(c).map((a) => `${a.symbol} on ${paymentNetworkOf(c.network) ?? c.network}`)))];
  throw errors.validation(
    `${currency}${network ? ` on ${network}` : ""} cannot be deposited on this instance in ${mode} mode. Accepted: ${offered.join(", ") || "none"}.`,
    "depositCurrency", "currency_not_supported",
  );
}
