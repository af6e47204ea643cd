// seed 002 `currency_to`: a deposit to an address that names one is valued in that currency when it
// is confirmed, at the rate the provider (lib/rates) gives then; the quote and the value are stored
// with the deposit (deposit_valuations) and carried in its deposit.confirmed event. A valuation
// only: no exchange takes place, the deposit is credited in its own asset. A price that cannot be
// had leaves the deposit unvalued (logged) — a deposit is never held back for a price.
import { inArray } from "drizzle-orm";
import { depositAddresses, depositValuations } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { NETWORKS } from "@/lib/config/networks";
import { DISPLAY_CURRENCIES } from "@/lib/payments/currencies";
import type { Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { formatUnits, mulDivDown } from "@/lib/money/units";
import { PEGS, quoteNow, RateUnavailableError } from "@/lib/rates";
import { parseRate } from "@/lib/rates/decimal";
import { assetSpec } from "./assets";
import type { DepositRow } from "./serialize";

export type Valuation = {
  /** the address's currency_to, as given */
  currency: string;
  /** the deposit's value in `currency`, decimal text, rounded down */
  amount: string;
  /** `quote` units per one whole unit of the deposit's asset */
  rate: string;
  quote: string;
  source: string;
  /** unix seconds the price was fetched */
  quotedAt: number;
};

/** seed 002 currency_to: an asset ticker this instance knows (any network) or a display currency; a 400 otherwise. */
export function valuationCurrency(text: string): string {
  const t = text.trim();
  const upper = t.toUpperCase();
  const known = NETWORKS.some((n) => n.assets.some((a) => a.asset === upper)) || (DISPLAY_CURRENCIES as readonly string[]).includes(upper);
  if (!known) throw errors.validation(`Unknown currency_to '${t}': use an asset such as usdt or usdc, or a fiat currency such as eur.`, "currency_to", "currency_unknown");
  return t;
}

/** Decimals a valuation in `ticker` is given with: the asset's own, or 2 for a fiat currency. */
function decimalsOf(ticker: string): number {
  let d: number | undefined;
  for (const n of NETWORKS) for (const a of n.assets) if (a.asset === ticker) d = Math.min(d ?? a.decimals, a.decimals);
  return d ?? 2;
}

/** `amount` base units (with `decimals`) at `rate`, in `targetDecimals` places, rounded down. */
export function valueAt(amount: bigint, decimals: number, rate: string, targetDecimals: number): string {
  const r = parseRate(rate);
  const v = mulDivDown(amount * r.digits, 10n ** BigInt(targetDecimals), 10n ** BigInt(decimals + r.scale));
  return formatUnits(v, targetDecimals);
}

/** The price of one `base` in `currencyTo`: 1 for the same asset; a stablecoin target is priced in the currency it is pegged to. */
async function priceIn(base: string, currencyTo: string) {
  const target = currencyTo.toUpperCase();
  if (base === target) return { quote: target, rate: "1", source: "same", fetchedAt: new Date() };
  if (PEGS[base] !== undefined && PEGS[base] === PEGS[target]) return { quote: target, rate: "1", source: "peg", fetchedAt: new Date() };
  const q = await quoteNow(base, PEGS[target] ?? target);
  return { quote: q.quote, rate: q.rate, source: q.source, fetchedAt: q.fetchedAt };
}

/**
 * Values the confirmed deposits that went to an address with currency_to and stores the quotes;
 * returns the valuations by deposit id (the stored one when a deposit was valued before).
 */
export async function valueConfirmedDeposits(tx: Tx, confirmed: readonly DepositRow[]): Promise<Map<string, Valuation>> {
  const out = new Map<string, Valuation>();
  const candidates = confirmed.filter((d) => d.checkoutId === null);
  if (candidates.length === 0) return out;
  const targets = await tx.select({ receiverId: depositAddresses.receiverId, currencyTo: depositAddresses.currencyTo })
    .from(depositAddresses).where(inArray(depositAddresses.receiverId, candidates.map((d) => d.receiverId)));
  const currencyToOf = new Map(targets.filter((t) => t.currencyTo).map((t) => [t.receiverId, t.currencyTo!]));
  for (const d of candidates) {
    const currencyTo = currencyToOf.get(d.receiverId);
    const spec = assetSpec(d.network, d.assetCode);
    if (!currencyTo || !spec) continue;
    let price;
    try {
      price = await priceIn(spec.asset, currencyTo);
    } catch (e) {
      // whatever went wrong asking for a price, the confirmation goes ahead without a valuation
      if (e instanceof RateUnavailableError) logger.warn({ depositId: d.id, pair: `${e.base}/${e.quote}`, reason: e.message }, "deposit confirmed without a currency_to valuation: no price");
      else logger.error({ depositId: d.id, err: e instanceof Error ? e.message : String(e) }, "deposit confirmed without a currency_to valuation: pricing failed");
      continue;
    }
    const v: Valuation = {
      currency: currencyTo, amount: valueAt(d.amount, spec.decimals, price.rate, decimalsOf(currencyTo.toUpperCase())),
      rate: price.rate, quote: price.quote, source: price.source, quotedAt: Math.floor(price.fetchedAt.getTime() / 1000),
    };
    const [stored] = await tx.insert(depositValuations).values({
      depositId: d.id, base: spec.asset, currency: v.currency, quote: v.quote, rate: v.rate, source: v.source, fetchedAt: price.fetchedAt, amount: v.amount,
    }).onConflictDoNothing().returning();
    if (stored) out.set(d.id, v);
    else {
      const [first] = await tx.select().from(depositValuations).where(inArray(depositValuations.depositId, [d.id]));
      out.set(d.id, {
        currency: first.currency, amount: first.amount, rate: first.rate, quote: first.quote, source: first.source,
        quotedAt: Math.floor(first.fetchedAt.getTime() / 1000),
      });
    }
  }
  return out;
}
