// Writing events: one row per thing that happened, in the caller's transaction so an event exists
// exactly when its cause was committed. Each event's webhook deliveries and their jobs are written
// in that same transaction (lib/webhooks/enqueue.ts).
import { randomInt } from "node:crypto";
import { sql } from "drizzle-orm";
import { events } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { enqueueDeliveries } from "@/lib/webhooks/enqueue";

/** A database handle: the pool-backed instance or a transaction opened on it. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Executor = Db | Tx;

export type EventRow = typeof events.$inferSelect;

/** API.md §4 "Types at least". */
export type EventType =
  | "session.processing" | "session.succeeded" | "session.bounced" | "session.expired"
  | "session.underpaid" | "session.late_payment"
  | `payment.${"new" | "pending" | "awaiting" | "deposited" | "expired" | "blocked" | "overpaid"}`
  // a merchant's actions on an exception (lib/checkout/actions) and their outcome
  | `${"session" | "payment"}.${"accepted" | "retried" | "refund_requested" | "refunded" | "refund_failed"}`
  | "deposit.detected" | "deposit.confirmed" | "deposit.reverted"
  | "withdrawal.processing" | "withdrawal.processed" | "withdrawal.failed";

export type NewEvent = {
  merchantId: string;
  livemode: boolean;
  type: EventType;
  /** "session", "payment", "deposit", "withdrawal" */
  objectType: string;
  objectId: string;
  /** the full API object at the time of the event */
  data: unknown;
};

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** evt_ + 24 base62 characters (~143 bits). */
export function newEventId(): string {
  let s = "evt_";
  for (let i = 0; i < 24; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** Inserts the events in order. clock_timestamp() (not the transaction's now()) keeps that order visible in lists. */
export async function emit(exec: Executor, list: readonly NewEvent[]): Promise<EventRow[]> {
  if (list.length === 0) return [];
  // an event and its deliveries commit together: called outside a transaction, open one
  if (!isTransaction(exec)) return exec.transaction((tx) => emit(tx, list));
  const out: EventRow[] = [];
  for (const e of list) {
    const [row] = await exec.insert(events).values({
      id: newEventId(),
      merchantId: e.merchantId,
      livemode: e.livemode,
      type: e.type,
      objectType: e.objectType,
      objectId: e.objectId,
      data: e.data,
      createdAt: sql`clock_timestamp()`,
    }).returning();
    await enqueueDeliveries(exec, row);
    out.push(row);
  }
  return out;
}

function isTransaction(exec: Executor): exec is Tx {
  return "rollback" in exec;
}
