// Forwarding one ready checkout on one chain (DOMAIN.md, issue 3 item 5): move each deposited
// token from the receiver to the destination (the session's own address on its chain and token,
// otherwise the merchant's settlement address for the network); if that transfer reverts, refund
// to the session's refundAddress. Every call takes the next step only: state lives in
// outbound_txs, so the same call after a restart resumes where the last one stopped. Tron goes
// the same way: its receivers sign with their m/44'/195' keys through the network's TronSender,
// and outbound rows keep Tron's base58check form.
import { and, eq } from "drizzle-orm";
import { erc20Abi, getAddress, type Address } from "viem";
import { outboundTxs, settlementAddresses } from "@/db/schema";
import { storedAddress, toEvmAddress } from "@/lib/addresses";
import { evmClient } from "@/lib/chains/evm/client";
import { lockSender } from "@/lib/chains/evm/nonce";
import { errorMessage, estimateGasLimit, isRevert, REVERTED, transferCall } from "@/lib/chains/evm/sender";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { familyOf } from "@/lib/chains/registry";
import { logger } from "@/lib/log/logger";
import { checkFence } from "@/lib/worker/leases";
import { noteBlocked, type BlockedStep } from "./blocked";
import { NATIVE_TOKEN } from "@/lib/checkout/native-token";
import { assetKey, checkoutAssetKey, checkoutRows, receiverContext, rowsOfToken, send, step, stillNext, tokenOf, type ForwardContext } from "./context";
import { excessRefundPending } from "./excess-refund";
import { finish } from "./finish";
import { receiverFees } from "./gas";
import type { ReadyCheckout } from "./ready";
import { isDone, tokenState } from "./token-state";
import { BATCH_FAILED, MAX_BATCH_AMOUNT, type SweepBatch } from "@/lib/chains/evm/sweeper";
import type { BatchPolicy } from "@/lib/settlement/policy";
import { assignToBatch } from "./batched";

export type ForwardOptions = {
  mnemonic: string;
  broadcast?: boolean;
  /** the pass's EIP-7702 batch (lib/chains/evm/sweeper): token forwards are collected there and sent at the end of the pass */
  batch?: SweepBatch;
  /** the checkout's merchant settles in batches on this network (lib/settlement/policy): its groups are assigned, not forwarded */
  batchPolicy?: BatchPolicy | null;
};

export async function advanceCheckout(chain: ChainConfig, ready: ReadyCheckout, opts: ForwardOptions): Promise<void> {
  for (const group of ready.pending) await advanceReceiver(chain, ready, group, opts);
}

/**
 * The next step of the settlement groups one receiver holds on this chain (one per token):
 * forward each token, or refund it when its forward reverted; once every token is final the groups
 * are recorded and the decider settles the checkout when they were its last ones.
 */
async function advanceReceiver(chain: ChainConfig, ready: ReadyCheckout, group: ReadyCheckout["pending"][number], opts: ForwardOptions): Promise<void> {
  const { checkout } = ready;
  const log = logger.child({ network: chain.key, sessionId: checkout.id });
  const { ctx, mismatch } = await receiverContext(chain, checkout, group.receiverId, opts.mnemonic, {
    deposits: group.deposits, broadcast: opts.broadcast ?? true, log, retriedAt: ready.retriedAt, batch: opts.batch,
  });
  if (mismatch) return noteBlocked(step(ctx, "forward", null, null, 0n), mismatch);

  // EXCESS_REFUND payments send the excess back first; forwarding moves the rest
  if (await excessRefundPending(ctx)) return;

  // the native coin last: a token's transfer may still need the receiver's gas
  const tokens = [...new Set(group.deposits.map((d) => assetKey(d.tokenAddress)))].sort((a, b) => Number(a === NATIVE_TOKEN) - Number(b === NATIVE_TOKEN));
  const rows = await checkoutRows(db(), ctx);
  const states = tokens.map((token) => ({ token, state: tokenState(rowsOfToken(rows, token)) }));
  // batch settlement: nothing sent for this receiver yet → the merchant's next batch takes it (lib/forwarding/batched)
  if (opts.batchPolicy && rows.length === 0 && states.every((s) => s.state.kind === "forward")) {
    if (await assignToBatch(ctx, tokens, (token) => destinationFor(ctx, token))) return;
  }
  for (const { token, state } of states) {
    if (state.kind === "forward") await forwardToken(ctx, token);
    else if (state.kind === "refund") await refundToken(ctx, token);
    else if (state.kind === "blocked") await noteBlocked(step(ctx, "refund", tokenOf(token), null, 0n), state.reason);
  }
  if (states.every((s) => isDone(s.state))) await finish(ctx, states);
}

/** Where `token` goes: the session's destination if paid in its own chain and token, else the merchant's settlement address. */
async function destinationFor(ctx: ForwardContext, token: Address): Promise<{ to: Address } | { reason: string }> {
  const { checkout, chain } = ctx;
  if (checkout.network === chain.network && checkout.livemode === chain.livemode && checkoutAssetKey(checkout) === token) {
    return { to: toEvmAddress(checkout.destinationAddress) };
  }
  const [row] = await db().select({ address: settlementAddresses.address }).from(settlementAddresses).where(and(
    eq(settlementAddresses.merchantId, checkout.merchantId),
    eq(settlementAddresses.network, chain.network),
    eq(settlementAddresses.livemode, chain.livemode),
  ));
  if (!row) {
    return { reason: `no settlement address for ${chain.network} (${chain.livemode ? "live" : "test"} mode): add one in Settings; funds stay on the receiver until then` };
  }
  return { to: toEvmAddress(row.address) };
}

/** The receiver's balance of `token` (NATIVE_TOKEN: the native coin) as of the confirmed depth, never more than it holds now. */
export async function confirmedBalance(ctx: ForwardContext, token: Address): Promise<bigint> {
  const client = evmClient(ctx.chain);
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const depth = BigInt(Math.max(1, ctx.chain.confirmations));
  const read = (blockNumber?: bigint) => token === NATIVE_TOKEN
    ? client.getBalance({ address: ctx.receiver.address, blockNumber })
    : client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [ctx.receiver.address], blockNumber });
  // some nodes answer eth_call at "latest" only (Tron's JSON-RPC); their deposits are confirmed at depth already
  if (!ctx.rail.historicalReads) return read();
  const [settled, now] = await Promise.all([read(head >= depth ? head - depth + 1n : 0n), read()]);
  return settled < now ? settled : now;
}

/** Gas for the transfer, or the revert reason when the chain says it would revert. */
export async function simulate(ctx: ForwardContext, to: Address, token: Address, amount: bigint): Promise<{ gas: bigint } | { revert: string }> {
  try {
    return { gas: await estimateGasLimit(ctx.chain, ctx.receiver.address, transferCall(to, tokenOf(token), amount)) };
  } catch (err) {
    if (isRevert(err)) return { revert: errorMessage(err) };
    throw err;
  }
}

export async function forwardToken(ctx: ForwardContext, token: Address): Promise<void> {
  const dest = await destinationFor(ctx, token);
  const held = await confirmedBalance(ctx, token);
  const blocked = step(ctx, "forward", tokenOf(token), "to" in dest ? dest.to : null, held);
  if ("reason" in dest) return noteBlocked(blocked, dest.reason);
  if (ctx.batch && await batchable(ctx, token, held)) {
    // no gas funding and no transaction of the receiver's own: the pass's batch sweep moves it
    const sim = await simulate(ctx, dest.to, token, held);
    if ("revert" in sim) return recordRevertedForward(ctx, blocked, sim.revert);
    ctx.batch.add({
      merchantId: ctx.checkout.merchantId, checkoutId: ctx.checkout.id, receiver: ctx.receiver, token, to: dest.to, amount: held,
      guard: stillNext(ctx, token, "forward"),
    });
    return;
  }
  const plan = await transferPlan(ctx, blocked, dest.to, token, held);
  if (!plan) return;
  if ("revert" in plan) return recordRevertedForward(ctx, blocked, plan.revert);
  const row = await send(ctx, {
    account: ctx.receiver, purpose: "forward", to: dest.to, token: tokenOf(token), amount: plan.amount, gas: plan.gas, fees: plan.fees,
    guard: stillNext(ctx, token, "forward"),
  });
  if (row) ctx.log.info({ txHash: row.txHash, to: dest.to, token, amount: plan.amount.toString() }, "forward sent");
}

/**
 * A token forward goes in the pass's batch sweep unless it cannot: the native coin (the payment
 * pays its own fee), nothing held, an amount beyond 96 bits, or a batch of this token that did
 * not go through before (then one by one, the classic way).
 */
async function batchable(ctx: ForwardContext, token: Address, held: bigint): Promise<boolean> {
  if (token === NATIVE_TOKEN || held === 0n || held > MAX_BATCH_AMOUNT) return false;
  const rows = rowsOfToken(await checkoutRows(db(), ctx), token);
  return !rows.some((r) => r.status === "failed" && (r.error ?? "").startsWith(BATCH_FAILED));
}

/**
 * What the receiver sends of `held`: a token in full, its gas paid by the receiver (funded by the
 * hot wallet first when short — null until then); the native coin as what it holds minus the
 * transfer's fee, which the payment itself pays (recorded on the outbound row as fee_paid). Null
 * when it cannot be sent yet (a note says why, or gas funding is under way).
 */
async function transferPlan(ctx: ForwardContext, blocked: BlockedStep, to: Address, token: Address, held: bigint) {
  const what = token === NATIVE_TOKEN ? "native coin" : token;
  if (held === 0n) { await noteBlocked(blocked, `the receiver holds no confirmed ${what} to send`); return null; }
  if (token !== NATIVE_TOKEN) {
    const sim = await simulate(ctx, to, token, held);
    if ("revert" in sim) return sim;
    const fees = await receiverFees(ctx, sim.gas);
    return fees ? { amount: held, gas: sim.gas, fees } : null;
  }
  const { fees, extra } = await ctx.rail.quote(ctx.chain);
  // the gas of a value transfer to `to` (more than 21,000 when it is a contract), estimated on a small value
  const sim = await simulate(ctx, to, token, 1n);
  if ("revert" in sim) return sim;
  const cost = sim.gas * fees.maxFeePerGas + extra;
  if (held <= cost) {
    await noteBlocked(blocked, `the receiver's ${held} base units of the native coin do not cover the transfer fee (${cost}); they stay on the receiver`);
    return null;
  }
  return { amount: held - cost, gas: sim.gas, fees };
}

/**
 * The transfer to the destination would revert (a blocked address, a paused token): recorded as a
 * failed forward without spending gas on it, which makes the refund the next step.
 */
async function recordRevertedForward(ctx: ForwardContext, s: BlockedStep, reason: string): Promise<void> {
  const token = s.token === null ? NATIVE_TOKEN : toEvmAddress(s.token);
  const recorded = await db().transaction(async (tx) => {
    await checkFence(tx);
    await lockSender(tx, ctx.chain, ctx.receiver.address);
    if (!(await stillNext(ctx, token, "forward")(tx))) return false;
    await tx.insert(outboundTxs).values({
      merchantId: s.merchantId, livemode: ctx.chain.livemode, network: ctx.chain.network, chainId: ctx.chain.chainId,
      purpose: "forward", checkoutId: s.checkoutId, fromAddress: storedAddress(ctx.chain.family, s.from),
      toAddress: storedAddress(ctx.chain.family, s.to!), tokenAddress: s.token && storedAddress(ctx.chain.family, s.token),
      amount: s.amount, status: "failed", error: `${REVERTED} in simulation: ${reason}`,
    });
    return true;
  });
  if (recorded) ctx.log.warn({ to: s.to, token, reason }, "transfer to the destination would revert; refunding");
}

async function refundToken(ctx: ForwardContext, token: Address): Promise<void> {
  const refundAddress = ctx.checkout.refundAddress;
  const to = refundAddress ? getAddress(refundAddress) : null;
  const held = await confirmedBalance(ctx, token);
  const blocked = step(ctx, "refund", tokenOf(token), to, held);
  if (!to) return noteBlocked(blocked, "the transfer to the destination reverted and the session has no refundAddress; funds stay on the receiver");
  // the refundAddress is an EVM address; on another family the same 20 bytes may belong to nobody who can spend them
  if (familyOf(ctx.chain).addresses.problem(refundAddress!, ctx.chain.network) !== null) {
    return noteBlocked(blocked, `the transfer to the ${ctx.chain.network} settlement address failed and refundAddress is not a ${ctx.chain.network} address; refund the receiver's funds with POST …/refund`);
  }
  const plan = await transferPlan(ctx, blocked, to, token, held);
  if (!plan) return;
  if ("revert" in plan) return noteBlocked(blocked, `the refund to ${to} would revert too (${plan.revert}); funds stay on the receiver`);
  const row = await send(ctx, {
    account: ctx.receiver, purpose: "refund", to, token: tokenOf(token), amount: plan.amount, gas: plan.gas, fees: plan.fees,
    guard: stillNext(ctx, token, "refund"),
  });
  if (row) ctx.log.info({ txHash: row.txHash, to, token, amount: plan.amount.toString() }, "refund sent");
}
