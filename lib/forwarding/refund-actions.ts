// A merchant's refunds (POST /v1/sessions/{id}/refund, lib/checkout/actions): the network's runner
// sends each pending one from the receiver that holds the funds — the signed transaction stored
// before broadcast, under the receiver's sender lock, the action moved to `sent` in the same
// transaction (so a crash or a second worker never sends it twice) — then follows it to `done` or
// `failed`, each with its event.
import { and, asc, eq, gte, inArray, isNull, notInArray, sql } from "drizzle-orm";
import { checkoutActions, checkouts, outboundTxs } from "@/db/schema";
import { toEvmAddress } from "@/lib/addresses";
import { errorMessage, type Fees } from "@/lib/chains/evm/sender";
import { NATIVE_TOKEN } from "@/lib/checkout/native-token";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { actionEvent } from "@/lib/checkout/actions";
import { logger } from "@/lib/log/logger";
import { LeaseLostError } from "@/lib/worker/leases";
import { assetKey, isActive, receiverBusy, receiverContext, send, tokenOf } from "./context";
import { confirmedBalance, simulate } from "./forward";
import { receiverFees } from "./gas";

type Action = typeof checkoutActions.$inferSelect;
type Opts = { mnemonic: string; broadcast?: boolean };

export async function refundActionsPass(chain: ChainConfig, opts: Opts): Promise<void> {
  const mine = and(eq(checkoutActions.network, chain.network), eq(checkoutActions.livemode, chain.livemode), eq(checkoutActions.kind, "refund"));
  const sent = await db().select().from(checkoutActions).where(and(mine, eq(checkoutActions.status, "sent"))).limit(100);
  for (const a of sent) await follow(a);
  const pending = await db().select().from(checkoutActions).where(and(mine, eq(checkoutActions.status, "pending")))
    .orderBy(asc(checkoutActions.createdAt)).limit(20);
  for (const a of pending) {
    try {
      await refundStep(chain, a, opts);
    } catch (err) {
      if (err instanceof LeaseLostError) throw err;
      logger.warn({ network: chain.key, actionId: a.id, err: errorMessage(err) }, "refund step failed; will retry");
    }
  }
}

async function outcomeEvent(tx: Tx, checkoutId: string, what: "refunded" | "refund_failed"): Promise<void> {
  const [c] = await tx.select().from(checkouts).where(eq(checkouts.id, checkoutId));
  await actionEvent(tx, c, what);
}

/** A refund action that cannot be sent (or whose transaction failed) → failed, with its event (families sending their own refunds use it too). */
export async function fail(a: Action, reason: string): Promise<void> {
  await db().transaction(async (tx) => {
    const [moved] = await tx.update(checkoutActions).set({ status: "failed", error: reason, updatedAt: new Date() })
      .where(and(eq(checkoutActions.id, a.id), inArray(checkoutActions.status, ["pending", "sent"]))).returning({ id: checkoutActions.id });
    if (moved) await outcomeEvent(tx, a.checkoutId, "refund_failed");
  });
  logger.warn({ network: a.network, actionId: a.id, checkoutId: a.checkoutId, reason }, "refund failed");
}

/** A sent refund: done once its transaction is confirmed, failed if it failed (the funds stay on the receiver). */
export async function follow(a: Action): Promise<void> {
  if (!a.outboundTxId) {
    // a crash between signing and linking: the transaction signed with the action (same checkout, recipient, token, amount, after it)
    const [signed] = await db().select({ id: outboundTxs.id }).from(outboundTxs).where(and(
      eq(outboundTxs.checkoutId, a.checkoutId), eq(outboundTxs.purpose, "refund"), eq(outboundTxs.toAddress, a.toAddress!),
      a.tokenAddress === null ? isNull(outboundTxs.tokenAddress) : eq(outboundTxs.tokenAddress, a.tokenAddress), a.amount === null ? undefined : eq(outboundTxs.amount, a.amount), gte(outboundTxs.createdAt, a.createdAt),
      notInArray(outboundTxs.status, ["created", "replaced"]),
      sql`not exists (select 1 from checkout_actions x where x.outbound_tx_id = ${outboundTxs.id})`,
    )).orderBy(asc(outboundTxs.createdAt)).limit(1);
    if (!signed) return;
    await db().update(checkoutActions).set({ outboundTxId: signed.id }).where(eq(checkoutActions.id, a.id));
    a = { ...a, outboundTxId: signed.id };
  }
  const [row] = await db().select().from(outboundTxs).where(eq(outboundTxs.id, a.outboundTxId!));
  if (row?.status === "confirmed") {
    await db().transaction(async (tx) => {
      const [moved] = await tx.update(checkoutActions).set({ status: "done", updatedAt: new Date() })
        .where(and(eq(checkoutActions.id, a.id), eq(checkoutActions.status, "sent"))).returning({ id: checkoutActions.id });
      if (moved) await outcomeEvent(tx, a.checkoutId, "refunded");
    });
  } else if (row?.status === "failed") {
    await fail(a, `the refund transaction ${row.txHash ?? ""} failed: ${row.error ?? "reverted"}`);
  }
}

async function refundStep(chain: ChainConfig, a: Action, opts: Opts): Promise<void> {
  const [checkout] = await db().select().from(checkouts).where(eq(checkouts.id, a.checkoutId));
  const { ctx, mismatch } = await receiverContext(chain, checkout, a.receiverId!, opts.mnemonic, {
    deposits: [], broadcast: opts.broadcast ?? true, activeStatus: checkout.status,
    log: logger.child({ network: chain.key, sessionId: checkout.id, actionId: a.id }),
  });
  if (mismatch) return fail(a, mismatch);
  const key = assetKey(a.tokenAddress);
  const to = toEvmAddress(a.toAddress!);
  // one transaction of the receiver's at a time: the balance read below must not owe an unmined fee
  if (await receiverBusy(ctx)) return;
  const balance = await confirmedBalance(ctx, key);
  let amount: bigint;
  let gas: bigint;
  let fees: Fees | null;
  if (key === NATIVE_TOKEN) {
    // the native coin pays its own fee: at most the balance minus it; "everything" = exactly that
    const sim = await simulate(ctx, to, key, 1n);
    if ("revert" in sim) return fail(a, `the refund to ${a.toAddress} would revert (${sim.revert})`);
    const quote = await ctx.rail.quote(ctx.chain);
    const cost = sim.gas * quote.fees.maxFeePerGas + quote.extra;
    const most = balance - cost;
    amount = a.amount ?? most;
    if (most <= 0n || amount > most) {
      return fail(a, `the receiver holds ${balance} base units of ${a.assetCode}; the refund of ${a.amount ?? "everything"} and its fee of ${cost} do not fit`);
    }
    gas = sim.gas;
    fees = quote.fees;
  } else {
    amount = a.amount ?? balance;
    if (balance === 0n || amount > balance) {
      return fail(a, `the receiver holds ${balance} base units of ${a.assetCode}, less than the ${amount} to refund`);
    }
    const sim = await simulate(ctx, to, key, amount);
    if ("revert" in sim) return fail(a, `the refund to ${a.toAddress} would revert (${sim.revert})`);
    gas = sim.gas;
    fees = await receiverFees(ctx, sim.gas);
    if (!fees) return; // its gas funding is on the way
  }
  const row = await send(ctx, {
    account: ctx.receiver, purpose: "refund", to, token: tokenOf(key), amount, gas, fees,
    guard: async (tx: Tx) => {
      if (!(await isActive(tx, ctx))) return false;
      // the action is taken in the signing transaction: never signed twice
      // a native "everything" refund stays amount-less: what it sent is the balance minus the fee, and
      // nothing of that holding is left to refund (the outbound row has the amount)
      const [taken] = await tx.update(checkoutActions).set({ status: "sent", ...(key === NATIVE_TOKEN && a.amount === null ? {} : { amount }), updatedAt: new Date() })
        .where(and(eq(checkoutActions.id, a.id), eq(checkoutActions.status, "pending"))).returning({ id: checkoutActions.id });
      return taken !== undefined;
    },
  });
  if (!row) return;
  await db().update(checkoutActions).set({ outboundTxId: row.id }).where(eq(checkoutActions.id, a.id));
  ctx.log.info({ txHash: row.txHash, to: a.toAddress, amount: amount.toString() }, "refund sent");
}
