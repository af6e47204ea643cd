import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/table";
import { CopyableValue, RelativeTime } from "@/components/dashboard/sessions/values";
import type { PaymentListItem } from "@/lib/dashboard/payments/list-payments";
import { formatDecimal } from "@/lib/money/format";
import { PaymentStatusBadge } from "./status-badge";

export const paymentHref = (id: string) => `/dashboard/payments/${id}`;

const COLUMNS: Column[] = [
  { label: "Amount" }, { label: "Status" }, { label: "Reference", className: "hidden md:table-cell" },
  { label: "Created", className: "hidden sm:table-cell" }, { label: "ID", className: "hidden sm:table-cell" },
];

export function PaymentsTable({ items, now }: { items: PaymentListItem[]; now: Date }) {
  return (
    <DataTable columns={COLUMNS}>
      {items.map((p) => (
        <tr key={p.paymentId} data-payment-id={p.paymentId} className="text-zinc-700 hover:bg-zinc-50/70">
          <td className="px-4 py-3">
            <Link href={paymentHref(p.paymentId)} className="rounded font-medium whitespace-nowrap text-zinc-900 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600">
              {p.expectedDisplayAmount ? `${formatDecimal(p.expectedDisplayAmount)} ${p.displayCurrency}` : "No amount yet"}
              <span className="sr-only">, {p.clientPaymentId}, payment {p.paymentId}</span>
            </Link>
            <p className="text-xs whitespace-nowrap text-zinc-500">
              {p.expectedDepositAmount ? `${formatDecimal(p.expectedDepositAmount, { maxDecimals: 8 })} ${p.depositCurrency} on ${p.expectedNetwork}` : "Deposit currency not chosen"}
            </p>
          </td>
          <td className="px-4 py-3"><PaymentStatusBadge status={p.status} /></td>
          <td className="hidden max-w-[16rem] truncate px-4 py-3 md:table-cell" title={p.clientPaymentId}>{p.clientPaymentId}</td>
          <td className="hidden px-4 py-3 text-zinc-600 sm:table-cell"><RelativeTime date={p.createdAt} now={now} /></td>
          <td className="hidden px-4 py-3 sm:table-cell"><CopyableValue value={p.paymentId} label={`payment id ${p.paymentId}`} short={`${p.paymentId.slice(0, 8)}…`} /></td>
        </tr>
      ))}
    </DataTable>
  );
}
