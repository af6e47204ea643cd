// A fixed price table for the devnet (no network access): display-currency units per asset,
// e.g. {"ETH":{"USD":"3000","EUR":"2750"}}. Set RATES_STATIC_TABLE (JSON) to replace the default.
import { normalizeRate } from "./decimal";
import { RateUnavailableError, type Price, type RateProvider } from "./provider";

/** Round numbers for the devnet, so amounts are easy to check by eye. Not market prices. */
export const DEVNET_RATE_TABLE: Record<string, Record<string, string>> = {
  ETH: { USD: "3000", EUR: "2750", GBP: "2400", CHF: "2700" },
  POL: { USD: "0.5", EUR: "0.46", GBP: "0.4", CHF: "0.45" },
  BNB: { USD: "600", EUR: "550", GBP: "480", CHF: "540" },
  USDT: { EUR: "0.92", GBP: "0.8", CHF: "0.9" },
  USDC: { EUR: "0.92", GBP: "0.8", CHF: "0.9" },
};

export class StaticProvider implements RateProvider {
  readonly name = "static";
  constructor(private readonly table: Record<string, Record<string, string>>) {}

  async price(base: string, quote: string): Promise<Price> {
    const rate = this.table[base]?.[quote];
    if (rate === undefined) throw new RateUnavailableError(this.name, base, quote, "the pair is not in the static table (RATES_STATIC_TABLE)");
    return { base, quote, rate: normalizeRate(rate), source: this.name, fetchedAt: new Date() };
  }
}
