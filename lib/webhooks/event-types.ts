// The event types an endpoint can subscribe to (API.md §4), as runtime values for validation and
// the dashboard's checkboxes. `satisfies` keeps the list in step with emit.ts's EventType.
import type { EventType } from "@/lib/events/emit";

export const EVENT_TYPES = [
  "session.processing", "session.succeeded", "session.bounced", "session.expired", "session.underpaid", "session.late_payment",
  "session.accepted", "session.retried", "session.refund_requested", "session.refunded", "session.refund_failed",
  "payment.new", "payment.pending", "payment.awaiting", "payment.deposited", "payment.expired", "payment.blocked", "payment.overpaid",
  "payment.accepted", "payment.retried", "payment.refund_requested", "payment.refunded", "payment.refund_failed",
  "deposit.detected", "deposit.confirmed", "deposit.reverted",
  "withdrawal.processing", "withdrawal.processed", "withdrawal.failed",
] as const satisfies readonly EventType[];

/** Sent by POST /v1/webhook-endpoints/{id}/test, to that endpoint only, whatever it subscribes to. */
export const TEST_EVENT_TYPE = "webhook.test";

export const ALL_EVENTS = "*";
