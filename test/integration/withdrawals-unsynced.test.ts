// Withdrawals wait while their network is not synced (DOMAIN.md "Withdrawals"): a world of its
// own (database, devnet mined by hand, worker) so the chain can be made to stall.
import { eq } from "drizzle-orm";
import { createTestClient, http, parseEther } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundTxs, withdrawals } from "@/db/schema";
import { chainFor } from "@/lib/config";
import { db } from "@/lib/db/client";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { loadConfig } from "@/lib/config";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { ensureKeyRoots } from "@/lib/keys/roots";
import { requestPayout } from "@/lib/withdrawals/request";
import { NOT_SYNCED_REASON, withdrawalTick } from "@/lib/withdrawals/tick";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { inject } from "vitest";
import { startIsolated, type Isolated } from "./helpers/isolated";

let world: Isolated;
const childEnv = JSON.parse(inject("testEnv").childEnvJson) as Record<string, string | undefined>;
const mnemonic = loadMnemonic(loadConfig(childEnv), { env: childEnv });

beforeAll(async () => {
  world = await startIsolated({ confirmations: 1, name: "withdraw_sync" });
  await ensureKeyRoots(mnemonic);
}, 60_000);
afterAll(() => world?.stop());

describe("withdrawals and sync", () => {
  it("are not sent while the network is not synced, then go out once it is", async () => {
    const chain = chainFor("ethereum", false)!;
    const hot = hotWalletAddress(mnemonic);
    await createTestClient({ mode: "anvil", transport: http(world.rpc.ethereum) }).setBalance({ address: hot, value: parseEther("10") });
    const { merchantId } = await createMerchant({ name: "sync", email: `sync-${Date.now()}@test.local`, password: "password-123456" });
    const w = await requestPayout({ merchantId, livemode: false }, { user_id: "u", query_id: "q", currency: "ETH", amount: "12345", destination: "0x000000000000000000000000000000000000dEaD" });

    // no watcher has processed a block: not synced, nothing signed, the reason says why
    await world.mine(1);
    await withdrawalTick(chain, { mnemonic, lease: false });
    let [row] = await db().select().from(withdrawals).where(eq(withdrawals.id, w.id));
    expect(row).toMatchObject({ status: "pending", reason: NOT_SYNCED_REASON });
    expect(await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, w.id))).toEqual([]);

    // a worker catches up with a chain that keeps producing blocks: it pays the withdrawal
    const worker = world.startWorker();
    const deadline = Date.now() + 45_000;
    for (;;) {
      await world.mine(1);
      [row] = await db().select().from(withdrawals).where(eq(withdrawals.id, w.id));
      if (row.status === "processed") break;
      if (Date.now() > deadline) throw new Error(`withdrawal still ${row.status} (${row.reason})`);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(row.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    await worker.kill();
  }, 90_000);
});
