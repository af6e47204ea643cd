// The six session statuses (API.md §1) as the dashboard shows them: a readable label and a
// colour each, the API value on hover.
import { StatusPill, type StatusTone } from "@/components/ui/badge";
import type { CheckoutStatus } from "@/lib/checkout/state-machine";

export const STATUS_LABELS: Record<CheckoutStatus, string> = {
  requires_payment_method: "Awaiting method",
  waiting_payment: "Awaiting payment",
  processing: "Processing",
  succeeded: "Succeeded",
  bounced: "Bounced",
  expired: "Expired",
};

const TONES: Record<CheckoutStatus, StatusTone> = {
  requires_payment_method: "idle", waiting_payment: "waiting", processing: "busy", succeeded: "done", bounced: "failed", expired: "ended",
};

export function SessionStatusBadge({ status }: { status: CheckoutStatus }) {
  return <StatusPill status={status} label={STATUS_LABELS[status]} tone={TONES[status]} />;
}
