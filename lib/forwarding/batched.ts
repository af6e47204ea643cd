// Batch settlement (issue 21 item 3; the policy is lib/settlement/policy). Two steps:
//   assign — a ready checkout's group on a network where its merchant settles in batches is not
//     forwarded: it is recorded `batched` (the ledger's trigger credits the merchant's `settling`
//     account) and the decider settles the checkout: `succeeded` means confirmed and the
//     merchant's, forwarded with its next batch.
//   batchedPass — per merchant, once the batch is due (threshold, longest wait, or no policy any
//     more), each batched group is forwarded with the normal forward step, under the checkout's
//     own status (succeeded): on EVM networks with EIP-7702 the pass's batch sweep carries them all
//     in one transaction. A confirmed forward turns the group `delivered` (the ledger moves the
//     amount out of `settling`). A forward that reverts is never refunded — the funds are the
//     merchant's — it waits, with a note, until the settlement address changes.
import { and, asc, eq, inArray, ne } from "drizzle-orm";
import type { Address } from "viem";
import { checkouts, deposits, outboundTxs, settlementAddresses, settlementGroups } from "@/db/schema";
import { storedAddress } from "@/lib/addresses";
import { lockSender } from "@/lib/chains/evm/nonce";
import type { SweepBatch } from "@/lib/chains/evm/sweeper";
import { evaluateCheckout } from "@/lib/checkout/evaluate";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { assetSpec } from "@/lib/deposits/assets";
import { logger, type Logger } from "@/lib/log/logger";
import { batchDue, batchPolicy, usdCents, type BatchPolicy } from "@/lib/settlement/policy";
import { checkFence, LeaseLostError } from "@/lib/worker/leases";
import { errorMessage } from "@/lib/chains/evm/sender";
import { noteBlocked } from "./blocked";
import { assetKey, checkoutRows, isActive, receiverContext, rowsOfToken, step, tokenOf, type ForwardContext } from "./context";
import { finish } from "./finish";
import { tokenState } from "./token-state";

/** Where each token of the group goes, or why it cannot be assigned (no settlement address). */
export type Destinations = (token: Address) => Promise<{ to: Address } | { reason: string }>;

/**
 * Assigns the receiver's groups (every token still to forward, none started) to the merchant's
 * next batch and lets the decider settle the checkout. Returns false when it did not (a step was
 * taken meanwhile, or a destination is missing — then a note says why, as a forward would).
 */
export async function assignToBatch(ctx: ForwardContext, tokens: readonly Address[], destinationFor: Destinations): Promise<boolean> {
  const rows: (typeof settlementGroups.$inferInsert)[] = [];
  for (const token of tokens) {
    const dest = await destinationFor(token);
    const own = ctx.deposits.filter((d) => assetKey(d.tokenAddress) === token);
    const units = own.reduce((s, d) => s + d.amount, 0n);
    if ("reason" in dest) {
      await noteBlocked(step(ctx, "forward", tokenOf(token), null, units), dest.reason);
      return false;
    }
    rows.push({
      checkoutId: ctx.checkout.id, merchantId: ctx.checkout.merchantId, livemode: ctx.chain.livemode, network: ctx.chain.network,
      chainId: own[0].chainId, receiverId: own[0].receiverId, assetCode: own[0].assetCode, tokenAddress: tokenOf(token) && storedAddress(ctx.chain.family, token),
      mode: "forward", status: "batched", depositedUnits: units, deliveredUnits: units, toAddress: storedAddress(ctx.chain.family, dest.to), txHash: null,
    });
  }
  const done = await db().transaction(async (tx) => {
    await checkFence(tx);
    // the same locks as a forward's signing: the receiver's sender lock, then the checkout row
    await lockSender(tx, ctx.chain, ctx.receiver.address);
    if (!(await isActive(tx, ctx))) return false;
    if ((await checkoutRows(tx, ctx)).length > 0) return false; // a forward started meanwhile: it goes on
    await tx.insert(settlementGroups).values(rows);
    await evaluateCheckout(ctx.checkout.id, { tx });
    return true;
  });
  if (done) ctx.log.info({ groups: rows.map((r) => ({ asset: r.assetCode, units: r.depositedUnits!.toString() })) }, "assigned to the merchant's next settlement batch");
  return done;
}

type Item = { group: typeof settlementGroups.$inferSelect; checkout: CheckoutRow };

export type BatchedPassOptions = {
  mnemonic: string;
  broadcast?: boolean;
  batch?: SweepBatch;
  /** the forward step of one token (lib/forwarding/forward forwardToken) */
  forwardToken: (ctx: ForwardContext, token: Address) => Promise<void>;
  now?: Date;
};

/** Forwards the batched groups on `chain` of every merchant whose batch is due; finishes the ones whose forward confirmed. */
export async function batchedPass(chain: ChainConfig, opts: BatchedPassOptions): Promise<void> {
  const rows: Item[] = await db().select({ group: settlementGroups, checkout: checkouts })
    .from(settlementGroups).innerJoin(checkouts, eq(checkouts.id, settlementGroups.checkoutId))
    .where(and(eq(settlementGroups.network, chain.network), eq(settlementGroups.livemode, chain.livemode), eq(settlementGroups.status, "batched")))
    .orderBy(asc(settlementGroups.createdAt))
    .limit(1000);
  const byMerchant = new Map<string, Item[]>();
  for (const r of rows) byMerchant.set(r.group.merchantId, [...(byMerchant.get(r.group.merchantId) ?? []), r]);
  for (const [merchantId, items] of byMerchant) {
    try {
      await merchantBatch(chain, merchantId, items, await batchPolicy(merchantId, chain), opts);
    } catch (err) {
      if (err instanceof LeaseLostError) throw err;
      logger.warn({ network: chain.key, merchantId, err: errorMessage(err) }, "settlement batch step failed; will retry");
    }
  }
}

async function merchantBatch(chain: ChainConfig, merchantId: string, items: Item[], policy: BatchPolicy | null, opts: BatchedPassOptions): Promise<void> {
  const log = logger.child({ network: chain.key, merchantId });
  // which groups' forwards have started (any forward or refund row of their checkout and token): one
  // query, so a merchant whose batch is not due costs this pass two queries, whatever it holds
  const rows = await db().select({ checkoutId: outboundTxs.checkoutId, tokenAddress: outboundTxs.tokenAddress }).from(outboundTxs).where(and(
    inArray(outboundTxs.checkoutId, items.map((i) => i.checkout.id)), eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode),
    inArray(outboundTxs.purpose, ["forward", "refund"]), ne(outboundTxs.status, "created"),
  ));
  const startedOf = (i: Item) => rows.some((r) => r.checkoutId === i.checkout.id && assetKey(r.tokenAddress) === assetKey(i.group.tokenAddress));
  const waiting = items.filter((i) => !startedOf(i));
  const parts = await Promise.all(waiting.map(async (i) => {
    const spec = assetSpec(chain.network, i.group.assetCode);
    const cents = spec ? await usdCents({ units: i.group.depositedUnits, decimals: spec.decimals, symbol: spec.asset }) : null;
    return { cents, since: i.group.createdAt };
  }));
  const due = batchDue(policy, parts, opts.now ?? new Date());
  if (waiting.length) log.debug({ due: due.due, why: due.why, parts: waiting.length }, "settlement batch");
  const act = due.due ? items : items.filter(startedOf);
  if (act.length === 0) return;
  // a settlement address changed after a forward reverted: failed transactions before the change are history
  const [address] = await db().select({ updatedAt: settlementAddresses.updatedAt }).from(settlementAddresses)
    .where(and(eq(settlementAddresses.merchantId, merchantId), eq(settlementAddresses.network, chain.network), eq(settlementAddresses.livemode, chain.livemode)));
  // the batch goes whole: a step that fails (a node timing out on one receiver) takes back what this
  // merchant's batch already added to the pass's sweep, so the next pass sends all of it together
  const mark = opts.batch?.mark();
  try {
    await forwardEach(chain, act, opts, log, address?.updatedAt ?? null);
  } catch (err) {
    if (opts.batch && mark !== undefined) opts.batch.rollbackTo(mark);
    throw err;
  }
}

async function forwardEach(chain: ChainConfig, act: Item[], opts: BatchedPassOptions, log: Logger, retriedAt: Date | null): Promise<void> {
  for (const item of act) {
    const { group, checkout } = item;
    const own = await db().select().from(deposits).where(and(
      eq(deposits.checkoutId, checkout.id), eq(deposits.network, group.network), eq(deposits.receiverId, group.receiverId),
      eq(deposits.assetCode, group.assetCode), eq(deposits.status, "confirmed"), eq(deposits.late, false),
    ));
    const { ctx, mismatch } = await receiverContext(chain, checkout, group.receiverId, opts.mnemonic, {
      deposits: own, broadcast: opts.broadcast ?? true, log: log.child({ sessionId: checkout.id }), batch: opts.batch,
      activeStatus: checkout.status, retriedAt,
    });
    const token = assetKey(group.tokenAddress);
    if (mismatch) {
      await noteBlocked(step(ctx, "forward", tokenOf(token), null, group.depositedUnits), mismatch);
      continue;
    }
    const state = tokenState(rowsOfToken(await checkoutRows(db(), ctx), token));
    switch (state.kind) {
      case "forward":
        await opts.forwardToken(ctx, token);
        break;
      case "forwarded":
        await finish(ctx, [{ token, state }]);
        break;
      case "refund":
      case "refunded":
      case "blocked":
        // the funds are the merchant's (the checkout succeeded): never sent back to the payer
        await noteBlocked(step(ctx, "forward", tokenOf(token), null, group.depositedUnits),
          "the batch forward to the settlement address reverted; the funds stay on the receiver and remain yours in the ledger (Balances → Settling). Change the settlement address in Settings and the next pass forwards them there.");
        break;
      case "wait":
        break;
    }
  }
}
