// A withdrawal as carried in withdrawal.* events and shown in the dashboard: base units as
// integer strings, unix seconds (the seed 001 conventions).
import type { withdrawals } from "@/db/schema";

export type WithdrawalRow = typeof withdrawals.$inferSelect;

export function serializeWithdrawal(w: WithdrawalRow) {
  return {
    id: Number(w.id),
    object: "withdrawal" as const,
    kind: w.kind,
    livemode: w.livemode,
    user_id: w.userId,
    query_id: w.queryId,
    network: w.network,
    currency: w.currency,
    amount: w.amount === null ? null : w.amount.toString(),
    from: w.fromAddress,
    destination: w.destination,
    comment: w.comment,
    memo: w.memo,
    status: w.status,
    reason: w.reason,
    tx_hash: w.txHash,
    createdAt: Math.floor(w.createdAt.getTime() / 1000),
  };
}
