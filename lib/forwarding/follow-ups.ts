// Deposits that reach a payment after it finished (follow-ups, recorded `late` by the evaluation):
// a REUSABLE payment credits them and sweeps them to the merchant's settlement address (purpose
// `sweep`); a ONE_TIME payment with refundFollowUpDepositsForOneTimePayments sends each back to
// its sender (purpose `refund`). Otherwise they stay on the receiver, shown to the merchant.
// One step per payment per pass, state in outbound_txs, like forwarding.
import { and, asc, eq, sql } from "drizzle-orm";
import { getAddress, zeroAddress, type Address } from "viem";
import { checkouts, deposits, payments } from "@/db/schema";
import { errorMessage, estimateGasLimit, isRevert, transferCall, type OutboundRow } from "@/lib/chains/evm/sender";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { LeaseLostError } from "@/lib/worker/leases";
import { clearBlocked, noteBlocked } from "./blocked";
import { assetKey, checkoutAssetKey, checkoutRows, isActive, receiverContext, send, step, tokenOf } from "./context";
import { receiverFees } from "./gas";

type Plan = { purpose: "sweep" | "refund"; to: Address | null; amount: bigint; done: number };

const inFlight = (r: OutboundRow) => r.status === "signed" || r.status === "broadcast";

export async function followUpPass(chain: ChainConfig, opts: { mnemonic: string; broadcast?: boolean }): Promise<void> {
  const candidates = await db().select({ checkout: checkouts, type: payments.type })
    .from(checkouts).innerJoin(payments, eq(payments.id, checkouts.id))
    .where(and(
      eq(checkouts.kind, "payment"), eq(checkouts.livemode, chain.livemode), eq(checkouts.network, chain.network),
      sql`${checkouts.status} in ('succeeded', 'expired')`,
      sql`(${payments.type} = 'REUSABLE' or ${payments.refundFollowUpDeposits})`,
      sql`exists (select 1 from deposits d where d.checkout_id = ${checkouts.id} and d.late and d.status = 'confirmed' and d.network = ${chain.network})`,
    ))
    .limit(100);
  for (const { checkout, type } of candidates) {
    try {
      await followUpStep(chain, checkout, type, opts);
    } catch (err) {
      if (err instanceof LeaseLostError) throw err;
      logger.warn({ network: chain.key, paymentId: checkout.id, err: errorMessage(err) }, "follow-up step failed; will retry");
    }
  }
}

async function followUpStep(chain: ChainConfig, checkout: typeof checkouts.$inferSelect, type: "ONE_TIME" | "REUSABLE", opts: { mnemonic: string; broadcast?: boolean }) {
  const key = checkoutAssetKey(checkout);
  const token = tokenOf(key);
  const late = (await db().select().from(deposits).where(and(
    eq(deposits.checkoutId, checkout.id), eq(deposits.late, true), eq(deposits.status, "confirmed"), eq(deposits.network, chain.network),
  )).orderBy(asc(deposits.blockNumber), asc(deposits.logIndex))).filter((d) => assetKey(d.tokenAddress) === key);
  if (late.length === 0) return;
  const { ctx, mismatch } = await receiverContext(chain, checkout, late[0].receiverId, opts.mnemonic, {
    deposits: late, broadcast: opts.broadcast ?? true, log: logger.child({ network: chain.key, paymentId: checkout.id }), activeStatus: checkout.status,
  });
  if (mismatch) return;
  const account = ctx.receiver;
  const purpose = type === "REUSABLE" ? "sweep" : "refund";
  const rows = await checkoutRows(db(), ctx, purpose);
  if (rows.some(inFlight)) return;
  const plan = nextStep(type, late, rows, checkout.destinationAddress);
  if (!plan) return;
  const blocked = step(ctx, plan.purpose, token, plan.to, plan.amount);
  if (!plan.to) return noteBlocked(blocked, "the follow-up deposit has no sender address to refund to; funds stay on the receiver");
  let gas: bigint;
  try {
    gas = await estimateGasLimit(chain, account.address, transferCall(plan.to, token, plan.amount));
  } catch (err) {
    if (!isRevert(err)) throw err;
    return noteBlocked(blocked, `the ${plan.purpose} to ${plan.to} would revert (${errorMessage(err)}); funds stay on the receiver`);
  }
  const fees = await receiverFees(ctx, gas);
  if (!fees) return;
  const row = await send(ctx, {
    account, purpose: plan.purpose, to: plan.to, token, amount: plan.amount, gas, fees,
    guard: async (tx: Tx) => {
      if (!(await isActive(tx, ctx))) return false;
      const now = await checkoutRows(tx, ctx, plan.purpose);
      if (now.some(inFlight) || now.filter((r) => r.status === "confirmed").length !== plan.done) return false;
      await clearBlocked(tx, chain, checkout.id, { purposes: [plan.purpose] });
      return true;
    },
  });
  if (row) ctx.log.info({ txHash: row.txHash, purpose: plan.purpose, to: plan.to, amount: plan.amount.toString() }, "follow-up deposit moved");
}

/** REUSABLE: sweep what the follow-ups brought and earlier sweeps did not move. ONE_TIME: refund the next follow-up to its sender. */
function nextStep(type: "ONE_TIME" | "REUSABLE", late: (typeof deposits.$inferSelect)[], rows: OutboundRow[], destination: string): Plan | null {
  const confirmed = rows.filter((r) => r.status === "confirmed");
  if (type === "REUSABLE") {
    const amount = late.reduce((s, d) => s + d.amount, 0n) - confirmed.reduce((s, r) => s + r.amount, 0n);
    return amount > 0n ? { purpose: "sweep", to: getAddress(destination), amount, done: confirmed.length } : null;
  }
  const next = late[confirmed.length];
  if (!next) return null;
  const from = next.fromAddress && getAddress(next.fromAddress) !== zeroAddress ? getAddress(next.fromAddress) : null;
  return { purpose: "refund", to: from, amount: next.amount, done: confirmed.length };
}
