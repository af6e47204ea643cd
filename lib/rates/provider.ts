// A source of prices: display-currency units per one whole unit of an asset. Real HTTP clients
// (coingecko.ts, coinbase.ts) for production, a static table (static.ts) for the devnet.

export type Price = {
  /** asset ticker, e.g. "ETH", "USDT" */
  base: string;
  /** display currency, e.g. "EUR" */
  quote: string;
  /** exact decimal text */
  rate: string;
  source: string;
  fetchedAt: Date;
};

export interface RateProvider {
  readonly name: string;
  price(base: string, quote: string): Promise<Price>;
}

/**
 * The provider could not give a price. `kind`: `unknown_pair` — the provider answered and has no
 * such price (asking again will not help); `unavailable` — down, slow or a malformed answer (retry later).
 */
export class RateUnavailableError extends Error {
  constructor(
    readonly source: string, readonly base: string, readonly quote: string, reason: string,
    readonly kind: "unknown_pair" | "unavailable" = "unavailable",
  ) {
    super(`${source} has no ${base}/${quote} price: ${reason}`);
    this.name = "RateUnavailableError";
  }
}

/** GET `url` as JSON text with a timeout; errors name the provider and pair, never the URL's secrets. */
/** `unknownPairOn`: HTTP statuses by which this service says it has no such pair. */
export async function fetchText(
  source: string, base: string, quote: string, url: string, timeoutMs: number, headers: Record<string, string> = {}, unknownPairOn: readonly number[] = [],
): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: "application/json", ...headers }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const why = e instanceof Error && e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : "the service cannot be reached";
    throw new RateUnavailableError(source, base, quote, why);
  }
  const text = await res.text().catch(() => "");
  if (!res.ok) throw new RateUnavailableError(source, base, quote, `HTTP ${res.status}`, unknownPairOn.includes(res.status) ? "unknown_pair" : "unavailable");
  return text;
}
