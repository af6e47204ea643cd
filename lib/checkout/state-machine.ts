// The checkout state machine of DOMAIN.md. Every status change of a checkout (session or payment)
// happens in transition() below, in the same transaction as the events it emits.
import { and, eq, sql } from "drizzle-orm";
import { checkouts, checkoutStatusValues } from "@/db/schema";
import { emit, type EventType, type Tx } from "@/lib/events/emit";

export const CHECKOUT_STATUSES = checkoutStatusValues;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];
export type CheckoutRow = typeof checkouts.$inferSelect;
type CheckoutInsert = typeof checkouts.$inferInsert;

/**
 * Allowed transitions. processing → waiting_payment is the reorg revert (a seen transfer vanished
 * before it was confirmed). Terminal statuses have no way out: a late deposit is a new fact on the
 * checkout, not a transition.
 */
export const TRANSITIONS: { readonly [S in CheckoutStatus]: readonly CheckoutStatus[] } = {
  // requires_payment_method → bounced: a merchant blocks a payment before its currency is chosen
  requires_payment_method: ["waiting_payment", "expired", "bounced"],
  // waiting_payment → bounced: a merchant blocks a payment (DOMAIN.md payments mapping, BLOCKED)
  waiting_payment: ["processing", "expired", "bounced"],
  processing: ["succeeded", "bounced", "waiting_payment"],
  succeeded: [],
  bounced: [],
  expired: [],
};

/**
 * The events a transition emits, by (kind, from, to). Sessions: session.<…> as below; payments emit
 * payment.<their dialect's status> for any change (lib/payments/events), so their table is empty.
 */
const SESSION_EVENTS: { readonly [K in `${CheckoutStatus}>${CheckoutStatus}`]?: readonly (EventType & `session.${string}`)[] } = {
  "waiting_payment>processing": ["session.processing"],
  // a reorg took back what made it enough
  "processing>waiting_payment": ["session.underpaid"],
  "processing>succeeded": ["session.succeeded"],
  "processing>bounced": ["session.bounced"],
  "requires_payment_method>expired": ["session.expired"],
  "waiting_payment>expired": ["session.expired"],
};

export function transitionEvents(kind: CheckoutRow["kind"], from: CheckoutStatus, to: CheckoutStatus): readonly (EventType & `session.${string}`)[] {
  return kind === "session" ? SESSION_EVENTS[`${from}>${to}`] ?? [] : [];
}

export function canTransition(from: CheckoutStatus, to: CheckoutStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: CheckoutStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** A transition the table does not allow: a programming error, never a race. */
export class IllegalTransitionError extends Error {
  constructor(readonly from: CheckoutStatus, readonly to: CheckoutStatus) {
    super(`checkout transition ${from} → ${to} is not allowed`);
    this.name = "IllegalTransitionError";
  }
}

/** The compare-and-set lost: the checkout was not (or no longer) in `expected`. */
export class TransitionConflictError extends Error {
  constructor(
    readonly checkoutId: string,
    readonly expected: CheckoutStatus,
    readonly to: CheckoutStatus,
    /** the status found instead; null when the checkout does not exist */
    readonly actual: CheckoutStatus | null,
  ) {
    super(`checkout ${checkoutId}: expected status ${expected} to move to ${to}, found ${actual ?? "no checkout"}`);
    this.name = "TransitionConflictError";
  }
}

/** An event to emit, built from the checkout as it is after the transition. */
export type EventDraft = { type: EventType; objectType: string; data: unknown };
export type EventBuilder = (checkout: CheckoutRow) => EventDraft;

/** Columns a transition may set along with the status (payment method, delivery, …). */
export type TransitionChanges = Partial<Omit<CheckoutInsert, "id" | "merchantId" | "livemode" | "kind" | "status" | "createdAt" | "updatedAt">>;

/**
 * Moves a checkout from `from` to `to` with a compare-and-set UPDATE and inserts the events in the
 * same transaction. Throws IllegalTransitionError for a move the table forbids and
 * TransitionConflictError when the checkout is not in `from` any more (retry with fresh state).
 */
export async function transition(
  tx: Tx,
  checkoutId: string,
  from: CheckoutStatus,
  to: CheckoutStatus,
  events: readonly EventBuilder[],
  changes: TransitionChanges = {},
): Promise<CheckoutRow> {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
  const [row] = await tx.update(checkouts)
    .set({ ...changes, status: to, updatedAt: sql`now()` })
    .where(and(eq(checkouts.id, checkoutId), eq(checkouts.status, from)))
    .returning();
  if (!row) {
    const [current] = await tx.select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, checkoutId));
    throw new TransitionConflictError(checkoutId, from, to, current?.status ?? null);
  }
  await emit(tx, events.map((build) => {
    const e = build(row);
    return { merchantId: row.merchantId, livemode: row.livemode, objectId: row.id, ...e };
  }));
  return row;
}

/**
 * Runs `fn` again (it should open its own transaction and re-read state) when a transition lost
 * a race, at most `attempts` times in all; the last conflict is rethrown.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof TransitionConflictError) || i >= attempts) throw e;
    }
  }
}
