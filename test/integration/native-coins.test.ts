// Native coins as checkout currencies (issue 16 item 1): a session for ETH (destination token =
// the zero address) and a seed-004 payment in BNB priced in EUR, paid with plain value transfers
// on the devnet; each is forwarded as the receiver's balance minus the transfer's fee, which the
// outbound row records; deliveries report what arrived. A stablecoin session does not count ETH.
import { and, eq } from "drizzle-orm";
import { createPublicClient, erc20Abi, formatEther, http, parseEther, zeroAddress, type Address } from "viem";
import { hexToTron, tronToHex } from "@/lib/chains/tron/address";
import { describe, expect, it } from "vitest";
import { ledgerEntries, outboundTxs, settlementAddresses } from "@/db/schema";
import { db } from "@/lib/db/client";
import { api, newMerchant } from "../helpers/api";
import { freshAddress, stackConfig } from "./helpers/forwarding-fixtures";
import { createPayment, setPrices, submit, waitForPayment } from "./helpers/payments";
import { newPayer, waitFor } from "./helpers/watcher";

const chain = (network: string) => stackConfig.networks.find((n) => n.network === network && !n.livemode)!;
const ethereum = chain("ethereum");
const bsc = chain("bsc");
const balance = (rpcUrl: string, address: Address) => createPublicClient({ transport: http(rpcUrl) }).getBalance({ address });

/** The ledger's fee entries for an outbound transaction. */
const feeEntriesOf = (outboundId: string) => db().select({ id: ledgerEntries.id }).from(ledgerEntries)
  .where(and(eq(ledgerEntries.refType, "outbound_tx"), eq(ledgerEntries.refId, outboundId), eq(ledgerEntries.reason, "fee")));

describe("native coins in checkouts", () => {
  it("an ETH session paid in ETH succeeds; the destination gets the payment minus the forward's fee", async () => {
    const m = await newMerchant();
    const destination = freshAddress();
    const created = await api(m.key).post("/v1/sessions", {
      destination: { type: "evm", address: destination, chainId: 31337, tokenAddress: zeroAddress, amountUnits: "0.05" },
    });
    expect(created.status, created.text).toBe(201);
    const s = created.json.session;
    expect(s.destination).toMatchObject({ tokenAddress: zeroAddress, tokenSymbol: "ETH", amountUnits: "0.05" });
    // USDC cannot pay an ETH session; ETH on its chain can
    const usdc = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod: { type: "evm", chainId: 31337, tokenAddress: ethereum.assets.eUSDC } });
    expect(usdc.status).toBe(400);
    const chosen = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod: { type: "evm", chainId: 31337, tokenAddress: zeroAddress } });
    expect(chosen.status, chosen.text).toBe(200);
    const receiver = chosen.json.session.paymentMethod.receiverAddress as Address;

    const payer = await newPayer(ethereum.rpcUrls[0], 31337, []);
    await payer.send(null, receiver, parseEther("0.05"));
    const done = await waitFor("the ETH session succeeded", async () => {
      const r = await api(m.key).get(`/v1/sessions/${s.sessionId}`);
      return r.json.session.status === "succeeded" ? r.json.session : null;
    }, 60_000, 250);
    const forward = (await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, s.sessionId))).find((r) => r.purpose === "forward")!;
    expect(forward).toMatchObject({ status: "confirmed", tokenAddress: null });
    expect(forward.feePaid).toBeGreaterThan(0n);
    // the receiver kept only what the fee cap left over; the destination has the rest
    const arrived = await balance(ethereum.rpcUrls[0], destination);
    expect(arrived).toBe(forward.amount);
    expect(arrived + forward.feePaid!).toBeLessThanOrEqual(parseEther("0.05"));
    expect(arrived).toBeGreaterThan(parseEther("0.0499"));
    expect(done.paidUnits).toBe("0.05");
    expect(done.destination.delivery).toMatchObject({ txHash: forward.txHash, chainName: "ethereum", tokenAddress: null, tokenSymbol: "ETH" });
    expect(done.destination.delivery.receivedUnits).toBe(formatEther(arrived));
    // the fee came out of the payment, not out of gas the instance funded: no fee posted against the instance
    expect(forward.feeFromAmount).toBe(true);
    expect(await feeEntriesOf(forward.id)).toEqual([]);
  });

  it("ETH sent to a USDC session is not counted toward it; the merchant refunds it, the fee out of the coin", async () => {
    const m = await newMerchant();
    const s = (await api(m.key).post("/v1/sessions", {
      destination: { type: "evm", address: freshAddress(), chainId: 31337, tokenAddress: ethereum.assets.eUSDC, amountUnits: "1" },
    })).json.session;
    const chosen = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod: { type: "evm", chainId: 31337 } });
    const payer = await newPayer(ethereum.rpcUrls[0], 31337, []);
    await payer.send(null, chosen.json.session.paymentMethod.receiverAddress, parseEther("1"));
    await waitFor("the ETH deposit recorded", async () => {
      const r = await api(m.key).get(`/v1/sessions/${s.sessionId}`);
      return r.json.session.paymentMethod?.sources?.length || r.json.session.paymentMethod?.source ? r.json.session : null;
    }, 30_000, 250);
    const r = (await api(m.key).get(`/v1/sessions/${s.sessionId}`)).json.session;
    expect(r.status).toBe("waiting_payment");
    expect(r.paidUnits ?? "0").toBe("0");

    // the merchant cancels and sends the ETH back: the refund pays its own fee out of the coin
    expect((await api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`, {})).status).toBe(200);
    const back = freshAddress();
    const asked = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: back });
    expect(asked.status, asked.text).toBe(200);
    expect(asked.json.refund).toMatchObject({ status: "pending", network: "ethereum", toAddress: back });
    const done = await waitFor("the ETH refund confirmed", async () => {
      const [row] = (await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, s.sessionId))).filter((x) => x.purpose === "refund" && x.status === "confirmed");
      return row;
    }, 60_000, 250);
    expect(done).toMatchObject({ tokenAddress: null, toAddress: back });
    const got = await balance(ethereum.rpcUrls[0], back);
    expect(got).toBe(done.amount);
    expect(got + done.feePaid!).toBeLessThanOrEqual(parseEther("1"));
    expect(got).toBeGreaterThan(parseEther("0.999"));
    expect(done.feeFromAmount).toBe(true);
    expect(await feeEntriesOf(done.id)).toEqual([]);
    // asked once: nothing left for a second request
    expect((await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: back })).status).toBe(409);
  });

  it("a seed-004 payment in BNB priced in EUR is deposited and settled minus the fee", async () => {
    const m = await newMerchant("BNB merchant");
    const settlement = freshAddress();
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "bsc", livemode: false, address: settlement });
    await setPrices({ "BNB-EUR": "550" });
    const created = await createPayment(m.key, { displayCurrency: "EUR", displayAmount: 55 });
    const p = await submit(m.key, created.paymentId, { depositCurrency: "BNB", network: "BSC" });
    expect(p).toMatchObject({ status: "PENDING", depositCurrency: "BNB", expectedNetwork: "BSC", expectedDepositAmount: "0.1" });
    const payer = await newPayer(bsc.rpcUrls[0], 31340, []);
    await payer.send(null, p.walletAddress, parseEther("0.1"));
    const paid = await waitForPayment(m.key, p.paymentId, "DEPOSITED", (x) => x.status === "DEPOSITED", 60_000);
    expect(paid.actualDepositAmount).toBe("0.1");
    const got = await balance(bsc.rpcUrls[0], settlement);
    expect(got).toBeGreaterThan(parseEther("0.0999"));
    expect(got).toBeLessThan(parseEther("0.1"));
  });
});

describe("seed-004 payments on Tron", () => {
  const tron = chain("tron");
  const tokenBalance = (holder: string) => createPublicClient({ transport: http(tron.rpcUrls[0]) })
    .readContract({ address: tronToHex(tron.assets.tUSDT!), abi: erc20Abi, functionName: "balanceOf", args: [tronToHex(holder)] });

  it("USDT on TRX: a Tron receiver, the deposit credited, forwarded to the merchant's Tron address; TRX gets a receiver too", async () => {
    const m = await newMerchant("Tron payments merchant");
    const settlement = hexToTron(freshAddress());
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "tron", livemode: false, address: settlement });
    await setPrices({ "USDT-EUR": "0.92", "TRX-EUR": "0.2" });

    // the document's example with the network this instance's Tron is
    const usdt = await submit(m.key, (await createPayment(m.key, { displayCurrency: "EUR", displayAmount: 46 })).paymentId, { depositCurrency: "USDT", network: "TRX" });
    expect(usdt).toMatchObject({ status: "PENDING", depositCurrency: "USDT", expectedNetwork: "TRX", expectedDepositAmount: "50" });
    expect(usdt.walletAddress).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    const trx = await submit(m.key, (await createPayment(m.key, { displayCurrency: "EUR", displayAmount: 2 })).paymentId, { depositCurrency: "TRX", network: "TRX" });
    expect(trx).toMatchObject({ status: "PENDING", depositCurrency: "TRX", expectedNetwork: "TRX", expectedDepositAmount: "10" });

    const payer = await newPayer(tron.rpcUrls[0], 31339, [{ token: tronToHex(tron.assets.tUSDT!), amount: 50_000_000n }]);
    await payer.send(tronToHex(tron.assets.tUSDT!), tronToHex(usdt.walletAddress), 50_000_000n);
    const paid = await waitForPayment(m.key, usdt.paymentId, "DEPOSITED", (x) => x.status === "DEPOSITED", 60_000);
    expect(paid.deposits).toMatchObject([{ network: "TRX", amount: "50" }]);
    expect(await tokenBalance(settlement)).toBe(50_000_000n);
    // (a TRX payment is not paid here: the anvil-backed devnet's fees are in wei, ~10^13 "sun" per transfer)
  });

  it("refuses what has no node or no custody here, naming the field", async () => {
    const m = await newMerchant();
    for (const [depositCurrency, network, param] of [["BCH", "BCH", "network"], ["XRP", "XRP", "network"], ["ETH", "TRX", "depositCurrency"]] as const) {
      const p = await createPayment(m.key, { displayCurrency: "EUR", displayAmount: 10 });
      const r = await api(m.key).patch(`/v1/payments/${p.paymentId}`, { depositCurrency, network });
      expect(r.status, `${depositCurrency}/${network}: ${r.text}`).toBe(400);
      expect(JSON.stringify(r.json)).toContain(param);
    }
  });
});
