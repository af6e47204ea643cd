// FLOATING payments re-price when their first deposit arrives (issue 7): a new quote, stored
// next to the submission's, and the amount due recomputed from the display amount. Called by
// evaluateCheckout inside the watcher's transaction, which must not wait on HTTP (issue 15: no
// RPC or HTTP call inside a database transaction). So the quote comes from a process cache that
// the worker keeps warm (warmRepriceQuotes, for every pair an open FLOATING payment may need);
// on a miss the fetch starts outside the transaction and RepriceNotReadyError rolls the
// transaction back, and the caller (the watcher's next tick) records the deposit again with the
// quote in hand. When the provider cannot quote, the submission's quote stands (logged), so a
// deposit is never held up by a price feed for more than one retry.
import { eq, sql } from "drizzle-orm";
import { checkouts, payments, rateQuotes } from "@/db/schema";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { quoteNow, type Quote } from "@/lib/rates";
import { depositUnitsFor } from "@/lib/rates/decimal";

/** The deposit-time quote is being fetched outside the transaction: retry the transaction shortly. */
export class RepriceNotReadyError extends Error {
  constructor(pair: string) {
    super(`the deposit-time quote for ${pair} is being fetched; retrying`);
  }
}

type Entry = { quote: Quote } | { unavailable: string; at: number } | { pending: Promise<void> };
const cache = new Map<string, Entry>();
const key = (base: string, quote: string) => `${base}/${quote}`;

/** Fetches (outside any transaction) and caches the quote for a pair. */
async function fetchQuote(base: string, quote: string): Promise<void> {
  const k = key(base, quote);
  const running = cache.get(k);
  if (running && "pending" in running) return running.pending;
  const pending = (async () => {
    try {
      cache.set(k, { quote: await quoteNow(base, quote) });
    } catch (e) {
      cache.set(k, { unavailable: e instanceof Error ? e.message : String(e), at: Date.now() });
    }
  })();
  cache.set(k, { pending });
  return pending;
}

/** A usable cached quote: fresh for at most half its validity, so the stored one is never stale. */
function cached(base: string, quote: string): Entry | undefined {
  const e = cache.get(key(base, quote));
  if (!e) return undefined;
  if ("quote" in e) {
    const half = (e.quote.expiresAt.getTime() - e.quote.fetchedAt.getTime()) / 2;
    return Date.now() - e.quote.fetchedAt.getTime() <= half ? e : undefined;
  }
  if ("unavailable" in e) return Date.now() - e.at <= config().rates.timeoutMs * 5 ? e : undefined;
  return e;
}

/**
 * The worker's loop: keeps a fresh quote for every (asset, display currency) pair that an open
 * FLOATING payment without a deposit quote may need. Runs outside any transaction.
 */
export async function warmRepriceQuotes(): Promise<void> {
  const { rows } = await db().execute<{ base: string; quote: string }>(sql`
    select distinct c.token_symbol as base, p.display_currency as quote
    from payments p join checkouts c on c.id = p.id
    where p.rate_type = 'FLOATING' and p.deposit_quote_id is null and p.display_currency is not null
      and c.status = 'waiting_payment'`);
  await Promise.all(rows.map(async (r) => {
    const e = cached(r.base, r.quote);
    if (!e || "unavailable" in e) await fetchQuote(r.base, r.quote);
  }));
}

export async function repriceOnDeposit(tx: Tx, checkout: CheckoutRow): Promise<CheckoutRow> {
  const [p] = await tx.select().from(payments).where(eq(payments.id, checkout.id));
  if (!p || p.rateType !== "FLOATING" || p.depositQuoteId || !p.displayCurrency || p.displayAmountCents === null) return checkout;
  const entry = cached(checkout.tokenSymbol, p.displayCurrency);
  if (!entry || "pending" in entry) {
    void fetchQuote(checkout.tokenSymbol, p.displayCurrency); // not awaited: this transaction must not wait on HTTP
    throw new RepriceNotReadyError(key(checkout.tokenSymbol, p.displayCurrency));
  }
  if ("unavailable" in entry) {
    logger.warn({ paymentId: p.id, reason: entry.unavailable }, "FLOATING re-price failed at deposit; the submission quote stands");
    return checkout;
  }
  const quote = entry.quote;
  const [q] = await tx.insert(rateQuotes).values({
    paymentId: p.id, purpose: "deposit", base: quote.base, quote: quote.quote, rate: quote.rate, source: quote.source,
    fetchedAt: quote.fetchedAt, expiresAt: quote.expiresAt,
  }).returning();
  await tx.update(payments).set({ depositQuoteId: q.id, updatedAt: sql`now()` }).where(eq(payments.id, p.id));
  const amount = depositUnitsFor(p.displayAmountCents, quote.rate, checkout.tokenDecimals);
  const [row] = await tx.update(checkouts).set({ amountUnits: amount, updatedAt: sql`now()` }).where(eq(checkouts.id, checkout.id)).returning();
  logger.info({ paymentId: p.id, rate: quote.rate, source: quote.source, amountUnits: amount.toString() }, "FLOATING payment re-priced at deposit");
  return row;
}
