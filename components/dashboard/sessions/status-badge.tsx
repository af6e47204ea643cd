// The six session statuses (API.md §1) as the dashboard shows them: a readable label and a
// colour each, the API value on hover.
import type { CheckoutStatus } from "@/lib/checkout/state-machine";

export const STATUS_LABELS: Record<CheckoutStatus, string> = {
  requires_payment_method: "Awaiting method",
  waiting_payment: "Awaiting payment",
  processing: "Processing",
  succeeded: "Succeeded",
  bounced: "Bounced",
  expired: "Expired",
};

const TONES: Record<CheckoutStatus, { badge: string; dot: string }> = {
  requires_payment_method: { badge: "bg-zinc-100 text-zinc-700 ring-zinc-500/20", dot: "bg-zinc-400" },
  waiting_payment: { badge: "bg-sky-50 text-sky-800 ring-sky-600/20", dot: "bg-sky-500" },
  processing: { badge: "bg-amber-50 text-amber-800 ring-amber-600/25", dot: "bg-amber-500" },
  succeeded: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", dot: "bg-emerald-500" },
  bounced: { badge: "bg-red-50 text-red-700 ring-red-600/20", dot: "bg-red-500" },
  expired: { badge: "bg-white text-zinc-500 ring-zinc-300", dot: "bg-zinc-300" },
};

export function SessionStatusBadge({ status }: { status: CheckoutStatus }) {
  const tone = TONES[status];
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-md px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${tone.badge}`}
      title={status}
      data-status={status}
    >
      <span className={`size-1.5 rounded-full ${tone.dot}`} aria-hidden="true" />
      {STATUS_LABELS[status]}
    </span>
  );
}
