import type { Metadata } from "next";
import { formatDecimal } from "@/lib/money/format";
import Link from "next/link";
import { icons } from "@/components/dashboard/nav-icons";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate, formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { DataTable, tdClass } from "@/components/ui/table";
import { requireMerchant } from "@/lib/auth/session";
import { RoleNotice } from "@/components/dashboard/role-notice";
import { refusal } from "@/lib/team/roles";
import { config } from "@/lib/config";
import { formatCents, listPaymentLinks, paymentLinkUrl } from "@/lib/payment-links/links";
import { DISPLAY_CURRENCIES } from "@/lib/payments/currencies";
import { CreatePaymentLink } from "./create-link";
import { TogglePaymentLink } from "./toggle-link";

export const metadata: Metadata = { title: "Payment links" };

export default async function PaymentLinksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId, role } = await requireMerchant();
  const denied = refusal(role, "payment-links:write");
  const sp = await searchParams;
  const mode = sp.mode === "live" || sp.mode === "test" ? sp.mode : config().mode;
  const other = mode === "live" ? "test" : "live";
  const links = await listPaymentLinks({ merchantId, livemode: mode === "live" });
  return (
    <>
      <PageHeader
        title="Payment links"
        description="Take payments without a server: share a link (or send it as an invoice), and the payer pays on your hosted page in any coin and network you accept. Each payment appears under Payments."
        actions={<>
          <Link href={`/dashboard/payment-links?mode=${other}`} className={buttonClass("secondary", "sm")}>Show {other} mode</Link>
          {!denied && <CreatePaymentLink mode={mode} currencies={DISPLAY_CURRENCIES} defaultCurrency="USD" />}
        </>}
      />
      <RoleNotice reason={denied} />
      {links.length === 0 ? (
        <EmptyState icon={icons.paymentLinks} title="No payment links yet" description={`Create a ${mode}-mode link with a fixed price, or one where the customer enters the amount. You need a settlement address for each network you accept (Settings).`} />
      ) : (
        <DataTable columns={[{ label: "Title" }, { label: "Price" }, { label: "Status", className: "hidden sm:table-cell" }, { label: "Payments", className: "hidden sm:table-cell" }, { label: "Created", className: "hidden md:table-cell" }, { label: "Actions", className: "text-right" }]}>
          {links.map((l) => {
            const url = paymentLinkUrl(l.id);
            return (
              <tr key={l.id} data-link-id={l.id} className="text-zinc-700">
                <td className={`${tdClass} max-w-[10rem] sm:max-w-xs`}>
                  <p className="truncate font-medium text-zinc-900" title={l.title}>{l.title}</p>
                  <p className="text-xs text-zinc-500">{l.reusable ? "Many payments" : "One payment"}</p>
                </td>
                <td className={`${tdClass} whitespace-nowrap tabular-nums`}>
                  {l.displayAmountCents === null ? <span className="text-zinc-500">Customer sets</span> : <>{formatDecimal(formatCents(l.displayAmountCents))} {l.displayCurrency}</>}
                  {l.displayAmountCents === null && <span className="ml-1 text-xs text-zinc-500">({l.displayCurrency})</span>}
                </td>
                <td className={`${tdClass} hidden sm:table-cell`}><Badge tone={l.active ? "green" : "neutral"}>{l.active ? "active" : "inactive"}</Badge></td>
                <td className={`${tdClass} hidden tabular-nums sm:table-cell`}>{l.uses}</td>
                <td className={`${tdClass} hidden whitespace-nowrap md:table-cell`}><time dateTime={l.createdAt.toISOString()} title={formatDateTime(l.createdAt)}>{formatDate(l.createdAt)}</time></td>
                <td className={`${tdClass} text-right whitespace-nowrap`}>
                  <span className="inline-flex items-center gap-1">
                    <CopyButton value={url} label="Copy link" />
                    {!denied && <TogglePaymentLink id={l.id} active={l.active} title={l.title} />}
                  </span>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </>
  );
}
