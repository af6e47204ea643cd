// Batch settlement (issue 21 item 3), end to end through the stack's web and worker: a merchant
// who settles Ethereum in batches gets `succeeded` as soon as a payment is confirmed — the funds
// are its own in the ledger (`settling`), still on the receiver — and the worker forwards the batch
// when what waits reaches the threshold (in one batch-sweep transaction) or has waited long enough.
import { and, eq, sql } from "drizzle-orm";
import { createPublicClient, erc20Abi, getAddress, http, type Address, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, inject, it } from "vitest";
import { checkouts, ledgerEntries, outboundTxs, settlementGroups } from "@/db/schema";
import { db } from "@/lib/db/client";
import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm";
import { merchantBalance } from "@/lib/ledger/accounts";
import { ledgerProblems } from "@/lib/ledger/invariants";
import { setBatchPolicy } from "@/lib/settlement/policy";
import { api, newMerchant } from "../helpers/api";
import { ethPayer, ETH_CHAIN_ID } from "./helpers/payments";
import { until } from "./helpers/until";

const { rpcEthereum } = inject("testEnv");
const USDC = getAddress(DEVNET_TOKEN_ADDRESSES.USDC);
const eth: PublicClient = createPublicClient({ transport: http(rpcEthereum), cacheTime: 0 }) as PublicClient;
const fresh = (): Address => privateKeyToAccount(generatePrivateKey()).address;
const usdcOf = (owner: Address) => eth.readContract({ address: USDC, abi: erc20Abi, functionName: "balanceOf", args: [owner] });


/** A session for USDC on the Ethereum devnet, paid in full by an independent payer; its forward goes to the session's own destination. */
async function paidSession(key: string, usdc: bigint) {
  const r = await api(key).post("/v1/sessions", {
    destination: { type: "evm", address: fresh(), chainId: ETH_CHAIN_ID, tokenAddress: USDC, amountUnits: (Number(usdc) / 1e6).toString() },
  });
  expect(r.status, r.text).toBe(201);
  const s = r.json.session as { sessionId: string; clientSecret: string };
  const m = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod: { type: "evm", chainId: ETH_CHAIN_ID, tokenAddress: USDC } });
  expect(m.status, m.text).toBe(200);
  const payer = await ethPayer(USDC, usdc);
  await payer.pay(m.json.session.paymentMethod.receiverAddress, usdc);
  return s.sessionId;
}

const view = async (key: string, id: string) => (await api(key).get(`/v1/sessions/${id}`)).json.session;
const forwardsOf = (id: string) => db().select().from(outboundTxs).where(and(eq(outboundTxs.checkoutId, id), eq(outboundTxs.purpose, "forward")));
const settlingOf = async (merchantId: string) => (await merchantBalance({ merchantId, livemode: false }, "ethereum", "eUSDC")).settling;

describe("batch settlement", () => {
  it("succeeds on confirmation with the funds the merchant's in the ledger, then forwards the batch once the threshold is reached", async () => {
    const m = await newMerchant("Batch merchant");
    await setBatchPolicy(db(), m.merchantId, "ethereum", false, { minCents: 5_000, maxWaitMinutes: 600 });

    const a = await paidSession(m.key, 20_000_000n);
    const first = await until("a succeeded", () => view(m.key, a), (x) => x.status === "succeeded");
    expect(first.deliveries).toHaveLength(1);
    expect(first.deliveries[0]).toMatchObject({ status: "batched", txHash: null, receivedUnits: "20" });
    expect(await forwardsOf(a)).toHaveLength(0);
    expect(await settlingOf(m.merchantId)).toBe(20_000_000n);
    const destA = getAddress(first.destination.address);
    expect(await usdcOf(destA)).toBe(0n);

    // a merchant cannot refund what its batch owns: nothing is left to refund
    const refund = await api(m.key).post(`/v1/sessions/${a}/refund`, { address: fresh() });
    expect(refund.status, refund.text).toBe(409);

    // $20 of $50: still waiting a few passes later
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await forwardsOf(a)).toHaveLength(0);

    const b = await paidSession(m.key, 40_000_000n);
    await until("b succeeded", () => view(m.key, b), (x) => x.status === "succeeded");
    // $60 waiting ≥ $50: both forwarded, in one batch-sweep transaction
    const [doneA, doneB] = await Promise.all([a, b].map((id) => until(`${id} delivered`, () => view(m.key, id), (x) => x.deliveries?.[0]?.status === "delivered", 120_000)));
    expect(doneA.deliveries[0].txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(doneB.deliveries[0].txHash).toBe(doneA.deliveries[0].txHash);
    expect(doneA.deliveries[0].receivedUnits).toBe("20");
    expect(await usdcOf(destA)).toBe(20_000_000n);
    expect(await usdcOf(getAddress(doneB.destination.address))).toBe(40_000_000n);
    const [rowA] = await db().select({ deliveryTxHash: checkouts.deliveryTxHash }).from(checkouts).where(eq(checkouts.id, a));
    expect(rowA.deliveryTxHash).toBe(doneA.deliveries[0].txHash);

    // the ledger: settling back to zero, each group in and out once, and the books hold
    expect(await settlingOf(m.merchantId)).toBe(0n);
    const entries = await db().select({ reason: ledgerEntries.reason, amount: ledgerEntries.amount }).from(ledgerEntries)
      .where(and(eq(ledgerEntries.merchantId, m.merchantId), sql`${ledgerEntries.reason} like 'settlement_%'`));
    expect(entries.map((e) => `${e.reason}:${e.amount}`).sort()).toEqual([
      "settlement_batched:20000000", "settlement_batched:40000000", "settlement_delivered:20000000", "settlement_delivered:40000000",
    ]);
    expect(await ledgerProblems()).toEqual([]);
  }, 240_000);

  it("forwards a batch below the threshold once its oldest part has waited the longest wait, and at once when the policy is removed", async () => {
    const m = await newMerchant("Batch merchant (interval)");
    await setBatchPolicy(db(), m.merchantId, "ethereum", false, { minCents: 1_000_000, maxWaitMinutes: 30 });

    const a = await paidSession(m.key, 5_000_000n);
    await until("a succeeded", () => view(m.key, a), (x) => x.status === "succeeded" && x.deliveries?.[0]?.status === "batched");
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await forwardsOf(a)).toHaveLength(0);
    // 31 minutes later (the group's assignment moved back in time)
    await db().update(settlementGroups).set({ createdAt: sql`now() - interval '31 minutes'` }).where(eq(settlementGroups.checkoutId, a));
    await until("a delivered", () => view(m.key, a), (x) => x.deliveries?.[0]?.status === "delivered", 120_000);

    const b = await paidSession(m.key, 7_000_000n);
    await until("b batched", () => view(m.key, b), (x) => x.deliveries?.[0]?.status === "batched");
    await setBatchPolicy(db(), m.merchantId, "ethereum", false, null);
    await until("b delivered", () => view(m.key, b), (x) => x.deliveries?.[0]?.status === "delivered", 120_000);
    expect(await settlingOf(m.merchantId)).toBe(0n);

    // with no policy, the next payment is forwarded at once, never batched
    const c = await paidSession(m.key, 3_000_000n);
    const done = await until("c succeeded", () => view(m.key, c), (x) => x.status === "succeeded", 120_000);
    expect(done.deliveries[0].status).toBe("delivered");
    expect(await db().select().from(settlementGroups).where(and(eq(settlementGroups.checkoutId, c), eq(settlementGroups.status, "batched")))).toHaveLength(0);
  }, 300_000);
});
