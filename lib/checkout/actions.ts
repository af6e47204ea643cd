// What a merchant can do about a checkout's exception (API.md §1 "refund / accept / retry", DOMAIN.md:
// nothing ends in "forward it manually"). Each action is a checkout_actions row and an event,
// written in one transaction with the checkout locked; the decider then takes whatever transition
// follows (an accepted checkout moves on to processing and settles). A refund is carried out by the
// network's runner (lib/forwarding/refund-actions): the web process holds no keys.
import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { checkoutActions, checkouts, outboundTxs, receivers, settlementNotes } from "@/db/schema";
import { assertDestination } from "@/lib/addresses/destination-guard";
import { checkAddress, isAddressFamily, storedAddress } from "@/lib/addresses";
import { errors } from "@/lib/api/errors";
import { familyOf } from "@/lib/chains/registry";
import { networkSpec } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { assetSpec } from "@/lib/deposits/assets";
import { emit, type EventType, type Executor, type Tx } from "@/lib/events/emit";
import { formatUnits, parseUnits } from "@/lib/money/units";
import { loadPaymentById } from "@/lib/payments/load";
import { serializePayment } from "@/lib/payments/serialize";
import { sessionView } from "@/lib/sessions/serialize";
import { settlementGroups as groupsOf } from "./decide";
import { evaluateCheckout, loadFacts, type LoadedFacts } from "./evaluate";
import { summarizePayment } from "./payment-summary";
import type { CheckoutRow } from "./state-machine";

export type Scope = { merchantId: string; livemode: boolean };
export type ActionRow = typeof checkoutActions.$inferSelect;
type Kind = CheckoutRow["kind"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = (kind: Kind) => kind === "session" ? errors.notFound("session", "id") : errors.notFound("payment", "paymentId");

/** The checkout (of `kind`, this merchant and mode) locked with its facts, or the API's 404. */
async function lockOwn(tx: Tx, scope: Scope, kind: Kind, id: string): Promise<LoadedFacts> {
  if (!UUID.test(id)) throw notFound(kind);
  const loaded = await loadFacts(tx, id, true);
  const c = loaded?.checkout;
  if (!loaded || !c || c.kind !== kind || c.merchantId !== scope.merchantId || c.livemode !== scope.livemode) throw notFound(kind);
  return loaded;
}

/** `<kind>.<what>` of a merchant's action or its outcome, with the object (session or payment) as it is now. */
export async function actionEvent(tx: Tx, row: CheckoutRow, what: "accepted" | "retried" | "refund_requested" | "refunded" | "refund_failed"): Promise<void> {
  const data = row.kind === "session" ? await sessionView(tx, row, "full") : serializePayment((await loadPaymentById(row.id, tx))!);
  await emit(tx, [{ merchantId: row.merchantId, livemode: row.livemode, type: `${row.kind}.${what}` as EventType, objectType: row.kind, objectId: row.id, data }]);
}

/**
 * Accepts an underpaid checkout as paid: it must be waiting for the rest of a payment that has
 * begun (something counted, not enough). The decider moves it to processing; settlement follows;
 * the exception stays `underpaid`.
 */
export async function acceptCheckout(scope: Scope, kind: Kind, id: string): Promise<CheckoutRow> {
  return db().transaction(async (tx) => {
    const loaded = await lockOwn(tx, scope, kind, id);
    const c = loaded.checkout;
    const summary = summarizePayment(c, loaded.toleranceBps, loaded.deposits);
    if (c.status !== "waiting_payment" || summary.counted.length === 0) {
      throw errors.conflict(
        `Only an underpaid ${kind} (waiting_payment with part of the amount received) can be accepted; this one is ${c.status}` +
        `${c.status === "waiting_payment" ? " with nothing received yet" : ""}.`, "not_acceptable");
    }
    await tx.update(checkouts).set({ acceptedAt: sql`now()` }).where(eq(checkouts.id, c.id));
    await tx.insert(checkoutActions).values({ checkoutId: c.id, merchantId: c.merchantId, livemode: c.livemode, kind: "accept", status: "done" });
    const e = await evaluateCheckout(c.id, { tx });
    await actionEvent(tx, e!.checkout, "accepted");
    return e!.checkout;
  });
}

/** A failed forward or refund, or a note saying why settlement stopped, since the last retry. */
async function settlementFailed(exec: Executor, checkoutId: string): Promise<boolean> {
  const [note] = await exec.select({ id: settlementNotes.id }).from(settlementNotes).where(eq(settlementNotes.checkoutId, checkoutId)).limit(1);
  if (note) return true;
  const [row] = await exec.select({ id: outboundTxs.id }).from(outboundTxs).where(and(
    eq(outboundTxs.checkoutId, checkoutId),
    inArray(outboundTxs.purpose, ["forward", "refund", "excess_refund"]),
    eq(outboundTxs.status, "failed"),
    sql`${outboundTxs.createdAt} > coalesce((select max(a.created_at) from checkout_actions a where a.checkout_id = ${checkoutId} and a.kind = 'retry'), '-infinity')`,
  )).limit(1);
  return row !== undefined;
}

/**
 * Retries a failed settlement group: its failed forwards and refunds (and the notes saying why it
 * stopped) become history, and the runner starts the group over with a fresh forward.
 */
export async function retryCheckout(scope: Scope, kind: Kind, id: string): Promise<CheckoutRow> {
  return db().transaction(async (tx) => {
    const loaded = await lockOwn(tx, scope, kind, id);
    const c = loaded.checkout;
    if (c.status !== "processing" || !(await settlementFailed(tx, c.id))) {
      throw errors.conflict(`This ${kind} has no failed settlement to retry (it is ${c.status}).`, "nothing_to_retry");
    }
    // the notes go; the failed rows stay as history, older than the retry (lib/forwarding/token-state)
    await tx.delete(settlementNotes).where(eq(settlementNotes.checkoutId, c.id));
    await tx.insert(checkoutActions).values({ checkoutId: c.id, merchantId: c.merchantId, livemode: c.livemode, kind: "retry", status: "done" });
    await actionEvent(tx, c, "retried");
    return c;
  });
}

export type RefundInput = { address: string; amountUnits?: string; network?: string; asset?: string };

/**
 * Requests a refund of funds a finished checkout left on a receiver — paid late, short (expired),
 * in an asset that does not count, or after a failed settlement — to `address`. Only what is not
 * part of a delivered group can be refunded; the runner sends at most what the receiver holds.
 */
export async function refundCheckout(scope: Scope, kind: Kind, id: string, input: RefundInput): Promise<{ checkout: CheckoutRow; action: ActionRow }> {
  const result = await db().transaction(async (tx) => {
    const loaded = await lockOwn(tx, scope, kind, id);
    const c = loaded.checkout;
    if (c.status !== "expired" && c.status !== "succeeded" && c.status !== "bounced") {
      throw errors.conflict(`A ${kind} can be refunded once it is finished; this one is ${c.status}.` +
        (c.status === "waiting_payment" ? " Cancel it first, or accept what was paid." : ""), "not_refundable");
    }
    const holdings = await refundable(tx, loaded);
    // an asset names its currency code (eUSDT) or its symbol (USDT)
    const isAsset = (h: Holding) => !input.asset || h.assetCode === input.asset || assetSpec(h.network, h.assetCode)?.asset === input.asset;
    const candidates = holdings.filter((h) => (!input.network || h.network === input.network) && isAsset(h));
    if (candidates.length === 0) {
      const where = [input.asset && `in ${input.asset}`, input.network && `on ${input.network}`].filter(Boolean).join(" ");
      throw errors.conflict(where
        ? `Nothing of this ${kind}'s is left to refund ${where}.`
        : `Nothing of this ${kind}'s is left to refund: its funds were delivered or refunded already.`, "nothing_to_refund");
    }
    if (candidates.length > 1) {
      const networks = [...new Set(candidates.map((h) => h.network))];
      if (networks.length > 1) {
        throw errors.validation(`This ${kind} holds funds on ${networks.join(", ")} (${candidates.map((h) => h.assetCode).join(", ")}): name the network to refund.`, "network");
      }
      throw errors.validation(`This ${kind} holds several assets on ${networks[0]} (${candidates.map((h) => h.assetCode).join(", ")}): name the asset to refund.`, "asset");
    }
    const h = candidates[0];
    const family = networkSpec(h.network)?.family ?? "";
    if (!isAddressFamily(family)) throw errors.validation(`Refunds on ${h.network} are not supported.`, "network");
    const checked = checkAddress(family, input.address);
    if (!checked.ok) throw errors.validation(`address: ${checked.problem} (a ${family} address is needed for ${h.network})`, "address");
    await assertDestination(family, checked.address, "address");
    let amount: bigint | null = null;
    if (input.amountUnits !== undefined) {
      const spec = assetSpec(h.network, h.assetCode)!;
      try {
        amount = parseUnits(input.amountUnits, spec.decimals);
      } catch (err) {
        throw errors.validation(`amountUnits: ${err instanceof Error ? err.message : String(err)}`, "amountUnits");
      }
      if (amount <= 0n) throw errors.validation("amountUnits must be greater than 0.", "amountUnits");
      if (amount > h.amount) throw errors.validation(`amountUnits exceeds what is left to refund (${h.amount} base units of ${h.assetCode}).`, "amountUnits");
    }
    // an amount-less refund takes what the receiver holds — unless the receiver also holds funds of a
    // group assigned to the merchant's settlement batch: then exactly what is left to refund
    if (amount === null && loaded.groups.some((g) => g.status === "batched" && g.receiverId === h.receiverId)) amount = h.amount;
    const [action] = await tx.insert(checkoutActions).values({
      checkoutId: c.id, merchantId: c.merchantId, livemode: c.livemode, kind: "refund", status: "pending",
      network: h.network, receiverId: h.receiverId, tokenAddress: h.tokenAddress, assetCode: h.assetCode,
      toAddress: storedAddress(family, checked.address), amount,
    }).returning();
    await actionEvent(tx, c, "refund_requested");
    return { checkout: c, action };
  });
  return result;
}

/** `tokenAddress` null: the network's native coin (its refund pays its own fee out of the amount). */
export type Holding = { network: string; receiverId: string; tokenAddress: string | null; assetCode: string; amount: bigint };

/**
 * Funds of the checkout still on its receivers (forward-settled families only), tokens and the
 * native coin: its deposits outside delivered or refunded groups, less refunds already requested.
 * A native-coin refund pays its transfer fee out of what it sends.
 */
async function refundable(tx: Executor, loaded: LoadedFacts): Promise<Holding[]> {
  const c = loaded.checkout;
  const summary = summarizePayment(c, loaded.toleranceBps, loaded.deposits);
  const settledGroups = groupsOf(summary, loaded.groups).filter((g) => g.state !== "pending");
  const settled = new Set(settledGroups.flatMap((g) => g.deposits.map((d) => d.id)));
  const out = new Map<string, Holding>();
  // a group's deposits that came after it was settled (a top-up while another group was still open) were not moved with it
  for (const g of settledGroups) {
    const row = loaded.groups.find((x) => x.network === g.network && x.receiverId === g.receiverId && x.assetCode === g.assetCode);
    const confirmed = g.deposits.filter((d) => d.status === "confirmed");
    const extra = confirmed.reduce((sum, d) => sum + d.amount, 0n) - (row?.depositedUnits ?? 0n);
    if (row && row.mode === "forward" && extra > 0n) {
      out.set(`${g.network}|${g.receiverId}|${g.assetCode}`, { network: g.network, receiverId: g.receiverId, tokenAddress: confirmed[0].tokenAddress, assetCode: g.assetCode, amount: extra });
    }
  }
  for (const d of loaded.deposits) {
    if (d.status !== "confirmed" || settled.has(d.id)) continue;
    const family = familyOf(d.network);
    if (family.settlement === "direct") continue; // paid straight to the merchant: nothing on a receiver
    // forwarded by the family's own engine: refundable only where that engine sends refunds (TON)
    if (family.custodialCheckouts && !family.custodialCheckouts.refunds) continue;
    const key = `${d.network}|${d.receiverId}|${d.assetCode}`;
    const h = out.get(key) ?? { network: d.network, receiverId: d.receiverId, tokenAddress: d.tokenAddress, assetCode: d.assetCode, amount: 0n };
    h.amount += d.amount;
    out.set(key, h);
  }
  const asked = await tx.select().from(checkoutActions).where(and(eq(checkoutActions.checkoutId, c.id), eq(checkoutActions.kind, "refund"), ne(checkoutActions.status, "failed")))
    .orderBy(desc(checkoutActions.createdAt));
  for (const a of asked) {
    const h = out.get(`${a.network}|${a.receiverId}|${a.assetCode}`);
    if (!h) continue;
    // a refund without an amount takes everything that was there
    h.amount = a.amount === null ? 0n : h.amount - a.amount;
  }
  // receivers of this checkout only (never another's)
  const own = new Set((await tx.select({ id: receivers.id }).from(receivers).where(eq(receivers.checkoutId, c.id))).map((r) => r.id));
  return [...out.values()].filter((h) => h.amount > 0n && own.has(h.receiverId));
}

/** A refund action as API.md's `refund` object. */
export function serializeRefund(a: ActionRow, txHash?: string | null) {
  const spec = a.network && a.assetCode ? assetSpec(a.network, a.assetCode) : undefined;
  return {
    id: a.id,
    status: a.status,
    network: a.network,
    toAddress: a.toAddress,
    amountUnits: a.amount === null ? null : spec ? formatUnits(a.amount, spec.decimals) : a.amount.toString(),
    ...(txHash ? { txHash } : {}),
    ...(a.error ? { error: a.error } : {}),
  };
}

export type AvailableActions = {
  accept: boolean;
  retry: boolean;
  /** funds a refund can send back, per network and asset */
  refund: Holding[];
};

/** What the merchant can do about this checkout now (the dashboard shows the matching buttons). */
export async function availableActions(exec: Executor, checkoutId: string): Promise<AvailableActions> {
  const loaded = await loadFacts(exec, checkoutId, false);
  if (!loaded) return { accept: false, retry: false, refund: [] };
  const c = loaded.checkout;
  const summary = summarizePayment(c, loaded.toleranceBps, loaded.deposits);
  const terminal = c.status === "expired" || c.status === "succeeded" || c.status === "bounced";
  return {
    accept: c.status === "waiting_payment" && summary.counted.length > 0,
    retry: c.status === "processing" && await settlementFailed(exec, c.id),
    refund: terminal ? await refundable(exec, loaded) : [],
  };
}
