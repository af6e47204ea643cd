// The dashboard's payments list: the merchant's payments in one mode, newest first, a page at a
// time (cursor: the last id of the previous page), with the figures the API shows; searched
// (paymentSearch) and filtered by status, exception, network and creation date (./list-params,
// ../list-filters).
import { and, desc, eq, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { checkouts, payments } from "@/db/schema";
import { db } from "@/lib/db/client";
import { checkoutIdsMatching, escapeLike } from "../checkout-search";
import { isPaymentId, loadPayments } from "@/lib/payments/load";
import type { PaymentInfo, PaymentStatus } from "@/lib/payments/schemas";
import { checkoutOnlyConditions, dateConditions, type ListFilters } from "../list-filters";
import { paymentStatusCondition } from "./list-params";
import { serializePayment } from "@/lib/payments/serialize";

export const PAYMENTS_PAGE_SIZE = 25;

export type PaymentListItem = PaymentInfo & { createdAt: Date };

/**
 * Payments `q` finds: the payment id (or a prefix), the merchant's clientPaymentId or the link's
 * title (a substring), and, once submitted, whatever finds its checkout (a tx hash, an address).
 */
function paymentSearch(merchantId: string, q: string): SQL | undefined {
  const text = q.trim();
  if (!text) return undefined;
  const like = `%${escapeLike(text)}%`;
  const parts: SQL[] = [ilike(payments.clientPaymentId, like), ilike(payments.title, like)];
  if (/^[0-9a-f-]{1,36}$/i.test(text)) parts.push(sql`${payments.id}::text like ${`${escapeLike(text.toLowerCase())}%`}`);
  const checkout = checkoutIdsMatching(merchantId, text);
  if (checkout) parts.push(sql`${payments.checkoutId} in ${checkout}`);
  return or(...parts);
}

export type PaymentListQuery = { livemode: boolean; after?: string | null; q?: string; status?: PaymentStatus | null; filters?: ListFilters; limit?: number };

/** The conditions the status and the shared filters ask for (a payment not yet submitted has no checkout: no network, no exception). */
function paymentFilters(merchantId: string, query: PaymentListQuery): SQL[] {
  const out: SQL[] = [];
  if (query.status) out.push(paymentStatusCondition(query.status));
  if (query.filters) {
    const own = checkoutOnlyConditions(query.filters);
    if (own) out.push(sql`${payments.checkoutId} in (select ${checkouts.id} from ${checkouts} where ${and(eq(checkouts.merchantId, merchantId), own)})`);
    out.push(...dateConditions(query.filters, payments.createdAt));
  }
  return out;
}

export async function listDashboardPayments(merchantId: string, query: PaymentListQuery): Promise<{ items: PaymentListItem[]; nextAfter: string | null }> {
  const { livemode, after = null, q = "", limit = PAYMENTS_PAGE_SIZE } = query;
  let cursor = undefined;
  if (after && isPaymentId(after)) {
    const [c] = await db().select({ createdAt: payments.createdAt, id: payments.id }).from(payments)
      .where(and(eq(payments.id, after), eq(payments.merchantId, merchantId)));
    if (c) cursor = or(lt(payments.createdAt, c.createdAt), and(eq(payments.createdAt, c.createdAt), sql`${payments.id} < ${c.id}`));
  }
  const rows = await db().select().from(payments)
    .where(and(eq(payments.merchantId, merchantId), eq(payments.livemode, livemode), paymentSearch(merchantId, q), ...paymentFilters(merchantId, query), cursor))
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const loaded = await loadPayments(db(), page);
  return {
    items: loaded.map((l) => ({ ...serializePayment(l), createdAt: l.payment.createdAt })),
    nextAfter: rows.length > limit ? page[page.length - 1].id : null,
  };
}
