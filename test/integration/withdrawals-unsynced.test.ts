// Withdrawals wait while their network is not synced (DOMAIN.md "Withdrawals"): a world of its
// own (database, devnets mined by hand, worker) so the chains can be made to stall. The same on
// ethereum and on Tron (through the Tron withdrawal engine).
import { eq } from "drizzle-orm";
import { createTestClient, http, parseEther } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { networkStatus, outboundTxs, withdrawals } from "@/db/schema";
import { numberToHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { tronToHex } from "@/lib/addresses";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { createDepositAddress } from "@/lib/deposit-addresses/create";
import { merchantBalances } from "@/lib/ledger/accounts";
import { ANVIL_ACCOUNT_0 } from "./helpers/ledger";
import { rpcCall } from "./helpers/watcher";
import { chainFor } from "@/lib/config";
import { db } from "@/lib/db/client";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { loadConfig } from "@/lib/config";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { hexToTron } from "@/lib/addresses";
import { HOT_WALLET_INDEX, tronAccountAt } from "@/lib/keys/derive";
import { ensureKeyRoots } from "@/lib/keys/roots";
import { requestPayout } from "@/lib/withdrawals/request";
import { reconcile } from "@/lib/chains/evm/sender";
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
    // the merchant's own money first: ETH and TRX paid to its deposit addresses and confirmed by a worker
    const owner = { merchantId, livemode: false };
    const ethAddr = await createDepositAddress(owner, { kind: "new", userId: "u", currency: resolveCurrency("ETH", false) });
    const trxAddr = await createDepositAddress(owner, { kind: "new", userId: "u", currency: resolveCurrency("TRX", false) });
    const funder = world.startWorker("funder");
    // the watcher starts at the head it first sees: pay once it watches
    await world.mine(1);
    await world.mine(1, "tron");
    await world.synced("ethereum", 60_000);
    await world.synced("tron", 60_000);
    // twice what the first payout takes: the second is the one finished while not synced (below)
    await rpcCall(world.rpc.ethereum, "eth_sendTransaction", [{ from: ANVIL_ACCOUNT_0, to: ethAddr.address, value: numberToHex(24690n) }]);
    await rpcCall(world.rpc.tron!, "eth_sendTransaction", [{ from: ANVIL_ACCOUNT_0, to: tronToHex(trxAddr.address), value: numberToHex(54321n) }]);
    const funded = Date.now() + 45_000;
    for (;;) {
      await world.mine(1);
      await world.mine(1, "tron");
      const b = await merchantBalances(owner);
      if (b.find((x) => x.asset === "ETH")?.available === 24690n && b.find((x) => x.asset === "TRX")?.available === 54321n) break;
      if (Date.now() > funded) throw new Error(`deposits not confirmed: ${JSON.stringify(b, (_k, v) => typeof v === "bigint" ? String(v) : v)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    await funder.kill("SIGKILL");
    // a stalled worker: its last look at the chains is long past, so neither network is synced
    await db().update(networkStatus).set({ checkedAt: new Date(Date.now() - 3600_000) });
    const w = await requestPayout({ merchantId, livemode: false }, { user_id: "u", query_id: "q", currency: "ETH", amount: "12345", destination: privateKeyToAccount(generatePrivateKey()).address });
    const t = await requestPayout({ merchantId, livemode: false }, { user_id: "u", query_id: "t", currency: "TRX", amount: "54321", destination: hexToTron(privateKeyToAccount(generatePrivateKey()).address) });

    // no watcher is processing blocks: not synced, nothing signed, the reason says why
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

    // only sending waits for sync: a payout signed while synced, whose transaction became final,
    // is finished while the network is not synced (the watcher lagging behind a faulty node)
    const synced = () => db().update(networkStatus).set({ checkedAt: new Date(), headTime: new Date() }).where(eq(networkStatus.network, "ethereum"));
    await synced();
    const w2 = await requestPayout({ merchantId, livemode: false }, { user_id: "u", query_id: "q2", currency: "ETH", amount: "12345", destination: privateKeyToAccount(generatePrivateKey()).address });
    await withdrawalTick(chain, { mnemonic, lease: false });
    const [signed] = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, w2.id));
    expect(signed?.status).toBe("broadcast");
    for (let i = 0; i < 20; i++) {
      await world.mine(1);
      await reconcile(chain);
      const [o] = await db().select().from(outboundTxs).where(eq(outboundTxs.id, signed.id));
      if (o.status === "confirmed") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await db().select().from(outboundTxs).where(eq(outboundTxs.id, signed.id)))[0].status).toBe("confirmed");
    await db().update(networkStatus).set({ checkedAt: new Date(Date.now() - 3600_000) });
    await withdrawalTick(chain, { mnemonic, lease: false });
    const [done] = await db().select().from(withdrawals).where(eq(withdrawals.id, w2.id));
    expect(done).toMatchObject({ status: "processed", txHash: signed.txHash });
  }, 120_000);
});
