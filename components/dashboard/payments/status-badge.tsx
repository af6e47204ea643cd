// The seven payment statuses (API.md §2) as the dashboard shows them.
import { StatusPill, type StatusTone } from "@/components/ui/badge";
import type { PaymentStatus } from "@/lib/payments/schemas";

export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, string> = {
  NEW: "New", PENDING: "Pending", AWAITING: "Awaiting confirmation", DEPOSITED: "Deposited", EXPIRED: "Expired", BLOCKED: "Blocked", OVERPAID: "Overpaid",
};

const TONES: Record<PaymentStatus, StatusTone> = {
  NEW: "idle", PENDING: "waiting", AWAITING: "busy", DEPOSITED: "done", OVERPAID: "doneMore", BLOCKED: "failed", EXPIRED: "ended",
};

export function PaymentStatusBadge({ status }: { status: PaymentStatus }) {
  return <StatusPill status={status} label={PAYMENT_STATUS_LABELS[status]} tone={TONES[status]} />;
}
