// Solvency (issue 13, DOMAIN.md "Ledger"): the worker compares, per network and asset, what the
// instance holds on chain (hot wallet + deposit addresses) with what it owes its merchants; a
// shortfall pauses payouts on that network — /v1/system/sync, /healthz, the withdrawal's reason —
// until holdings cover the debt again, then the payout goes out. A world of its own (database,
// devnet mined by hand, a worker) so the chain can be made short without touching other tests.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, inArray } from "drizzle-orm";
import { createPublicClient, encodeFunctionData, erc20Abi, getAddress, http, numberToHex, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { depositAddresses, networkStatus, outboundTxs, withdrawals } from "@/db/schema";
import { chainFor, loadConfig } from "@/lib/config";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { db } from "@/lib/db/client";
import { createDepositAddress } from "@/lib/deposit-addresses/create";
import { DEVNET_TOKEN_ADDRESSES, mintDevnetToken } from "@/lib/devnet/evm";
import { fundDevnetHotWallet } from "@/lib/forwarding/fund-devnet-hot-wallet";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { health } from "@/lib/health/health";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { ensureKeyRoots } from "@/lib/keys/roots";
import { merchantBalance } from "@/lib/ledger/accounts";
import { measureSolvency } from "@/lib/ledger/solvency";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { syncReport } from "@/lib/sync/status";
import { requestPayout, requestSweep } from "@/lib/withdrawals/request";
import { startIsolated, type Isolated } from "./helpers/isolated";
import { rpcCall } from "./helpers/watcher";

let world: Isolated;
const childEnv = JSON.parse(inject("testEnv").childEnvJson) as Record<string, string | undefined>;
const mnemonic = loadMnemonic(loadConfig(childEnv), { env: childEnv });
const USDC = getAddress(DEVNET_TOKEN_ADDRESSES.USDC);

beforeAll(async () => {
  world = await startIsolated({ confirmations: 1, name: "solvency" });
  await ensureKeyRoots(mnemonic);
}, 60_000);
afterAll(() => world?.stop());

/** The isolated chain mines only on demand: a block every 300 ms while the test runs (transactions wait for receipts). */
let miner: NodeJS.Timeout | undefined;
afterAll(() => clearInterval(miner));

async function mineUntil(what: string, done: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const pausedReason = async () => (await db().select({ r: networkStatus.payoutsPausedReason }).from(networkStatus)
  .where(eq(networkStatus.network, "ethereum")))[0]?.r ?? null;

describe("solvency", () => {
  it("pauses payouts while on-chain holdings are short of what merchants are owed, and resumes once they cover it", async () => {
    const rpc = world.rpc.ethereum;
    miner = setInterval(() => { world.mine(1).catch(() => {}); }, 300);
    const hot = hotWalletAddress(mnemonic);
    await fundDevnetHotWallet(rpc, hot);
    const { merchantId } = await createMerchant({ name: "solvent", email: `solv-${Date.now()}@test.local`, password: "password-123456" });
    const owner = { merchantId, livemode: false };
    const address = getAddress((await createDepositAddress(owner, { kind: "new", userId: "u", currency: resolveCurrency("eUSDC", false) })).address);
    world.startWorker("solvency", { TOLLGATE_SOLVENCY_INTERVAL_MS: "300" });
    const head = await world.headNumber();
    await mineUntil("the worker to watch the chain", async () => {
      const [row] = await db().select({ n: networkStatus.headNumber }).from(networkStatus).where(eq(networkStatus.network, "ethereum"));
      return row !== undefined && row.n >= BigInt(head);
    });

    // a customer pays 10^9 USDC to the merchant's deposit address: owed and held
    const X = 10n ** 15n;
    await mintDevnetToken(rpc, USDC, address, X);
    await mineUntil("the deposit to be available", async () => (await merchantBalance(owner, "ethereum", "eUSDC")).available === X);
    await mineUntil("a passing solvency check", async () => {
      const [row] = await db().select().from(networkStatus).where(eq(networkStatus.network, "ethereum"));
      return row?.solvencyCheckedAt != null && row.payoutsPausedReason === null;
    });

    // the deposit address is emptied behind the ledger's back (a key leak, a bug): holdings fall short
    await rpcCall(rpc, "anvil_impersonateAccount", [address]);
    await rpcCall(rpc, "anvil_setBalance", [address, numberToHex(parseEther("1"))]);
    const thief = privateKeyToAccount(generatePrivateKey()).address;
    await rpcCall(rpc, "eth_sendTransaction", [{ from: address, to: USDC, data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [thief, X] }) }]);
    await mineUntil("payouts to be paused", async () => (await pausedReason()) !== null);
    expect(await pausedReason()).toMatch(/^payouts paused: on-chain holdings are below what merchants are owed \(eUSDC: holds \d+, owes 1000000000000000/);
    expect((await syncReport(false)).networks.ethereum.payouts_paused).toBe(true);
    expect((await health()).payoutsPaused).toContainEqual({ network: "ethereum", livemode: false });

    // the merchant still owns its balance; its payout is queued and waits with the reason, nothing is signed
    const w = await requestPayout(owner, { user_id: "u", query_id: "q", currency: "eUSDC", amount: "1000", destination: privateKeyToAccount(generatePrivateKey()).address });
    await mineUntil("the payout's reason", async () => {
      const [row] = await db().select().from(withdrawals).where(eq(withdrawals.id, w.id));
      return row.reason?.startsWith("payouts paused") ?? false;
    });
    expect((await db().select().from(withdrawals).where(eq(withdrawals.id, w.id)))[0].status).toBe("pending");
    expect(await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, w.id))).toEqual([]);

    // the operator tops up the hot wallet: the next check passes and the payout goes out
    await mintDevnetToken(rpc, USDC, hot, X);
    await mineUntil("payouts to resume and the payout to be processed", async () => {
      const [row] = await db().select().from(withdrawals).where(eq(withdrawals.id, w.id));
      return (await pausedReason()) === null && row.status === "processed";
    }, 90_000);
    expect((await syncReport(false)).networks.ethereum.payouts_paused).toBe(false);
  }, 180_000);

  it("reads custody at one height in a few requests, and only the deposit addresses that may still hold the asset", async () => {
    const rpc = world.rpc.ethereum;
    const { merchantId } = await createMerchant({ name: "many addresses", email: `solv-many-${Date.now()}@test.local`, password: "password-123456" });
    const owner = { merchantId, livemode: false };
    const addresses: `0x${string}`[] = [];
    for (let i = 0; i < 12; i++) addresses.push(getAddress((await createDepositAddress(owner, { kind: "new", userId: `u${i}`, currency: resolveCurrency("eUSDC", false) })).address));
    const X = 10n ** 9n;
    for (const a of addresses) await mintDevnetToken(rpc, USDC, a, X);
    await mineUntil("the deposits to be available", async () => (await merchantBalance(owner, "ethereum", "eUSDC")).available === 12n * X);
    // the first four are swept into the hot wallet: nothing is left on them
    const swept = addresses.slice(0, 4);
    const sweeps: bigint[] = [];
    for (const a of swept) sweeps.push((await requestSweep(owner, a, "eUSDC")).id);
    await mineUntil("the sweeps to be processed", async () =>
      (await db().select({ s: withdrawals.status }).from(withdrawals).where(inArray(withdrawals.id, sweeps))).every((r) => r.s === "processed"), 90_000);

    // a counting proxy in front of the node: what the check asks, and in how many HTTP requests
    const bodies: unknown[] = [];
    const proxy = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => {
        bodies.push(JSON.parse(body));
        fetch(rpc, { method: "POST", headers: { "content-type": "application/json" }, body })
          .then(async (r) => { res.writeHead(r.status, { "content-type": "application/json" }); res.end(await r.text()); })
          .catch(() => { res.writeHead(502); res.end(); });
      });
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const chain = chainFor("ethereum", false)!;
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const s = (await measureSolvency({ ...chain, rpcUrls: [url] }))!;
      const usdc = s.assets.find((a) => a.asset === "eUSDC")!;

      const calls = bodies.flatMap((b) => (Array.isArray(b) ? b : [b])) as { method: string; params: [{ to: string; data: string }, string] }[];
      const read = calls.filter((c) => c.method === "eth_call" && c.params[0].to.toLowerCase() === USDC.toLowerCase())
        .map((c) => getAddress(`0x${c.params[0].data.slice(34)}`));
      for (const a of addresses.slice(4)) expect(read).toContain(a);
      for (const a of swept) expect(read).not.toContain(a);
      expect(calls.filter((c) => c.method === "eth_call").every((c) => c.params[1] === numberToHex(s.block))).toBe(true);
      // the head, then one batch per asset owed (hundreds of addresses still fit in a few)
      expect(bodies.length).toBeLessThanOrEqual(1 + s.assets.length);

      // leaving the swept addresses out lost nothing: every deposit address of ours and the hot
      // wallet, read one by one at the same height by an independent client, hold what the check counted
      const client = createPublicClient({ transport: http(rpc) });
      const all = [hotWalletAddress(mnemonic), ...(await db().select({ a: depositAddresses.address }).from(depositAddresses).where(eq(depositAddresses.network, "ethereum"))).map((r) => getAddress(r.a))];
      let total = 0n;
      for (const a of all) total += await client.readContract({ address: USDC, abi: erc20Abi, functionName: "balanceOf", args: [a], blockNumber: s.block });
      expect(usdc.held).toBe(total);
      expect(usdc.held).toBeGreaterThanOrEqual(usdc.owed - usdc.inFlight);
    } finally {
      proxy.close();
    }
  }, 180_000);
});
