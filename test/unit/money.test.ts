import { describe, expect, it } from "vitest";
import { AmountError, formatUnits, formatUnitsFixed, mulDivDown, mulDivUp, parseUnits } from "@/lib/money/units";

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
