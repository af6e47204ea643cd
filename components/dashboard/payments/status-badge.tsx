// The seven payment statuses (API.md §2) as the dashboard shows them.
import type { PaymentStatus } from "@/lib/payments/schemas";

export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, string> = {
  NEW: "New", PENDING: "Pending", AWAITING: "Awaiting confirmation", DEPOSITED: "Deposited", EXPIRED: "Expired", BLOCKED: "Blocked", OVERPAID: "Overpaid",
};

const TONES: Record<PaymentStatus, { badge: string; dot: string }> = {
  NEW: { badge: "bg-zinc-100 text-zinc-700 ring-zinc-500/20", dot: "bg-zinc-400" },
  PENDING: { badge: "bg-sky-50 text-sky-800 ring-sky-600/20", dot: "bg-sky-500" },
  AWAITING: { badge: "bg-amber-50 text-amber-800 ring-amber-600/25", dot: "bg-amber-500" },
  DEPOSITED: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", dot: "bg-emerald-500" },
  OVERPAID: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", dot: "bg-emerald-700" },
  BLOCKED: { badge: "bg-red-50 text-red-700 ring-red-600/20", dot: "bg-red-500" },
  EXPIRED: { badge: "bg-white text-zinc-500 ring-zinc-300", dot: "bg-zinc-300" },
};

export function PaymentStatusBadge({ status }: { status: PaymentStatus }) {
  const tone = TONES[status];
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-md px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${tone.badge}`}
      title={status}
      data-status={status}
    >
      <span className={`size-1.5 rounded-full ${tone.dot}`} aria-hidden="true" />
      {PAYMENT_STATUS_LABELS[status]}
    </span>
  );
}
