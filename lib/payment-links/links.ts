// Payment links (issue 20, no code): a merchant without a server makes one in the dashboard and
// shares its URL (/pay/{id}); whoever opens it gets a seed-004 payment priced in the link's display
// currency — its fixed price, or the amount they enter — and completes it on the hosted page,
// choosing what to pay with among the pairs the merchant can be paid in. A reusable link opens a
// new payment each time; a one-off link opens one and then always leads to it. A deactivated link
// opens nothing. Opening takes the link's row lock, so two payers of a one-off link get the same
// payment and `uses` counts exactly.
import { and, desc, eq, sql } from "drizzle-orm";
import { paymentLinks } from "@/db/schema";
import { ApiError, errors } from "@/lib/api/errors";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { displayCents, insertPayment } from "@/lib/payments/create";
import { DISPLAY_CURRENCIES, type DisplayCurrency } from "@/lib/payments/currencies";
import { paymentUrl } from "@/lib/payments/serialize";

export type PaymentLinkRow = typeof paymentLinks.$inferSelect;
export type Scope = { merchantId: string; livemode: boolean };

export const TITLE_MAX = 120;

export type NewPaymentLink = {
  title: string;
  displayCurrency: string;
  /** a decimal with at most two places; empty or absent: the customer enters the amount */
  displayAmount?: string | null;
  reusable: boolean;
};

/** The link's public URL (the instance's public base, like a payment's `url`). */
export function paymentLinkUrl(id: string): string {
  return `${config().publicUrl}/pay/${id}`;
}

/** Validates and stores a new link; bad input → a validation error naming the field, nothing written. */
export async function createPaymentLink(scope: Scope, input: NewPaymentLink): Promise<PaymentLinkRow> {
  const title = input.title.trim();
  if (!title) throw errors.validation("Give the link a title: the payer sees it.", "title", "parameter_missing");
  if (title.length > TITLE_MAX) throw errors.validation(`The title is longer than ${TITLE_MAX} characters.`, "title", "parameter_invalid");
  if (!(DISPLAY_CURRENCIES as readonly string[]).includes(input.displayCurrency)) {
    throw errors.validation(`${input.displayCurrency || "(none)"} is not a display currency. Use one of ${DISPLAY_CURRENCIES.join(", ")}.`, "displayCurrency", "parameter_invalid");
  }
  const amount = input.displayAmount?.trim();
  const cents = amount ? displayCents(amount, "displayAmount") : null;
  const [row] = await db().insert(paymentLinks).values({
    merchantId: scope.merchantId, livemode: scope.livemode, title, displayCurrency: input.displayCurrency,
    displayAmountCents: cents, reusable: input.reusable,
  }).returning();
  return row;
}

export async function listPaymentLinks(scope: Scope, limit = 100): Promise<PaymentLinkRow[]> {
  return db().select().from(paymentLinks)
    .where(and(eq(paymentLinks.merchantId, scope.merchantId), eq(paymentLinks.livemode, scope.livemode)))
    .orderBy(desc(paymentLinks.createdAt), desc(paymentLinks.id)).limit(limit);
}

/** Turns a link of this merchant on or off; false when it is not the merchant's (or does not exist). */
export async function setPaymentLinkActive(merchantId: string, id: string, active: boolean): Promise<boolean> {
  const rows = await db().update(paymentLinks).set({ active, updatedAt: sql`now()` })
    .where(and(eq(paymentLinks.id, id), eq(paymentLinks.merchantId, merchantId))).returning({ id: paymentLinks.id });
  return rows.length > 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The link by id (any merchant: the unguessable id is the capability, as for a payment's page), or null. */
export async function findPaymentLink(id: string): Promise<PaymentLinkRow | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db().select().from(paymentLinks).where(eq(paymentLinks.id, id));
  return row ?? null;
}

/**
 * Opens the link: a new payment (or a one-off link's existing one) whose page the payer goes to.
 * `amount` is the customer's, for a link without a price (ignored otherwise).
 */
export async function openPaymentLink(id: string, amount?: string): Promise<{ paymentId: string; url: string }> {
  if (!UUID.test(id)) throw errors.notFound("payment link", "id");
  return db().transaction(async (tx) => {
    const [link] = await tx.select().from(paymentLinks).where(eq(paymentLinks.id, id)).for("update");
    if (!link) throw errors.notFound("payment link", "id");
    if (!link.active) throw new ApiError("invalid_request_error", "payment_link_inactive", "This payment link is no longer active.", null, 410);
    if (!link.reusable && link.paymentId) return { paymentId: link.paymentId, url: paymentUrl(link.paymentId) };
    let cents = link.displayAmountCents;
    if (cents === null) {
      if (!amount?.trim()) throw errors.validation("Enter the amount to pay.", "amount", "parameter_missing");
      cents = displayCents(amount.trim(), "amount");
    }
    const uses = link.uses + 1;
    const payment = await insertPayment(tx, { merchantId: link.merchantId, livemode: link.livemode }, {
      clientPaymentId: `link-${link.id}-${uses}`,
      displayCurrency: link.displayCurrency as DisplayCurrency,
      displayAmount: formatCents(cents),
    }, { title: link.title, paymentLinkId: link.id });
    await tx.update(paymentLinks).set({ uses, paymentId: link.reusable ? link.paymentId : payment.payment.id, updatedAt: sql`now()` })
      .where(eq(paymentLinks.id, link.id));
    return { paymentId: payment.payment.id, url: paymentUrl(payment.payment.id) };
  });
}

/** Hundredths as the decimal text payments take ("1250" → "12.50"). */
export function formatCents(cents: bigint): string {
  const s = cents.toString().padStart(3, "0");
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}
