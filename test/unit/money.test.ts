import { describe, expect, it } from "vitest";
import { AmountError, formatUnits, formatUnitsFixed, mulDivDown, mulDivUp, parseUnits } from "@/lib/money/units";
import { assetDisplay, formatAmount, formatAmountFull, formatDecimal } from "@/lib/money/format";
import { progressOf } from "@/lib/checkout/confirmations";

describe("parseUnits", () => {
  it("converts exact decimals to base units", () => {
    expect(parseUnits("12.5", 6)).toBe(12_500_000n);
    expect(parseUnits("0.000001", 6)).toBe(1n);
    expect(parseUnits("0", 18)).toBe(0n);
    expect(parseUnits("1000000", 6)).toBe(1_000_000_000_000n);
    expect(parseUnits("1.50", 1)).toBe(15n); // trailing zeros beyond precision carry no value
  });
  it("rejects more fractional digits than the asset has", () => {
    expect(() => parseUnits("0.0000001", 6)).toThrow(AmountError);
    expect(() => parseUnits("1.1234567", 6)).toThrow(/more than 6 fractional digits/);
  });
  it("rejects anything that is not a plain non-negative decimal", () => {
    for (const bad of ["", "-1", "1e6", "01", "1.", ".5", " 1", "1,5", "0x10", "NaN", "Infinity"]) {
      expect(() => parseUnits(bad, 6), bad).toThrow(AmountError);
    }
  });
  it("never goes through a float", () => {
    expect(parseUnits("123456789012345678901234567890.123456789012345678", 18)).toBe(123456789012345678901234567890123456789012345678n);
    expect(parseUnits("0.1", 18) + parseUnits("0.2", 18)).toBe(parseUnits("0.3", 18));
  });
});

describe("formatUnits", () => {
  it("round-trips and trims", () => {
    expect(formatUnits(12_500_000n, 6)).toBe("12.5");
    expect(formatUnits(1n, 6)).toBe("0.000001");
    expect(formatUnits(0n, 6)).toBe("0");
    expect(formatUnits(25_000_000n, 6)).toBe("25");
    expect(formatUnitsFixed(25_000_000n, 6, 2)).toBe("25.00");
    for (const s of ["1", "0.5", "999999.999999", "0.000001"]) expect(formatUnits(parseUnits(s, 6), 6)).toBe(s);
  });
});

describe("rounding direction", () => {
  it("amounts due round up, refunds round down", () => {
    expect(mulDivUp(10n, 1n, 3n)).toBe(4n);
    expect(mulDivDown(10n, 1n, 3n)).toBe(3n);
    expect(mulDivUp(9n, 1n, 3n)).toBe(3n);
  });
});

describe("the one amount formatter (lib/money/format)", () => {
  it("groups, keeps at least two decimals, trims trailing zeros to them, never rounds up", () => {
    expect(formatDecimal("1234567.891234")).toBe("1,234,567.891234");
    expect(formatDecimal("1234567.891200")).toBe("1,234,567.8912");
    expect(formatDecimal("25")).toBe("25.00");
    expect(formatDecimal("25.5")).toBe("25.50");
    expect(formatDecimal("0.000001")).toBe("0.000001");
    expect(formatDecimal("1234.5", { locale: "de-DE" })).toBe("1.234,50");
    expect(formatDecimal("0.123456789", { maxDecimals: 4 })).toBe("0.1234");
    expect(formatDecimal("0.99999", { maxDecimals: 2 })).toBe("0.99");
    expect(formatDecimal("-0.001", { maxDecimals: 2 })).toBe("0.00");
    expect(formatDecimal("7", { minDecimals: 0 })).toBe("7");
    expect(formatDecimal("not a number")).toBe("not a number");
  });
  it("formats base units with the asset's display decimals and display name, the full amount on request", () => {
    const eth = { network: "ethereum", code: "ETH" };
    expect(formatAmount(1_234_567_891_234n, { network: "ethereum", code: "eUSDC" }, { symbol: true })).toBe("1,234,567.891234 USDC");
    expect(formatAmount(25_000_000n, { network: "polygon", code: "wpUSDT" }, { symbol: true })).toBe("25.00 USDT");
    expect(formatAmount(25_000_000n, { network: "polygon", code: "wpUSDC" }, { symbol: true })).toBe("25.00 USDC.e");
    // 18-decimal balances: eight places at most, the rest on hover
    expect(formatAmount(1_234_567_890_123_456_789n, eth, { symbol: true })).toBe("1.23456789 ETH");
    expect(formatAmountFull(1_234_567_890_123_456_789n, eth)).toBe("1.234567890123456789");
    expect(formatAmount(10n ** 18n, eth)).toBe("1.00");
    expect(formatAmount(0n, { decimals: 6, symbol: "USDC" }, { symbol: true })).toBe("0.00 USDC");
    expect(formatAmount(5n, { decimals: 0, symbol: "PTS" })).toBe("5");
    // an unknown code keeps the code and shows base units
    expect(formatAmount(42n, { network: "ethereum", code: "XYZ" }, { symbol: true })).toBe("42 XYZ");
    expect(assetDisplay({ network: "bsc", code: "bUSDT" })).toEqual({ symbol: "USDT", decimals: 18, displayDecimals: 8 });
  });
});

describe("confirmation progress (lib/checkout/confirmations)", () => {
  it("counts head − block + 1, one short of the depth until confirmed, and estimates from the block time", () => {
    expect(progressOf({ blockNumber: 100n, status: "seen" }, 101n, 12, 12)).toEqual({ confirmations: 2, required: 12, secondsLeft: 120 });
    expect(progressOf({ blockNumber: 100n, status: "seen" }, 99n, 12, 12)).toEqual({ confirmations: 0, required: 12, secondsLeft: 144 });
    // the head passed the depth but the watcher has not marked it yet
    expect(progressOf({ blockNumber: 100n, status: "seen" }, 200n, 12, 12)).toEqual({ confirmations: 11, required: 12, secondsLeft: 12 });
    expect(progressOf({ blockNumber: 100n, status: "confirmed" }, 101n, 12, 12)).toEqual({ confirmations: 12, required: 12, secondsLeft: 0 });
    expect(progressOf({ blockNumber: 100n, status: "seen" }, null, 12, 12)).toEqual({ confirmations: 0, required: 12, secondsLeft: null });
    expect(progressOf({ blockNumber: 5n, status: "seen" }, 5n, 0, undefined)).toEqual({ confirmations: 0, required: 1, secondsLeft: null });
    expect(progressOf({ blockNumber: 5n, status: "seen" }, 5n, 20, 0.25).secondsLeft).toBe(5);
  });
});
