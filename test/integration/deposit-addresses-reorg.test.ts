// Deposits to a permanent deposit address through reorgs (issue 6 item 3), on a chain of our own
// (3 confirmations, mined by the test) watched by a worker of our own: a reorg before
// confirmation reverts the deposit (deposit.reverted, gone from history and income); mined again
// it is credited again and confirmed.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deposits, events } from "@/db/schema";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { db } from "@/lib/db/client";
import { createDepositAddress } from "@/lib/deposit-addresses/create";
import { historyOfUser, incomeOfUser } from "@/lib/deposit-addresses/queries";
import { xpubOf } from "@/lib/keys/roots";
import { newMerchant } from "../helpers/api";
import { startIsolated, type Isolated } from "./helpers/isolated";
import { USDC, newPayer, publicClient, rpcCall, waitFor } from "./helpers/watcher";

let iso: Isolated;

beforeAll(async () => {
  iso = await startIsolated({ confirmations: 3, name: "addr_reorg" });
  iso.startWorker();
  await waitFor("the worker to record the key roots", () => xpubOf("evm"), 60_000);
  await iso.mine(1);
  await iso.synced("ethereum", 60_000);
}, 120_000);
afterAll(async () => { await iso?.stop(); });

const depositRows = (to: string) => db().select().from(deposits).where(eq(deposits.toAddress, to));

describe("permanent deposit addresses and reorgs", () => {
  it("revert an unconfirmed deposit and credit it again when re-included", async () => {
    const m = await newMerchant();
    const owner = { merchantId: m.merchantId, livemode: false };
    const addr = await createDepositAddress(owner, { kind: "new", userId: "r1", currency: resolveCurrency("eUSDC", false) });
    const rpc = iso.rpc.ethereum;
    const payer = await newPayer(rpc, 31337, [{ token: USDC, amount: 7_000_000n }], { mine: true });
    const raw = await payer.sign(USDC, addr.address as `0x${string}`, 7_000_000n, 0);
    const hash = await rpcCall<`0x${string}`>(rpc, "eth_sendRawTransaction", [raw]);
    await iso.mine(1);
    await publicClient(rpc).waitForTransactionReceipt({ hash, pollingInterval: 50 });
    await waitFor("the deposit to be seen", async () => (await depositRows(addr.address)).length === 1);
    const history = () => historyOfUser(owner, { userId: "r1", currency: "eUSDC", limit: 10, offset: 0, sortOrder: "desc" });
    expect((await history()).map((h) => h.tx_hash)).toEqual([hash]);

    // one block on top (still below the depth), then replace both: the payer's funding block stays
    await iso.mine(1);
    await iso.synced();
    expect((await depositRows(addr.address))[0].status).toBe("seen");
    await rpcCall(rpc, "anvil_reorg", [2, []]);
    await waitFor("the deposit to be reverted", async () => (await depositRows(addr.address))[0].status === "reverted");
    expect(await history()).toEqual([]);
    const typesOf = async (id: string) => (await db().select({ type: events.type }).from(events)
      .where(and(eq(events.objectType, "deposit"), eq(events.objectId, id))).orderBy(events.createdAt)).map((e) => e.type);
    const [d] = await depositRows(addr.address);
    expect(await typesOf(d.id)).toEqual(["deposit.detected", "deposit.reverted"]);

    await rpcCall(rpc, "anvil_reorg", [1, [[raw, 0]]]);
    await iso.mine(3);
    await waitFor("the deposit to be confirmed", async () => (await depositRows(addr.address))[0].status === "confirmed");
    expect(await depositRows(addr.address)).toHaveLength(1);
    expect(await typesOf(d.id)).toEqual(["deposit.detected", "deposit.reverted", "deposit.detected", "deposit.confirmed"]);
    expect((await history()).map((h) => [h.tx_hash, h.amount])).toEqual([[hash, "7000000"]]);
    expect((await incomeOfUser(owner, "r1")).total_income).toEqual([{ deposit_address: addr.address, amount: "7000000", currency: "eUSDC" }]);
  }, 90_000);
});
