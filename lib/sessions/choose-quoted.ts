// A session paid in another coin at a quoted price (API.md §1 paymentMethods `{type: "bitcoin",
// network}`; ChainFamily.quotedSessions: Bitcoin and Litecoin). The session is priced in a USD
// stablecoin; the payer picks a network of the family, and the server quotes the amount in that
// network's native coin from the rate provider — the same provider and decimal rules as a seed-004
// payment priced in a display currency (lib/payments/submit) — and stores the quote on the checkout
// (DOMAIN.md "Money": every amount can be explained). The quote holds for the session's life (a
// fixed rate, like a FIXED payment's): `quote_units` of the coin pay `amount_units`, and a deposit
// of the coin counts pro rata (lib/checkout/payment-summary), so the merchant's tolerance and the
// underpaid / overpaid / late rules apply unchanged. The session gets a receiver of its own on that
// network (BIP84 from the xpub, like a payment's), forwarded to the merchant's settlement address
// there once confirmed (the family's custodialCheckouts pass).
//
// Choosing the same network again keeps the quote and the receiver (what remains is asked for);
// another network of the family is quoted afresh, unless a payment in the quoted coin was already
// seen (409: it counts only at its own quote). Switching to another method keeps the quote, so a
// payment already sent in the coin still counts. The quote is fetched before the transaction (no
// HTTP inside it); a provider that cannot quote → 400/503 with nothing written.
import { and, eq, ne } from "drizzle-orm";
import { deposits, settlementAddresses } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { chooseMethod, paymentState } from "@/lib/checkout/evaluate";
import { quoteDue } from "@/lib/checkout/payment-summary";
import { formatUnits } from "@/lib/money/units";
import { retryOnConflict, type CheckoutRow } from "@/lib/checkout/state-machine";
import { chainFamily, chainsOfFamily, type FamilyId } from "@/lib/chains/registry";
import { networkSpec } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import type { Executor } from "@/lib/events/emit";
import { USD_STABLECOINS } from "@/lib/deposits/assets";
import { logger } from "@/lib/log/logger";
import { RATE_RETRY_AFTER_SECONDS } from "@/lib/payments/submit";
import { ApiError } from "@/lib/api/errors";
import { PEGS, quoteNow, RateUnavailableError, type Quote } from "@/lib/rates";
import { assetUnitsFor } from "@/lib/rates/decimal";
import { allocateReceiver, watchUntilFor, type ReceiverRow } from "@/lib/receivers/allocate";
import { receivers } from "@/db/schema";
import { isSessionId, type Scope } from "./get-session";
import { lockSession, notPayable, type ChosenPaymentMethod, type ReceiverMethod } from "./choose-payment-method";
import { takePaymentMethodChange } from "./payment-method-caps";

/** Whether a family's sessions take `{type: <family>, network}` at a quoted price. */
export function takesQuotedSessions(type: string): boolean {
  return chainFamily(type).quotedSessions === true;
}

/** The session's receiver of `family` on `network` (an address valid there), if it has one. */
async function receiverOn(exec: Executor, checkoutId: string, family: FamilyId, network: string): Promise<ReceiverRow | null> {
  const rows = await exec.select().from(receivers).where(and(eq(receivers.checkoutId, checkoutId), eq(receivers.family, family)))
    .orderBy(receivers.createdAt, receivers.derivationIndex);
  const f = chainFamily(family);
  return rows.find((r) => f.addresses.problem(r.address, network) === null) ?? null;
}

/** Parameters and what can be checked before the quote: the chain, its coin, the session payable, a settlement address there. */
async function precheck(scope: Scope, id: string, type: FamilyId, network: string) {
  const family = chainFamily(type);
  const chains = chainsOfFamily(type, scope.livemode);
  const chain = chains.find((c) => c.network === network);
  if (!chain) {
    const known = chains.map((c) => c.network).join(", ") || "none";
    throw errors.validation(`Network "${network}" is not an enabled ${family.displayName} network in ${scope.livemode ? "live" : "test"} mode. Enabled: ${known}.`,
      "paymentMethod.network", "network_not_supported");
  }
  const coin = networkSpec(chain.network)?.assets.find((a) => a.contract === null && a.code in chain.assets);
  if (!coin) throw errors.validation(`${chain.network} has no native coin enabled on this instance.`, "paymentMethod.network", "network_not_supported");
  if (!isSessionId(id)) throw errors.notFound("session", "id");
  const found = await db().transaction((tx) => lockSession(tx, scope, id));
  if (!found) throw errors.notFound("session", "id");
  const { row, pastExpiry } = found;
  const currency = PEGS[row.tokenSymbol];
  if (!USD_STABLECOINS.has(row.tokenSymbol) || !currency) {
    throw errors.validation(`This session is paid in ${row.tokenSymbol}; ${family.displayName} pays only USD-stablecoin sessions (USDT and USDC) at a quoted price. Use type "evm".`,
      "paymentMethod.type", "payment_method_not_supported");
  }
  if (pastExpiry || (row.status !== "requires_payment_method" && row.status !== "waiting_payment")) throw notPayable(row, pastExpiry);
  const [settlement] = await db().select({ address: settlementAddresses.address }).from(settlementAddresses).where(and(
    eq(settlementAddresses.merchantId, row.merchantId), eq(settlementAddresses.network, chain.network), eq(settlementAddresses.livemode, row.livemode)));
  if (!settlement) {
    throw errors.unprocessable(`The merchant has no ${networkSpec(chain.network)?.displayName ?? chain.network} settlement address for ${row.livemode ? "live" : "test"} mode, so ${coin.asset} cannot pay this session. Use type "evm".`,
      "settlement_address_missing", "paymentMethod.network");
  }
  return { family, chain, coin, row, currency };
}

/** The session's quote still holds for this coin (chosen before, not past its expiry). */
function quoteHolds(row: CheckoutRow, network: string, asset: string): boolean {
  return row.quoteNetwork === network && row.quoteAsset === asset && row.quoteUnits !== null
    && row.quoteExpiresAt !== null && row.quoteExpiresAt.getTime() > Date.now();
}

export async function chooseQuoted(scope: Scope, id: string, type: FamilyId, network: string): Promise<ChosenPaymentMethod> {
  const { family, chain, coin, row: before, currency } = await precheck(scope, id, type, network);
  let quote: Quote | null = null;
  if (!quoteHolds(before, chain.network, coin.code)) {
    try {
      quote = await quoteNow(coin.asset, currency);
    } catch (e) {
      if (e instanceof RateUnavailableError) {
        logger.warn({ sessionId: id, source: e.source, pair: `${e.base}/${e.quote}`, reason: e.message }, "rate unavailable at a quoted session's choice");
        throw rateError(e);
      }
      throw e;
    }
  }
  return retryOnConflict(() => db().transaction(async (tx) => {
    const found = await lockSession(tx, scope, id);
    if (!found) throw errors.notFound("session", "id");
    const { row, pastExpiry } = found;
    if (pastExpiry || (row.status !== "requires_payment_method" && row.status !== "waiting_payment")) throw notPayable(row, pastExpiry);
    const keep = quoteHolds(row, chain.network, coin.code);
    if (!keep && row.quoteNetwork && row.quoteAsset) {
      // a payment in the quoted coin counts only at its own quote: never re-price under it
      const [paid] = await tx.select({ id: deposits.id }).from(deposits).where(and(eq(deposits.checkoutId, row.id),
        eq(deposits.network, row.quoteNetwork), eq(deposits.assetCode, row.quoteAsset), ne(deposits.status, "reverted"))).limit(1);
      if (paid) {
        throw errors.conflict(`A payment in ${row.quoteAsset} was already received at this session's quote; pay the rest in ${row.quoteAsset} or with another method.`,
          "quote_in_use", "paymentMethod.network");
      }
    }
    if (!keep && !quote) throw new QuoteMoved(); // the quote expired meanwhile: fetch one again
    takePaymentMethodChange(row.id);
    const receiver = await receiverOn(tx, row.id, family.id, chain.network) ?? await allocateReceiver(tx, {
      merchantId: row.merchantId, livemode: row.livemode, family: family.id, checkoutId: row.id, chainKey: chain.key, watchUntil: watchUntilFor(row.expiresAt),
    });
    const quoted = keep ? {} : {
      quoteNetwork: chain.network, quoteAsset: coin.code, quoteUnits: assetUnitsFor(row.amountUnits, row.tokenDecimals, quote!.rate, coin.decimals),
      quoteRate: quote!.rate, quoteCurrency: quote!.quote, quoteSource: quote!.source, quoteFetchedAt: quote!.fetchedAt,
      // a fixed rate for the session's life (its amount never changes, nor does its window)
      quoteExpiresAt: row.expiresAt,
    };
    const session = await chooseMethod(tx, row, {
      ...quoted,
      paymentMethodType: family.id,
      paymentMethodChainId: null,
      paymentMethodTokenAddress: null,
      paymentMethodReceiverAddress: receiver.address,
      paymentMethodChosenAt: new Date(),
    });
    const due = (await paymentState(session.id, { exec: tx }))!;
    const units = quoteDue(session, due.summary);
    const prompt = { network: chain.network, asset: coin.asset, amountUnits: formatUnits(units, coin.decimals),
      uri: family.promptUri({ receiver: receiver.address, token: null, decimals: coin.decimals, units, label: session.displayTitle }) };
    return { session, receiver: { type: family.id as ReceiverMethod, receiverAddress: receiver.address, expiresAt: session.expiresAt, quote: prompt } };
  })).catch((e) => {
    if (e instanceof QuoteMoved) return chooseQuoted(scope, id, type, network);
    throw e;
  });
}

class QuoteMoved extends Error {}

/** A pair the provider does not price → 400 (retrying will not help); a provider that is down → 503 with Retry-After. */
function rateError(e: RateUnavailableError): ApiError {
  if (e.kind === "unknown_pair") {
    return new ApiError("validation_error", "rate_pair_unsupported",
      `No ${e.base}/${e.quote} price exists at this instance's rate provider (${e.message}); choose another payment method.`, "paymentMethod.network", 400);
  }
  return new ApiError("api_error", "rate_unavailable",
    `No ${e.base}/${e.quote} price is available right now (${e.message}). Nothing was changed; retry later or choose another payment method.`, null, 503,
    { "Retry-After": String(RATE_RETRY_AFTER_SECONDS) });
}
