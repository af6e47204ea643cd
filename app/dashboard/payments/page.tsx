import type { Metadata } from "next";
import Link from "next/link";
import { icons } from "@/components/dashboard/nav-icons";
import { ListFilterBar } from "@/components/dashboard/list-filters";
import { PaymentsTable } from "@/components/dashboard/payments/payments-table";
import { PAYMENT_STATUS_LABELS } from "@/components/dashboard/payments/status-badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { describeFilters, filterEntries, hasFilters, networkOptions, NO_FILTERS } from "@/lib/dashboard/list-filters";
import { listDashboardPayments } from "@/lib/dashboard/payments/list-payments";
import { parsePaymentListParams, PAYMENT_SEARCH_MAX_LENGTH, paymentListHref, PAYMENTS_PATH } from "@/lib/dashboard/payments/list-params";
import { PAYMENT_STATUSES } from "@/lib/payments/schemas";

export const metadata: Metadata = { title: "Payments" };

export default async function PaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId } = await requireMerchant();
  const params = parsePaymentListParams(await searchParams, config().mode);
  const { mode, q } = params;
  const page = await listDashboardPayments(merchantId, { livemode: mode === "live", after: params.after, q, status: params.status, filters: params.filters });
  const now = new Date();
  const other = mode === "live" ? "test" : "live";
  const filtered = params.status !== null || hasFilters(params.filters);
  const what = [params.status && `status “${PAYMENT_STATUS_LABELS[params.status]}”`, ...describeFilters(params.filters), q && `“${q}”`].filter(Boolean).join(" and ");
  return (
    <>
      <PageHeader
        title="Payments"
        description="Checkouts priced in a display currency such as USD or EUR, paid in crypto at a stored rate quote."
        actions={<Link href={`/dashboard/payments?mode=${other}`} className={buttonClass("secondary", "sm")}>Show {other} mode</Link>}
      />
      <form action={PAYMENTS_PATH} role="search" className="mb-3 flex w-full flex-wrap gap-2 sm:max-w-2xl">
        <input type="hidden" name="mode" value={mode} />
        {params.status && <input type="hidden" name="status" value={params.status} />}
        {filterEntries(params.filters).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        <label htmlFor="payment-search" className="sr-only">Search payments</label>
        <div className="min-w-0 flex-1 basis-56">
          <input key={q} id="payment-search" type="search" name="q" defaultValue={q} maxLength={PAYMENT_SEARCH_MAX_LENGTH} autoComplete="off" spellCheck={false}
            placeholder="Id, order id, title, tx hash or address" className={inputClass} />
        </div>
        <button type="submit" className={buttonClass("secondary")}>Search</button>
        {q && <Link href={paymentListHref(params, { q: "" })} className={buttonClass("ghost")}>Clear</Link>}
        <a href={paymentListHref(params, {}, `${PAYMENTS_PATH}/export`)} className={buttonClass("ghost")} download>Export CSV</a>
      </form>
      <div className="mb-4">
        <ListFilterBar
          action={PAYMENTS_PATH}
          idPrefix="payment-filter"
          hidden={{ mode, q }}
          status={{ value: params.status, options: PAYMENT_STATUSES.map((s) => ({ value: s, label: PAYMENT_STATUS_LABELS[s] })) }}
          filters={params.filters}
          networks={networkOptions(mode === "live")}
          clearHref={filtered ? paymentListHref(params, { status: null, filters: NO_FILTERS }) : null}
        />
      </div>
      {page.items.length === 0 ? (
        q || filtered
          ? <EmptyState icon={icons.payments} title="No matching payments"
            description={`No ${mode}-mode payment matches ${what}. Search looks at payment ids (whole or the first characters), your clientPaymentId, payment-link titles, transaction hashes and the addresses a payment was paid to or from.`}
            action={<Link href={paymentListHref(params, { q: "", status: null, filters: NO_FILTERS })} className={buttonClass("secondary")}>Clear filters</Link>} />
          : <EmptyState icon={icons.payments} description={`No ${mode}-mode payments yet. Payments you create with POST /v1/payments or open from a payment link appear here, with the amount due and what was deposited.`} />
      ) : (
        <div>
          <PaymentsTable items={page.items} now={now} />
          {page.nextAfter && (
            <nav aria-label="Pagination" className="mt-4 flex justify-end">
              <Link href={paymentListHref(params, { after: page.nextAfter })} className={buttonClass("secondary", "sm")} rel="next">Next →</Link>
            </nav>
          )}
        </div>
      )}
    </>
  );
}
