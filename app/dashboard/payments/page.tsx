import type { Metadata } from "next";
import Link from "next/link";
import { icons } from "@/components/dashboard/nav-icons";
import { PaymentsTable } from "@/components/dashboard/payments/payments-table";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
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
  const page = await listDashboardPayments(merchantId, mode === "live", after);
  const now = new Date();
  const other = mode === "live" ? "test" : "live";
  return (
    <>
      <PageHeader
        title="Payments"
        description="Checkouts priced in a display currency such as USD or EUR, paid in crypto at a stored rate quote."
        actions={<Link href={`/dashboard/payments?mode=${other}`} className={buttonClass("secondary", "sm")}>Show {other} mode</Link>}
      />
      {page.items.length === 0 ? (
        <EmptyState icon={icons.payments} description={`No ${mode}-mode payments yet. Payments you create with POST /v1/payments appear here, with the amount due and what was deposited.`} />
      ) : (
        <div>
          <PaymentsTable items={page.items} now={now} />
          {page.nextAfter && (
            <nav aria-label="Pagination" className="mt-4 flex justify-end">
              <Link href={`/dashboard/payments?mode=${mode}&after=${page.nextAfter}`} className={buttonClass("secondary", "sm")} rel="next">Next →</Link>
            </nav>
          )}
        </div>
      )}
    </>
  );
}
