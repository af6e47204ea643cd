// CoinGecko: GET {base}/api/v3/simple/price?ids=<coin id>&vs_currencies=<fiat, lower case>
// answers {"tether":{"eur":0.9131}}. The price is a JSON number: it is read as text from the
// body (never through a double) so no digit is lost.
import { normalizeRate } from "./decimal";
import { fetchText, RateUnavailableError, type Price, type RateProvider } from "./provider";

/** Ticker → CoinGecko coin id, for every deposit currency of seed 004, the EVM native coins and TON. */
export const COINGECKO_IDS: Record<string, string> = {
  BCH: "bitcoin-cash", BNB: "binancecoin", BTC: "bitcoin", ETH: "ethereum", LINK: "chainlink", LTC: "litecoin",
  SOL: "solana", TRX: "tron", USDC: "usd-coin", USDT: "tether", XLM: "stellar", XRP: "ripple", POL: "polygon-ecosystem-token",
  TON: "the-open-network",
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export class CoinGeckoProvider implements RateProvider {
  readonly name = "coingecko";
  constructor(private readonly baseUrl: string, private readonly timeoutMs: number, private readonly apiKey?: string) {}

  async price(base: string, quote: string): Promise<Price> {
    const id = COINGECKO_IDS[base];
    if (!id) throw new RateUnavailableError(this.name, base, quote, "unknown asset", "unknown_pair");
    const vs = quote.toLowerCase();
    const url = `${this.baseUrl.replace(/\/+$/, "")}/api/v3/simple/price?ids=${encodeURIComponent(id)}&vs_currencies=${encodeURIComponent(vs)}`;
    const text = await fetchText(this.name, base, quote, url, this.timeoutMs, this.apiKey ? { "x-cg-demo-api-key": this.apiKey } : {});
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch { throw new RateUnavailableError(this.name, base, quote, "the answer is not JSON"); }
    const entry = (parsed as Record<string, Record<string, unknown>> | null)?.[id];
    if (!entry || typeof entry[vs] !== "number") throw new RateUnavailableError(this.name, base, quote, "the pair is missing from the answer", "unknown_pair");
    // the same number, as the literal the service wrote
    const m = new RegExp(`"${escape(id)}"\\s*:\\s*\\{[^{}]*?"${escape(vs)}"\\s*:\\s*(-?[0-9][0-9.eE+-]*)`).exec(text);
    let rate: string;
    try { rate = normalizeRate(m?.[1] ?? ""); } catch { throw new RateUnavailableError(this.name, base, quote, "the price is not a positive number"); }
    return { base, quote, rate, source: this.name, fetchedAt: new Date() };
  }
}
