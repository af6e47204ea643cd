import Link from "next/link";
import { CopyableValue, RelativeTime } from "@/components/dashboard/sessions/values";
import type { PaymentListItem } from "@/lib/dashboard/payments/list-payments";
import { PaymentStatusBadge } from "./status-badge";

export const paymentHref = (id: string) => `/dashboard/payments/${id}`;

export function PaymentsTable({ items, now }: { items: PaymentListItem[]; now: Date }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <thead className="bg-zinc-50 text-left text-xs font-medium text-zinc-500">
          <tr>
            <th scope="col" className="px-4 py-2.5">Amount</th>
            <th scope="col" className="px-4 py-2.5">Status</th>
            <th scope="col" className="hidden px-4 py-2.5 md:table-cell">Reference</th>
            <th scope="col" className="hidden px-4 py-2.5 sm:table-cell">Created</th>
            <th scope="col" className="hidden px-4 py-2.5 sm:table-cell">ID</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {items.map((p) => (
            <tr key={p.paymentId} data-payment-id={p.paymentId} className="text-zinc-700 hover:bg-zinc-50/70">
              <td className="px-4 py-3">
                <Link href={paymentHref(p.paymentId)} className="rounded font-medium whitespace-nowrap text-zinc-900 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600">
                  {p.expectedDisplayAmount ? `${p.expectedDisplayAmount} ${p.displayCurrency}` : "No amount yet"}
                  <span className="sr-only">, {p.clientPaymentId}, payment {p.paymentId}</span>
                </Link>
                <p className="text-xs whitespace-nowrap text-zinc-500">
                  {p.expectedDepositAmount ? `${p.expectedDepositAmount} ${p.depositCurrency} on ${p.expectedNetwork}` : "Deposit currency not chosen"}
                </p>
              </td>
              <td className="px-4 py-3"><PaymentStatusBadge status={p.status} /></td>
              <td className="hidden max-w-[16rem] truncate px-4 py-3 md:table-cell" title={p.clientPaymentId}>{p.clientPaymentId}</td>
              <td className="hidden px-4 py-3 text-zinc-600 sm:table-cell"><RelativeTime date={p.createdAt} now={now} /></td>
              <td className="hidden px-4 py-3 sm:table-cell"><CopyableValue value={p.paymentId} label={`payment id ${p.paymentId}`} short={`${p.paymentId.slice(0, 8)}…`} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
