// Where a checkout's decisions are applied (BTCPay's UpdateInvoice): evaluateCheckout locks the
// checkout, loads its facts (deposits, settlement groups, the merchant's actions), asks the pure
// decider (./decide) for status and exception, and takes the transition with the events of
// state-machine's (kind, from, to) table — in the caller's transaction. Every writer goes through
// it: the watcher after recording deposits, forwarding and direct settlement after a group became
// final, the expiry sweep, a merchant's block or accept.
//
// What it decides besides the decider's status:
//   a deposit in a block after expiresAt, or recorded while the checkout is terminal:
//     late = true, session.late_payment, never counted (decided once, when it is recorded)
//   each new counted deposit that leaves a waiting checkout short: one session.underpaid
// Expiry itself is the sweep's verdict (expire.ts): it waits until every watched chain is past
// expiresAt, so a payment mined in time is never turned into a late one by a slow watcher.
import { and, eq, inArray, sql } from "drizzle-orm";
import { checkouts, deposits, merchants, payments, settlementGroups as settlementGroupsTable } from "@/db/schema";
import { db } from "@/lib/db/client";
import { emit, type Executor, type NewEvent, type Tx } from "@/lib/events/emit";
import type { DepositRow } from "@/lib/deposits/serialize";
import { emitPaymentStatus } from "@/lib/payments/events";
import { repriceOnDeposit } from "@/lib/payments/reprice";
import { sessionEvent } from "@/lib/sessions/events";
import { decide, readyToSettle, settlementGroups, type CheckoutException, type CheckoutFacts } from "./decide";
import { countingDecimals, summarizePayment, type PaymentSummary } from "./payment-summary";
import { isTerminal, transition, transitionEvents, type CheckoutRow, type EventBuilder } from "./state-machine";

/** A deposit just recorded (or re-included after a reorg), with its block's timestamp. */
export type FreshDeposit = { id: string; blockTime: Date };
export type GroupRow = typeof settlementGroupsTable.$inferSelect;

export type Evaluation = {
  checkout: CheckoutRow;
  summary: PaymentSummary<DepositRow>;
  /** settlement may start (processing, every counted deposit confirmed, enough of them or accepted) */
  readyToForward: boolean;
  /** the status before, when this evaluation changed it */
  transitionedFrom: CheckoutRow["status"] | null;
};

export type LoadedFacts = {
  checkout: CheckoutRow;
  toleranceBps: number;
  deposits: DepositRow[];
  groups: GroupRow[];
  blocked: boolean;
};

/** The checkout (locked FOR UPDATE with `lock`) and every fact the decider reads. */
export async function loadFacts(exec: Executor, checkoutId: string, lock: boolean): Promise<LoadedFacts | null> {
  const q = exec.select({ checkout: checkouts, toleranceBps: merchants.toleranceBps, blockedAt: payments.blockedAt })
    .from(checkouts).innerJoin(merchants, eq(merchants.id, checkouts.merchantId))
    .leftJoin(payments, eq(payments.id, checkouts.id))
    .where(eq(checkouts.id, checkoutId));
  const [found] = lock ? await q.for("update", { of: checkouts }) : await q;
  if (!found) return null;
  const [rows, groups] = await Promise.all([
    exec.select().from(deposits).where(eq(deposits.checkoutId, checkoutId)),
    exec.select().from(settlementGroupsTable).where(eq(settlementGroupsTable.checkoutId, checkoutId)).orderBy(settlementGroupsTable.createdAt),
  ]);
  return { checkout: found.checkout, toleranceBps: found.toleranceBps, deposits: rows, groups, blocked: found.blockedAt !== null };
}

export function factsOf(loaded: LoadedFacts, summary: PaymentSummary<DepositRow>, expireNow = false): CheckoutFacts {
  return {
    status: loaded.checkout.status,
    summary,
    // a settlement_groups row is its own FinalGroup (network, receiver, asset, status)
    finalGroups: loaded.groups,
    accepted: loaded.checkout.acceptedAt !== null,
    blocked: loaded.blocked,
    expireNow,
    methodChosen: loaded.checkout.paymentMethodChosenAt !== null,
  };
}

/**
 * Re-evaluates a checkout. `fresh` lists deposits recorded in the caller's transaction: they
 * are the ones that can be late and that each earn a session.underpaid. `expire`: the expiry
 * sweep's verdict that it is past expiresAt. Runs in `tx` when given (the watcher records deposits
 * and evaluates atomically), else in its own transaction.
 */
export async function evaluateCheckout(
  checkoutId: string,
  opts: { fresh?: readonly FreshDeposit[]; tx?: Tx; expire?: boolean } = {},
): Promise<Evaluation | null> {
  if (!opts.tx) return db().transaction((tx) => evaluateCheckout(checkoutId, { ...opts, tx }));
  const tx = opts.tx;
  const loaded = await loadFacts(tx, checkoutId, true);
  if (!loaded) return null;
  let row = loaded.checkout;
  const before = row.status;
  const rows = loaded.deposits;
  const fresh = new Map((opts.fresh ?? []).map((f) => [f.id, f]));

  // late is decided once, when the deposit is recorded, from chain time (its block) against expiresAt
  const late = rows.filter((d) => {
    const f = fresh.get(d.id);
    return f && !d.late && d.status !== "reverted" && (isTerminal(row.status) || f.blockTime.getTime() > row.expiresAt.getTime());
  });
  if (late.length) {
    await tx.update(deposits).set({ late: true }).where(and(eq(deposits.checkoutId, checkoutId), inArray(deposits.id, late.map((d) => d.id))));
    for (const d of late) d.late = true;
  }

  // a FLOATING payment takes its deposit-time quote when the first countable deposit arrives
  if (row.kind === "payment" && row.status === "waiting_payment"
    && rows.some((d) => fresh.has(d.id) && !d.late && d.status !== "reverted" && countingDecimals(row, d) !== null)) {
    row = await repriceOnDeposit(tx, row);
    loaded.checkout = row;
  }

  const summary = summarizePayment(row, loaded.toleranceBps, rows);
  const facts = factsOf(loaded, summary, opts.expire ?? false);
  const decision = decide(facts);
  row = await apply(tx, loaded, summary, decision.status, decision.exception);

  const extra: EventBuilder[] = [];
  if (row.kind === "session") {
    const view = { deposits: rows, groups: loaded.groups };
    if (row.status === "waiting_payment" && before === "waiting_payment") {
      for (const d of summary.counted) if (fresh.has(d.id)) extra.push(sessionEvent("session.underpaid", view));
    }
    for (let i = 0; i < late.length; i++) extra.push(sessionEvent("session.late_payment", view));
  }
  if (extra.length) {
    const at = row;
    await emit(tx, extra.map((b): NewEvent => ({ merchantId: at.merchantId, livemode: at.livemode, objectId: at.id, ...b(at) })));
  }
  return {
    checkout: row, summary, readyToForward: readyToSettle({ ...facts, status: row.status }),
    transitionedFrom: row.status !== before ? before : null,
  };
}

/** Takes the decided transition (events from the table) and stores the exception when it changed. */
async function apply(tx: Tx, loaded: LoadedFacts, summary: PaymentSummary<DepositRow>, to: CheckoutRow["status"], exception: CheckoutException | null): Promise<CheckoutRow> {
  let row = loaded.checkout;
  const changes: Partial<Pick<CheckoutRow, "exception" | "deliveryTxHash" | "deliveryReceivedUnits">> = {};
  if (row.exception !== exception) changes.exception = exception;
  if (to !== row.status && (to === "succeeded" || to === "bounced")) {
    // the first group's transaction stays on the row for older readers; deliveries[] has them all
    const groups = settlementGroups(summary, loaded.groups);
    const first = loaded.groups.find((g) => groups.some((x) => x.network === g.network && x.receiverId === g.receiverId && x.assetCode === g.assetCode));
    if (first) Object.assign(changes, { deliveryTxHash: first.txHash, deliveryReceivedUnits: first.deliveredUnits });
  }
  if (to !== row.status) {
    const events = transitionEvents(row.kind, row.status, to).map((type) => sessionEvent(type, { deposits: loaded.deposits, groups: loaded.groups }));
    row = await transition(tx, row.id, row.status, to, events, changes);
    if (row.kind === "payment") await emitPaymentStatus(tx, row.id);
  } else if (Object.keys(changes).length) {
    [row] = await tx.update(checkouts).set({ ...changes, updatedAt: sql`now()` }).where(eq(checkouts.id, row.id)).returning();
  }
  return row;
}

/** A payments-dialect payment before its deposit currency is chosen has no checkout row yet: its status lives in payments.stage. */
const STAGE_OF: Partial<Record<CheckoutRow["status"], "new" | "expired" | "blocked">> = {
  requires_payment_method: "new", expired: "expired", bounced: "blocked",
};

/**
 * The decider for a payment still NEW (no deposit currency submitted, so no checkout): the same
 * decide() over its facts — nothing received, the merchant's block, the expiry sweep's verdict —
 * applied to payments.stage with payment.<status>. `expire`: the sweep found it past expiresAt.
 */
export async function evaluateNewPayment(tx: Tx, paymentId: string, opts: { expire?: boolean } = {}): Promise<"new" | "expired" | "blocked" | null> {
  const [p] = await tx.select({ stage: payments.stage, blockedAt: payments.blockedAt }).from(payments).where(eq(payments.id, paymentId)).for("update");
  if (!p || p.stage === "submitted") return null;
  const status = p.stage === "expired" ? "expired" : p.stage === "blocked" ? "bounced" : "requires_payment_method";
  // nothing can have been received before a deposit currency (and with it an address) exists
  const nothing = summarizePayment<DepositRow>({ status, network: "", tokenAddress: "", tokenSymbol: "", tokenDecimals: 0, amountUnits: 1n, kind: "payment" }, 0, []);
  const decision = decide({ status, summary: nothing, finalGroups: [], accepted: false, blocked: p.blockedAt !== null, expireNow: opts.expire ?? false });
  const stage = STAGE_OF[decision.status] ?? p.stage;
  if (stage !== p.stage) {
    await tx.update(payments).set({ stage, updatedAt: sql`now()` }).where(eq(payments.id, paymentId));
    await emitPaymentStatus(tx, paymentId);
  }
  return stage as "new" | "expired" | "blocked";
}

/**
 * Records the payment method the payer chose (or replaces a waiting checkout's) and lets the
 * decider take requires_payment_method → waiting_payment. The caller holds the checkout's lock.
 */
export async function chooseMethod(tx: Tx, row: CheckoutRow, changes: Partial<CheckoutRow>): Promise<CheckoutRow> {
  const [updated] = await tx.update(checkouts).set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(checkouts.id, row.id), inArray(checkouts.status, ["requires_payment_method", "waiting_payment"])))
    .returning({ id: checkouts.id });
  if (!updated) throw new Error(`checkout ${row.id} left ${row.status} while locked`);
  return (await evaluateCheckout(row.id, { tx }))!.checkout;
}

/**
 * What a checkout has received, for display and for forwarding: paid/remaining/overpaid units and
 * whether settlement may start. With `lock`, the checkout row is locked FOR UPDATE in `exec` (a tx).
 */
export async function paymentState(
  checkoutId: string,
  opts: { exec?: Executor; lock?: boolean } = {},
): Promise<{ checkout: CheckoutRow; summary: PaymentSummary<DepositRow>; readyToForward: boolean; groups: GroupRow[] } | null> {
  const loaded = await loadFacts(opts.exec ?? db(), checkoutId, opts.lock ?? false);
  if (!loaded) return null;
  const summary = summarizePayment(loaded.checkout, loaded.toleranceBps, loaded.deposits);
  return { checkout: loaded.checkout, summary, groups: loaded.groups, readyToForward: readyToSettle(factsOf(loaded, summary)) };
}
