// Gas for the receiver's own transactions: the receiver only ever holds tokens, so before its
// first transfer the hot wallet sends it exactly what that transfer can cost (plus 10 %), and the
// transfer waits until that funding is confirmed. On Tron through TronGrid, "gas" is energy (priced
// in sun by the chain parameter getEnergyFee) plus a fixed bandwidth allowance; the funded TRX is what the
// receiver may burn, and each transaction's real cost lands in outbound_txs.fee_paid. A family that
// can lend the receiver what its transfer burns (Tron: energy of staked TRX) is asked first.
import { formatUnits } from "viem";
import { estimateGasLimit, transferCall, type Fees } from "@/lib/chains/evm/sender";
import { evmClient } from "@/lib/chains/evm/client";
import { NATIVE_TRANSFER_GAS } from "@/lib/chains/evm/rail";
import { noteBlocked } from "./blocked";
import { familyOf } from "@/lib/chains/registry";
import { isActive, noFundingInFlight, receiverBusy, send, step, type ForwardContext } from "./context";


/**
 * EIP-1559 fees the receiver can pay for `gas`, or null when it cannot yet: a gas funding from the
 * hot wallet is in flight (just sent, or sent earlier and not yet confirmed), or a transaction of
 * the receiver's own is — its fee is not yet spent from the balance read here, so a second one
 * signed now (another token's forward or refund) could not be paid for. It waits a pass.
 */
export async function receiverFees(ctx: ForwardContext, gas: bigint): Promise<Fees | null> {
  if (await receiverBusy(ctx)) return null;
  const { fees, extra } = await ctx.rail.quote(ctx.chain);
  // energy the hot wallet can lend (Tron's staked TRX) instead of the native coin to burn
  const lend = familyOf(ctx.chain).sender?.receiverEnergy;
  if (lend) {
    const plan = await lend(ctx.chain, {
      merchantId: ctx.checkout.merchantId, checkoutId: ctx.checkout.id, receiver: ctx.receiver.address, hotWallet: ctx.signers.hotWallet,
      gas, broadcast: ctx.broadcast, guard: (tx) => isActive(tx, ctx),
    });
    if (plan.kind === "ready") return plan.fees;
    if (plan.kind === "wait") return null;
    if (plan.kind === "fund") { await fundGas(ctx, plan.amount, fees, extra); return null; }
    ctx.log.debug({ reason: plan.reason }, "no energy to lend: funding the native coin to burn");
  }
  const client = evmClient(ctx.chain);
  const need = gas * fees.maxFeePerGas + extra;
  const balance = await client.getBalance({ address: ctx.receiver.address });
  if (balance >= need) return fees;
  if (extra > 0n) {
    await fundGas(ctx, need + need / 10n - balance, fees, extra);
    return null;
  }
  // fees moved since the funding: settle for a lower cap as long as it still covers the base fee
  const { baseFeePerGas } = await client.getBlock({ blockTag: "latest" });
  if (balance >= gas * ((baseFeePerGas ?? 0n) + fees.maxPriorityFeePerGas)) {
    return { maxFeePerGas: balance / gas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
  }
  await fundGas(ctx, need + need / 10n - balance, fees, 0n);
  return null;
}


/** `extra`: what the funding transfer itself costs when it is not gas × price (Tron bandwidth). */
async function fundGas(ctx: ForwardContext, value: bigint, fees: Fees, extra: bigint): Promise<void> {
  const hot = ctx.hotWallet.address;
  const blocked = step(ctx, "gas_funding", null, ctx.receiver.address, value, hot);
  const client = evmClient(ctx.chain);
  // a receiver that delegated to the sweeper (EIP-7702) runs its code on a plain transfer: more than 21,000 gas
  const code = extra > 0n ? undefined : await client.getCode({ address: ctx.receiver.address });
  const gas = code && code !== "0x" ? await estimateGasLimit(ctx.chain, hot, transferCall(ctx.receiver.address, null, value)) : NATIVE_TRANSFER_GAS;
  const hotBalance = await client.getBalance({ address: hot });
  const hotNeeds = value + ctx.rail.nativeTransferCost(ctx.chain, { fees, extra }, gas);
  if (hotBalance < hotNeeds) {
    const f = (v: bigint) => formatUnits(v, ctx.rail.nativeDecimals(ctx.chain));
    await noteBlocked(blocked, `hot wallet ${hot} holds ${f(hotBalance)} of the native coin; gas funding needs ${f(hotNeeds)}`);
    return;
  }
  const row = await send(ctx, {
    account: ctx.hotWallet, purpose: "gas_funding", to: ctx.receiver.address, token: null, amount: value,
    gas, fees, guard: noFundingInFlight(ctx),
  });
  if (row) ctx.log.info({ txHash: row.txHash, amount: value.toString() }, "gas funding sent to the receiver");
}
