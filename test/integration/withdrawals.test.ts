// Hot-wallet withdrawals on the ethereum devnet (issue 6): idempotent requests, one on-chain
// transfer per withdrawal, balances with the queue's totals, a visible reason while the hot wallet
// is short, and a crash between signing and broadcast. Passes run in this process with the
// stack's mnemonic while this file holds the withdrawal leases (the stack's worker stays out).
import { and, eq, inArray } from "drizzle-orm";
import { keccak256, parseAbiItem, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, ledgerEntries, merchants, outboundTxs, withdrawals } from "@/db/schema";
import { reconcile } from "@/lib/chains/evm/sender";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { fundDevnetHotWallet } from "@/lib/forwarding/fund-devnet-hot-wallet";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { cancelWithdrawal, CANCELLED_REASON } from "@/lib/withdrawals/cancel";
import { withdrawalLease, withdrawalTick, type WithdrawalTickOptions } from "@/lib/withdrawals/tick";
import { Leases } from "@/lib/worker/leases";
import { api, envelope, newMerchant } from "../helpers/api";
import { balanceOf, client, ethereum, freshAddress, mnemonic, tokenOn } from "./helpers/forwarding-fixtures";
import { availableOf, fundMerchant } from "./helpers/ledger";

const USDC = tokenOn(ethereum, "USDC");
const USDT = tokenOn(ethereum, "USDT");
/** the merchant's own money: a confirmed deposit to one of its deposit addresses */
const fund = (key: string, code: string, amount: bigint) => fundMerchant(key, {
  code, amount, rpcUrl: ethereum.rpcUrls[0], token: code === "ETH" ? null : code === USDT.code ? USDT.address : USDC.address,
});
const hot = hotWalletAddress(mnemonic);
const TRANSFER = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");

async function statusOf(id: number) {
  const [w] = await db().select().from(withdrawals).where(eq(withdrawals.id, BigInt(id)));
  return w;
}

async function passUntil(chain: ChainConfig, done: () => Promise<boolean>, opts: WithdrawalTickOptions = {}, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await withdrawalTick(chain, { mnemonic, lease: false, ...opts });
    if (await done()) return;
    if (Date.now() > deadline) throw new Error("withdrawal did not get there in time");
    await new Promise((r) => setTimeout(r, 300));
  }
}

const leases = new Leases();
beforeAll(async () => {
  const deadline = Date.now() + 20_000;
  while (!(await leases.tryAcquire(withdrawalLease(ethereum)))) {
    if (Date.now() > deadline) throw new Error("could not take the withdrawal lease");
    await new Promise((r) => setTimeout(r, 200));
  }
  await fundDevnetHotWallet(ethereum.rpcUrls[0], hot);
});
afterAll(() => leases.close());

describe("withdrawals", () => {
  it("20 concurrent identical requests make one withdrawal and one on-chain transfer", async () => {
    const m = await newMerchant();
    await fund(m.key, "eUSDC", 1_500_000n);
    const destination = freshAddress();
    const body = { user_id: "u-1", query_id: "q-1", currency: "eUSDC", amount: "1500000", destination, comment: "payout" };
    const results = await Promise.all(Array.from({ length: 20 }, () => api(m.key).post("/v1/withdrawal/send", body)));
    for (const r of results) expect(r.status, r.text).toBe(200);
    const ids = new Set(results.map((r) => r.json.ID));
    expect(ids.size).toBe(1);
    const id = results[0].json.ID as number;
    expect(await db().select({ id: withdrawals.id }).from(withdrawals).where(eq(withdrawals.merchantId, m.merchantId))).toHaveLength(1);

    // a different body under the same (user_id, query_id) is a conflict; another query_id is another withdrawal
    const conflict = await api(m.key).post("/v1/withdrawal/send", { ...body, amount: "1" });
    expect(conflict.status).toBe(409);
    expect(envelope(conflict).param).toBe("query_id");
    expect(envelope(await api(m.key).post("/v1/withdrawal/send", { ...body, query_id: "q-2", destination: "0x1234" })).param).toBe("destination");
    expect(envelope(await api(m.key).post("/v1/withdrawal/send", { ...body, query_id: "q-3", amount: "1.5" })).param).toBe("amount");

    let st = await api(m.key).get(`/v1/withdrawal/status?id=${id}`);
    expect(st.json).toMatchObject({ user_id: "u-1", query_id: "q-1", status: "pending", tx_hash: null });
    const bal = await api(m.key).get("/v1/balance?currency=eUSDC");
    expect(bal.json).toMatchObject({ total_pending_amount: "1500000", total_processing_amount: "0" });

    // several passes at once (two workers): still one signed transaction
    await Promise.all([1, 2, 3].map(() => withdrawalTick(ethereum, { mnemonic, lease: false })));
    await passUntil(ethereum, async () => (await statusOf(id)).status === "processed");
    st = await api(m.key).get(`/v1/withdrawal/status?id=${id}`);
    expect(st.json).toMatchObject({ status: "processed", tx_hash: expect.stringMatching(/^0x[0-9a-f]{64}$/), reason: null });
    const rows = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, BigInt(id)));
    expect(rows.map((r) => [r.purpose, r.status, r.fromAddress, r.toAddress, r.amount])).toEqual([["withdrawal", "confirmed", hot, destination, 1_500_000n]]);
    expect(st.json.tx_hash).toBe(rows[0].txHash);
    const logs = await client(ethereum).getLogs({ address: USDC.address, event: TRANSFER, args: { to: destination }, fromBlock: 0n });
    expect(logs.map((l) => l.transactionHash)).toEqual([rows[0].txHash]);
    expect(await balanceOf(ethereum, USDC.address, destination)).toBe(1_500_000n);
    const types = await db().select({ type: events.type }).from(events).where(and(eq(events.objectType, "withdrawal"), eq(events.objectId, String(id)))).orderBy(events.createdAt);
    expect(types.map((t) => t.type)).toEqual(["withdrawal.processing", "withdrawal.processed"]);
    // the retry after completion still answers the same ID, and reserves nothing again
    expect((await api(m.key).post("/v1/withdrawal/send", body)).json.ID).toBe(id);
    expect(await availableOf(m.key, "eUSDC")).toBe(0n);
    const [acct] = (await api(m.key).get("/v1/balances")).json.data.filter((b: { code: string }) => b.code === "eUSDC");
    expect(acct).toMatchObject({ available: "0", reserved: "0", incoming: "0" });
  });

  it("pays several withdrawals in flight with consecutive nonces, native coin included", async () => {
    const m = await newMerchant();
    await fund(m.key, "eUSDT", 2000n);
    await fund(m.key, "ETH", 1000n);
    const dests = [freshAddress(), freshAddress(), freshAddress()];
    const ids: number[] = [];
    for (const [i, d] of dests.entries()) {
      const r = await api(m.key).post("/v1/withdrawal/send", { user_id: "u", query_id: `n-${i}`, currency: i === 2 ? "ETH" : "eUSDT", amount: "1000", destination: d });
      ids.push(r.json.ID);
    }
    await withdrawalTick(ethereum, { mnemonic, lease: false });
    const signed = await db().select().from(outboundTxs).where(eq(outboundTxs.fromAddress, hot));
    const mine = signed.filter((r) => ids.map(BigInt).includes(r.withdrawalId ?? -1n)).map((r) => r.nonce!).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(mine).toHaveLength(3);
    // no gap: every nonce between them is a recorded transaction of the hot wallet (the stack's
    // worker may have sent a batch sweep from it meanwhile: its rows carry the nonce as payer_nonce)
    const paid = await db().select({ n: outboundTxs.payerNonce }).from(outboundTxs).where(eq(outboundTxs.feePayer, hot));
    const taken = new Set([...signed.map((r) => r.nonce), ...paid.map((r) => r.n)].filter((n) => n !== null).map(String));
    for (let n = mine[0]; n <= mine[2]; n++) expect(taken.has(String(n)), `nonce ${n}`).toBe(true);
    expect(new Set(mine.map(String)).size).toBe(3);
    await passUntil(ethereum, async () => (await Promise.all(ids.map(statusOf))).every((w) => w.status === "processed"));
    expect(await client(ethereum).getBalance({ address: dests[2] })).toBe(1000n);
    expect(await balanceOf(ethereum, tokenOn(ethereum, "USDT").address, dests[0])).toBe(1000n);
  });

  it("stays pending with a visible reason while the hot wallet is short, until cancelled", async () => {
    const m = await newMerchant();
    const huge = (10n ** 30n).toString();
    await fund(m.key, "eUSDC", 10n ** 30n); // far more than the hot wallet holds: the merchant owns it, on its deposit address
    const r = await api(m.key).post("/v1/withdrawal/send", { user_id: "u", query_id: "big", currency: "eUSDC", amount: huge, destination: freshAddress() });
    const id = r.json.ID as number;
    await withdrawalTick(ethereum, { mnemonic, lease: false });
    await withdrawalTick(ethereum, { mnemonic, lease: false });
    const st = await api(m.key).get(`/v1/withdrawal/status?id=${id}`);
    expect(st.json).toMatchObject({ status: "pending", tx_hash: null, reason: expect.stringContaining("insufficient hot wallet balance") });
    expect(await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, BigInt(id)))).toEqual([]);
    expect((await api(m.key).get("/v1/balance?currency=eUSDC")).json.total_pending_amount).toBe(huge);
    expect(await cancelWithdrawal(m.merchantId, BigInt(id))).toBe(true);
    expect((await api(m.key).get(`/v1/withdrawal/status?id=${id}`)).json).toMatchObject({ status: "failed", reason: CANCELLED_REASON });
    expect((await api(m.key).get("/v1/balance?currency=eUSDC")).json).toMatchObject({ total_pending_amount: "0", balance: huge });
  });

  it("fails without spending gas when the token would refuse the transfer", async () => {
    const m = await newMerchant();
    await fund(m.key, "eUSDC", 5n);
    // the mock token reverts transfers to the zero address; the API refuses that destination first, so queue it as an
    // old instance would have (the row written directly, its amount reserved by the ledger like any payout)
    const [w] = await db().insert(withdrawals).values({
      merchantId: m.merchantId, livemode: false, kind: "payout", userId: "u", queryId: "zero", requestHash: "x", network: "ethereum",
      currency: "eUSDC", amount: 5n, destination: "0x0000000000000000000000000000000000000000",
    }).returning();
    await passUntil(ethereum, async () => (await statusOf(Number(w.id))).status === "failed");
    expect((await api(m.key).get(`/v1/withdrawal/status?id=${w.id}`)).json.reason).toMatch(/would revert/);
    expect(await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, w.id))).toEqual([]);
    expect(await availableOf(m.key, "eUSDC")).toBe(5n); // released
  });

  it("after a crash between signing and broadcast, sends the same signed transaction exactly once", async () => {
    const m = await newMerchant();
    await fund(m.key, "eUSDC", 777n);
    const destination = freshAddress();
    const r = await api(m.key).post("/v1/withdrawal/send", { user_id: "u", query_id: "crash", currency: "eUSDC", amount: "777", destination });
    const id = r.json.ID as number;
    // the pass signs and commits, then "dies" before broadcasting
    await withdrawalTick(ethereum, { mnemonic, lease: false, broadcast: false });
    const [signed] = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, BigInt(id)));
    expect(signed).toMatchObject({ purpose: "withdrawal", status: "signed", amount: 777n });
    expect(signed.txHash).toBe(keccak256(signed.signedTx as Hex));
    expect((await statusOf(id)).status).toBe("processing");
    // a restarted pass never signs it again
    await withdrawalTick(ethereum, { mnemonic, lease: false, broadcast: false });
    expect(await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, BigInt(id)))).toHaveLength(1);

    await reconcile(ethereum); // what the restarted worker's pass does first
    await passUntil(ethereum, async () => {
      await reconcile(ethereum);
      return (await statusOf(id)).status === "processed";
    });
    const rows = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, BigInt(id)));
    expect(rows.map((x) => [x.id, x.status])).toEqual([[signed.id, "confirmed"]]);
    const logs = await client(ethereum).getLogs({ address: USDC.address, event: TRANSFER, args: { to: destination as Address }, fromBlock: 0n });
    expect(logs.map((l) => l.transactionHash)).toEqual([signed.txHash]);
    expect((await statusOf(id)).txHash).toBe(signed.txHash);
  });

  it("sweeps a deposit address's tokens into the hot wallet, funding its gas first", async () => {
    const m = await newMerchant();
    const address = (await api(m.key).post("/v1/address/new", { user_id: "s", currency: "eUSDC" })).json.address as Address;
    const { mintDevnetToken } = await import("@/lib/devnet/evm");
    await mintDevnetToken(ethereum.rpcUrls[0], USDC.address, address, 3_000_000n);
    const deadline = Date.now() + 30_000;
    while ((await availableOf(m.key, "eUSDC")) < 3_000_000n) {
      if (Date.now() > deadline) throw new Error("deposit not confirmed");
      await new Promise((r) => setTimeout(r, 250));
    }
    const r = await api(m.key).post("/v1/withdrawal/service", { from: address.toLowerCase() });
    expect(r.status, r.text).toBe(200);
    expect(r.json.memo).toMatch(/^[0-9a-f-]{36}$/);
    const [w] = await db().select().from(withdrawals).where(eq(withdrawals.memo, r.json.memo));
    await passUntil(ethereum, async () => {
      await reconcile(ethereum);
      return (await statusOf(Number(w.id))).status === "processed";
    }, {}, 45_000);
    expect(await balanceOf(ethereum, USDC.address, address)).toBe(0n);
    const rows = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, w.id)).orderBy(outboundTxs.createdAt);
    expect(rows.map((x) => [x.purpose, x.status])).toEqual([["gas_funding", "confirmed"], ["sweep", "confirmed"]]);
    expect(rows[1]).toMatchObject({ fromAddress: address, toAddress: hot, amount: 3_000_000n });
    // a sweep moves custody, not ownership: still 3 USDC available; both transactions' fees charged to the merchant in ETH
    const accounts = (await api(m.key).get("/v1/balances")).json.data as { code: string; available: string; fees: string }[];
    expect(accounts.find((a) => a.code === "eUSDC")).toMatchObject({ available: "3000000", fees: "0" });
    const fees = rows.reduce((sum, x) => sum + (x.feePaid ?? 0n), 0n);
    expect(fees).toBeGreaterThan(0n);
    expect(accounts.find((a) => a.code === "ETH")).toMatchObject({ available: "0", fees: String(fees) });
    const entries = await db().select().from(ledgerEntries).where(and(eq(ledgerEntries.refType, "outbound_tx"), inArray(ledgerEntries.refId, rows.map((x) => x.id))));
    expect(entries.map((e) => [e.reason, e.amount]).sort()).toEqual([
      ["fee", rows[0].feePaid], ["fee", rows[1].feePaid], ["gas_funding", rows[0].amount], ["sweep", 3_000_000n],
    ].sort());
    // income counted on the hot wallet side: what the sweep moved there
    await db().update(merchants).set({ incomeCountingSide: "hot_wallet" }).where(eq(merchants.id, m.merchantId));
    expect((await api(m.key).get("/v1/income?user_id=s")).json).toEqual({
      counting_side: "hot_wallet", total_income: [{ deposit_address: address, amount: "3000000", currency: "eUSDC" }],
    });
  });
});
