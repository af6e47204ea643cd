// A Tron deposit address through a reorg, on a Tron devnet of our own (3 confirmations, mined by
// the test) watched by a worker of our own: the TRC-20 deposit to the base58 address is seen, a
// reorg before confirmation reverts it (deposit.reverted, gone from history); mined again it is
// credited again and confirmed — the same watcher and rules as on EVM networks.
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

const USDT = DEVNET_TOKEN_ADDRESSES.USDT;
let iso: Isolated;

beforeAll(async () => {
  iso = await startIsolated({ confirmations: 3, name: "tron_addr_reorg", tron: true });
  iso.startWorker();
  await waitFor("the worker to record the key roots", () => xpubOf("tron"), 60_000);
  await iso.mine(1, "tron");
  await iso.synced("tron", 60_000);
}, 120_000);
afterAll(async () => { await iso?.stop(); });

const depositRows = (to: string) => db().select().from(deposits).where(eq(deposits.toAddress, to));

describe("Tron deposit addresses and reorgs", () => {
  it("revert an unconfirmed TRC-20 deposit and credit it again when re-included", async () => {
    const m = await newMerchant();
    const owner = { merchantId: m.merchantId, livemode: false };
    const addr = await createDepositAddress(owner, { kind: "new", userId: "t1", currency: resolveCurrency("tUSDT", false) });
    expect(isTronAddress(addr.address)).toBe(true);
    const rpc = iso.rpc.tron!;
    const payer = await newPayer(rpc, DEVNET_TRON_CHAIN.chainId, [{ token: USDT, amount: 4_000_000n }], { mine: true });
    const raw = await payer.sign(USDT, tronToHex(addr.address), 4_000_000n, 0);
    const hash = await rpcCall<`0x${string}`>(rpc, "eth_sendRawTransaction", [raw]);
    await iso.mine(1, "tron");
    await publicClient(rpc).waitForTransactionReceipt({ hash, pollingInterval: 50 });
    await waitFor("the deposit to be seen", async () => (await depositRows(addr.address)).length === 1);
    const history = () => historyOfUser(owner, { userId: "t1", currency: "tUSDT", limit: 10, offset: 0, sortOrder: "desc" });
    expect((await history()).map((h) => h.tx_hash)).toEqual([hash]);

    await iso.mine(1, "tron");
    await iso.synced("tron");
    expect((await depositRows(addr.address))[0].status).toBe("seen");
    await rpcCall(rpc, "anvil_reorg", [2, []]);
    await waitFor("the deposit to be reverted", async () => (await depositRows(addr.address))[0].status === "reverted");
    expect(await history()).toEqual([]);
    const typesOf = async (id: string) => (await db().select({ type: events.type }).from(events)
      .where(and(eq(events.objectType, "deposit"), eq(events.objectId, id))).orderBy(events.createdAt)).map((e) => e.type);
    const [d] = await depositRows(addr.address);
    expect(await typesOf(d.id)).toEqual(["deposit.detected", "deposit.reverted"]);

    await rpcCall(rpc, "anvil_reorg", [1, [[raw, 0]]]);
    await iso.mine(3, "tron");
    await waitFor("the deposit to be confirmed", async () => (await depositRows(addr.address))[0].status === "confirmed");
    expect(await depositRows(addr.address)).toHaveLength(1);
    expect(await typesOf(d.id)).toEqual(["deposit.detected", "deposit.reverted", "deposit.detected", "deposit.confirmed"]);
    expect((await history()).map((h) => [h.tx_hash, h.amount])).toEqual([[hash, "4000000"]]);
    expect((await incomeOfUser(owner, "t1")).total_income).toEqual([{ deposit_address: addr.address, amount: "4000000", currency: "tUSDT" }]);
  }, 90_000);
});
