// A merchant's settlement batch goes whole (lib/forwarding/batched): when one group's forward step
// fails (a node timing out on that receiver), the groups of the same batch already added to the
// pass's sweep are taken back, so the next pass sends them all in one transaction. Found as a
// flaky `settlement-policy` run: A ($20) and B ($40) were delivered in two transactions, A alone
// in the pass where B's step failed, B a pass later.
// The groups are written directly in live mode, a mode the stack's worker does not forward, and
// the pass runs in-process with a forward step of the test's own that fails for B.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { receivers, settlementGroups } from "@/db/schema";
import { SweepBatch } from "@/lib/chains/evm/sweeper";
import { db } from "@/lib/db/client";
import { batchedPass } from "@/lib/forwarding/batched";
import type { ForwardContext } from "@/lib/forwarding/context";
import { newMerchant } from "../helpers/api";
import { ethereum, mnemonic } from "./helpers/forwarding-fixtures";
import { attachReceiver, DESTINATION, insertSession, USDC } from "./helpers/watcher";

const live = { ...ethereum, livemode: true };

async function batchedGroup(merchantId: string, units: bigint): Promise<{ checkoutId: string; receiver: Address }> {
  const c = await insertSession(merchantId, units);
  const { receiver } = await attachReceiver(c.id);
  const [r] = await db().select({ id: receivers.id }).from(receivers).where(eq(receivers.address, receiver));
  await db().insert(settlementGroups).values({
    checkoutId: c.id, merchantId, livemode: true, network: "ethereum", chainId: ethereum.chainId, receiverId: r.id,
    assetCode: "eUSDC", tokenAddress: USDC, mode: "forward", status: "batched", depositedUnits: units, deliveredUnits: units,
    toAddress: DESTINATION, txHash: null,
  });
  return { checkoutId: c.id, receiver };
}

describe("a settlement batch goes whole", () => {
  it("a failed step for one group takes back the others from the pass's sweep; the next pass adds them all", async () => {
    const m = await newMerchant("Batch merchant (whole)");
    const a = await batchedGroup(m.merchantId, 20_000_000n);
    const b = await batchedGroup(m.merchantId, 40_000_000n);
    const batch = new SweepBatch(live, privateKeyToAccount(generatePrivateKey()), false);
    const add = (ctx: ForwardContext, token: Address) => batch.add({
      merchantId: m.merchantId, checkoutId: ctx.checkout.id, receiver: ctx.receiver, token, to: DESTINATION, amount: 1n, guard: async () => true,
    });

    // no policy: the batch is due at once. A's step adds it, B's fails
    await batchedPass(live, {
      mnemonic, broadcast: false, batch, forwardToken: async (ctx, token) => {
        if (ctx.checkout.id === b.checkoutId) throw new Error("the node timed out");
        add(ctx, token);
      },
    });
    expect(batch.items.map((i) => i.checkoutId)).toEqual([]);

    // the next pass: both steps go through, and both are in the same sweep
    await batchedPass(live, { mnemonic, broadcast: false, batch, forwardToken: async (ctx, token) => add(ctx, token) });
    expect(batch.items.map((i) => i.checkoutId).sort()).toEqual([a.checkoutId, b.checkoutId].sort());
    expect(batch.items.map((i) => i.receiver.address).sort()).toEqual([a.receiver, b.receiver].sort());
  });
});
