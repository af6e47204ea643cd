// The decider (DOMAIN.md "Checkout state machine"): one pure function computes a checkout's status
// and exception from its facts — its deposits (summarised), its settlement groups, the merchant's
// actions and the expiry sweep's verdict. Every writer (the watcher's evaluation, forwarding,
// direct settlement, expiry, a merchant's block or accept) loads the facts, asks decide() and
// applies the answer through lib/checkout/evaluate, so each transition is taken in one place.
import type { PaymentSummary, SummaryDeposit } from "./payment-summary";
import { isTerminal, type CheckoutStatus } from "./state-machine";

export const EXCEPTIONS = ["underpaid", "overpaid", "paid_late", "mixed", "blocked"] as const;
export type CheckoutException = (typeof EXCEPTIONS)[number];

export type GroupDeposit = SummaryDeposit & { receiverId: string };

/** A settlement group's identity: (network, receiver, asset). */
export type GroupKey = { network: string; receiverId: string; assetCode: string };
export const groupKey = (g: GroupKey) => `${g.network}|${g.receiverId}|${g.assetCode}`;

/**
 * A group already final (a settlement_groups row): delivered, refunded, or batched — confirmed and
 * assigned to the merchant's next settlement batch (its batch policy), which the ledger shows as the
 * merchant's (`settling`) until the batch delivers it.
 */
export type FinalGroup = GroupKey & { status: "delivered" | "refunded" | "batched" };

export type CheckoutFacts = {
  status: CheckoutStatus;
  summary: PaymentSummary<GroupDeposit>;
  finalGroups: readonly FinalGroup[];
  /** the merchant accepted it as paid although short (POST …/accept) */
  accepted: boolean;
  /** the merchant blocked it (payments: POST …/block) */
  blocked: boolean;
  /** the expiry sweep found it past expiresAt on every watched chain */
  expireNow: boolean;
  /** the payer (or the payments dialect's submit) chose how to pay */
  methodChosen?: boolean;
};

export type Decision = { status: CheckoutStatus; exception: CheckoutException | null };

/** The settlement groups the counted deposits form, with the final state of those that have one. */
export function settlementGroups<D extends GroupDeposit>(summary: PaymentSummary<D>, finalGroups: readonly FinalGroup[]) {
  const final = new Map(finalGroups.map((g) => [groupKey(g), g.status]));
  const groups = new Map<string, GroupKey & { state: "pending" | FinalGroup["status"]; deposits: D[] }>();
  for (const d of summary.counted) {
    const key = groupKey(d);
    let g = groups.get(key);
    if (!g) groups.set(key, g = { network: d.network, receiverId: d.receiverId, assetCode: d.assetCode, state: final.get(key) ?? "pending", deposits: [] });
    g.deposits.push(d);
  }
  return [...groups.values()];
}

/** Paid enough to be settled: the counted total reaches due − tolerance, or the merchant accepted what came. */
export function coversDue(facts: Pick<CheckoutFacts, "summary" | "accepted">): boolean {
  return facts.summary.sufficient || (facts.accepted && facts.summary.counted.length > 0);
}

/** Settlement may start: every counted deposit confirmed and the confirmed ones cover what is due (or were accepted). */
export function readyToSettle(facts: Pick<CheckoutFacts, "status" | "summary" | "accepted">): boolean {
  const s = facts.summary;
  return facts.status === "processing" && s.counted.length > 0 && s.allConfirmed && (s.confirmedSufficient || facts.accepted);
}

export function exceptionOf(facts: CheckoutFacts, status: CheckoutStatus): CheckoutException | null {
  const s = facts.summary;
  if (facts.blocked) return "blocked";
  if (s.late.length > 0) return "paid_late";
  if (s.counted.length > 0 && s.paidUnits < s.dueUnits && (facts.accepted || status === "expired")) return "underpaid";
  if (s.overpaidUnits > 0n) return "overpaid";
  if (new Set(s.counted.map((d) => `${d.network}|${d.assetCode}`)).size > 1) return "mixed";
  return null;
}

export function decide(facts: CheckoutFacts): Decision {
  const status = nextStatus(facts);
  return { status, exception: exceptionOf(facts, status) };
}

function nextStatus(facts: CheckoutFacts): CheckoutStatus {
  const { status } = facts;
  if (isTerminal(status)) return status;
  // blocked by the merchant (payments dialect): BLOCKED from NEW, PENDING or AWAITING
  if (facts.blocked) return "bounced";
  switch (status) {
    case "requires_payment_method":
      if (facts.expireNow) return "expired";
      return facts.methodChosen ? "waiting_payment" : status;
    case "waiting_payment":
      if (coversDue(facts)) return "processing";
      return facts.expireNow ? "expired" : status;
    case "processing": {
      if (!coversDue(facts)) return "waiting_payment";
      if (!readyToSettle(facts)) return status;
      const groups = settlementGroups(facts.summary, facts.finalGroups);
      if (groups.some((g) => g.state === "pending")) return status;
      return groups.some((g) => g.state === "refunded") ? "bounced" : "succeeded";
    }
    default:
      return status;
  }
}
