// POST /v1/payments (API.md §2): a payment in status NEW, priced in a display currency; the
// deposit currency (and with it the checkout) comes with PATCH (submit.ts).
import { sql } from "drizzle-orm";
import { payments } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { AmountError, parseUnits } from "@/lib/money/units";
import { DISPLAY_DECIMALS } from "@/lib/rates/decimal";
import type { DisplayCurrency } from "./currencies";
import { emitPaymentStatus } from "./events";
import { loadPaymentById, type LoadedPayment, type Scope } from "./load";

export type CreatePaymentInput = {
  clientPaymentId: string;
  displayCurrency?: DisplayCurrency;
  displayAmount?: string;
  type?: "ONE_TIME" | "REUSABLE";
  rateType?: "FIXED" | "FLOATING";
  overpaymentPolicy?: "PROCESS" | "EXCESS_REFUND";
  refundFollowUpDepositsForOneTimePayments?: boolean;
  expirationMinutes?: number;
  redirectUrl?: string;
  locale?: string;
};

/** Hundredths of the display currency; more than two decimals or zero → 400. */
export function displayCents(value: string, param: string): bigint {
  let v: bigint;
  try {
    v = parseUnits(value, DISPLAY_DECIMALS);
  } catch (e) {
    if (!(e instanceof AmountError)) throw e;
    const why = e.reason === "precision" ? `display amounts have at most ${DISPLAY_DECIMALS} decimals` : e.message;
    throw errors.validation(`Invalid ${param} "${value}": ${why}.`, param, "amount_invalid");
  }
  if (v <= 0n) throw errors.validation(`${param} must be greater than 0.`, param, "amount_invalid");
  return v;
}

export async function createPayment(scope: Scope, input: CreatePaymentInput): Promise<LoadedPayment> {
  return db().transaction((tx) => insertPayment(tx, scope, input));
}

/** What only the dashboard sets: a payment link's title and id. */
export type PaymentOrigin = { title?: string; paymentLinkId?: string };

/** The new payment (NEW) and its payment.* event, in the caller's transaction. */
export async function insertPayment(tx: Tx, scope: Scope, input: CreatePaymentInput, origin: PaymentOrigin = {}): Promise<LoadedPayment> {
  if (input.displayAmount !== undefined && input.displayCurrency === undefined) {
    throw errors.validation("displayAmount needs displayCurrency.", "displayCurrency", "parameter_missing");
  }
  const cents = input.displayAmount !== undefined ? displayCents(input.displayAmount, "displayAmount") : null;
  // 0 (seed 004 allows ≥ 0) means what omitting it means: the merchant's default expiry
  const minutes = input.expirationMinutes !== undefined && input.expirationMinutes > 0
    ? sql`${input.expirationMinutes}::int`
    : sql`(select greatest(1, default_expiry_seconds / 60) from merchants where id = ${scope.merchantId})`;
  const [row] = await tx.insert(payments).values({
    merchantId: scope.merchantId,
    livemode: scope.livemode,
    clientPaymentId: input.clientPaymentId,
    locale: input.locale ?? "en-US",
    rateType: input.rateType ?? "FIXED",
    type: input.type ?? "ONE_TIME",
    overpaymentPolicy: input.overpaymentPolicy ?? "PROCESS",
    refundFollowUpDeposits: input.refundFollowUpDepositsForOneTimePayments ?? false,
    displayCurrency: input.displayCurrency ?? null,
    displayAmountCents: cents,
    redirectUrl: input.redirectUrl ?? null,
    expirationMinutes: minutes,
    expiresAt: sql`now() + make_interval(mins => ${minutes})`,
    title: origin.title ?? null,
    paymentLinkId: origin.paymentLinkId ?? null,
  }).returning();
  await emitPaymentStatus(tx, row.id);
  return (await loadPaymentById(row.id, tx))!;
}
