// overpaymentPolicy EXCESS_REFUND (DOMAIN.md "Overpayment"): before a payment's deposits are
// forwarded, what was paid above the amount due goes back on chain to the sender of the deposit
// that overpaid, from the receiver (signed transaction stored before broadcast, lib/chains/evm/sender).
// Forwarding then moves what is left — the amount due — to the merchant.
import { and, eq } from "drizzle-orm";
import { getAddress, zeroAddress, type Address } from "viem";
import { checkouts, payments } from "@/db/schema";
import { errorMessage, estimateGasLimit, isRevert, REVERTED, transferCall } from "@/lib/chains/evm/sender";
import { summarizePayment } from "@/lib/checkout/payment-summary";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { noteBlocked, clearBlocked } from "./blocked";
import { checkoutAssetKey, checkoutRows, send, step, tokenOf, type ForwardContext } from "./context";
import { receiverFees } from "./gas";

/** true while the excess refund is still to be sent or confirmed (forwarding waits); false when there is none or it is done. */
export async function excessRefundPending(ctx: ForwardContext): Promise<boolean> {
  const { checkout } = ctx;
  if (checkout.kind !== "payment") return false;
  const [p] = await db().select({ policy: payments.overpaymentPolicy }).from(payments).where(eq(payments.id, checkout.id));
  if (p?.policy !== "EXCESS_REFUND") return false;
  const summary = summarizePayment(checkout, 0, ctx.deposits);
  const excess = summary.overpaidUnits;
  if (excess <= 0n) return false;

  const rows = await checkoutRows(db(), ctx, "excess_refund");
  if (rows.some((r) => r.status === "confirmed")) return false;
  if (rows.some((r) => r.status === "signed" || r.status === "broadcast")) return true;
  const token = tokenOf(checkoutAssetKey(checkout));
  const payer = [...summary.counted].reverse().find((d) => d.fromAddress && getAddress(d.fromAddress) !== zeroAddress)?.fromAddress;
  const to: Address | null = payer ? getAddress(payer) : null;
  const blocked = step(ctx, "excess_refund", token, to, excess);
  const bad = rows.find((r) => r.status === "failed" && (r.error ?? "").startsWith(REVERTED));
  if (bad) {
    await noteBlocked(blocked, `the excess refund ${bad.txHash ?? ""} reverted (${bad.error}); needs manual handling`);
    return true;
  }
  if (!to) {
    await noteBlocked(blocked, "the overpaying deposit has no sender address to refund the excess to; funds stay on the receiver");
    return true;
  }
  let gas: bigint;
  try {
    gas = await estimateGasLimit(ctx.chain, ctx.receiver.address, transferCall(to, token, excess));
  } catch (err) {
    if (!isRevert(err)) throw err;
    await noteBlocked(blocked, `the excess refund to ${to} would revert (${errorMessage(err)}); funds stay on the receiver`);
    return true;
  }
  const fees = await receiverFees(ctx, gas);
  if (!fees) return true;
  const row = await send(ctx, { account: ctx.receiver, purpose: "excess_refund", to, token, amount: excess, gas, fees, guard: noExcessRefundYet(ctx) });
  if (row) ctx.log.info({ txHash: row.txHash, to, token, amount: excess.toString() }, "excess refund sent");
  return true;
}

/** Under the receiver's sender lock: still processing, and no excess refund signed, sent or confirmed. */
function noExcessRefundYet(ctx: ForwardContext) {
  return async (tx: Tx): Promise<boolean> => {
    const [c] = await tx.select({ status: checkouts.status }).from(checkouts).where(and(eq(checkouts.id, ctx.checkout.id)));
    if (c?.status !== "processing") return false;
    const rows = await checkoutRows(tx, ctx, "excess_refund");
    if (rows.some((r) => r.status !== "failed")) return false;
    await clearBlocked(tx, ctx.chain, ctx.checkout.id, { purposes: ["excess_refund"] });
    return true;
  };
}
