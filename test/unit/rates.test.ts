// lib/rates: exact price arithmetic, and the real CoinGecko and Coinbase clients against a local
// stand-in server — including a stand-in that has been taken down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoinbaseProvider } from "@/lib/rates/coinbase";
import { CoinGeckoProvider } from "@/lib/rates/coingecko";
import { depositUnitsFor, displayCentsFor, normalizeRate } from "@/lib/rates/decimal";
import { RateUnavailableError } from "@/lib/rates/provider";
import { StaticProvider } from "@/lib/rates/static";
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

  it("unknown pairs and failing services are RateUnavailableError, never a guess", async () => {
    await expect(new CoinGeckoProvider(standIn.url, 2000).price("ETH", "JPY")).rejects.toThrow(/coingecko has no ETH\/JPY price: the pair is missing/);
    await expect(new CoinbaseProvider(standIn.url, 2000).price("ETH", "JPY")).rejects.toThrow(/HTTP 404/);
    await expect(new CoinGeckoProvider(standIn.url, 2000).price("USDT", "NOK")).rejects.toThrow(/HTTP 503/);
    await expect(new StaticProvider({ ETH: { USD: "3000" } }).price("ETH", "EUR")).rejects.toBeInstanceOf(RateUnavailableError);
  });

  it("a stand-in that was taken down: the clients say the service cannot be reached", async () => {
    const gone = await startRateStandIn();
    await gone.stop();
    const err = await new CoinGeckoProvider(gone.url, 2000).price("ETH", "EUR").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateUnavailableError);
    expect((err as Error).message).toMatch(/cannot be reached/);
    await expect(new CoinbaseProvider(gone.url, 2000).price("ETH", "EUR")).rejects.toThrow(/cannot be reached/);
  });
});
