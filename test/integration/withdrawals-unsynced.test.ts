// Withdrawals wait while their network is not synced (DOMAIN.md "Withdrawals"): a world of its
// own (database, devnets mined by hand, worker) so the chains can be made to stall. The same on
// ethereum and on Tron (through the Tron withdrawal engine).
import { eq } from "drizzle-orm";
import { createTestClient, http, parseEther } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundTxs, withdrawals } from "@/db/schema";
import { chainFor } from "@/lib/config";
import { db } from "@/lib/db/client";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { loadConfig } from "@/lib/config";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { hexToTron } from "@/lib/addresses";
import { HOT_WALLET_INDEX, tronAccountAt } from "@/lib/keys/derive";
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
  world = await startIsolated({ confirmations: 1, name: "withdraw_sync", tron: true });
  await ensureKeyRoots(mnemonic);
}, 60_000);
afterAll(() => world?.stop());

describe("withdrawals and sync", () => {
  it("are not sent while the network is not synced, then go out once it is", async () => {
    const chain = chainFor("ethereum", false)!;
    const tron = chainFor("tron", false)!;
    const hot = hotWalletAddress(mnemonic);
    await createTestClient({ mode: "anvil", transport: http(world.rpc.ethereum) }).setBalance({ address: hot, value: parseEther("10") });
    await createTestClient({ mode: "anvil", transport: http(world.rpc.tron!) }).setBalance({ address: tronAccountAt(mnemonic, HOT_WALLET_INDEX).address, value: parseEther("10") });
    const { merchantId } = await createMerchant({ name: "sync", email: `sync-${Date.now()}@test.local`, password: "password-123456" });
    const w = await requestPayout({ merchantId, livemode: false }, { user_id: "u", query_id: "q", currency: "ETH", amount: "12345", destination: "0x000000000000000000000000000000000000dEaD" });
    const t = await requestPayout({ merchantId, livemode: false }, { user_id: "u", query_id: "t", currency: "TRX", amount: "54321", destination: hexToTron("0x000000000000000000000000000000000000dEaD") });

    // no watcher has processed a block: not synced, nothing signed, the reason says why
    await world.mine(1);
    await world.mine(1, "tron");
    await withdrawalTick(chain, { mnemonic, lease: false });
    await withdrawalTick(tron, { mnemonic, lease: false });
    const rowsOf = () => db().select().from(withdrawals).where(eq(withdrawals.merchantId, merchantId)).orderBy(withdrawals.id);
    let rows = await rowsOf();
    expect(rows.map((r) => [r.network, r.status, r.reason])).toEqual([["ethereum", "pending", NOT_SYNCED_REASON], ["tron", "pending", NOT_SYNCED_REASON]]);
    expect(await db().select().from(outboundTxs).where(eq(outboundTxs.merchantId, merchantId))).toEqual([]);

    // a worker catches up with chains that keep producing blocks: it pays both withdrawals
    const worker = world.startWorker();
    const deadline = Date.now() + 45_000;
    for (;;) {
      await world.mine(1);
      await world.mine(1, "tron");
      rows = await rowsOf();
      if (rows.every((r) => r.status === "processed")) break;
      if (Date.now() > deadline) throw new Error(`withdrawals still ${JSON.stringify(rows.map((r) => [r.network, r.status, r.reason]))}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const r of rows) expect(r.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(rows.map((r) => r.id)).toEqual([w.id, t.id]);
    await worker.kill();
  }, 90_000);
});
