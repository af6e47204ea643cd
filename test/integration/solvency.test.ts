// Solvency (issue 13, DOMAIN.md "Ledger"): the worker compares, per network and asset, what the
// instance holds on chain (hot wallet + deposit addresses) with what it owes its merchants; a
// shortfall pauses payouts on that network — /v1/system/sync, /healthz, the withdrawal's reason —
// until holdings cover the debt again, then the payout goes out. A world of its own (database,
// devnet mined by hand, a worker) so the chain can be made short without touching other tests.
import { eq } from "drizzle-orm";
import { encodeFunctionData, erc20Abi, getAddress, numberToHex, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { networkStatus, outboundTxs, withdrawals } from "@/db/schema";
import { loadConfig } from "@/lib/config";
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
import { createMerchant } from "@/lib/merchants/create-merchant";
import { syncReport } from "@/lib/sync/status";
import { requestPayout } from "@/lib/withdrawals/request";
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
});
