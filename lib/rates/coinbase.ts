// Coinbase: GET {base}/v2/prices/<ASSET>-<FIAT>/spot answers
// {"data":{"amount":"3012.55","base":"ETH","currency":"EUR"}} with the price as a string.
import { normalizeRate } from "./decimal";
import { fetchText, RateUnavailableError, type Price, type RateProvider } from "./provider";

export class CoinbaseProvider implements RateProvider {
  readonly name = "coinbase";
  constructor(private readonly baseUrl: string, private readonly timeoutMs: number) {}

  async price(base: string, quote: string): Promise<Price> {
    const url = `${this.baseUrl.replace(/\/+$/, "")}/v2/prices/${encodeURIComponent(`${base}-${quote}`)}/spot`;
    // Coinbase answers 400/404 for a pair it does not list
    const text = await fetchText(this.name, base, quote, url, this.timeoutMs, {}, [400, 404]);
    let parsed: { data?: { amount?: unknown; base?: unknown; currency?: unknown } };
    try { parsed = JSON.parse(text); } catch { throw new RateUnavailableError(this.name, base, quote, "the answer is not JSON"); }
    const d = parsed?.data;
    if (!d || typeof d.amount !== "string" || d.base !== base || d.currency !== quote) {
      throw new RateUnavailableError(this.name, base, quote, "the answer does not carry this pair's price", "unknown_pair");
    }
    let rate: string;
    try { rate = normalizeRate(d.amount); } catch { throw new RateUnavailableError(this.name, base, quote, "the price is not a positive number"); }
    return { base, quote, rate, source: this.name, fetchedAt: new Date() };
  }
}
