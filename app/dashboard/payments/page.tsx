import type { Metadata } from "next";
import Link from "next/link";
import { icons } from "@/components/dashboard/nav-icons";
import { PaymentsTable } from "@/components/dashboard/payments/payments-table";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { listDashboardPayments } from "@/lib/dashboard/payments/list-payments";

export const metadata: Metadata = { title: "Payments" };

export default async function PaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId } = await requireMerchant();
  const sp = await searchParams;
  const mode = sp.mode === "live" || sp.mode === "test" ? sp.mode : config().mode;
  const after = typeof sp.after === "string" ? sp.after : null;
  const q = typeof sp.q === "string" ? sp.q.trim().slice(0, 200) : "";
  const page = await listDashboardPayments(merchantId, mode === "live", after, q);
  const now = new Date();
  const other = mode === "live" ? "test" : "live";
  return (
    <>
      <PageHeader
        title="Payments"
        description="Checkouts priced in a display currency such as USD or EUR, paid in crypto at a stored rate quote."
        actions={<Link href={`/dashboard/payments?mode=${other}`} className={buttonClass("secondary", "sm")}>Show {other} mode</Link>}
      />
      <form action="/dashboard/payments" role="search" className="mb-4 flex w-full flex-wrap gap-2 sm:max-w-2xl">
        <input type="hidden" name="mode" value={mode} />
        <label htmlFor="payment-search" className="sr-only">Search payments</label>
        <div className="min-w-0 flex-1 basis-56">
          <input key={q} id="payment-search" type="search" name="q" defaultValue={q} maxLength={200} autoComplete="off" spellCheck={false}
            placeholder="Id, order id, title, tx hash or address" className={inputClass} />
        </div>
        <button type="submit" className={buttonClass("secondary")}>Search</button>
        {q && <Link href={`/dashboard/payments?mode=${mode}`} className={buttonClass("ghost")}>Clear</Link>}
        <a href={`/dashboard/payments/export?${new URLSearchParams({ mode, ...(q ? { q } : {}) })}`} className={buttonClass("ghost")} download>Export CSV</a>
      </form>
      {page.items.length === 0 ? (
        q ? <EmptyState icon={icons.payments} title="No matching payments" description={`No ${mode}-mode payment matches “${q}”. Search looks at payment ids (whole or the first characters), your clientPaymentId, payment-link titles, transaction hashes and the addresses a payment was paid to or from.`} />
          : <EmptyState icon={icons.payments} description={`No ${mode}-mode payments yet. Payments you create with POST /v1/payments or open from a payment link appear here, with the amount due and what was deposited.`} />
      ) : (
        <div>
          <PaymentsTable items={page.items} now={now} />
          {page.nextAfter && (
            <nav aria-label="Pagination" className="mt-4 flex justify-end">
              <Link href={`/dashboard/payments?mode=${mode}&after=${page.nextAfter}${q ? `&q=${encodeURIComponent(q)}` : ""}`} className={buttonClass("secondary", "sm")} rel="next">Next →</Link>
            </nav>
          )}
        </div>
      )}
    </>
  );
}
