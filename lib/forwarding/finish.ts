// The last step: every token of the checkout has been forwarded (→ succeeded) or refunded after a
// reverted forward (→ bounced). delivery = the transaction that moved most of the value, with the
// amount that arrived (read from its Transfer logs) in the destination token's base units.
import { erc20Abi, getAddress, parseEventLogs, type Address, type Hex } from "viem";
import { toEvmAddress } from "@/lib/addresses";
import { evmClient } from "@/lib/chains/evm/client";
import type { OutboundRow } from "@/lib/chains/evm/sender";
import { transition, TransitionConflictError } from "@/lib/checkout/state-machine";
import { networkSpec } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { mulDivDown } from "@/lib/money/units";
import { emitPaymentStatus } from "@/lib/payments/events";
import { sessionEvent } from "@/lib/sessions/events";
import { checkFence } from "@/lib/worker/leases";
import { clearBlocked } from "./blocked";
import type { ForwardContext } from "./context";
import type { TokenState } from "./token-state";

/** What `row` delivered to its recipient, per the receipt's Transfer logs. */
async function arrived(ctx: ForwardContext, row: OutboundRow): Promise<bigint> {
  const receipt = await evmClient(ctx.chain).getTransactionReceipt({ hash: row.txHash as Hex });
  const logs = parseEventLogs({ abi: erc20Abi, eventName: "Transfer", logs: receipt.logs });
  const token = toEvmAddress(row.tokenAddress!);
  const to = toEvmAddress(row.toAddress);
  const moved = logs
    .filter((l) => getAddress(l.address) === token && getAddress(l.args.to) === to)
    .reduce((sum, l) => sum + l.args.value, 0n);
  if (moved === 0n) ctx.log.warn({ txHash: row.txHash }, "no Transfer log to the recipient; using the sent amount");
  return moved || row.amount;
}

/** Base units of `token` (as deposited) → base units of the checkout's destination token; stablecoins are 1:1. */
function inDestinationUnits(ctx: ForwardContext, token: Address, units: bigint): bigint {
  const d = ctx.deposits.find((x) => x.tokenAddress !== null && toEvmAddress(x.tokenAddress) === token);
  const decimals = networkSpec(ctx.chain.network)?.assets.find((a) => a.code === d?.assetCode)?.decimals ?? ctx.checkout.tokenDecimals;
  return mulDivDown(units, 10n ** BigInt(ctx.checkout.tokenDecimals), 10n ** BigInt(decimals));
}

export async function finish(ctx: ForwardContext, states: readonly { token: Address; state: TokenState }[]): Promise<void> {
  const bounced = states.some((s) => s.state.kind === "refunded");
  const want = bounced ? "refunded" : "forwarded";
  const moved: { row: OutboundRow; units: bigint }[] = [];
  for (const { token, state } of states) {
    if (state.kind !== want) continue;
    moved.push({ row: state.row, units: inDestinationUnits(ctx, token, await arrived(ctx, state.row)) });
  }
  const primary = moved.reduce((a, b) => (b.units > a.units ? b : a));
  const total = moved.reduce((sum, m) => sum + m.units, 0n);
  const to = bounced ? "bounced" : "succeeded";
  try {
    await db().transaction(async (tx) => {
      await checkFence(tx);
      await clearBlocked(tx, ctx.chain, ctx.checkout.id);
      const session = ctx.checkout.kind === "session";
      await transition(tx, ctx.checkout.id, "processing", to, session ? [sessionEvent(bounced ? "session.bounced" : "session.succeeded")] : [], {
        deliveryTxHash: primary.row.txHash, deliveryReceivedUnits: total,
      });
      if (!session) await emitPaymentStatus(tx, ctx.checkout.id);
    });
  } catch (err) {
    if (err instanceof TransitionConflictError) return; // finished by another process meanwhile
    throw err;
  }
  ctx.log.info({ status: to, txHash: primary.row.txHash, receivedUnits: total.toString() }, `session ${to}`);
}
