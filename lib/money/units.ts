// The one module that converts between base units (bigint) and decimal strings.
// No floats anywhere: amounts arrive and leave as strings (or exact JSON number text).

export class AmountError extends Error {
  constructor(message: string, readonly reason: "format" | "precision" | "negative" | "range") {
    super(message);
  }
}

const DECIMAL = /^(0|[1-9]\d*)(?:\.(\d+))?$/;
const MAX_UNITS = (1n << 256n) - 1n; // fits numeric(78,0)

/** "12.5" with 6 decimals → 12500000n. Rejects more fractional digits than the asset has. */
export function parseUnits(value: string, decimals: number): bigint {
  const m = DECIMAL.exec(value.trim() === value ? value : "");
  if (!m) {
    if (value.startsWith("-")) throw new AmountError("amount must not be negative", "negative");
    throw new AmountError(`"${value}" is not a decimal amount (digits with an optional "." fraction)`, "format");
  }
  const frac = m[2] ?? "";
  if (frac.length > decimals) {
    // "1.50" on a 1-decimal asset is fine: trailing zeros carry no value.
    if (/[^0]/.test(frac.slice(decimals))) {
      throw new AmountError(`amount has more than ${decimals} fractional digits`, "precision");
    }
  }
  const units = BigInt(m[1] + frac.slice(0, decimals).padEnd(decimals, "0"));
  if (units > MAX_UNITS) throw new AmountError("amount is too large", "range");
  return units;
}

/** 12500000n with 6 decimals → "12.5" (no trailing zeros; "0" for zero). */
export function formatUnits(units: bigint, decimals: number): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const s = abs.toString().padStart(decimals + 1, "0");
  const int = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, "");
  return `${neg ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

/** Like formatUnits but always with exactly `places` fractional digits (display: "25.00"). */
export function formatUnitsFixed(units: bigint, decimals: number, places: number): string {
  const [i, f = ""] = formatUnits(units, decimals).split(".");
  if (f.length > places) throw new AmountError(`cannot show ${formatUnits(units, decimals)} with ${places} places`, "precision");
  return places === 0 ? i : `${i}.${f.padEnd(places, "0")}`;
}

/** ceil(a * num / den): amounts due round up. */
export function mulDivUp(a: bigint, num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new RangeError("denominator must be positive");
  const p = a * num;
  return p % den === 0n ? p / den : p / den + (p > 0n ? 1n : 0n);
}

/** floor(a * num / den): refunds round down. */
export function mulDivDown(a: bigint, num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new RangeError("denominator must be positive");
  return (a * num) / den;
}

/** `amount` of a `from`-decimals asset in `to`-decimals base units, rounded as asked when scaling down. */
export function rescale(amount: bigint, from: number, to: number, round: "up" | "down"): bigint {
  if (to >= from) return amount * 10n ** BigInt(to - from);
  const f = 10n ** BigInt(from - to);
  const q = amount / f;
  return round === "up" && q * f !== amount ? q + 1n : q;
}
