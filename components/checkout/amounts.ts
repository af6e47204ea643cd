// What the payer must send, in the chosen token's base units (the QR's URI comes from the token's family: ./families).
// Stablecoins pay 1:1 in whole units; only the decimals differ between tokens (bsc USDT has 18).
import { formatUnits } from "@/lib/money/units";
import type { PublicSession, TokenChoice } from "./types";

const hasValue = (v: string | undefined): v is string => v !== undefined && /[1-9]/.test(v);

/** Underpaid: a payment was seen but less than due; the payer may top up. */
export function isUnderpaid(s: PublicSession): boolean {
  return s.status === "waiting_payment" && hasValue(s.paidUnits) && hasValue(s.remainingUnits);
}

/** The decimal amount still to send: what remains when underpaid, else the whole amount. */
export function amountDue(s: PublicSession): string {
  return isUnderpaid(s) ? s.remainingUnits! : s.destination.amountUnits;
}

/** "25.5" → base units at `decimals`, rounding up (amounts due round up, DOMAIN.md). */
export function toBaseUnitsCeil(value: string, decimals: number): bigint {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) throw new Error(`not a decimal amount: ${value}`);
  const frac = m[2] ?? "";
  const units = BigInt(m[1] + frac.slice(0, decimals).padEnd(decimals, "0"));
  return /[1-9]/.test(frac.slice(decimals)) ? units + 1n : units;
}

export type Due = { units: bigint; decimal: string };

/** The session's quote in `choice`'s coin (a session paid in BTC or LTC at a quoted price), if that is what it was quoted in. */
export function quoteFor(s: PublicSession, choice: TokenChoice) {
  const q = s.paymentMethod?.quote;
  return q && q.network === choice.network && q.asset === choice.symbol ? q : null;
}

/**
 * What to send in `choice`'s token: base units and the same amount as a decimal string. A coin the
 * session was quoted in: what remains of the quote (a quoted choice without its quote yet has no amount: see checkout-view).
 */
export function dueIn(s: PublicSession, choice: TokenChoice): Due {
  const q = quoteFor(s, choice);
  const units = toBaseUnitsCeil(q ? q.remainingUnits : amountDue(s), choice.decimals);
  return { units, decimal: formatUnits(units, choice.decimals) };
}

export function shortHash(h: string): string {
  return h.length > 18 ? `${h.slice(0, 10)}…${h.slice(-8)}` : h;
}
