// lib/rates: exact price arithmetic, and the real CoinGecko and Coinbase clients against a local
// stand-in server — including a stand-in that has been taken down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoinbaseProvider } from "@/lib/rates/coinbase";
import { CoinGeckoProvider } from "@/lib/rates/coingecko";
import { depositUnitsFor, displayCentsFor, normalizeRate } from "@/lib/rates/decimal";
import { RateUnavailableError } from "@/lib/rates/provider";
import { DEVNET_RATE_TABLE, StaticProvider, USD_FX } from "@/lib/rates/static";
import { quoteNow } from "@/lib/rates";
import { valuationCurrency, valueAt } from "@/lib/deposits/valuation";
import { DEPOSIT_CURRENCIES, DISPLAY_CURRENCIES } from "@/lib/payments/currencies";
import { setStandInPrices, startRateStandIn, type RateStandIn } from "../setup/rate-stand-in";

describe("rate arithmetic", () => {
  it("normalizes price literals exactly, exponent forms included", () => {
    expect(normalizeRate("0.913085")).toBe("0.913085");
    expect(normalizeRate("3012.50")).toBe("3012.5");
    expect(normalizeRate("1.2e-5")).toBe("0.000012");
    expect(normalizeRate("2.5E3")).toBe("2500");
    expect(normalizeRate("0.1234567890123456789")).toBe("0.1234567890123456789");
    expect(() => normalizeRate("0")).toThrow();
    expect(() => normalizeRate("-1")).toThrow();
    expect(() => normalizeRate("abc")).toThrow();
  });

  it("rounds the amount due up and the credited value down", () => {
    // 50.00 EUR at 0.913085 EUR/USDT = 54.7594145… USDT → 54.759415
    expect(depositUnitsFor(5000n, "0.913085", 6)).toBe(54_759_415n);
    // 100.00 at 3000 per ETH = 0.0333… ETH, up at 18 decimals
    expect(depositUnitsFor(10000n, "3000", 18)).toBe(33_333_333_333_333_334n);
    expect(displayCentsFor(54_759_415n, "0.913085", 6)).toBe(5000n);
    expect(displayCentsFor(1n, "0.913085", 6)).toBe(0n);
    expect(displayCentsFor(80_000_000n, "0.8", 6)).toBe(6400n);
  });
});

describe("price providers", () => {
  let standIn: RateStandIn;
  beforeAll(async () => {
    standIn = await startRateStandIn();
    await setStandInPrices(standIn.url, { "ETH-EUR": "2750.123456789012345678", "USDT-CHF": "0.9", "USDT-NOK": "down" });
  });
  afterAll(() => standIn.stop());

  it("CoinGecko: reads the number literal exactly", async () => {
    const p = await new CoinGeckoProvider(standIn.url, 2000).price("ETH", "EUR");
    expect(p).toMatchObject({ base: "ETH", quote: "EUR", rate: "2750.123456789012345678", source: "coingecko" });
    expect(standIn.hits.get("ETH-EUR")).toBe(1);
  });

  it("Coinbase: reads the spot price string", async () => {
    const p = await new CoinbaseProvider(standIn.url, 2000).price("USDT", "CHF");
    expect(p).toMatchObject({ rate: "0.9", source: "coinbase" });
  });

  it("unknown pairs and failing services are RateUnavailableError, never a guess — told apart by kind", async () => {
    const kindOf = (p: Promise<unknown>) => p.then(() => "priced", (e: unknown) => (e instanceof RateUnavailableError ? e.kind : String(e)));
    await expect(new CoinGeckoProvider(standIn.url, 2000).price("ETH", "JPY")).rejects.toThrow(/coingecko has no ETH\/JPY price: the pair is missing/);
    expect(await kindOf(new CoinGeckoProvider(standIn.url, 2000).price("ETH", "JPY"))).toBe("unknown_pair");
    await expect(new CoinbaseProvider(standIn.url, 2000).price("ETH", "JPY")).rejects.toThrow(/HTTP 404/);
    expect(await kindOf(new CoinbaseProvider(standIn.url, 2000).price("ETH", "JPY"))).toBe("unknown_pair");
    await expect(new CoinGeckoProvider(standIn.url, 2000).price("USDT", "NOK")).rejects.toThrow(/HTTP 503/);
    expect(await kindOf(new CoinGeckoProvider(standIn.url, 2000).price("USDT", "NOK"))).toBe("unavailable");
    await expect(new StaticProvider({ ETH: { USD: "3000" } }).price("ETH", "EUR")).rejects.toBeInstanceOf(RateUnavailableError);
    expect(await kindOf(new StaticProvider({ ETH: { USD: "3000" } }).price("ETH", "EUR"))).toBe("unknown_pair");
  });

  it("a stand-in that was taken down: the clients say the service cannot be reached", async () => {
    const gone = await startRateStandIn();
    await gone.stop();
    const err = await new CoinGeckoProvider(gone.url, 2000).price("ETH", "EUR").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateUnavailableError);
    expect((err as RateUnavailableError).kind).toBe("unavailable");
    expect((err as Error).message).toMatch(/cannot be reached/);
    await expect(new CoinbaseProvider(gone.url, 2000).price("ETH", "EUR")).rejects.toThrow(/cannot be reached/);
  });
});

describe("the test-mode (static) table: every display currency of seed 004", () => {
  const provider = new StaticProvider(DEVNET_RATE_TABLE);
  // what one US dollar is roughly worth in each currency: a price off by a factor of 3 is a wrong table
  const usd = (fiat: string) => Number(USD_FX[fiat]);
  const assets = [...new Set(DEPOSIT_CURRENCIES), "POL", "FTN"];

  it("lists seed 004's display currencies, all of them", () => {
    expect(Object.keys(USD_FX).sort()).toEqual([...DISPLAY_CURRENCIES].sort());
  });

  it.each([...DISPLAY_CURRENCIES])("%s: every asset priced plausibly, and an amount due computed from it", async (fiat) => {
    for (const asset of assets) {
      const q = await quoteNow(asset, fiat, provider);
      const usdPrice = Number((await provider.price(asset, "USD")).rate);
      const ratio = Number(q.rate) / (usdPrice * usd(fiat));
      expect(ratio, `${asset}/${fiat} = ${q.rate}`).toBeGreaterThan(0.95);
      expect(ratio, `${asset}/${fiat} = ${q.rate}`).toBeLessThan(1.05);
      // 50.00 of the display currency in the asset: a positive amount, worth at least the 50.00 due
      const units = depositUnitsFor(5000n, q.rate, 6);
      expect(units > 0n).toBe(true);
      expect(displayCentsFor(units, q.rate, 6) >= 5000n).toBe(true);
    }
    // stablecoins against the dollar: 1, by peg, without the table
    if (fiat === "USD") expect((await quoteNow("USDT", "USD", provider)).source).toBe("peg");
  });

  it("a few anchors: round, human-checkable prices", async () => {
    expect((await provider.price("ETH", "USD")).rate).toBe("3000");
    expect((await provider.price("ETH", "EUR")).rate).toBe("2750");
    expect((await provider.price("USDT", "JPY")).rate).toBe("150");
    expect((await provider.price("BTC", "VND")).rate).toBe("1500000000");
    expect((await provider.price("POL", "AED")).rate).toBe("1.835");
  });
});

describe("currency_to valuation arithmetic (seed 002)", () => {
  it("values base units at a rate in the target's decimals, rounded down", () => {
    expect(valueAt(5_000_000n, 6, "0.92", 2)).toBe("4.6");
    expect(valueAt(1n, 6, "0.92", 2)).toBe("0");
    expect(valueAt(10_000_000n, 6, "0.2", 6)).toBe("2"); // 10 TRX at 0.2 USD → usdt
    expect(valueAt(10n ** 18n + 1n, 18, "3000.123456789", 6)).toBe("3000.123456");
  });

  it("accepts asset tickers and display currencies as currency_to, refuses the rest with a 400", () => {
    expect(valuationCurrency("usdt")).toBe("usdt");
    expect(valuationCurrency(" eur ")).toBe("eur");
    expect(() => valuationCurrency("nope")).toThrow(/currency_to/);
  });
});
