// FLOATING payments re-price when their first deposit arrives (issue 7): a new quote, stored
// next to the submission's, and the amount due recomputed from the display amount. Called by
// evaluateCheckout inside the watcher's transaction. When the provider cannot quote then, the
// submission's quote stands (logged), so a deposit is never held up by a price feed.
import { eq, sql } from "drizzle-orm";
import { checkouts, payments, rateQuotes } from "@/db/schema";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import type { Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { quoteNow, RateUnavailableError } from "@/lib/rates";
import { depositUnitsFor } from "@/lib/rates/decimal";

export async function repriceOnDeposit(tx: Tx, checkout: CheckoutRow): Promise<CheckoutRow> {
  const [p] = await tx.select().from(payments).where(eq(payments.id, checkout.id));
  if (!p || p.rateType !== "FLOATING" || p.depositQuoteId || !p.displayCurrency || p.displayAmountCents === null) return checkout;
  let quote;
  try {
    quote = await quoteNow(checkout.tokenSymbol, p.displayCurrency);
  } catch (e) {
    if (!(e instanceof RateUnavailableError)) throw e;
    logger.warn({ paymentId: p.id, reason: e.message }, "FLOATING re-price failed at deposit; the submission quote stands");
    return checkout;
  }
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
