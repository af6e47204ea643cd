// Quotes for payments (DOMAIN.md "Money"): the configured provider (RATES_PROVIDER), with
// stablecoins pegged to the display currency quoting 1:1 without a rate source.
import { config, type RatesConfig } from "@/lib/config";
import { CoinbaseProvider } from "./coinbase";
import { CoinGeckoProvider } from "./coingecko";
import type { Price, RateProvider } from "./provider";
import { DEVNET_RATE_TABLE, StaticProvider } from "./static";

export { RateUnavailableError, type Price, type RateProvider } from "./provider";

/** Stablecoins and the fiat currency they are pegged to. */
export const PEGS: Record<string, string> = { USDT: "USD", USDC: "USD" };

export function providerFor(rates: RatesConfig): RateProvider {
  switch (rates.provider) {
    case "coingecko": return new CoinGeckoProvider(rates.coingeckoUrl, rates.timeoutMs, rates.coingeckoApiKey);
    case "coinbase": return new CoinbaseProvider(rates.coinbaseUrl, rates.timeoutMs);
    case "static": return new StaticProvider(rates.staticTable ?? DEVNET_RATE_TABLE);
  }
}

/** A quote with its validity: `ttlSeconds` after it was fetched. */
export type Quote = Price & { expiresAt: Date };

/** The price of one `base` in `quote` now; throws RateUnavailableError when the provider cannot say. */
export async function quoteNow(base: string, quote: string, provider: RateProvider = providerFor(config().rates)): Promise<Quote> {
  const ttl = config().rates.quoteTtlSeconds * 1000;
  if (PEGS[base] === quote) {
    const now = new Date();
    return { base, quote, rate: "1", source: "peg", fetchedAt: now, expiresAt: new Date(now.getTime() + ttl) };
  }
  const p = await provider.price(base, quote);
  return { ...p, expiresAt: new Date(p.fetchedAt.getTime() + ttl) };
}
