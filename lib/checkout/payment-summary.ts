// What a checkout's deposits add up to, in the destination token's base units (DOMAIN.md "Money",
// "Checkout state machine"). Pure: evaluate() and the forwarder load the rows, this does the sums.
//
// A deposit counts toward a session when it is not reverted, not late, and either exactly the
// destination token or, for a stablecoin destination, any USD stablecoin (USDC/USDT, EVM or SPL) on an
// enabled chain of the mode, 1:1 with its decimals scaled exactly. A native coin counts only toward
// a checkout for that very coin on that network (destination token = the zero address), or toward
// a session the payer chose to pay in a quoted coin (Bitcoin, Litecoin: checkouts.quote_*) — that
// coin on that network, pro rata: `quoteUnits` of it pay `amountUnits`. Other native deposits are
// recorded and reported as uncounted.
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { networkSpec } from "@/lib/config/networks";
import { isNativeToken } from "@/lib/checkout/native-token";
import { assetSpec, USD_STABLECOINS } from "@/lib/deposits/assets";
import type { DepositRow } from "@/lib/deposits/serialize";

export type SummaryCheckout = Pick<CheckoutRow, "status" | "network" | "tokenAddress" | "tokenSymbol" | "tokenDecimals" | "amountUnits">
  & { kind?: CheckoutRow["kind"] } & Partial<Pick<CheckoutRow, "quoteNetwork" | "quoteAsset" | "quoteUnits">>;
export type SummaryDeposit = Pick<DepositRow, "id" | "network" | "tokenAddress" | "assetCode" | "amount" | "status" | "late">;

export type PaymentSummary<D extends SummaryDeposit = SummaryDeposit> = {
  dueUnits: bigint;
  /** due minus the merchant's tolerance (rounded so the requirement rounds up) */
  thresholdUnits: bigint;
  /** counted deposits, seen or confirmed (rounded down to destination units) */
  paidUnits: bigint;
  confirmedUnits: bigint;
  remainingUnits: bigint;
  /** what remains exactly, as a fraction of destination base units (num / den; 0 when paid in full) */
  remaining: { num: bigint; den: bigint };
  overpaidUnits: bigint;
  /** paid ≥ threshold, compared exactly (before any rounding) */
  sufficient: boolean;
  confirmedSufficient: boolean;
  /** every counted deposit is confirmed */
  allConfirmed: boolean;
  counted: D[];
  /** received in time but not in a countable asset (native coin, another token) */
  uncounted: D[];
  late: D[];
  reverted: D[];
};

/**
 * Whether a token pays a checkout's destination: the destination token itself, or any EVM or
 * Tron (TRC-20) or Solana (SPL) USD stablecoin when the destination is one (not whether the token is configured).
 */
export function tokenCounts(
  checkout: Pick<CheckoutRow, "network" | "tokenAddress" | "tokenSymbol">,
  token: { network: string; address: string; symbol: string },
): boolean {
  if (token.network === checkout.network && token.address.toLowerCase() === checkout.tokenAddress.toLowerCase()) return true;
  // a USD stablecoin on any network we know pays a USD-stablecoin checkout 1:1
  return networkSpec(token.network) !== undefined && USD_STABLECOINS.has(token.symbol) && USD_STABLECOINS.has(checkout.tokenSymbol);
}

/** The destination decimals a deposit counts with, or null when it does not count toward this checkout. */
export function countingDecimals(checkout: SummaryCheckout, d: Pick<SummaryDeposit, "network" | "tokenAddress" | "assetCode">): number | null {
  const spec = assetSpec(d.network, d.assetCode);
  if (!spec) return null;
  if (paysQuote(checkout, d)) return spec.decimals;
  if (d.tokenAddress === null || spec.standard === "native") {
    return d.network === checkout.network && isNativeToken(checkout.tokenAddress) ? spec.decimals : null;
  }
  // a payment is priced in one asset through its quote: only that asset on that network counts
  if (checkout.kind === "payment") {
    return d.network === checkout.network && d.tokenAddress.toLowerCase() === checkout.tokenAddress.toLowerCase() ? spec.decimals : null;
  }
  return tokenCounts(checkout, { network: d.network, address: d.tokenAddress, symbol: spec.asset }) ? spec.decimals : null;
}

/** A deposit of the coin a session's quote is in (its network and asset code): it counts pro rata to the quote. */
export function paysQuote(checkout: SummaryCheckout, d: Pick<SummaryDeposit, "network" | "assetCode">): boolean {
  return checkout.kind !== "payment" && !!checkout.quoteUnits && checkout.quoteUnits > 0n
    && d.network === checkout.quoteNetwork && d.assetCode === checkout.quoteAsset;
}

const BPS = 10_000n;
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

export function summarizePayment<D extends SummaryDeposit>(checkout: SummaryCheckout, toleranceBps: number, rows: readonly D[]): PaymentSummary<D> {
  const destDec = checkout.tokenDecimals;
  const due = checkout.amountUnits;
  const bps = BigInt(Math.max(0, Math.min(10_000, toleranceBps)));
  const threshold = due - (due * bps) / BPS;

  const counted: { d: D; dec: number }[] = [];
  const out = { counted: [] as D[], uncounted: [] as D[], late: [] as D[], reverted: [] as D[] };
  for (const d of rows) {
    if (d.status === "reverted") { out.reverted.push(d); continue; }
    if (d.late) { out.late.push(d); continue; }
    const dec = countingDecimals(checkout, d);
    if (dec === null) { out.uncounted.push(d); continue; }
    counted.push({ d, dec });
    out.counted.push(d);
  }

  // Sum exactly: each deposit is worth amount × num / den destination units (decimals scaled, or
  // pro rata to the quote); sums are kept over the least common denominator, rounded only when reporting.
  const ratio = (c: { d: D; dec: number }): { num: bigint; den: bigint } => {
    if (paysQuote(checkout, c.d)) return { num: due, den: checkout.quoteUnits! };
    return c.dec >= destDec ? { num: 1n, den: 10n ** BigInt(c.dec - destDec) } : { num: 10n ** BigInt(destDec - c.dec), den: 1n };
  };
  const ratios = counted.map(ratio);
  const unit = ratios.reduce((l, r) => (l / gcd(l, r.den)) * r.den, 1n);
  let paid = 0n;
  let confirmed = 0n;
  counted.forEach((c, k) => {
    const v = c.d.amount * ratios[k].num * (unit / ratios[k].den);
    paid += v;
    if (c.d.status === "confirmed") confirmed += v;
  });
  const dueS = due * unit;
  const thresholdS = threshold * unit;
  return {
    dueUnits: due,
    thresholdUnits: threshold,
    paidUnits: paid / unit,
    confirmedUnits: confirmed / unit,
    remainingUnits: paid >= dueS ? 0n : (dueS - paid + unit - 1n) / unit,
    remaining: { num: paid >= dueS ? 0n : dueS - paid, den: unit },
    overpaidUnits: paid > dueS ? (paid - dueS) / unit : 0n,
    sufficient: paid >= thresholdS,
    confirmedSufficient: confirmed >= thresholdS,
    allConfirmed: counted.every((c) => c.d.status === "confirmed"),
    ...out,
  };
}

/**
 * What a session still asks for in its quoted coin (base units): what remains of the amount due,
 * pro rata to the quote, rounded up; the whole quote before anything was paid. 0 without a quote.
 */
export function quoteDue(checkout: SummaryCheckout, s: Pick<PaymentSummary, "remaining">): bigint {
  if (!checkout.quoteUnits || checkout.amountUnits <= 0n) return 0n;
  // exact: ceil(remaining × quoteUnits / amountUnits), from the unrounded remainder (paying it is never an overpayment)
  const den = s.remaining.den * checkout.amountUnits;
  return (s.remaining.num * checkout.quoteUnits + den - 1n) / den;
}

/**
 * Forwarding may start: the checkout is processing, every counted deposit is confirmed and the
 * confirmed total covers the amount due minus the tolerance.
 */
export function isReadyToForward(checkout: Pick<CheckoutRow, "status">, s: PaymentSummary): boolean {
  return checkout.status === "processing" && s.counted.length > 0 && s.allConfirmed && s.confirmedSufficient;
}
