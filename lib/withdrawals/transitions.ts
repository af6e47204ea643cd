// The only place a withdrawal's status changes: compare-and-set updates, each in the transaction
// that writes its withdrawal.* event (pending → processing → processed | failed; pending → failed).
import { checkFence } from "@/lib/worker/leases";
import { and, eq, sql } from "drizzle-orm";
import { withdrawals } from "@/db/schema";
import { db } from "@/lib/db/client";
import { emit, type EventType, type Executor, type Tx } from "@/lib/events/emit";
import { serializeWithdrawal, type WithdrawalRow } from "./serialize";

type Status = WithdrawalRow["status"];

async function move(tx: Tx, id: bigint, from: Status, to: Status, set: Partial<typeof withdrawals.$inferInsert>, event: EventType): Promise<WithdrawalRow | null> {
  await checkFence(tx); // inside a worker pass: only while this worker still holds the network's lease
  const [row] = await tx.update(withdrawals).set({ ...set, status: to, updatedAt: sql`now()` })
    .where(and(eq(withdrawals.id, id), eq(withdrawals.status, from))).returning();
  if (!row) return null;
  await emit(tx, [{ merchantId: row.merchantId, livemode: row.livemode, type: event, objectType: "withdrawal", objectId: String(row.id), data: serializeWithdrawal(row) }]);
  return row;
}

/** Inside the transaction that signs and records its transaction: false when it is no longer pending. */
export async function markProcessing(tx: Tx, id: bigint, txHash: string | null): Promise<boolean> {
  return (await move(tx, id, "pending", "processing", { reason: null, txHash }, "withdrawal.processing")) !== null;
}

export async function markProcessed(id: bigint, txHash: string): Promise<void> {
  await db().transaction((tx) => move(tx, id, "processing", "processed", { txHash, reason: null }, "withdrawal.processed"));
}

export async function markFailed(id: bigint, from: "pending" | "processing", reason: string): Promise<boolean> {
  return db().transaction(async (tx) => (await move(tx, id, from, "failed", { reason }, "withdrawal.failed")) !== null);
}

/** Why a pending withdrawal waits (shown in status and the dashboard); written only when it changes. */
export async function notePending(exec: Executor, id: bigint, reason: string | null): Promise<void> {
  await exec.update(withdrawals).set({ reason, updatedAt: sql`now()` })
    .where(and(eq(withdrawals.id, id), eq(withdrawals.status, "pending"), sql`${withdrawals.reason} is distinct from ${reason}`));
}
