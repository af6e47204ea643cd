// Where forwarding of one token of a checkout stands, derived only from its outbound_txs rows:
// all state lives there, so a restarted worker resumes at the same step.
import { REVERTED, type OutboundRow } from "@/lib/chains/evm/sender";

export type TokenState =
  | { kind: "forwarded"; row: OutboundRow }
  | { kind: "refunded"; row: OutboundRow }
  /** a transaction is in flight */
  | { kind: "wait" }
  | { kind: "forward" }
  | { kind: "refund" }
  | { kind: "blocked"; reason: string };

const inFlight = (r: OutboundRow) => r.status === "signed" || r.status === "broadcast";
const reverted = (r: OutboundRow) => r.status === "failed" && (r.error ?? "").startsWith(REVERTED);

/** `rows`: the checkout's forward and refund rows for one token on one network. */
export function tokenState(rows: readonly OutboundRow[]): TokenState {
  const forwards = rows.filter((r) => r.purpose === "forward");
  const refunds = rows.filter((r) => r.purpose === "refund");
  const forwarded = forwards.find((r) => r.status === "confirmed");
  if (forwarded) return { kind: "forwarded", row: forwarded };
  if (forwards.some(inFlight)) return { kind: "wait" };
  const refunded = refunds.find((r) => r.status === "confirmed");
  if (refunded) return { kind: "refunded", row: refunded };
  if (refunds.some(inFlight)) return { kind: "wait" };
  // a refund that reverted would most likely revert again: a person has to look at it
  const badRefund = refunds.find(reverted);
  if (badRefund) return { kind: "blocked", reason: `refund ${badRefund.txHash ?? ""} failed (${badRefund.error}); needs manual handling` };
  if (forwards.some(reverted)) return { kind: "refund" };
  // nothing sent yet, or only transactions whose nonce went to another transaction (DROPPED)
  return { kind: "forward" };
}

export const isDone = (s: TokenState) => s.kind === "forwarded" || s.kind === "refunded";
