// Forwarding on the devnet chains (issue 3 item 5): sessions in processing with real deposits on
// their receivers; forwarding passes run in this process with the stack's own mnemonic; results
// checked on chain, in outbound_txs and through the API.
import { eq } from "drizzle-orm";
import { createWalletClient, getAddress, http, keccak256, parseAbiItem, zeroAddress, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkouts, events, outboundTxs, settlementAddresses, settlementNotes } from "@/db/schema";
import { reconcile, sendAndRecord } from "@/lib/chains/evm/sender";
import { delegationCode, sweeperAddress } from "@/lib/chains/evm/sweeper";
import { merchantBalance } from "@/lib/ledger/accounts";
import { checkoutFees, feesPerDay } from "@/lib/dashboard/fees";
import { db } from "@/lib/db/client";
import { evmAccountAt } from "@/lib/keys/derive";
import { fundDevnetHotWallet } from "@/lib/forwarding/fund-devnet-hot-wallet";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { api, newMerchant } from "../helpers/api";
import {
  balanceOf, checkoutStatus, client, ethereum as ethereumDelegated, forwardTimes, forwardUntil, freshAddress, holdForwardingLeases, mnemonic, outboundOf,
  polygon, processingSession, setNativeBalance, tokenOn,
} from "./helpers/forwarding-fixtures";

// the classic path (gas funding, then the receiver's own transfer) is what these tests pin; the
// devnet's default, EIP-7702 batch sweeps, has its own describe below
const ethereum = { ...ethereumDelegated, delegatedSweeps: false };
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

describe("forwarding by EIP-7702 batch sweeps", () => {
  const eth = ethereumDelegated;
  const sweeper = sweeperAddress(hotWallet);

  it("forwards the payments of several merchants in one type-4 transaction of the hot wallet, without gas funding, each merchant charged its share", async () => {
    expect(eth.delegatedSweeps).toBe(true);
    const [m1, m2] = [await newMerchant(), await newMerchant()];
    const dests = [freshAddress(), freshAddress(), freshAddress()];
    const sessions = [
      await processingSession({ key: m1.key, merchantId: m1.merchantId, destination: dests[0], amountUnits: "3", pay: [{ chain: eth, symbol: "USDC", units: 3_000_000n }] }),
      await processingSession({ key: m1.key, merchantId: m1.merchantId, destination: dests[1], amountUnits: "4", pay: [{ chain: eth, symbol: "USDC", units: 4_000_000n }] }),
      await processingSession({ key: m2.key, merchantId: m2.merchantId, destination: dests[2], amountUnits: "5", pay: [{ chain: eth, symbol: "USDC", units: 5_000_000n }] }),
    ];
    const ids = sessions.map((x) => x.sessionId);
    await forwardUntil(eth, async () => (await Promise.all(ids.map(checkoutStatus))).every((st) => st === "succeeded"), { timeoutMs: 45_000 });

    const rows = (await Promise.all(ids.map(outboundOf))).flat();
    expect(rows.map((r) => r.purpose)).toEqual(["forward", "forward", "forward"]);
    const hash = rows[0].txHash as Hex;
    expect(new Set(rows.map((r) => r.txHash))).toEqual(new Set([hash]));
    for (const [i, r] of rows.entries()) {
      expect(r).toMatchObject({ status: "confirmed", fromAddress: sessions[i].receiver, toAddress: dests[i], nonce: null, feePayer: hotWallet });
      expect(r.payerNonce).not.toBeNull();
      expect(await balanceOf(eth, USDC_ETH, dests[i])).toBe(BigInt(3 + i) * 1_000_000n);
      expect(await balanceOf(eth, USDC_ETH, sessions[i].receiver)).toBe(0n);
      // the receiver delegated to the sweeper, sent nothing itself and was never funded
      expect((await client(eth).getCode({ address: sessions[i].receiver }))?.toLowerCase()).toBe(delegationCode(sweeper));
      expect(await client(eth).getTransactionCount({ address: sessions[i].receiver })).toBe(1); // the authorization's nonce
      expect(await client(eth).getBalance({ address: sessions[i].receiver })).toBe(0n);
    }
    const tx = await client(eth).getTransaction({ hash });
    expect(tx.type).toBe("eip7702");
    expect(getAddress(tx.from)).toBe(hotWallet);
    expect(getAddress(tx.to!)).toBe(sweeper);
    // the pass forwards everything ready on the devnet: the batch may also carry other test files' payments
    const batchRows = await db().select().from(outboundTxs).where(eq(outboundTxs.txHash, hash));
    expect(batchRows.length).toBeGreaterThanOrEqual(3);
    expect(tx.authorizationList!.length).toBeGreaterThanOrEqual(3);
    for (const a of tx.authorizationList!) expect(getAddress(a.address)).toBe(sweeper);
    // the fee is the transaction's, in equal shares; the ledger charges each merchant its own rows' shares
    const receipt = await client(eth).getTransactionReceipt({ hash });
    expect(batchRows.reduce((sum, r) => sum + r.feePaid!, 0n)).toBe(receipt.gasUsed * receipt.effectiveGasPrice);
    const fees = async (merchantId: string) => (await merchantBalance({ merchantId, livemode: false }, "ethereum", "ETH")).fees;
    expect(await fees(m1.merchantId)).toBe(rows[0].feePaid! + rows[1].feePaid!);
    expect(await fees(m2.merchantId)).toBe(rows[2].feePaid!);
    // what the merchant sees: each payment's share of the batch, and the day's fees
    expect(await checkoutFees(ids[0])).toEqual([{ txHash: hash, network: "ethereum", livemode: false, purpose: "forward", asset: "ETH", amount: rows[0].feePaid, sharedBy: batchRows.length }]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await feesPerDay({ merchantId: m1.merchantId, livemode: false })).toEqual([
      { day: today, network: "ethereum", asset: "ETH", amount: rows[0].feePaid! + rows[1].feePaid!, transactions: 2 },
    ]);
    // what each session reports as delivered is its own receiver's transfer, not the batch's sum to a shared address
    const r = await api(m1.key).get(`/v1/sessions/${ids[1]}`);
    expect(r.json.session.destination.delivery).toMatchObject({ txHash: hash, receivedUnits: "4", status: "delivered" });
  });

  it("after a crash between commit and broadcast, sends the same batch and nothing else", async () => {
    const m = await newMerchant();
    const destination = freshAddress();
    const s = await processingSession({ key: m.key, merchantId: m.merchantId, destination, amountUnits: "2", pay: [{ chain: eth, symbol: "USDC", units: 2_000_000n }] });
    // the sweeper is deployed by the first test (or the stack's worker): the pass signs and "dies"
    await forwardUntil(eth, async () => (await outboundOf(s.sessionId)).length > 0, { broadcast: false });
    const [signed] = await outboundOf(s.sessionId);
    expect(signed).toMatchObject({ purpose: "forward", status: "signed", feePayer: hotWallet });
    expect(await client(eth).getTransaction({ hash: signed.txHash as Hex }).catch(() => null)).toBeNull();
    await forwardUntil(eth, isStatus(s.sessionId, "succeeded"));
    await forwardTimes(eth, 2);
    const rows = await outboundOf(s.sessionId);
    expect(rows.map((r) => [r.id, r.status])).toEqual([[signed.id, "confirmed"]]);
    const transfers = await client(eth).getLogs({
      address: USDC_ETH, event: parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)"),
      args: { from: s.receiver as Address }, fromBlock: 0n,
    });
    expect(transfers.map((l) => l.transactionHash)).toEqual([signed.txHash]);
    expect(await balanceOf(eth, USDC_ETH, destination)).toBe(2_000_000n);
  });

  it("a receiver whose authorization no longer applies is skipped by the sweeper and forwarded again one by one; the others go through", async () => {
    const m = await newMerchant();
    const [okDest, badDest] = [freshAddress(), freshAddress()];
    const ok = await processingSession({ key: m.key, merchantId: m.merchantId, destination: okDest, amountUnits: "1", pay: [{ chain: eth, symbol: "USDC", units: 1_000_000n }] });
    const bad = await processingSession({ key: m.key, merchantId: m.merchantId, destination: badDest, amountUnits: "1", pay: [{ chain: eth, symbol: "USDC", units: 1_000_000n }] });
    // one pass signs both (not broadcast)…
    await forwardUntil(eth, async () => (await outboundOf(bad.sessionId)).length > 0 && (await outboundOf(ok.sessionId)).length > 0, { broadcast: false });
    const [badRow] = await outboundOf(bad.sessionId);
    const [okRow] = await outboundOf(ok.sessionId);
    expect(badRow.txHash).toBe(okRow.txHash);
    // …then, before it is mined, the bad receiver's nonce moves (a transaction of its own): its authorization no longer applies
    await setNativeBalance(eth, bad.receiver, "0.01");
    const wallet = createWalletClient({ account: evmAccountAt(mnemonic, bad.receiverIndex), transport: http(eth.rpcUrls[0]) });
    await client(eth).waitForTransactionReceipt({ hash: await wallet.sendTransaction({ chain: null, to: bad.receiver, value: 0n }) });

    await forwardUntil(eth, async () => (await checkoutStatus(ok.sessionId)) === "succeeded" && (await checkoutStatus(bad.sessionId)) === "succeeded", { timeoutMs: 45_000 });
    expect(await outboundOf(ok.sessionId)).toMatchObject([{ id: okRow.id, status: "confirmed" }]);
    const badRows = await outboundOf(bad.sessionId);
    expect(badRows[0]).toMatchObject({ id: badRow.id, status: "failed" });
    expect(badRows[0].error).toMatch(/^batch failed: the receiver's authorization did not apply/);
    // taken again the classic way: the receiver's own transfer (it holds gas already: no funding)
    expect(badRows.slice(1)).toMatchObject([{ purpose: "forward", status: "confirmed", fromAddress: bad.receiver, feePayer: null, payerNonce: null }]);
    expect(await balanceOf(eth, USDC_ETH, badDest)).toBe(1_000_000n);
    expect(await balanceOf(eth, USDC_ETH, okDest)).toBe(1_000_000n);
  });
});
