// The last step of one receiver's settlement groups on a chain: every token it held has been
// forwarded (→ group `delivered`) or refunded after a reverted forward (→ group `refunded`). The
// groups are recorded with what really arrived — the chain, the token and the amount read from
// the transaction's Transfer logs — and the decider (lib/checkout/evaluate) settles the checkout
// once they were its last open groups: succeeded, or bounced when one was refunded.
import { erc20Abi, getAddress, parseEventLogs, type Address, type Hex } from "viem";
import { and, eq, isNull, sql } from "drizzle-orm";
import { checkouts, settlementGroups } from "@/db/schema";
import { storedAddress, toEvmAddress } from "@/lib/addresses";
import { evmClient } from "@/lib/chains/evm/client";
import type { OutboundRow } from "@/lib/chains/evm/sender";
import { evaluateCheckout } from "@/lib/checkout/evaluate";
import { db } from "@/lib/db/client";
import { checkFence } from "@/lib/worker/leases";
import { clearBlocked } from "./blocked";
import { NATIVE_TOKEN } from "@/lib/checkout/native-token";
import { assetKey, tokenOf, type ForwardContext } from "./context";
import type { TokenState } from "./token-state";

/** What `row` delivered to its recipient, per the receipt's Transfer logs. */
async function arrived(ctx: ForwardContext, row: OutboundRow): Promise<bigint> {
  // a value transfer delivers exactly its value (it has no log)
  if (row.tokenAddress === null) return row.amount;
  const receipt = await evmClient(ctx.chain).getTransactionReceipt({ hash: row.txHash as Hex });
  const logs = parseEventLogs({ abi: erc20Abi, eventName: "Transfer", logs: receipt.logs });
  const token = toEvmAddress(row.tokenAddress!);
  const to = toEvmAddress(row.toAddress);
  const from = toEvmAddress(row.fromAddress);
  // a batch sweep moves many receivers' tokens to the same address: only this receiver's transfer
  const moved = logs
    .filter((l) => getAddress(l.address) === token && getAddress(l.args.to) === to && getAddress(l.args.from) === from)
    .reduce((sum, l) => sum + l.args.value, 0n);
  if (moved === 0n) ctx.log.warn({ txHash: row.txHash }, "no Transfer log to the recipient; using the sent amount");
  return moved || row.amount;
}

export async function finish(ctx: ForwardContext, states: readonly { token: Address; state: TokenState }[]): Promise<void> {
  // read from the chain first: no RPC call inside the transaction below
  const groups: (typeof settlementGroups.$inferInsert & { deliveredUnits: bigint; assetCode: string; status: "delivered" | "refunded" })[] = [];
  for (const { token, state } of states) {
    if (state.kind !== "forwarded" && state.kind !== "refunded") continue;
    const deposits = ctx.deposits.filter((d) => assetKey(d.tokenAddress) === token);
    groups.push({
      checkoutId: ctx.checkout.id, merchantId: ctx.checkout.merchantId, livemode: ctx.chain.livemode,
      network: ctx.chain.network, chainId: deposits[0].chainId, receiverId: deposits[0].receiverId, assetCode: deposits[0].assetCode,
      tokenAddress: token === NATIVE_TOKEN ? null : storedAddress(ctx.chain.family, token), mode: "forward" as const,
      status: state.kind === "forwarded" ? "delivered" as const : "refunded" as const,
      depositedUnits: deposits.reduce((s, d) => s + d.amount, 0n), deliveredUnits: await arrived(ctx, state.row),
      toAddress: state.row.toAddress, txHash: state.row.txHash!,
    });
  }
  const result = await db().transaction(async (tx) => {
    await checkFence(tx);
    for (const { token } of states) await clearBlocked(tx, ctx.chain, ctx.checkout.id, { token: tokenOf(token) });
    if (groups.length) {
      // a group assigned to a settlement batch (lib/forwarding/batched) becomes delivered with its batch
      await tx.insert(settlementGroups).values(groups).onConflictDoUpdate({
        target: [settlementGroups.checkoutId, settlementGroups.network, settlementGroups.receiverId, settlementGroups.assetCode],
        set: { status: sql`excluded.status`, txHash: sql`excluded.tx_hash`, deliveredUnits: sql`excluded.delivered_units`, toAddress: sql`excluded.to_address` },
        setWhere: sql`${settlementGroups.status} = 'batched'`,
      });
      // a batched group's checkout succeeded when it was assigned: its first delivery transaction is known now
      if (ctx.activeStatus === "succeeded") await tx.update(checkouts).set({ deliveryTxHash: groups[0].txHash, deliveryReceivedUnits: groups[0].deliveredUnits, updatedAt: sql`now()` })
        .where(and(eq(checkouts.id, ctx.checkout.id), isNull(checkouts.deliveryTxHash), eq(checkouts.status, "succeeded")));
    }
    return evaluateCheckout(ctx.checkout.id, { tx });
  });
  ctx.log.info({ groups: groups.map((g) => ({ asset: g.assetCode, status: g.status, txHash: g.txHash, units: g.deliveredUnits.toString() })), status: result?.checkout.status },
    "settlement groups final");
}
