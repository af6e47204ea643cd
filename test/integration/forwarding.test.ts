// Forwarding on the devnet chains (issue 3 item 5): sessions in processing with real deposits on
// their receivers; forwarding passes run in this process with the stack's own mnemonic; results
// checked on chain, in outbound_txs and through the API.
import { eq } from "drizzle-orm";
import { keccak256, parseAbiItem, zeroAddress, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkouts, events, settlementAddresses, settlementNotes } from "@/db/schema";
import { reconcile, sendAndRecord } from "@/lib/chains/evm/sender";
import { db } from "@/lib/db/client";
import { evmAccountAt } from "@/lib/keys/derive";
import { fundDevnetHotWallet } from "@/lib/forwarding/fund-devnet-hot-wallet";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { api, newMerchant } from "../helpers/api";
import {
  balanceOf, checkoutStatus, client, ethereum, forwardTimes, forwardUntil, freshAddress, holdForwardingLeases, mnemonic, outboundOf,
  polygon, processingSession, setNativeBalance, tokenOn,
} from "./helpers/forwarding-fixtures";

const USDC_ETH = tokenOn(ethereum, "USDC").address;
const USDC_POLYGON = tokenOn(polygon, "USDC").address;
const hotWallet = hotWalletAddress(mnemonic);

const notesOf = (id: string) => db().select().from(settlementNotes).where(eq(settlementNotes.checkoutId, id));
const isStatus = (id: string, status: string) => async () => (await checkoutStatus(id)) === status;

async function eventTypes(sessionId: string): Promise<string[]> {
  const rows = await db().select({ type: events.type }).from(events).where(eq(events.objectId, sessionId)).orderBy(events.createdAt);
  return rows.map((r) => r.type);
}

/** A destination the token refuses: the mock ERC-20 reverts transfers to the zero address (as USDC does for a blacklisted one). */
async function makeDestinationRevert(sessionId: string): Promise<void> {
  await db().update(checkouts).set({ destinationAddress: zeroAddress }).where(eq(checkouts.id, sessionId));
}

let releaseLeases: () => Promise<void> = async () => {};
beforeAll(async () => {
  releaseLeases = await holdForwardingLeases();
  await fundDevnetHotWallet(ethereum.rpcUrls[0], hotWallet);
  await fundDevnetHotWallet(polygon.rpcUrls[0], hotWallet);
});
afterAll(() => releaseLeases());

describe("forwarding", () => {
  it("forwards an exact payment on the destination's chain and token to the destination, funding gas once", async () => {
    const m = await newMerchant();
    const destination = freshAddress();
    const s = await processingSession({
      key: m.key, merchantId: m.merchantId, destination, amountUnits: "25", pay: [{ chain: ethereum, symbol: "USDC", units: 25_000_000n }],
    });
    const hotBefore = await client(ethereum).getBalance({ address: hotWallet });
    await forwardUntil(ethereum, isStatus(s.sessionId, "succeeded"));

    expect(await balanceOf(ethereum, USDC_ETH, destination)).toBe(25_000_000n);
    expect(await balanceOf(ethereum, USDC_ETH, s.receiver)).toBe(0n);

    const rows = await outboundOf(s.sessionId);
    expect(rows.map((r) => [r.purpose, r.status])).toEqual([["gas_funding", "confirmed"], ["forward", "confirmed"]]);
    const [funding, forward] = rows;
    expect(funding).toMatchObject({ fromAddress: hotWallet, toAddress: s.receiver, tokenAddress: null, nonce: expect.any(BigInt) });
    expect(forward).toMatchObject({ fromAddress: s.receiver, toAddress: destination, tokenAddress: USDC_ETH, amount: 25_000_000n, nonce: 0n });
    expect(forward.txHash).toBe(keccak256(forward.signedTx as Hex));
    // the hot wallet paid exactly the funding plus its own fee; the receiver spent part of it on the transfer
    const fundingTx = await client(ethereum).getTransaction({ hash: funding.txHash as Hex });
    expect(fundingTx.from).toBe(hotWallet.toLowerCase());
    expect(fundingTx.value).toBe(funding.amount);
    // the hot wallet is shared with forwards of other tests running in parallel, so check this
    // funding's own cost on chain rather than the wallet's total balance
    const fundingReceipt = await client(ethereum).getTransactionReceipt({ hash: funding.txHash as Hex });
    expect(fundingReceipt.status).toBe("success");
    expect(funding.feePaid).toBe(fundingReceipt.gasUsed * fundingReceipt.effectiveGasPrice);
    expect(await client(ethereum).getBalance({ address: hotWallet })).toBeLessThanOrEqual(hotBefore - funding.amount - funding.feePaid!);
    expect(funding.amount).toBeGreaterThanOrEqual(forward.feePaid!);

    const r = await api(m.key).get(`/v1/sessions/${s.sessionId}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.session.status).toBe("succeeded");
    expect(r.json.session.destination.delivery).toEqual({ txHash: forward.txHash, receivedUnits: "25", chainId: ethereum.chainId, chainName: "ethereum", tokenAddress: USDC_ETH, tokenSymbol: "USDC", status: "delivered" });
    expect(r.json.session.deliveries).toEqual([r.json.session.destination.delivery]);
    expect(r.json.session.exception).toBeNull();
    expect(await eventTypes(s.sessionId)).toEqual(["session.processing", "session.succeeded"]);

    // further passes send nothing
    await forwardTimes(ethereum, 2);
    expect(await outboundOf(s.sessionId)).toHaveLength(2);
  });

  it("sends a payment made on another chain, overpaid, in full to the merchant's settlement address there", async () => {
    const m = await newMerchant();
    const settlement = freshAddress();
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "polygon", livemode: false, address: settlement });
    const destination = freshAddress();
    const s = await processingSession({
      key: m.key, merchantId: m.merchantId, destination, amountUnits: "10", pay: [{ chain: polygon, symbol: "USDC", units: 12_500_000n }],
    });
    // the ethereum pass leaves it alone: its deposits are on polygon
    await forwardTimes(ethereum, 1);
    expect(await outboundOf(s.sessionId)).toEqual([]);

    await forwardUntil(polygon, isStatus(s.sessionId, "succeeded"));
    expect(await balanceOf(polygon, USDC_POLYGON, settlement)).toBe(12_500_000n);
    expect(await balanceOf(polygon, USDC_POLYGON, s.receiver)).toBe(0n);
    expect(await balanceOf(ethereum, USDC_ETH, destination)).toBe(0n);
    const forward = (await outboundOf(s.sessionId)).find((r) => r.purpose === "forward")!;
    expect(forward).toMatchObject({ network: "polygon", toAddress: settlement, status: "confirmed" });
    const r = await api(m.key).get(`/v1/sessions/${s.sessionId}`);
    // honest delivery: the chain and token the payer's funds settled on, not the destination's
    expect(r.json.session.destination.delivery).toEqual({ txHash: forward.txHash, receivedUnits: "12.5", chainId: polygon.chainId, chainName: "polygon", tokenAddress: USDC_POLYGON, tokenSymbol: "USDC", status: "delivered" });
    expect(r.json.session.exception).toBe("overpaid");
  });

  it("waits with a visible reason while the merchant has no settlement address, then forwards once one is set", async () => {
    const m = await newMerchant();
    const s = await processingSession({
      key: m.key, merchantId: m.merchantId, destination: freshAddress(), amountUnits: "3", pay: [{ chain: polygon, symbol: "USDC", units: 3_000_000n }],
    });
    await forwardTimes(polygon, 2);
    expect(await checkoutStatus(s.sessionId)).toBe("processing");
    // nothing signed; a note says why (notes are not transactions)
    expect(await outboundOf(s.sessionId)).toEqual([]);
    const notes = await notesOf(s.sessionId);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ purpose: "forward", network: "polygon" });
    expect(notes[0].reason).toMatch(/no settlement address for polygon/);
    expect(await balanceOf(polygon, USDC_POLYGON, s.receiver)).toBe(3_000_000n);

    const settlement = freshAddress();
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "polygon", livemode: false, address: settlement });
    await forwardUntil(polygon, isStatus(s.sessionId, "succeeded"));
    expect(await balanceOf(polygon, USDC_POLYGON, settlement)).toBe(3_000_000n);
    expect(await notesOf(s.sessionId)).toEqual([]);
  });

  it("refunds to the refund address and bounces when the transfer to the destination would revert", async () => {
    const m = await newMerchant();
    const refund = freshAddress();
    const s = await processingSession({
      key: m.key, merchantId: m.merchantId, destination: freshAddress(), refundAddress: refund, amountUnits: "5",
      pay: [{ chain: ethereum, symbol: "USDC", units: 5_000_000n }],
    });
    await makeDestinationRevert(s.sessionId);
    await forwardUntil(ethereum, isStatus(s.sessionId, "bounced"));

    expect(await balanceOf(ethereum, USDC_ETH, refund)).toBe(5_000_000n);
    expect(await balanceOf(ethereum, USDC_ETH, s.receiver)).toBe(0n);
    const rows = await outboundOf(s.sessionId);
    const forward = rows.find((r) => r.purpose === "forward")!;
    expect(forward).toMatchObject({ status: "failed", toAddress: zeroAddress, nonce: null, signedTx: null });
    expect(forward.error).toMatch(/^reverted in simulation: .*zero address/);
    const refundRow = rows.find((r) => r.purpose === "refund")!;
    expect(refundRow).toMatchObject({ status: "confirmed", toAddress: refund, amount: 5_000_000n });
    expect(rows.filter((r) => r.purpose === "gas_funding")).toHaveLength(1);

    const r = await api(m.key).get(`/v1/sessions/${s.sessionId}`);
    expect(r.json.session.status).toBe("bounced");
    expect(r.json.session.destination.delivery).toMatchObject({ txHash: refundRow.txHash, receivedUnits: "5", chainName: "ethereum", status: "refunded" });
    expect(await eventTypes(s.sessionId)).toEqual(["session.processing", "session.bounced"]);
  });

  it("refunds and bounces when a forward reverts on chain", async () => {
    const m = await newMerchant();
    const refund = freshAddress();
    const s = await processingSession({
      key: m.key, merchantId: m.merchantId, destination: freshAddress(), refundAddress: refund, amountUnits: "7",
      pay: [{ chain: ethereum, symbol: "USDC", units: 7_000_000n }],
    });
    await makeDestinationRevert(s.sessionId);
    // a forward that passed simulation but reverts when mined (state changed in between): sent here
    // with a fixed gas limit, since the forwarder itself would not broadcast a transfer that simulates as a revert
    await setNativeBalance(ethereum, s.receiver, "0.01");
    const sent = await sendAndRecord({
      chain: ethereum, account: evmAccountAt(mnemonic, s.receiverIndex), merchantId: m.merchantId, checkoutId: s.sessionId,
      purpose: "forward", to: zeroAddress, token: USDC_ETH, amount: 7_000_000n, gas: 100_000n,
    });
    const receipt = await client(ethereum).waitForTransactionReceipt({ hash: sent!.txHash as Hex });
    expect(receipt.status).toBe("reverted");

    await forwardUntil(ethereum, isStatus(s.sessionId, "bounced"));
    const rows = await outboundOf(s.sessionId);
    const forward = rows.find((r) => r.purpose === "forward")!;
    expect(forward.status).toBe("failed");
    expect(forward.error).toMatch(/^reverted on chain in block \d+/);
    const refundRow = rows.find((r) => r.purpose === "refund")!;
    expect(refundRow).toMatchObject({ status: "confirmed", nonce: 1n });
    expect(await balanceOf(ethereum, USDC_ETH, refund)).toBe(7_000_000n);
    const r = await api(m.key).get(`/v1/sessions/${s.sessionId}`);
    expect(r.json.session.destination.delivery).toMatchObject({ txHash: refundRow.txHash, receivedUnits: "7", chainName: "ethereum", status: "refunded" });
  });

  it("stays processing with a reason when the destination reverts and there is no refund address", async () => {
    const m = await newMerchant();
    const s = await processingSession({
      key: m.key, merchantId: m.merchantId, destination: freshAddress(), amountUnits: "2", pay: [{ chain: ethereum, symbol: "USDC", units: 2_000_000n }],
    });
    await makeDestinationRevert(s.sessionId);
    await forwardTimes(ethereum, 3);
    expect(await checkoutStatus(s.sessionId)).toBe("processing");
    const [note] = await notesOf(s.sessionId);
    expect(note).toMatchObject({ purpose: "refund", tokenAddress: USDC_ETH, amount: 2_000_000n });
    expect(note.reason).toMatch(/no refundAddress/);
    expect((await outboundOf(s.sessionId)).map((r) => [r.purpose, r.status])).toEqual([["forward", "failed"]]);
    expect(await balanceOf(ethereum, USDC_ETH, s.receiver)).toBe(2_000_000n);
  });

  it("after a crash between commit and broadcast, re-broadcasts the same signed transaction and sends nothing else", async () => {
    const m = await newMerchant();
    const destination = freshAddress();
    const s = await processingSession({
      key: m.key, merchantId: m.merchantId, destination, amountUnits: "4", pay: [{ chain: ethereum, symbol: "USDC", units: 4_000_000n }],
    });
    await setNativeBalance(ethereum, s.receiver, "0.01"); // enough gas: the forward is the first step

    // the pass signs and commits the forward, then "dies" before broadcasting
    await forwardTimes(ethereum, 1, { broadcast: false });
    const [signed] = await outboundOf(s.sessionId);
    expect(signed).toMatchObject({ purpose: "forward", status: "signed", nonce: 0n, amount: 4_000_000n });
    expect(signed.txHash).toBe(keccak256(signed.signedTx as Hex));
    expect(await client(ethereum).getTransactionCount({ address: s.receiver })).toBe(0);

    await reconcile(ethereum);
    const receipt = await client(ethereum).waitForTransactionReceipt({ hash: signed.txHash as Hex });
    expect(receipt.status).toBe("success");

    await forwardUntil(ethereum, isStatus(s.sessionId, "succeeded"));
    await forwardTimes(ethereum, 2);
    const rows = await outboundOf(s.sessionId);
    expect(rows.map((r) => [r.id, r.status])).toEqual([[signed.id, "confirmed"]]);
    expect(await client(ethereum).getTransactionCount({ address: s.receiver })).toBe(1);
    const transfers = await client(ethereum).getLogs({
      address: USDC_ETH, event: parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)"),
      args: { from: s.receiver as Address }, fromBlock: 0n,
    });
    expect(transfers.map((l) => l.transactionHash)).toEqual([signed.txHash]);
    expect(await balanceOf(ethereum, USDC_ETH, destination)).toBe(4_000_000n);
    const [row] = await db().select().from(checkouts).where(eq(checkouts.id, s.sessionId));
    expect(row.deliveryTxHash).toBe(signed.txHash);
    expect(row.deliveryReceivedUnits).toBe(4_000_000n);
  });
});
