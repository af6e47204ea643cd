// PATCH /v1/payments/{paymentId} (seed 004 "Submit crypto payment"): choose the deposit currency.
// The quote is fetched first, outside any transaction; then, in one transaction, the quote is
// stored, the checkout (same id) is created with a receiver and moved to waiting_payment
// (PENDING), and payment.pending is written. A provider that cannot quote → api_error, nothing
// written.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { checkouts, merchants, payments, rateQuotes, settlementAddresses } from "@/db/schema";
import { ApiError, errors } from "@/lib/api/errors";
import { familyOf } from "@/lib/chains/registry";
import { chooseMethod } from "@/lib/checkout/evaluate";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { quoteNow, RateUnavailableError, type Quote } from "@/lib/rates";
import { depositUnitsFor } from "@/lib/rates/decimal";
import { allocateReceiver, watchUntilFor } from "@/lib/receivers/allocate";
import { displayCents } from "./create";
import { resolveDeposit, type DepositCurrency, type DisplayCurrency, type PaymentNetwork } from "./currencies";
import { isPaymentId, loadPaymentById, type LoadedPayment, type Scope } from "./load";

export type SubmitPaymentInput = {
  depositCurrency: DepositCurrency;
  network?: PaymentNetwork;
  displayCurrency?: DisplayCurrency;
  displayAmount?: string;
};

/** Seconds a client is told to wait when the rate provider is down (Retry-After). */
export const RATE_RETRY_AFTER_SECONDS = 30;

/**
 * A pair the provider does not price → 400 naming the pair (retrying will not help); a provider
 * that is down → 503 with Retry-After. Nothing is written either way.
 */
export function rateError(e: RateUnavailableError): ApiError {
  if (e.kind === "unknown_pair") {
    return new ApiError("validation_error", "rate_pair_unsupported",
      `No ${e.base}/${e.quote} price exists at this instance's rate provider (${e.message}); choose another displayCurrency or depositCurrency.`, "displayCurrency", 400);
  }
  return new ApiError("api_error", "rate_unavailable",
    `No ${e.base}/${e.quote} price is available right now (${e.message}). Nothing was changed; retry later.`, null, 503,
    { "Retry-After": String(RATE_RETRY_AFTER_SECONDS) });
}

export async function submitPayment(scope: Scope, id: string, input: SubmitPaymentInput): Promise<LoadedPayment> {
  if (!isPaymentId(id)) throw errors.notFound("payment", "paymentId");
  const [current] = await db().select().from(payments)
    .where(and(eq(payments.id, id), eq(payments.merchantId, scope.merchantId), eq(payments.livemode, scope.livemode)));
  if (!current) throw errors.notFound("payment", "paymentId");

  // parameters before state: a bad currency is a 400 whatever the payment's status
  const target = resolveDeposit(scope.livemode, input.depositCurrency, input.network);
  if (current.displayCurrency && input.displayCurrency && input.displayCurrency !== current.displayCurrency) {
    throw errors.validation(`This payment is priced in ${current.displayCurrency}; displayCurrency cannot change.`, "displayCurrency", "display_currency_fixed");
  }
  const currency = current.displayCurrency ?? input.displayCurrency;
  if (!currency) throw errors.validation("displayCurrency is required: the payment was created without one.", "displayCurrency", "parameter_missing");
  if (current.displayAmountCents !== null && input.displayAmount !== undefined
    && displayCents(input.displayAmount, "displayAmount") !== current.displayAmountCents) {
    throw errors.validation("This payment already has a displayAmount; it cannot change.", "displayAmount", "display_amount_fixed");
  }
  const cents = current.displayAmountCents ?? (input.displayAmount !== undefined ? displayCents(input.displayAmount, "displayAmount") : null);
  if (cents === null) throw errors.validation("displayAmount is required: the payment was created without one.", "displayAmount", "parameter_missing");
  assertSubmittable(current.stage, current.expiresAt);

  const [settlement] = await db().select({ address: settlementAddresses.address }).from(settlementAddresses).where(and(
    eq(settlementAddresses.merchantId, scope.merchantId), eq(settlementAddresses.network, target.chain.network), eq(settlementAddresses.livemode, scope.livemode)));
  if (!settlement) {
    throw errors.unprocessable(`No settlement address for ${target.chain.network} in ${scope.livemode ? "live" : "test"} mode: add one in the dashboard's Settings to accept ${target.asset.symbol} there.`,
      "settlement_address_missing", "network");
  }

  let quote: Quote;
  try {
    quote = await quoteNow(target.asset.symbol, currency);
  } catch (e) {
    if (e instanceof RateUnavailableError) {
      logger.warn({ paymentId: id, source: e.source, pair: `${e.base}/${e.quote}`, reason: e.message }, "rate unavailable at submission");
      throw rateError(e);
    }
    throw e;
  }
  const amount = depositUnitsFor(cents, quote.rate, target.asset.decimals);

  return db().transaction(async (tx) => {
    const [locked] = await tx.select().from(payments).where(eq(payments.id, id)).for("update");
    assertSubmittable(locked.stage, locked.expiresAt);
    // FIXED locks the quote for the payment's lifetime; FLOATING's is indicative until the deposit
    const expiresAt = locked.rateType === "FIXED" ? locked.expiresAt : quote.expiresAt;
    const [q] = await tx.insert(rateQuotes).values({
      paymentId: id, purpose: "submit", base: quote.base, quote: quote.quote, rate: quote.rate, source: quote.source,
      fetchedAt: quote.fetchedAt, expiresAt,
    }).returning();
    const [merchant] = await tx.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, scope.merchantId));
    const [checkout] = await tx.insert(checkouts).values({
      id, merchantId: scope.merchantId, livemode: scope.livemode, kind: "payment", status: "requires_payment_method",
      network: target.chain.network, chainId: target.chain.chainId, tokenAddress: target.asset.address,
      tokenSymbol: target.asset.symbol, tokenDecimals: target.asset.decimals, amountUnits: amount,
      destinationAddress: settlement.address, displayTitle: locked.title ?? merchant.name, displayVerb: "Pay",
      clientSecret: randomUUID(), successUrl: locked.redirectUrl, expiresAt: locked.expiresAt,
    }).returning();
    // a reusable payment's address stays open; a one-time one is watched through its monitoring window
    const receiver = await allocateReceiver(tx, {
      merchantId: scope.merchantId, livemode: scope.livemode, family: familyOf(target.chain).id, checkoutId: id, chainKey: target.chain.key,
      watchUntil: locked.type === "REUSABLE" ? null : watchUntilFor(checkout.expiresAt),
    });
    await tx.update(payments).set({
      stage: "submitted", checkoutId: id, displayCurrency: currency, displayAmountCents: cents,
      depositCurrency: target.asset.symbol, expectedNetwork: target.network, submitQuoteId: q.id,
      requestedAt: sql`now()`, updatedAt: sql`now()`,
    }).where(eq(payments.id, id));
    // the decider moves it to waiting_payment (PENDING) and emits payment.pending
    await chooseMethod(tx, checkout, {
      paymentMethodType: familyOf(target.chain).id, paymentMethodChainId: target.chain.chainId, paymentMethodTokenAddress: target.asset.address,
      paymentMethodReceiverAddress: receiver.address, paymentMethodChosenAt: new Date(),
    });
    return (await loadPaymentById(id, tx))!;
  });
}

function assertSubmittable(stage: string, expiresAt: Date): void {
  if (stage === "submitted") throw errors.conflict("A deposit currency was already submitted for this payment.", "payment_already_submitted");
  if (stage === "blocked") throw errors.conflict("This payment is blocked.", "payment_blocked");
  if (stage === "expired" || expiresAt.getTime() <= Date.now()) throw errors.conflict("This payment has expired.", "payment_expired");
}
