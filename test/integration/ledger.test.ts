// The per-merchant ledger (issue 13, DOMAIN.md "Ledger"): payouts only from what a merchant owns,
// reserved in the transaction that queues them; a fair payout queue; destinations that would burn
// funds refused; balances from the merchant's own accounts, the shared hot wallet shown to nobody
// but the operator. Funds arrive the way a customer's do: a deposit to a permanent address on the
// ethereum devnet, confirmed by the stack's worker.
import { and, eq, inArray, sql } from "drizzle-orm";
import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { ledgerEntries, merchants, outboundTxs, withdrawals } from "@/db/schema";
import { db } from "@/lib/db/client";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { cancelWithdrawal } from "@/lib/withdrawals/cancel";
import { withdrawalTick } from "@/lib/withdrawals/tick";
import { api, envelope, newMerchant } from "../helpers/api";
import { ethereum, freshAddress, mnemonic, tokenOn } from "./helpers/forwarding-fixtures";
import { availableOf, fundMerchant } from "./helpers/ledger";

const USDC = tokenOn(ethereum, "USDC");
const fundUsdc = (key: string, amount: bigint) => fundMerchant(key, { code: "eUSDC", amount, rpcUrl: ethereum.rpcUrls[0], token: USDC.address });
const send = (key: string, queryId: string, amount: bigint | string, destination: string = freshAddress(), currency = "eUSDC") =>
  api(key).post("/v1/withdrawal/send", { user_id: "u", query_id: queryId, currency, amount: String(amount), destination });
const rowsOf = (merchantId: string) => db().select().from(withdrawals).where(eq(withdrawals.merchantId, merchantId));

describe("the ledger", () => {
  it("refuses a payout from a merchant with no income: nothing queued, nothing sent", async () => {
    const m = await newMerchant();
    expect((await api(m.key).get("/v1/income?user_id=u")).json.total_income).toEqual([]);
    const r = await send(m.key, "q", 1_000_000n);
    expect(r.status, r.text).toBe(422);
    expect(envelope(r)).toMatchObject({ code: "insufficient_balance", param: "amount" });
    expect(typeof r.json.error).toBe("string"); // seed 001: {"error": "<message>", code, param}
    expect(await rowsOf(m.merchantId)).toEqual([]);
    expect(await db().select().from(outboundTxs).where(eq(outboundTxs.merchantId, m.merchantId))).toEqual([]);
    // the balance is the merchant's own, not the shared hot wallet's
    expect((await api(m.key).get("/v1/balance?currency=eUSDC")).json).toEqual({ balance: "0", total_processing_amount: "0", total_pending_amount: "0" });
    expect((await api(m.key).get("/v1/balances")).json).toEqual({ object: "list", data: [] });
    // and the hot wallet's on-chain balance is the operator's business only
    const hot = await api(m.key).get(`/v1/balance?currency=eUSDC&address=${hotWalletAddress(mnemonic)}`);
    expect(hot.status, hot.text).toBe(404);
  });

  it("lets a merchant withdraw exactly what it owns, not one base unit more; concurrent requests never overdraw", async () => {
    const m = await newMerchant();
    const X = 7_000_000n;
    const address = await fundUsdc(m.key, X);
    const accounts = (await api(m.key).get("/v1/balances")).json.data;
    expect(accounts).toEqual([{ network: "ethereum", asset: "USDC", code: "eUSDC", available: String(X), incoming: "0", reserved: "0", fees: "0" }]);
    expect((await api(m.key).get("/v1/balance?currency=eUSDC")).json.balance).toBe(String(X));
    // the deposit address's own on-chain balance, as before
    expect((await api(m.key).get(`/v1/balance?currency=eUSDC&address=${address}`)).json.balance).toBe(String(X));

    // 20 concurrent payouts of 1 USDC: exactly 7 fit
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(m.key, `c-${i}`, 1_000_000n)));
    const accepted = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 422);
    expect(accepted).toHaveLength(7);
    expect(refused).toHaveLength(13);
    for (const r of refused) expect(envelope(r).code).toBe("insufficient_balance");
    expect(await rowsOf(m.merchantId)).toHaveLength(7);
    expect(await availableOf(m.key, "eUSDC")).toBe(0n);
    const after = (await api(m.key).get("/v1/balances")).json.data[0];
    expect(after).toMatchObject({ available: "0", reserved: String(X) });
    expect((await api(m.key).get("/v1/balance?currency=eUSDC")).json).toMatchObject({ balance: "0" });

    // cancelling one releases exactly its amount: that much and not one base unit more can be queued again
    const one = BigInt(accepted[0].json.ID);
    const [pending] = await db().select().from(withdrawals).where(and(eq(withdrawals.id, one), eq(withdrawals.status, "pending")));
    if (pending && await cancelWithdrawal(m.merchantId, one)) {
      expect(await availableOf(m.key, "eUSDC")).toBe(1_000_000n);
      expect((await send(m.key, "over", 1_000_001n)).status).toBe(422);
      expect((await send(m.key, "exact", 1_000_000n)).status).toBe(200);
      expect((await send(m.key, "next", 1n)).status).toBe(422);
    }
    // the ledger explains every base unit: deposit seen and confirmed, and one reservation per accepted payout
    const entries = await db().select().from(ledgerEntries).where(eq(ledgerEntries.merchantId, m.merchantId));
    expect(entries.filter((e) => e.reason === "deposit_confirmed").reduce((s, e) => s + e.amount, 0n)).toBe(2n * X); // incoming→available and pending→custody
    expect(entries.filter((e) => e.reason === "withdrawal_reserved").length).toBeGreaterThanOrEqual(7);
  });

  it("never lets one merchant's unpayable payouts delay another merchant's", async () => {
    const b = await newMerchant("B");
    const a = await newMerchant("A");
    // B owns far more than the hot wallet holds (on its deposit address): each of its payouts is larger than the hot wallet's balance
    await fundUsdc(b.key, 10n ** 30n);
    for (let i = 0; i < 50; i++) expect((await send(b.key, `b-${i}`, 10n ** 27n)).status).toBe(200);
    await fundUsdc(a.key, 1_000n);
    const r = await send(a.key, "a", 1_000n);
    expect(r.status, r.text).toBe(200);
    // one pass over the network's queue: A's payout is signed, B's stay pending with the hot wallet's shortfall as reason
    await withdrawalTick(ethereum, { mnemonic, lease: false, broadcast: false });
    const [aw] = await rowsOf(a.merchantId);
    expect(aw.status).not.toBe("pending");
    const bs = await rowsOf(b.merchantId);
    expect(bs.every((w) => w.status === "pending")).toBe(true);
    expect(bs.filter((w) => w.reason?.includes("insufficient hot wallet balance")).length).toBeGreaterThan(0);
    for (const w of bs) await cancelWithdrawal(b.merchantId, w.id);
    expect(await availableOf(b.key, "eUSDC")).toBe(10n ** 30n);
  }, 90_000);

  it("refuses destinations that would burn funds, naming the field", async () => {
    const m = await newMerchant();
    await fundUsdc(m.key, 10n);
    const other = await newMerchant();
    const theirs = (await api(other.key).post("/v1/address/new", { user_id: "x", currency: "eUSDC" })).json.address as string;
    const mine = (await api(m.key).post("/v1/address/new", { user_id: "x", currency: "eUSDC" })).json.address as string;
    const bad = {
      zero: "0x0000000000000000000000000000000000000000",
      burn: "0x000000000000000000000000000000000000dEaD",
      token: USDC.address,
      tokenLower: USDC.address.toLowerCase(),
      hot: hotWalletAddress(mnemonic),
      theirReceiver: theirs,
      myReceiver: mine,
    };
    for (const [name, destination] of Object.entries(bad)) {
      const r = await send(m.key, `bad-${name}`, 1n, destination);
      expect(r.status, `${name}: ${r.text}`).toBe(400);
      expect(envelope(r)).toMatchObject({ param: "destination", code: "destination_invalid" });
    }
    expect(await rowsOf(m.merchantId)).toEqual([]);
    expect(await availableOf(m.key, "eUSDC")).toBe(10n);
    // session destinations and refund addresses too
    const session = (destination: string, refundAddress?: string) => api(m.key).post("/v1/sessions", {
      destination: { type: "evm", address: destination, chainId: ethereum.chainId, tokenAddress: USDC.address, amountUnits: "1" },
      ...(refundAddress ? { refundAddress } : {}),
    });
    let r = await session(USDC.address);
    expect(r.status, r.text).toBe(400);
    expect(envelope(r).param).toBe("destination.address");
    r = await session(freshAddress(), getAddress(bad.hot));
    expect(r.status, r.text).toBe(400);
    expect(envelope(r).param).toBe("refundAddress");
    expect((await session(freshAddress())).status).toBe(201);
  });

  it("shows the hot wallet's on-chain balance to the operator only", async () => {
    const [op] = await db().select({ id: merchants.id }).from(merchants).where(eq(merchants.isOperator, true));
    expect(op, "the stack's first account is its operator").toBeDefined();
    const { createApiKey } = await import("@/lib/api-keys/keys");
    const { key } = await createApiKey(op.id, false, "operator test");
    const r = await api(key).get(`/v1/balance?currency=eUSDC&address=${hotWalletAddress(mnemonic)}`);
    expect(r.status, r.text).toBe(200);
    expect(BigInt(r.json.balance)).toBeGreaterThan(0n);
    expect((await db().select({ n: sql<number>`count(*)::int` }).from(merchants).where(eq(merchants.isOperator, true)))[0].n).toBe(1);
  });

  it("charges a payout's network fee to its merchant and spends the reservation once processed", async () => {
    const m = await newMerchant();
    await fundUsdc(m.key, 2_500n);
    const r = await send(m.key, "paid", 2_500n);
    const id = BigInt(r.json.ID);
    const deadline = Date.now() + 45_000;
    let w;
    for (;;) {
      await withdrawalTick(ethereum, { mnemonic, lease: false });
      const { reconcile } = await import("@/lib/chains/evm/sender");
      await reconcile(ethereum);
      [w] = await db().select().from(withdrawals).where(eq(withdrawals.id, id));
      if (w.status === "processed") break;
      if (Date.now() > deadline) throw new Error(`withdrawal still ${w.status}: ${w.reason}`);
      await new Promise((res) => setTimeout(res, 300));
    }
    const [tx] = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, id));
    const accounts = (await api(m.key).get("/v1/balances")).json.data as { code: string; available: string; reserved: string; fees: string }[];
    expect(accounts.find((a) => a.code === "eUSDC")).toMatchObject({ available: "0", reserved: "0" });
    expect(accounts.find((a) => a.code === "ETH")).toMatchObject({ fees: String(tx.feePaid) });
    const entries = await db().select().from(ledgerEntries).where(inArray(ledgerEntries.refId, [String(id), tx.id]));
    expect(entries.map((e) => e.reason).sort()).toEqual(["fee", "withdrawal_paid", "withdrawal_reserved"]);
  }, 90_000);
});
