// Settlement by group and the merchant's actions (issue 15 items 2–4), end to end through the
// stack's web and worker: payers pay with independent clients on the devnets, the worker watches
// and forwards, the test reads the API and the chains.
import { and, eq } from "drizzle-orm";
import {
  createPublicClient, createTestClient, createWalletClient, erc20Abi, getAddress, http, parseEther, zeroAddress, type Address, type Hex, type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, inject, it } from "vitest";
import { checkoutActions, checkouts, events, outboundTxs, settlementAddresses, settlementNotes } from "@/db/schema";
import { hexToTron, tronToHex } from "@/lib/addresses";
import { db } from "@/lib/db/client";
import { DEVNET_TOKEN_ADDRESSES, mintDevnetToken } from "@/lib/devnet/evm";
import { DEVNET_TRON_CHAIN, DEVNET_TRON_TOKEN_ADDRESSES } from "@/lib/devnet/tron-constants";
import { api, envelope, newMerchant } from "../helpers/api";
import { exceptionView } from "@/lib/dashboard/checkout-actions";
import { needsAttention } from "@/lib/dashboard/needs-attention";
import { revenueOverview } from "@/lib/dashboard/revenue";
import { ethPayer, ETH_CHAIN_ID } from "./helpers/payments";
import { until } from "./helpers/until";

const { rpcTron, rpcEthereum } = inject("testEnv");
const USDC = getAddress(DEVNET_TOKEN_ADDRESSES.USDC);
const eth: PublicClient = createPublicClient({ transport: http(rpcEthereum), cacheTime: 0 }) as PublicClient;
const tron: PublicClient = createPublicClient({ transport: http(rpcTron), cacheTime: 0 }) as PublicClient;
const fresh = (): Address => privateKeyToAccount(generatePrivateKey()).address;
const usdcOf = (owner: Address) => eth.readContract({ address: USDC, abi: erc20Abi, functionName: "balanceOf", args: [owner] });

async function tronPayer(usdt: bigint) {
  const account = privateKeyToAccount(generatePrivateKey());
  await createTestClient({ mode: "anvil", transport: http(rpcTron) }).setBalance({ address: account.address, value: parseEther("10") });
  await mintDevnetToken(rpcTron, DEVNET_TOKEN_ADDRESSES.USDT, account.address, usdt);
  const chain = { id: DEVNET_TRON_CHAIN.chainId, name: "tron devnet", nativeCurrency: { name: "TRX", symbol: "TRX", decimals: 18 }, rpcUrls: { default: { http: [rpcTron] } } };
  const wallet = createWalletClient({ account, transport: http(rpcTron), chain });
  return async (to: string, units: bigint): Promise<Hex> => {
    const hash = await wallet.writeContract({ address: DEVNET_TOKEN_ADDRESSES.USDT, abi: erc20Abi, functionName: "transfer", args: [tronToHex(to), units] });
    expect((await tron.waitForTransactionReceipt({ hash, pollingInterval: 100 })).status).toBe("success");
    return hash;
  };
}


async function session(key: string, amountUnits: string, destination = fresh()) {
  const r = await api(key).post("/v1/sessions", { destination: { type: "evm", address: destination, chainId: ETH_CHAIN_ID, tokenAddress: USDC, amountUnits } });
  expect(r.status, r.text).toBe(201);
  return { ...(r.json.session as { sessionId: string; clientSecret: string }), destination };
}
async function choose(s: { sessionId: string; clientSecret: string }, paymentMethod: Record<string, unknown>): Promise<string> {
  const r = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod });
  expect(r.status, r.text).toBe(200);
  return r.json.session.paymentMethod.receiverAddress;
}
const view = async (key: string, id: string) => (await api(key).get(`/v1/sessions/${id}`)).json.session;
const eventTypes = async (id: string) => (await db().select({ type: events.type }).from(events).where(eq(events.objectId, id)).orderBy(events.createdAt)).map((e) => e.type);

describe("settlement by group", () => {
  it("a payment split across Ethereum and Tron succeeds with one forward per group and an honest delivery for each", async () => {
    const m = await newMerchant();
    const tronSettlement = hexToTron(fresh());
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "tron", livemode: false, address: tronSettlement });
    const s = await session(m.key, "25");

    const evmReceiver = await choose(s, { type: "evm", chainId: ETH_CHAIN_ID, tokenAddress: USDC });
    const payer = await ethPayer(USDC, 10_000_000n);
    await payer.pay(evmReceiver, 10_000_000n);
    await until("10 paid", () => view(m.key, s.sessionId), (x) => x.paidUnits === "10");

    const tronReceiver = await choose(s, { type: "tron" });
    const payTron = await tronPayer(15_000_000n);
    await payTron(tronReceiver, 15_000_000n);

    const done = await until("succeeded", () => view(m.key, s.sessionId), (x) => x.status === "succeeded", 120_000);
    expect(done.exception).toBe("mixed");
    const forwards = await db().select().from(outboundTxs).where(and(eq(outboundTxs.checkoutId, s.sessionId), eq(outboundTxs.purpose, "forward")));
    expect(forwards.map((f) => [f.network, f.status]).sort()).toEqual([["ethereum", "confirmed"], ["tron", "confirmed"]]);
    const fwd = (network: string) => forwards.find((f) => f.network === network)!;
    expect(done.deliveries).toHaveLength(2);
    expect(done.deliveries).toEqual(expect.arrayContaining([
      { txHash: fwd("ethereum").txHash, receivedUnits: "10", chainId: ETH_CHAIN_ID, chainName: "ethereum", tokenAddress: USDC, tokenSymbol: "USDC", status: "delivered" },
      { txHash: fwd("tron").txHash, receivedUnits: "15", chainId: null, chainName: "tron", tokenAddress: DEVNET_TRON_TOKEN_ADDRESSES.USDT, tokenSymbol: "USDT", status: "delivered" },
    ]));
    expect(done.destination.delivery).toEqual(done.deliveries[0]);
    // on chain: each group went to its own chain's destination
    expect(await usdcOf(s.destination)).toBe(10_000_000n);
    expect(await tron.readContract({ address: DEVNET_TOKEN_ADDRESSES.USDT, abi: erc20Abi, functionName: "balanceOf", args: [tronToHex(tronSettlement) as Address] })).toBe(15_000_000n);
    const types = await eventTypes(s.sessionId);
    expect(types.filter((t) => t === "session.succeeded")).toHaveLength(1);
    expect(types).toContain("session.processing");
  });
});

describe("merchant actions", () => {
  it("accept: an underpaid session is accepted as paid, settles what came, keeps exception underpaid", async () => {
    const m = await newMerchant();
    const s = await session(m.key, "25");
    // nothing received yet: nothing to accept
    const early = await api(m.key).post(`/v1/sessions/${s.sessionId}/accept`, {});
    expect(early.status, early.text).toBe(409);
    expect(envelope(early).code).toBe("not_acceptable");

    const receiver = await choose(s, { type: "evm", chainId: ETH_CHAIN_ID, tokenAddress: USDC });
    const payer = await ethPayer(USDC, 10_000_000n);
    await payer.pay(receiver, 10_000_000n);
    await until("10 paid", () => view(m.key, s.sessionId), (x) => x.paidUnits === "10");
    // the Overview lists it as needing attention, with the action its page offers
    expect((await needsAttention(m.merchantId, false)).items.map((i) => [i.id, i.actions])).toEqual([[s.sessionId, ["accept"]]]);
    // another merchant cannot
    const other = await newMerchant();
    expect((await api(other.key).post(`/v1/sessions/${s.sessionId}/accept`, {})).status).toBe(404);

    const r = await api(m.key).post(`/v1/sessions/${s.sessionId}/accept`, {});
    expect(r.status, r.text).toBe(200);
    expect(r.json.session).toMatchObject({ status: "processing", exception: "underpaid" });
    const done = await until("succeeded", () => view(m.key, s.sessionId), (x) => x.status === "succeeded");
    expect(done).toMatchObject({ exception: "underpaid", paidUnits: "10", remainingUnits: "15" });
    expect(done.delivery ?? done.destination.delivery).toMatchObject({ receivedUnits: "10", chainName: "ethereum", status: "delivered" });
    expect(await usdcOf(s.destination)).toBe(10_000_000n);
    expect(await eventTypes(s.sessionId)).toEqual(expect.arrayContaining(["session.underpaid", "session.processing", "session.accepted", "session.succeeded"]));
    // resolved: nothing left to do (the exception stays on the record)
    expect((await needsAttention(m.merchantId, false)).items).toEqual([]);
    // the Overview's revenue counts what was accepted, on the day it succeeded
    const revenue = await revenueOverview(m.merchantId, false);
    expect(revenue).toMatchObject({ count: 1, byAsset: [{ network: "ethereum", asset: "USDC", count: 1, amount: "10.00" }] });
    expect(revenue.usdPerDay.at(-1)).toMatchObject({ day: new Date().toISOString().slice(0, 10), label: "10.00" });
  });

  it("refund: two assets left on one network's receiver are refunded one by one, named by asset (code or symbol)", async () => {
    const m = await newMerchant();
    const s = await session(m.key, "5");
    const receiver = await choose(s, { type: "evm", chainId: ETH_CHAIN_ID, tokenAddress: USDC });
    expect((await api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`, {})).json.session.status).toBe("expired");
    const USDT = getAddress(DEVNET_TOKEN_ADDRESSES.USDT);
    const usdtOf = (owner: Address) => eth.readContract({ address: USDT, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
    const a = await ethPayer(USDC, 2_000_000n), b = await ethPayer(USDT, 3_000_000n);
    await a.pay(receiver, 2_000_000n);
    await b.pay(receiver, 3_000_000n);
    await until("both late and confirmed", async () => {
      const [row] = await db().select().from(checkouts).where(eq(checkouts.id, s.sessionId));
      return (await exceptionView(row)).refund.map((h) => `${h.asset}:${h.amount}`).sort();
    }, (x) => x.join() === "USDC:2.00,USDT:3.00");

    // one network, two assets: the network alone does not say which
    const vague = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: b.address, network: "ethereum" });
    expect(vague.status, vague.text).toBe(400);
    expect(envelope(vague)).toMatchObject({ param: "asset" });
    expect(envelope(vague).message).toContain("eUSDC");
    const usdt = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: b.address, asset: "eUSDT" });
    expect(usdt.status, usdt.text).toBe(200);
    const usdc = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: a.address, asset: "USDC" });
    expect(usdc.status, usdc.text).toBe(200);
    const none = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: a.address, asset: "USDC" });
    expect(none.status, none.text).toBe(409);
    await until("both refunded on chain", async () => [await usdcOf(a.address), await usdtOf(b.address)], ([x, y]) => x === 2_000_000n && y === 3_000_000n, 120_000)
      .catch(async (e) => {
        const acts = await db().select().from(checkoutActions).where(eq(checkoutActions.checkoutId, s.sessionId));
        const txs = await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, s.sessionId));
        throw new Error(`${e.message}\nactions: ${JSON.stringify(acts, (_k, v) => typeof v === "bigint" ? v.toString() : v)}\ntxs: ${JSON.stringify(txs.map((t) => [t.purpose, t.status, t.tokenAddress, t.toAddress, t.amount.toString(), t.error]))}`);
      });
    expect(await usdcOf(getAddress(receiver))).toBe(0n);
    expect(await usdtOf(getAddress(receiver))).toBe(0n);
  }, 180_000);

  it("refund: a payment to a canceled session is paid late, and refunded on chain to the address the merchant names", async () => {
    const m = await newMerchant();
    const s = await session(m.key, "5");
    const receiver = await choose(s, { type: "evm", chainId: ETH_CHAIN_ID, tokenAddress: USDC });
    // open: nothing to refund yet
    const open = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: fresh() });
    expect(open.status, open.text).toBe(409);
    expect(envelope(open).code).toBe("not_refundable");
    expect((await api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`, {})).json.session.status).toBe("expired");

    const payer = await ethPayer(USDC, 5_000_000n);
    await payer.pay(receiver, 5_000_000n);
    await until("paid late", () => view(m.key, s.sessionId), (x) => x.exception === "paid_late");
    const attention = await needsAttention(m.merchantId, false);
    expect(attention.items).toMatchObject([{ id: s.sessionId, actions: ["refund"], onReceivers: ["5.00 USDC on Ethereum (test)"], href: `/dashboard/sessions/${s.sessionId}` }]);
    expect((await needsAttention(m.merchantId, true)).items).toEqual([]); // the other mode's Overview
    // the dashboard's refund form is filled in with the payer (the session has no refund address)
    const [row] = await db().select().from(checkouts).where(eq(checkouts.id, s.sessionId));
    expect((await exceptionView(row)).refund).toMatchObject([{ network: "ethereum", amount: "5.00", suggestedAddress: payer.address }]);

    // bad input: refused, nothing written
    const tronAddress = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: hexToTron(fresh()) });
    expect(tronAddress.status, tronAddress.text).toBe(400);
    expect(envelope(tronAddress).param).toBe("address");
    const tooMuch = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: payer.address, amountUnits: "6" });
    expect(tooMuch.status, tooMuch.text).toBe(400);
    expect(envelope(tooMuch).param).toBe("amountUnits");

    const r = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: payer.address });
    expect(r.status, r.text).toBe(200);
    expect(r.json.refund).toMatchObject({ status: "pending", network: "ethereum", toAddress: payer.address });
    // asked once: nothing left for a second request
    const again = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: payer.address });
    expect(again.status, again.text).toBe(409);
    expect(envelope(again).code).toBe("nothing_to_refund");

    await until("session.refunded", () => eventTypes(s.sessionId), (t) => t.includes("session.refunded"));
    expect(await usdcOf(payer.address)).toBe(5_000_000n);
    expect(await usdcOf(getAddress(receiver))).toBe(0n);
    const [refund] = await db().select().from(outboundTxs).where(and(eq(outboundTxs.checkoutId, s.sessionId), eq(outboundTxs.purpose, "refund")));
    expect(refund).toMatchObject({ status: "confirmed", toAddress: payer.address, amount: 5_000_000n });
    expect((await view(m.key, s.sessionId)).status).toBe("expired");
    expect((await needsAttention(m.merchantId, false)).items).toEqual([]);
  });

  it("retry: a forward that reverted (destination refused, no refund address) goes again once the merchant retries", async () => {
    const m = await newMerchant();
    const s = await session(m.key, "5");
    const receiver = await choose(s, { type: "evm", chainId: ETH_CHAIN_ID, tokenAddress: USDC });
    const nothing = await api(m.key).post(`/v1/sessions/${s.sessionId}/retry`, {});
    expect(nothing.status, nothing.text).toBe(409);
    expect(envelope(nothing).code).toBe("nothing_to_retry");
    // the token refuses the destination (the mock ERC-20 reverts transfers to the zero address, as USDC does for a blocked one)
    await db().update(checkouts).set({ destinationAddress: zeroAddress }).where(eq(checkouts.id, s.sessionId));
    const payer = await ethPayer(USDC, 5_000_000n);
    await payer.pay(receiver, 5_000_000n);
    await until("a failed forward", () => db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, s.sessionId)),
      (rows) => rows.some((r) => r.purpose === "forward" && r.status === "failed"));
    const [note] = await until("the note saying why", () => db().select().from(settlementNotes).where(eq(settlementNotes.checkoutId, s.sessionId)), (n) => n.length > 0);
    expect(note.reason).toMatch(/no refundAddress/);
    expect((await view(m.key, s.sessionId)).status).toBe("processing");

    // the block is lifted; the merchant retries
    const destination = fresh();
    await db().update(checkouts).set({ destinationAddress: destination }).where(eq(checkouts.id, s.sessionId));
    const r = await api(m.key).post(`/v1/sessions/${s.sessionId}/retry`, {});
    expect(r.status, r.text).toBe(200);
    const done = await until("succeeded", () => view(m.key, s.sessionId), (x) => x.status === "succeeded");
    expect(done.destination.delivery).toMatchObject({ receivedUnits: "5", status: "delivered" });
    expect(await usdcOf(destination)).toBe(5_000_000n);
    expect(await eventTypes(s.sessionId)).toContain("session.retried");
    expect(await db().select().from(settlementNotes).where(eq(settlementNotes.checkoutId, s.sessionId))).toEqual([]);
  });
});
