// The one amount formatter for what people read (dashboard, hosted checkout, receipts, CSV aside):
// locale grouping ("1,234,567.89", "1.234.567,89"), at least two fractional digits, trailing zeros
// trimmed to that minimum, at most the asset's display decimals (cut, never rounded up; the full
// amount is formatAmountFull's, for a hover), and the asset's display name ("USDC", "USDC.e",
// never the internal code eUSDC / wpUSDT). Exact: digits are strings and BigInts, never floats.
// Pure (no config, no database): safe in client components.
import { networkSpec } from "@/lib/config/networks";
import { formatUnits } from "./units";

/** Most fractional digits shown for an asset: 18-decimal coins show 8 (the rest is dust; formatAmountFull keeps it). */
export const MAX_DISPLAY_DECIMALS = 8;

export type FormatOptions = {
  /** BCP 47 locale for grouping and the decimal separator (default en-US) */
  locale?: string;
  /** fractional digits always shown (default 2; 0 for a whole-number asset) */
  minDecimals?: number;
  /** fractional digits shown at most (default: all of them); the rest is cut, not rounded */
  maxDecimals?: number;
};

const separators = new Map<string, { group: Intl.NumberFormat; decimal: string }>();
function localeParts(locale: string) {
  let s = separators.get(locale);
  if (!s) {
    let nf: Intl.NumberFormat;
    try { nf = new Intl.NumberFormat(locale, { useGrouping: true }); } catch { nf = new Intl.NumberFormat("en-US", { useGrouping: true }); }
    s = { group: nf, decimal: nf.formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? "." };
    separators.set(locale, s);
  }
  return s;
}

/** A decimal string ("1234567.891200") for display ("1,234,567.8912"); text that is not a decimal comes back as is. */
export function formatDecimal(value: string, opts: FormatOptions = {}): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  const [, sign, int, frac = ""] = m;
  const min = Math.max(0, opts.minDecimals ?? 2);
  const max = Math.max(min, opts.maxDecimals ?? Number.MAX_SAFE_INTEGER);
  const { group, decimal } = localeParts(opts.locale ?? "en-US");
  const digits = frac.slice(0, max).replace(/0+$/, "").padEnd(min, "0");
  const grouped = group.format(BigInt(int));
  const isZero = /^0*$/.test(int) && /^0*$/.test(digits);
  return `${sign && !isZero ? "-" : ""}${grouped}${digits ? `${decimal}${digits}` : ""}`;
}

/** What an amount is of: an asset on a network by its currency code, or decimals and a symbol given. */
export type AssetRef = { network: string; code: string } | { decimals: number; symbol: string };

export type AssetDisplay = { symbol: string; decimals: number; displayDecimals: number };

/** The display facts of an asset: "USDC" for eUSDC, "USDC.e" for Polygon's bridged USDC, its decimals. */
export function assetDisplay(ref: AssetRef): AssetDisplay {
  if ("decimals" in ref) return { symbol: ref.symbol, decimals: ref.decimals, displayDecimals: Math.min(ref.decimals, MAX_DISPLAY_DECIMALS) };
  const a = networkSpec(ref.network)?.assets.find((x) => x.code === ref.code);
  if (!a) return { symbol: ref.code, decimals: 0, displayDecimals: 0 };
  return { symbol: a.testKey === "USDC_E" ? `${a.asset}.e` : a.asset, decimals: a.decimals, displayDecimals: Math.min(a.decimals, MAX_DISPLAY_DECIMALS) };
}

export type AmountOptions = { locale?: string; symbol?: boolean; minDecimals?: number };

/** Base units of an asset for display: "1,234,567.89 USDC" (with `symbol`), "0.00000001" for one wei-ish dust cut to 8. */
export function formatAmount(units: bigint, asset: AssetRef, opts: AmountOptions = {}): string {
  const a = assetDisplay(asset);
  const text = formatDecimal(formatUnits(units, a.decimals), { locale: opts.locale, minDecimals: Math.min(opts.minDecimals ?? 2, a.decimals), maxDecimals: a.displayDecimals });
  return opts.symbol ? `${text} ${a.symbol}` : text;
}

/** Every digit (for a title on hover, or where the exact amount matters: what a payer must send). */
export function formatAmountFull(units: bigint, asset: AssetRef, opts: AmountOptions = {}): string {
  const a = assetDisplay(asset);
  const text = formatDecimal(formatUnits(units, a.decimals), { locale: opts.locale, minDecimals: Math.min(opts.minDecimals ?? 2, a.decimals) });
  return opts.symbol ? `${text} ${a.symbol}` : text;
}
