// Senders that unstick themselves (issue 15): a hot-wallet transaction priced under the base fee
// holds up every later nonce of the sender. The forwarding pass's reconcile replaces it — same
// nonce and call, fees raised ≥ 12.5 %, signed and recorded before broadcast — and whichever
// transaction of the replacement chain is mined is the one: exactly one transfer on chain, the
// withdrawal ends processed with that transaction's hash, only the mined one pays a fee. The
// congestion is anvil's: mining paused while the payout is signed, then the next block's base fee
// raised far above what it was signed with. This file holds the withdrawal and forwarding leases,
// so the stack's worker stays out and every pass runs here.
import { and, eq, inArray } from "drizzle-orm";
import { createTestClient, http, numberToHex, parseAbiItem, parseTransaction, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerEntries, outboundTxs, withdrawals } from "@/db/schema";
import { replaceTransaction } from "@/lib/chains/evm/sender";
import { ensureSweeper } from "@/lib/chains/evm/sweeper";
import { logger } from "@/lib/log/logger";
import { db } from "@/lib/db/client";
import { fundDevnetHotWallet } from "@/lib/forwarding/fund-devnet-hot-wallet";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { forwardingLease, forwardingTick } from "@/lib/forwarding/tick";
import { evmAccountAt, HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { withdrawalLease, withdrawalTick } from "@/lib/withdrawals/tick";
import { Leases } from "@/lib/worker/leases";
import { api, baseUrl, newMerchant } from "../helpers/api";
import { balanceOf, client, ethereum, freshAddress, mnemonic, processingSession, tokenOn } from "./helpers/forwarding-fixtures";
import { fundMerchant } from "./helpers/ledger";

const USDC = tokenOn(ethereum, "USDC");
const hot = hotWalletAddress(mnemonic);
const TRANSFER = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");
const anvil = createTestClient({ mode: "anvil", transport: http(ethereum.rpcUrls[0]) });
const rpc = (method: string, params: unknown[]) => anvil.request({ method: method as never, params: params as never });
const pauseMining = () => rpc("evm_setIntervalMining", [0]);
const resumeMining = () => rpc("evm_setIntervalMining", [1]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withdrawalOf(id: number) {
  const [w] = await db().select().from(withdrawals).where(eq(withdrawals.id, BigInt(id)));
  return w;
}
const rowsOf = (id: number) => db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, BigInt(id))).orderBy(outboundTxs.createdAt);

async function payout(key: string, query: string, destination: string, amount: bigint): Promise<number> {
  const r = await api(key).post("/v1/withdrawal/send", { user_id: "u", query_id: query, currency: USDC.code, amount: amount.toString(), destination });
  expect(r.status, r.text).toBe(200);
  return r.json.ID as number;
}

/** Withdrawal and forwarding passes (the latter reconciles and replaces) until `done`. */
async function passUntil(done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await withdrawalTick(ethereum, { mnemonic, lease: false });
    await forwardingTick(ethereum, { mnemonic, lease: false });
    if (await done()) return;
    if (Date.now() > deadline) throw new Error("did not get there in time");
    await sleep(400);
  }
}

const leases = new Leases();
beforeAll(async () => {
  // another file may hold them for its whole run (forwarding.test, block-forward-race): wait for it
  const deadline = Date.now() + 100_000;
  for (const name of [withdrawalLease(ethereum), forwardingLease(ethereum)]) {
    while (!(await leases.tryAcquire(name))) {
      if (Date.now() > deadline) throw new Error(`could not take ${name}`);
      await sleep(200);
    }
  }
  await fundDevnetHotWallet(ethereum.rpcUrls[0], hot);
}, 120_000);
afterAll(async () => {
  await resumeMining();
  await leases.close();
});

describe("stuck transactions are replaced", () => {
  it("an underpriced payout is replaced and confirmed: one transfer, the later nonce goes through, only the mined one pays a fee", async () => {
    const m = await newMerchant();
    await fundMerchant(m.key, { code: USDC.code, amount: 3_000_000n, rpcUrl: ethereum.rpcUrls[0], token: USDC.address });
    const [d1, d2] = [freshAddress(), freshAddress()];
    const w1 = await payout(m.key, "stuck-1", d1, 1_000_000n);

    // signed and broadcast while no block comes; then blocks resume with a base fee far above its fee cap
    await pauseMining();
    let signedFee: bigint;
    try {
      await withdrawalTick(ethereum, { mnemonic, lease: false });
      const [original] = await rowsOf(w1);
      expect(original).toMatchObject({ purpose: "withdrawal", status: "broadcast", fromAddress: hot });
      signedFee = parseTransaction(original.signedTx as Hex).maxFeePerGas!;
      // just above its fee cap: enough to strand it, never near what other tests' payers offer on this shared chain
      await rpc("anvil_setNextBlockBaseFeePerGas", [numberToHex(signedFee * 4n)]);
    } finally {
      await resumeMining();
    }
    // a second payout queues behind it on the next nonce
    const w2 = await payout(m.key, "stuck-2", d2, 1_000_000n);
    await passUntil(async () => (await withdrawalOf(w1)).status === "processed" && (await withdrawalOf(w2)).status === "processed");

    const rows = await rowsOf(w1);
    const live = rows.filter((r) => r.status !== "replaced");
    expect(live).toHaveLength(1);
    const mined = live[0];
    expect(mined.status).toBe("confirmed");
    expect(rows.length).toBeGreaterThanOrEqual(2);
    // every row of the chain: the same nonce and call; each replaces the one before with fees ≥ 12.5 % higher
    for (const [i, r] of rows.entries()) {
      expect(r).toMatchObject({ nonce: rows[0].nonce, toAddress: d1, amount: 1_000_000n, purpose: "withdrawal" });
      if (i === 0) continue;
      expect(r.replacesId).toBe(rows[i - 1].id);
      const [a, b] = [parseTransaction(rows[i - 1].signedTx as Hex), parseTransaction(r.signedTx as Hex)];
      expect(b.to).toBe(a.to);
      expect(b.data).toBe(a.data);
      expect(b.gas).toBe(a.gas);
      expect(b.maxFeePerGas! * 8n).toBeGreaterThanOrEqual(a.maxFeePerGas! * 9n);
      expect(b.maxPriorityFeePerGas! * 8n).toBeGreaterThanOrEqual(a.maxPriorityFeePerGas! * 9n);
    }
    expect(rows.filter((r) => r.status === "replaced").every((r) => r.feePaid === null)).toBe(true);
    expect(mined.feePaid).toBeGreaterThan(0n);

    // exactly one transfer to the destination: the confirmed row's
    const logs = await client(ethereum).getLogs({ address: USDC.address, event: TRANSFER, args: { to: d1 }, fromBlock: 0n });
    expect(logs.map((l) => l.transactionHash)).toEqual([mined.txHash]);
    expect(await balanceOf(ethereum, USDC.address, d1)).toBe(1_000_000n);
    const st = await api(m.key).get(`/v1/withdrawal/status?id=${w1}`);
    expect(st.json).toMatchObject({ status: "processed", tx_hash: mined.txHash });

    // the later nonce went through (itself replaced when it was signed under the old base fee)
    const second = (await rowsOf(w2)).filter((r) => r.status !== "replaced");
    expect(second).toMatchObject([{ status: "confirmed", nonce: mined.nonce! + 1n }]);
    expect(await balanceOf(ethereum, USDC.address, d2)).toBe(1_000_000n);

    // the ledger charged one fee, for the mined transaction
    const feeEntries = await db().select().from(ledgerEntries).where(and(eq(ledgerEntries.refType, "outbound_tx"), inArray(ledgerEntries.refId, rows.map((r) => r.id))));
    expect(feeEntries.map((e) => [e.refId, e.reason, e.amount])).toEqual([[mined.id, "fee", mined.feePaid]]);
  }, 90_000);

  it("when the replaced transaction is the one mined, it is confirmed and its replacement ends replaced", async () => {
    const m = await newMerchant();
    await fundMerchant(m.key, { code: USDC.code, amount: 1_000_000n, rpcUrl: ethereum.rpcUrls[0], token: USDC.address });
    const d = freshAddress();
    const w = await payout(m.key, "ancestor-1", d, 1_000_000n);
    await pauseMining();
    let original: typeof outboundTxs.$inferSelect;
    let replacement: typeof outboundTxs.$inferSelect | null;
    try {
      // signed and recorded, not yet broadcast; then replaced (the replacement is broadcast)
      await withdrawalTick(ethereum, { mnemonic, lease: false, broadcast: false });
      [original] = await rowsOf(w);
      const head = await client(ethereum).getBlockNumber();
      replacement = await replaceTransaction(ethereum, original, evmAccountAt(mnemonic, HOT_WALLET_INDEX), head);
      expect(replacement).toMatchObject({ replacesId: original.id, nonce: original.nonce });
      expect((await rowsOf(w)).map((r) => [r.id, r.status])).toEqual([[original.id, "replaced"], [replacement!.id, "broadcast"]]);
      // …but the network mines the original after all
      // (a reconcile elsewhere may broadcast the replacement again in between: drop and send until the node takes it)
      for (let attempt = 0; ; attempt++) {
        await rpc("anvil_dropTransaction", [replacement!.txHash]);
        try {
          await client(ethereum).request({ method: "eth_sendRawTransaction", params: [original.signedTx as Hex] });
          break;
        } catch (e) {
          if (attempt >= 10 || !/underpriced/i.test(String(e))) throw e;
          await sleep(200);
        }
      }
    } finally {
      await resumeMining();
    }
    await client(ethereum).waitForTransactionReceipt({ hash: original.txHash as Hex, timeout: 20_000 });
    await passUntil(async () => (await withdrawalOf(w)).status === "processed");
    const rows = await rowsOf(w);
    expect(rows.map((r) => [r.id, r.status])).toEqual([[original.id, "confirmed"], [replacement!.id, "replaced"]]);
    expect(rows[0].feePaid).toBeGreaterThan(0n);
    expect(rows[1].feePaid).toBeNull();
    const st = await api(m.key).get(`/v1/withdrawal/status?id=${w}`);
    expect(st.json).toMatchObject({ status: "processed", tx_hash: original.txHash });
    const logs = await client(ethereum).getLogs({ address: USDC.address, event: TRANSFER, args: { to: d }, fromBlock: 0n });
    expect(logs.map((l) => l.transactionHash)).toEqual([original.txHash]);
  }, 90_000);

  it("a stuck batch sweep is replaced with the same call and authorizations at higher fees: one transfer per receiver, one fee per payment", async () => {
    expect(ethereum.delegatedSweeps).toBe(true);
    const m = await newMerchant();
    const dests = [freshAddress(), freshAddress()];
    const sessions = [
      await processingSession({ key: m.key, merchantId: m.merchantId, destination: dests[0], amountUnits: "1", pay: [{ chain: ethereum, symbol: "USDC", units: 1_000_000n }] }),
      await processingSession({ key: m.key, merchantId: m.merchantId, destination: dests[1], amountUnits: "2", pay: [{ chain: ethereum, symbol: "USDC", units: 2_000_000n }] }),
    ];
    const ids = sessions.map((x) => x.sessionId);
    const rowsOfSessions = async () => (await db().select().from(outboundTxs).where(inArray(outboundTxs.checkoutId, ids))).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    // the sweeper deployed first, while blocks come (a pass deploys it the first time a batch is due)
    const hotAccount = evmAccountAt(mnemonic, HOT_WALLET_INDEX);
    for (let i = 0; (await ensureSweeper(ethereum, hotAccount, logger)) !== "ready"; i++) {
      if (i > 60) throw new Error("the sweeper was not deployed");
      await sleep(500);
    }
    const deadline = Date.now() + 30_000;
    let signedFee = 0n;
    for (;;) {
      await pauseMining();
      try {
        await forwardingTick(ethereum, { mnemonic, lease: false });
        const rows = await rowsOfSessions();
        if (rows.length === 2) {
          expect(rows.map((r) => r.status)).toEqual(["broadcast", "broadcast"]);
          signedFee = parseTransaction(rows[0].signedTx as Hex).maxFeePerGas!;
          await rpc("anvil_setNextBlockBaseFeePerGas", [numberToHex(signedFee * 4n)]);
          break;
        }
      } finally {
        await resumeMining();
      }
      if (Date.now() > deadline) throw new Error("no batch signed");
      await sleep(500);
    }
    const [original] = await rowsOfSessions();
    const fast = { ...ethereum, replaceAfter: { blocks: 1, seconds: 0 } };
    const done = async () => (await Promise.all(ids.map(async (id) => (await db().select({ s: outboundTxs.status }).from(outboundTxs)
      .where(eq(outboundTxs.checkoutId, id))).some((r) => r.s === "confirmed")))).every(Boolean);
    const until = Date.now() + 45_000;
    while (!(await done())) {
      await forwardingTick(fast, { mnemonic, lease: false });
      if (Date.now() > until) throw new Error("the stuck batch was not replaced and confirmed in time");
      await sleep(400);
    }
    const rows = await rowsOfSessions();
    const live = rows.filter((r) => r.status !== "replaced");
    expect(live.map((r) => r.status)).toEqual(["confirmed", "confirmed"]);
    expect(new Set(live.map((r) => r.txHash)).size).toBe(1);
    expect(live[0].txHash).not.toBe(original.txHash);
    expect(live.every((r) => r.payerNonce === original.payerNonce && r.replacesId !== null)).toBe(true);
    const [a, b] = [parseTransaction(original.signedTx as Hex), parseTransaction(live[0].signedTx as Hex)];
    expect(b.type).toBe("eip7702");
    expect([b.to, b.data, b.gas]).toEqual([a.to, a.data, a.gas]);
    expect(b.authorizationList).toEqual(a.authorizationList);
    expect(b.maxFeePerGas! * 8n).toBeGreaterThanOrEqual(a.maxFeePerGas! * 9n);
    expect(rows.filter((r) => r.status === "replaced").every((r) => r.feePaid === null)).toBe(true);
    // one transfer per receiver, the mined batch's
    for (const [i, sess] of sessions.entries()) {
      const logs = await client(ethereum).getLogs({ address: USDC.address, event: TRANSFER, args: { from: sess.receiver }, fromBlock: 0n });
      expect(logs.map((l) => l.transactionHash)).toEqual([live[0].txHash]);
      expect(await balanceOf(ethereum, USDC.address, dests[i])).toBe(BigInt(i + 1) * 1_000_000n);
    }
  }, 120_000);

  it("/healthz lists a sender whose oldest unfinished transaction waits past the threshold; readiness unaffected", async () => {
    const m = await newMerchant();
    const from = freshAddress();
    // live mode: nothing in the test stack reconciles it
    const [row] = await db().insert(outboundTxs).values({
      merchantId: m.merchantId, livemode: true, network: "ethereum", chainId: 1, purpose: "withdrawal", checkoutId: null,
      fromAddress: from, toAddress: freshAddress(), tokenAddress: null, amount: 1n, nonce: 7n, txHash: `0x${"ab".repeat(32)}`,
      signedTx: "0x00", status: "broadcast", createdAt: new Date(Date.now() - 2 * 3600_000),
    }).returning();
    try {
      const res = await fetch(`${baseUrl()}/healthz`);
      const h = await res.json();
      expect(res.status).toBe(200);
      expect(h.ok).toBe(true);
      expect(h.stalledSenders).toContainEqual(expect.objectContaining({
        network: "ethereum", livemode: true, address: from, nonce: "7", txHash: row.txHash, pendingTransactions: 1,
      }));
      expect(h.stalledSenders.find((s: { address: string }) => s.address === from).oldestPendingSeconds).toBeGreaterThan(7000);
      // the hot wallet of the devnet is not stalled after the replacements above
      expect(h.stalledSenders.some((s: { address: string; livemode: boolean }) => s.address === hot && !s.livemode)).toBe(false);
    } finally {
      await db().delete(outboundTxs).where(eq(outboundTxs.id, row.id));
    }
  });
});
