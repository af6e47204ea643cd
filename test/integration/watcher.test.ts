// The chain watcher through the real stack: sessions created over HTTP, paid on the devnet chains
// (31337 and 31338, 1 s blocks, 1 confirmation) by payers with their own keys, detected by the
// stack's worker; the database is read to check deposits, statuses and events.
import { eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { checkouts } from "@/db/schema";
import { paymentState } from "@/lib/checkout/evaluate";
import { db } from "@/lib/db/client";
import { api, newMerchant, type TestMerchant } from "../helpers/api";
import {
  DESTINATION, USDC, USDT, attachReceiver, checkoutRow, count, depositEventTypes, depositsOf, eventTypes, newPayer,
  publicClient, setTolerance, waitFor, waitForStatus,
} from "./helpers/watcher";

const env = inject("testEnv");
const ETH = { rpc: env.rpcEthereum, chainId: 31337 };
const POLYGON = { rpc: env.rpcPolygon, chainId: 31338 };
const units = (s: string) => BigInt(Math.round(Number(s) * 1e6)); // test literals only: "10.5" → 10500000n

async function session(m: TestMerchant, amountUnits: string, extra: Record<string, unknown> = {}) {
  const r = await api(m.key).post("/v1/sessions", {
    destination: { type: "evm", address: DESTINATION, chainId: 31337, tokenAddress: USDC, amountUnits }, ...extra,
  });
  expect(r.status, r.text).toBe(201);
  const { row, receiver } = await attachReceiver(r.json.session.sessionId);
  return { id: row.id, receiver, clientSecret: row.clientSecret };
}

/** processing, or already succeeded when a forwarder runs in this stack */
async function waitPaid(id: string) {
  return waitFor(`session ${id} to be paid`, async () => {
    const row = await checkoutRow(id);
    return row.status === "processing" || row.status === "succeeded" ? row : undefined;
  });
}

describe("EVM watcher on the devnet", () => {
  it("exact payment: processing, deposit confirmed, ready to forward", async () => {
    const m = await newMerchant();
    const s = await session(m, "10");
    const payer = await newPayer(ETH.rpc, ETH.chainId, [{ token: USDC, amount: units("10") }]);
    const hash = await payer.send(USDC, s.receiver, units("10"));
    const receipt = await publicClient(ETH.rpc).waitForTransactionReceipt({ hash, pollingInterval: 50 });
    const minedSeen = Date.now();
    await waitPaid(s.id);
    const detectionMs = Date.now() - minedSeen;

    const [d] = await waitFor("the deposit to be confirmed", async () => {
      const ds = await depositsOf(s.id);
      return ds.length === 1 && ds[0].status === "confirmed" ? ds : undefined;
    });
    expect(d).toMatchObject({
      network: "ethereum", chainId: 31337, txHash: hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash,
      fromAddress: payer.address, toAddress: s.receiver, tokenAddress: USDC, assetCode: "eUSDC", amount: units("10"), late: false,
    });
    const state = (await paymentState(s.id))!;
    expect(state.summary).toMatchObject({ paidUnits: units("10"), remainingUnits: 0n, overpaidUnits: 0n, confirmedUnits: units("10") });
    if (state.checkout.status === "processing") expect(state.readyToForward).toBe(true);
    expect(count(await eventTypes(s.id), "session.processing")).toBe(1);
    expect(count(await eventTypes(s.id), "session.underpaid")).toBe(0);
    expect(await depositEventTypes(s.id)).toEqual(["deposit.detected", "deposit.confirmed"]);
    // 1 s blocks, 1 s polling: seen by the test's receipt poll → processing in the database
    expect(detectionMs).toBeLessThan(3000);
  });

  it("underpaid, then topped up on the other chain in another stablecoin", async () => {
    const m = await newMerchant();
    const s = await session(m, "10");
    const a = await newPayer(ETH.rpc, ETH.chainId, [{ token: USDC, amount: units("4") }]);
    await a.send(USDC, s.receiver, units("4"));
    await waitFor("the first deposit", async () => (await depositsOf(s.id)).length === 1);
    await waitFor("session.underpaid", async () => count(await eventTypes(s.id), "session.underpaid") === 1);
    expect((await checkoutRow(s.id)).status).toBe("waiting_payment");
    expect((await paymentState(s.id))!.summary).toMatchObject({ paidUnits: units("4"), remainingUnits: units("6"), sufficient: false });

    const b = await newPayer(POLYGON.rpc, POLYGON.chainId, [{ token: USDT, amount: units("6") }]);
    await b.send(USDT, s.receiver, units("6"));
    await waitPaid(s.id);
    const ds = await depositsOf(s.id);
    expect(ds.map((d) => [d.network, d.assetCode, d.amount])).toEqual([["ethereum", "eUSDC", units("4")], ["polygon", "wpUSDT", units("6")]]);
    const types = await eventTypes(s.id);
    expect(count(types, "session.underpaid")).toBe(1);
    expect(count(types, "session.processing")).toBe(1);
    expect((await paymentState(s.id))!.summary).toMatchObject({ paidUnits: units("10"), remainingUnits: 0n });
  });

  it("overpaid: processing with the excess reported", async () => {
    const m = await newMerchant();
    const s = await session(m, "10");
    const p = await newPayer(ETH.rpc, ETH.chainId, [{ token: USDT, amount: units("12.5") }]);
    await p.send(USDT, s.receiver, units("12.5"));
    await waitPaid(s.id);
    const st = (await paymentState(s.id))!;
    expect(st.summary).toMatchObject({ paidUnits: units("12.5"), remainingUnits: 0n, overpaidUnits: units("2.5") });
  });

  it("within the merchant's tolerance counts as paid", async () => {
    const m = await newMerchant();
    await setTolerance(m.merchantId, 100); // 1 %
    const s = await session(m, "10");
    const p = await newPayer(ETH.rpc, ETH.chainId, [{ token: USDC, amount: units("9.9") }]);
    await p.send(USDC, s.receiver, units("9.9"));
    await waitPaid(s.id);
    expect((await paymentState(s.id))!.summary).toMatchObject({ paidUnits: units("9.9"), remainingUnits: units("0.1") });
  });

  it("native coin to a session receiver is recorded but does not count", async () => {
    const m = await newMerchant();
    const s = await session(m, "1");
    const p = await newPayer(ETH.rpc, ETH.chainId, []);
    await p.send(null, s.receiver, 10n ** 18n);
    const [d] = await waitFor("the native deposit", async () => {
      const ds = await depositsOf(s.id);
      return ds.length ? ds : undefined;
    });
    expect(d).toMatchObject({ logIndex: -1, tokenAddress: null, assetCode: "ETH", amount: 10n ** 18n });
    expect((await checkoutRow(s.id)).status).toBe("waiting_payment");
    expect((await paymentState(s.id))!.summary.uncounted).toHaveLength(1);
  });

  it("a payment after expiry is recorded as late, announced, and the session stays expired", async () => {
    const m = await newMerchant();
    const s = await session(m, "10");
    await db().update(checkouts).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(checkouts.id, s.id));
    await waitForStatus(s.id, "expired");
    expect(count(await eventTypes(s.id), "session.expired")).toBe(1);

    const p = await newPayer(ETH.rpc, ETH.chainId, [{ token: USDC, amount: units("10") }]);
    await p.send(USDC, s.receiver, units("10"));
    const [d] = await waitFor("the late deposit", async () => {
      const ds = await depositsOf(s.id);
      return ds.length ? ds : undefined;
    });
    expect(d.late).toBe(true);
    await waitFor("session.late_payment", async () => count(await eventTypes(s.id), "session.late_payment") === 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await checkoutRow(s.id)).status).toBe("expired");
    expect((await paymentState(s.id))!.summary).toMatchObject({ paidUnits: 0n });
  });

  it("an underpaid session expires with its deposit kept", async () => {
    const m = await newMerchant();
    const s = await session(m, "10");
    const p = await newPayer(ETH.rpc, ETH.chainId, [{ token: USDC, amount: units("3") }]);
    await p.send(USDC, s.receiver, units("3"));
    await waitFor("the deposit", async () => (await depositsOf(s.id)).length === 1);
    await db().update(checkouts).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(checkouts.id, s.id));
    await waitForStatus(s.id, "expired");
    const [d] = await depositsOf(s.id);
    expect(d).toMatchObject({ late: false, amount: units("3") });
  });

  it("a session without a payment method expires on time", async () => {
    const m = await newMerchant();
    const r = await api(m.key).post("/v1/sessions", { destination: { type: "evm", address: DESTINATION, chainId: 31337, tokenAddress: USDC, amountUnits: "1" } });
    await db().update(checkouts).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(checkouts.id, r.json.session.sessionId));
    await waitForStatus(r.json.session.sessionId, "expired");
  });

  it("PUT /v1/sessions/{id}/check records the payer's transaction at once, idempotently", async () => {
    const m = await newMerchant();
    const s = await session(m, "5");
    const p = await newPayer(POLYGON.rpc, POLYGON.chainId, [{ token: USDC, amount: units("5") }]);
    const hash = await p.send(USDC, s.receiver, units("5"));
    await publicClient(POLYGON.rpc).waitForTransactionReceipt({ hash, pollingInterval: 50 });
    const r = await api().put(`/v1/sessions/${s.id}/check`, { clientSecret: s.clientSecret, txHash: hash });
    expect(r.status, r.text).toBe(200);
    expect(["processing", "succeeded"]).toContain(r.json.session.status);
    expect(r.json.session.clientSecret).toBeUndefined(); // public view
    // again, and after the watcher got there too: still one deposit, one processing event
    expect((await api().put(`/v1/sessions/${s.id}/check`, { clientSecret: s.clientSecret, txHash: hash })).status).toBe(200);
    await waitFor("the watcher to pass the block", async () => (await depositsOf(s.id))[0]?.status === "confirmed");
    expect(await depositsOf(s.id)).toHaveLength(1);
    expect(count(await eventTypes(s.id), "session.processing")).toBe(1);
    // with the key: the full view, without a hash: an evaluation
    const k = await api(m.key).put(`/v1/sessions/${s.id}/check`, {});
    expect(k.status, k.text).toBe(200);
    expect(k.json.session.clientSecret).toBe(s.clientSecret);
  });

  it("check refuses a wrong client secret and another merchant's key", async () => {
    const m = await newMerchant();
    const other = await newMerchant();
    const s = await session(m, "1");
    expect((await api().put(`/v1/sessions/${s.id}/check`, { clientSecret: "nope" })).status).toBe(401);
    expect((await api(other.key).put(`/v1/sessions/${s.id}/check`, {})).status).toBe(404);
    expect((await api().put(`/v1/sessions/${s.id}/check`, { clientSecret: s.clientSecret, txHash: "0x12" })).status).toBe(400);
    expect((await api().put(`/v1/sessions/${s.id}/check`, { clientSecret: s.clientSecret, txHash: `0x${"ab".repeat(32)}` })).status).toBe(200);
  });

  it("the sync endpoint reports the watcher's processed head", async () => {
    const r = await api().get("/v1/system/sync");
    expect(r.status).toBe(200);
    expect(r.json.networks.ethereum.is_synced).toBe(true);
    expect(r.json.networks.polygon.is_synced).toBe(true);
  });
});
