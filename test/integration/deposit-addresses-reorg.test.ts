// Deposits to a permanent deposit address through reorgs (issue 6 item 3), on chains of our own
// (3 confirmations, mined by the test) watched by a worker of our own, for an EVM address and a
// Tron (base58) address — the same watcher and rules: a reorg before confirmation reverts the
// deposit (deposit.reverted, gone from history and income); mined again it is credited again and
// confirmed.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deposits, events } from "@/db/schema";
import { isTronAddress, tronToHex } from "@/lib/addresses";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { db } from "@/lib/db/client";
import { createDepositAddress } from "@/lib/deposit-addresses/create";
import { historyOfUser, incomeOfUser } from "@/lib/deposit-addresses/queries";
import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm-constants";
import { DEVNET_TRON_CHAIN } from "@/lib/devnet/tron-constants";
import { xpubOf } from "@/lib/keys/roots";
import { newMerchant } from "../helpers/api";
import { startIsolated, type Isolated } from "./helpers/isolated";
import { newPayer, publicClient, rpcCall, waitFor } from "./helpers/watcher";

let iso: Isolated;

beforeAll(async () => {
  iso = await startIsolated({ confirmations: 3, name: "addr_reorg", tron: true });
  iso.startWorker();
  await waitFor("the worker to record the key roots", async () => (await xpubOf("evm")) !== null && (await xpubOf("tron")) !== null, 60_000);
  for (const chain of ["ethereum", "tron"] as const) {
    await iso.mine(1, chain);
    await iso.synced(chain, 60_000);
  }
}, 120_000);
afterAll(async () => { await iso?.stop(); });

const depositRows = (to: string) => db().select().from(deposits).where(eq(deposits.toAddress, to));

const CASES = [
  { name: "an EVM address (USDC)", chain: "ethereum" as const, chainId: 31337, currency: "eUSDC", token: DEVNET_TOKEN_ADDRESSES.USDC, amount: 7_000_000n, userId: "r1" },
  { name: "a Tron address (TRC-20 USDT)", chain: "tron" as const, chainId: DEVNET_TRON_CHAIN.chainId, currency: "tUSDT", token: DEVNET_TOKEN_ADDRESSES.USDT, amount: 4_000_000n, userId: "t1" },
];

describe("permanent deposit addresses and reorgs", () => {
  it.each(CASES)("revert an unconfirmed deposit to $name and credit it again when re-included", async (c) => {
    const m = await newMerchant();
    const owner = { merchantId: m.merchantId, livemode: false };
    const addr = await createDepositAddress(owner, { kind: "new", userId: c.userId, currency: resolveCurrency(c.currency, false) });
    if (c.chain === "tron") expect(isTronAddress(addr.address)).toBe(true);
    const rpc = c.chain === "tron" ? iso.rpc.tron! : iso.rpc.ethereum;
    const payer = await newPayer(rpc, c.chainId, [{ token: c.token, amount: c.amount }], { mine: true });
    const to = c.chain === "tron" ? tronToHex(addr.address) : addr.address as `0x${string}`;
    const raw = await payer.sign(c.token, to, c.amount, 0);
    const hash = await rpcCall<`0x${string}`>(rpc, "eth_sendRawTransaction", [raw]);
    await iso.mine(1, c.chain);
    await publicClient(rpc).waitForTransactionReceipt({ hash, pollingInterval: 50 });
    await waitFor("the deposit to be seen", async () => (await depositRows(addr.address)).length === 1);
    const history = () => historyOfUser(owner, { userId: c.userId, currency: c.currency, limit: 10, offset: 0, sortOrder: "desc" });
    expect((await history()).map((h) => h.tx_hash)).toEqual([hash]);

    // one block on top (still below the depth), then replace both: the payer's funding block stays
    await iso.mine(1, c.chain);
    await iso.synced(c.chain);
    expect((await depositRows(addr.address))[0].status).toBe("seen");
    await rpcCall(rpc, "anvil_reorg", [2, []]);
    await waitFor("the deposit to be reverted", async () => (await depositRows(addr.address))[0].status === "reverted");
    expect(await history()).toEqual([]);
    const typesOf = async (id: string) => (await db().select({ type: events.type }).from(events)
      .where(and(eq(events.objectType, "deposit"), eq(events.objectId, id))).orderBy(events.createdAt)).map((e) => e.type);
    const [d] = await depositRows(addr.address);
    expect(await typesOf(d.id)).toEqual(["deposit.detected", "deposit.reverted"]);

    await rpcCall(rpc, "anvil_reorg", [1, [[raw, 0]]]);
    await iso.mine(3, c.chain);
    await waitFor("the deposit to be confirmed", async () => (await depositRows(addr.address))[0].status === "confirmed");
    expect(await depositRows(addr.address)).toHaveLength(1);
    expect(await typesOf(d.id)).toEqual(["deposit.detected", "deposit.reverted", "deposit.detected", "deposit.confirmed"]);
    expect((await history()).map((h) => [h.tx_hash, h.amount])).toEqual([[hash, c.amount.toString()]]);
    expect((await incomeOfUser(owner, c.userId)).total_income).toEqual([{ deposit_address: addr.address, amount: c.amount.toString(), currency: c.currency }]);
  }, 90_000);
});
