// A fixed price table for the devnet (no network access): display-currency units per asset,
// e.g. {"ETH":{"USD":"3000","EUR":"2750"}}. Set RATES_STATIC_TABLE (JSON) to replace the default.
import { normalizeRate } from "./decimal";
import { RateUnavailableError, type Price, type RateProvider } from "./provider";

/** Round USD prices of every asset the seeds name, so amounts are easy to check by eye. Not market prices. */
const USD_PRICE: Record<string, string> = {
  ETH: "3000", POL: "0.5", BNB: "600", USDT: "1", USDC: "1", TRX: "0.2", SOL: "150", LINK: "15", BTC: "60000",
  FTN: "3", BCH: "400", LTC: "80", XLM: "0.1", XRP: "0.5", TON: "5",
};

/**
 * Units of each of seed 004's display currencies per US dollar: plausible, rounded exchange rates
 * (their order of magnitude is what matters: a JPY or VND price must not look like a EUR one).
 */
export const USD_FX: Record<string, string> = {
  AED: "3.67", ARS: "1000", AUD: "1.5", BDT: "120", BGN: "1.8", BRL: "5.5", CAD: "1.37", CHF: "0.9", CLP: "950", CNY: "7.2",
  CZK: "23", DKK: "6.9", EUR: "0.92", GBP: "0.8", HKD: "7.8", HRK: "6.95", HUF: "360", IDR: "16000", ILS: "3.7", INR: "84",
  ISK: "138", JPY: "150", KES: "129", KRW: "1350", MXN: "18", MYR: "4.5", NGN: "1550", NOK: "10.8", NZD: "1.65", PEN: "3.75",
  PHP: "57", PLN: "4", QAR: "3.64", RON: "4.6", RUB: "95", SEK: "10.5", SGD: "1.35", THB: "35", TRY: "34", USD: "1",
  VND: "25000", ZAR: "18",
};

/** The exact product of two plain decimals ("0.5" × "3.67" = "1.835"). */
function times(a: string, b: string): string {
  const [ai, af = ""] = a.split(".");
  const [bi, bf = ""] = b.split(".");
  const scale = af.length + bf.length;
  const digits = (BigInt(ai + af) * BigInt(bi + bf)).toString().padStart(scale + 1, "0");
  return normalizeRate(scale ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}` : digits);
}

/** Every asset above in every display currency; a few rounder prices the tests were written against stay as they were. */
export const DEVNET_RATE_TABLE: Record<string, Record<string, string>> = Object.fromEntries(
  Object.entries(USD_PRICE).map(([asset, usd]) => [asset, Object.fromEntries(Object.entries(USD_FX).map(([fiat, fx]) => [fiat, times(usd, fx)]))]),
);
DEVNET_RATE_TABLE.ETH.EUR = "2750";
DEVNET_RATE_TABLE.BNB.EUR = "550";

export class StaticProvider implements RateProvider {
  readonly name = "static";
  constructor(private readonly table: Record<string, Record<string, string>>) {}

  async price(base: string, quote: string): Promise<Price> {
    const rate = this.table[base]?.[quote];
    if (rate === undefined) throw new RateUnavailableError(this.name, base, quote, "the pair is not in the static table (RATES_STATIC_TABLE)", "unknown_pair");
    return { base, quote, rate: normalizeRate(rate), source: this.name, fetchedAt: new Date() };
  }
}
