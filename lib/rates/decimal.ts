// Exact arithmetic for prices (DOMAIN.md "Money"): a rate is a decimal string (display-currency
// units per one whole asset unit) read as an integer and a power of ten, never a float. Amounts
// due round up, amounts credited round down.
import { mulDivDown, mulDivUp } from "@/lib/money/units";

/** Display amounts carry two decimals for every display currency (seed 004 shows "50.00"). */
export const DISPLAY_DECIMALS = 2;

export type Rate = { digits: bigint; scale: number };

/** "3012.5", "0.91", "1.2e-5" → a canonical plain decimal ("0.000012"); throws on anything else or ≤ 0. */
export function normalizeRate(text: string): string {
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a decimal price`);
  const frac = m[2] ?? "";
  const exp = Number(m[3] ?? 0) - frac.length;
  let digits = (m[1] + frac).replace(/^0+(?=\d)/, "");
  let out: string;
  if (exp >= 0) out = digits + "0".repeat(exp);
  else {
    const point = -exp;
    digits = digits.padStart(point + 1, "0");
    out = `${digits.slice(0, digits.length - point)}.${digits.slice(digits.length - point)}`;
  }
  out = out.includes(".") ? out.replace(/0+$/, "").replace(/\.$/, "") : out;
  out = out.replace(/^0+(?=\d)/, "");
  if (!/[1-9]/.test(out)) throw new Error(`price "${text}" is not positive`);
  return out;
}

export function parseRate(text: string): Rate {
  const [i, f = ""] = normalizeRate(text).split(".");
  return { digits: BigInt(i + f), scale: f.length };
}

/** Base units of the asset (with `decimals`) that are worth at least `cents` of the display currency. */
export function depositUnitsFor(cents: bigint, rate: string, decimals: number): bigint {
  const r = parseRate(rate);
  // units = cents/10^2 / (digits/10^scale) · 10^decimals
  return mulDivUp(cents * 10n ** BigInt(decimals), 10n ** BigInt(r.scale), r.digits * 10n ** BigInt(DISPLAY_DECIMALS));
}

/** Cents of the display currency that `units` of the asset are worth (rounded down). */
export function displayCentsFor(units: bigint, rate: string, decimals: number): bigint {
  const r = parseRate(rate);
  return mulDivDown(units * r.digits, 10n ** BigInt(DISPLAY_DECIMALS), 10n ** BigInt(decimals + r.scale));
}

/**
 * Base units of an asset (`decimals`) that `amount` base units of a priced amount (`amountDecimals`,
 * e.g. a USD stablecoin's 6) buy at `rate` (price of one whole asset), rounded up: amounts due round up.
 */
export function assetUnitsFor(amount: bigint, amountDecimals: number, rate: string, decimals: number): bigint {
  const r = parseRate(rate);
  // units = amount/10^amountDecimals / (digits/10^scale) · 10^decimals
  return mulDivUp(amount * 10n ** BigInt(decimals), 10n ** BigInt(r.scale), r.digits * 10n ** BigInt(amountDecimals));
}
