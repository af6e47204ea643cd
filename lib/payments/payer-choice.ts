// The payer completes a seed-004 payment on its hosted page (the payment's `url`): when the
// merchant created it with a price but no deposit currency, the payer picks one of the pairs the
// merchant can be paid with, and the page submits it exactly as PATCH /v1/payments/{id} would, in
// the payment's own merchant scope (the unguessable payment id is the capability, as for the page).
import { ApiError, errors } from "@/lib/api/errors";
import { formatUnits } from "@/lib/money/units";
import { quoteNow, RateUnavailableError } from "@/lib/rates";
import { depositUnitsFor } from "@/lib/rates/decimal";
import { payableDeposits, type AcceptedDeposit } from "./accepted-deposits";
import type { DepositCurrency, PaymentNetwork } from "./currencies";
import { loadPaymentById, type LoadedPayment } from "./load";
import { rateError, submitPayment } from "./submit";

/**
 * What the payment's page shows: `choose` (priced, no deposit currency yet: the payer picks),
 * `wait` (the merchant must still set the price), `checkout` (submitted: the normal checkout),
 * `expired`, `blocked`.
 */
export type PayerState = "choose" | "wait" | "checkout" | "expired" | "blocked";

export type PayerChoice = { depositCurrency: DepositCurrency; network: PaymentNetwork };

export function payerState(l: LoadedPayment, now = Date.now()): PayerState {
  if (l.checkout) return "checkout";
  const p = l.payment;
  if (p.stage === "blocked") return "blocked";
  // past its deadline it is expired, whether or not the worker's sweep has marked it yet
  if (p.stage === "expired" || p.expiresAt.getTime() <= now) return "expired";
  return p.displayCurrency && p.displayAmountCents !== null ? "choose" : "wait";
}

async function loaded(id: string): Promise<LoadedPayment> {
  const l = await loadPaymentById(id);
  if (!l) throw errors.notFound("payment", "id");
  return l;
}

/** The payer's pair, if the merchant can be paid with it; else a 400 naming what is accepted. Input before state. */
async function acceptedChoice(l: LoadedPayment, choice: PayerChoice): Promise<AcceptedDeposit> {
  const options = await payableDeposits(l.payment.merchantId, l.payment.livemode);
  const hit = options.find((o) => o.currency === choice.depositCurrency && o.network === choice.network);
  if (!hit) {
    throw errors.validation(`${choice.depositCurrency} on ${choice.network} is not accepted for this payment. Accepted: ${
      options.map((o) => `${o.currency} on ${o.network}`).join(", ") || "none"}.`, "depositCurrency", "currency_not_supported");
  }
  return hit;
}

/** The page's state, and with a choice the amount it would cost now (indicative: the submission takes its own quote). */
export async function payerView(id: string, choice?: PayerChoice): Promise<{ state: PayerState; quote?: { amount: string; currency: string; network: string } }> {
  const l = await loaded(id);
  const state = payerState(l);
  if (!choice) return { state };
  const hit = await acceptedChoice(l, choice);
  if (state !== "choose") return { state };
  try {
    const q = await quoteNow(hit.currency, l.payment.displayCurrency!);
    const units = depositUnitsFor(l.payment.displayAmountCents!, q.rate, hit.decimals);
    return { state, quote: { amount: formatUnits(units, hit.decimals), currency: hit.currency, network: hit.network } };
  } catch (e) {
    if (e instanceof RateUnavailableError) throw rateError(e);
    throw e;
  }
}

/**
 * Submits the payer's choice. Whatever happened meanwhile, the answer is where the page goes next:
 * submitted (now, by the merchant, or by another tab: submitPayment refuses a second submission
 * under the row lock, so there is only ever one checkout) → `checkout`; `expired`; `blocked`.
 */
export async function submitPayerChoice(id: string, choice: PayerChoice): Promise<PayerState> {
  const l = await loaded(id);
  await acceptedChoice(l, choice);
  const state = payerState(l);
  if (state === "wait") throw errors.conflict("The merchant has not set this payment's price yet.", "payment_not_priced");
  if (state !== "choose") return state;
  try {
    await submitPayment({ merchantId: l.payment.merchantId, livemode: l.payment.livemode }, id, choice);
    return "checkout";
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) {
      if (e.code === "payment_already_submitted") return "checkout";
      if (e.code === "payment_blocked") return "blocked";
      if (e.code === "payment_expired") return "expired";
    }
    throw e;
  }
}
