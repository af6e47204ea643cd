// The payments list's URL state (?mode, ?status — a seed-004 status —, ?q, the shared filters
// ?exception, ?network, ?from, ?to, and the ?after cursor), parsed leniently and written back into
// hrefs; and the status as a condition over payments (DOMAIN.md's mapping, lib/payments/serialize).
import { and, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { checkouts, payments } from "@/db/schema";
import { PAYMENT_STATUSES, type PaymentStatus } from "@/lib/payments/schemas";
import { filterEntries, parseListFilters, type ListFilters } from "../list-filters";

export const PAYMENTS_PATH = "/dashboard/payments";
export const PAYMENT_SEARCH_MAX_LENGTH = 200;

export type PaymentListParams = {
  mode: "test" | "live";
  status: PaymentStatus | null;
  q: string;
  filters: ListFilters;
  after: string | null;
};

type RawParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? "";

export function parsePaymentListParams(raw: RawParams, defaultMode: "test" | "live"): PaymentListParams {
  const mode = first(raw.mode);
  const status = first(raw.status).toUpperCase();
  return {
    mode: mode === "test" || mode === "live" ? mode : defaultMode,
    status: (PAYMENT_STATUSES as readonly string[]).includes(status) ? (status as PaymentStatus) : null,
    q: first(raw.q).slice(0, PAYMENT_SEARCH_MAX_LENGTH),
    filters: parseListFilters(raw),
    after: first(raw.after) || null,
  };
}

/** The list's URL (or its CSV export's, `path`) with `changes` applied; the cursor is dropped unless given. */
export function paymentListHref(p: PaymentListParams, changes: Partial<PaymentListParams> = {}, path = PAYMENTS_PATH): string {
  const next = { ...p, after: null, ...changes };
  const qs = new URLSearchParams();
  qs.set("mode", next.mode);
  if (next.status) qs.set("status", next.status);
  if (next.q) qs.set("q", next.q);
  for (const [k, v] of filterEntries(next.filters)) qs.set(k, v);
  if (next.after) qs.set("after", next.after);
  return `${path}?${qs.toString()}`;
}

/** Payments whose checkout matches `cond`. */
const checkoutWhere = (cond: SQL | undefined) => sql`${payments.checkoutId} in (select ${checkouts.id} from ${checkouts} where ${cond})`;

/** Payments shown with `status`: before submission from the payment's stage, after it from its checkout. */
export function paymentStatusCondition(status: PaymentStatus): SQL {
  const unsubmitted = isNull(payments.checkoutId);
  switch (status) {
    case "NEW": return or(and(unsubmitted, eq(payments.stage, "new")), checkoutWhere(eq(checkouts.status, "requires_payment_method")))!;
    case "PENDING": return checkoutWhere(eq(checkouts.status, "waiting_payment"));
    case "AWAITING": return checkoutWhere(eq(checkouts.status, "processing"));
    case "DEPOSITED": return checkoutWhere(and(eq(checkouts.status, "succeeded"), or(isNull(checkouts.exception), ne(checkouts.exception, "overpaid"))));
    case "OVERPAID": return checkoutWhere(and(eq(checkouts.status, "succeeded"), eq(checkouts.exception, "overpaid")));
    case "EXPIRED": return or(and(unsubmitted, eq(payments.stage, "expired")), checkoutWhere(eq(checkouts.status, "expired")))!;
    case "BLOCKED": return or(and(unsubmitted, eq(payments.stage, "blocked")), checkoutWhere(inArray(checkouts.status, ["bounced"])))!;
  }
}
