// Payments (issue 7, seed 004 dialect) end to end on the devnet: the API on the stack's web
// process, prices from the rate stand-in through the real CoinGecko client, deposits as real
// token transfers watched, evaluated and forwarded by the stack's worker.
import { and, eq, sql } from "drizzle-orm";
import { erc20Abi, getAddress, type Address } from "viem";
import { Keypair } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { checkouts, outboundTxs, payments, rateQuotes, receivers, settlementAddresses } from "@/db/schema";
import { p2wpkhAddress } from "@/lib/chains/bitcoin/address";
import { hexToTron } from "@/lib/chains/tron/address";
import { db } from "@/lib/db/client";
import { DEPOSIT_CURRENCIES, PAYMENT_NETWORKS } from "@/lib/payments/currencies";
import { api, envelope, type ApiResponse } from "../helpers/api";
import {
  createPayment, ethPayer, getPayment, paymentEventTypes, paymentMerchant, setPrices, submit, testEnv, waitForPayment,
} from "./helpers/payments";
import { publicClient, USDC, USDT, waitFor } from "./helpers/watcher";

const tokenBalance = (token: Address, owner: string) =>
  publicClient(testEnv.rpcEthereum).readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [getAddress(owner)] });

/** Moves a payment's deadline into the past (the worker's expiry sweep does the rest). */
async function pastDeadline(paymentId: string) {
  await db().update(payments).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(payments.id, paymentId));
  await db().update(checkouts).set({ expiresAt: sql`now() - interval '2 minutes'` }).where(eq(checkouts.id, paymentId));
}

describe("payments API (seed 004)", () => {
  it("accepts seed 004's example PATCH body as written, at /api/v1 with the FRX-API header", async () => {
    const m = await paymentMerchant();
    await setPrices({ "USDT-EUR": "0.913085" });
    const created = await createPayment(m.key, { clientPaymentId: "test-payment-23-12-18-1", rateType: "FLOATING", expirationMinutes: 10080 });
    expect(created).toMatchObject({ status: "NEW", rateType: "FLOATING", type: "ONE_TIME", processorType: "BLOCKCHAIN", actualDepositAmount: "0", deposits: [] });
    expect(created.url).toMatch(new RegExp(`/checkout/${created.paymentId}$`));
    // expirationMinutes ≥ 0 (the document): 0 takes the merchant's default expiry, as omitting it does
    const zero = await createPayment(m.key, { clientPaymentId: "zero", expirationMinutes: 0 });
    const omitted = await createPayment(m.key, { clientPaymentId: "omitted" });
    expect(zero.expirationMinutes).toBe(omitted.expirationMinutes);
    expect(zero.expirationMinutes).toBeGreaterThan(0);
    expect(zero.status).toBe("NEW");

    const body = `{
"displayCurrency": "EUR",
"displayAmount": 50,
"depositCurrency": "USDT",
"network": "ETH"
}`;
    const r = await api().raw("PATCH", `/api/v1/payments/${created.paymentId}`, undefined, body, { "FRX-API": m.key });
    expect(r.status, r.text).toBe(200);
    const info = r.json.paymentInfo;
    // 50 / 0.913085 = 54.7594145…, rounded up to USDT's 6 decimals
    expect(info).toMatchObject({
      paymentId: created.paymentId, status: "PENDING", displayCurrency: "EUR", expectedDisplayAmount: "50.00",
      depositCurrency: "USDT", expectedNetwork: "ETH", expectedDepositAmount: "54.759415", actualDepositAmount: "0", actualDisplayAmount: "0.00",
    });
    expect(info.walletAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(info.quotes).toEqual([expect.objectContaining({ purpose: "submit", base: "USDT", quote: "EUR", rate: "0.913085", source: "coingecko" })]);
    const [q] = await db().select().from(rateQuotes).where(eq(rateQuotes.paymentId, created.paymentId));
    expect(q.expiresAt.getTime()).toBeGreaterThan(q.fetchedAt.getTime());

    expect(await getPayment(m.key, created.paymentId)).toEqual(info);
    expect(await paymentEventTypes(created.paymentId)).toEqual(["payment.new", "payment.pending"]);
    // submitted once: a second PATCH is a conflict
    const again = await api(m.key).patch(`/v1/payments/${created.paymentId}`, { depositCurrency: "USDT" });
    expect(again.status).toBe(409);
    expect(envelope(again).code).toBe("payment_already_submitted");
  });

  it("validates input in the error envelope and never shows another merchant's payment", async () => {
    const m = await paymentMerchant();
    const other = await paymentMerchant();
    const bad = await api(m.key).post("/v1/payments", { clientPaymentId: "x", displayCurrency: "EUR", displayAmount: "1.005" });
    expect(bad.status).toBe(400);
    expect(envelope(bad)).toMatchObject({ type: "validation_error", param: "displayAmount" });
    const unknown = await api(m.key).post("/v1/payments", { clientPaymentId: "x", displayCurrency: "XXX" });
    expect(unknown.status).toBe(400);
    const p = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "10" });
    expect((await api(other.key).get(`/v1/payments/${p.paymentId}`)).status).toBe(404);
    const off = await api(m.key).patch(`/v1/payments/${p.paymentId}`, { depositCurrency: "XRP", network: "XRP" });
    expect(envelope(off)).toMatchObject({ type: "validation_error", code: "network_not_supported", param: "network" });
    // Tron takes payments; this merchant has no Tron settlement address
    const tron = await api(m.key).patch(`/v1/payments/${p.paymentId}`, { depositCurrency: "USDT", network: "TRX" });
    expect(envelope(tron)).toMatchObject({ code: "settlement_address_missing", param: "network" });
    expect(tron.status).toBe(422);
    // Bitcoin takes payments too (on its own network); no Bitcoin settlement address either
    const native = await api(m.key).patch(`/v1/payments/${p.paymentId}`, { depositCurrency: "BTC" });
    expect(envelope(native)).toMatchObject({ code: "settlement_address_missing", param: "network" });
    expect(native.status).toBe(422);
  });

  it("POLYGON (this instance's addition to seed 004's networks) prices on the polygon devnet", async () => {
    const m = await paymentMerchant();
    const p = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "12.34" });
    const s = await submit(m.key, p.paymentId, { depositCurrency: "USDC", network: "POLYGON" });
    expect(s).toMatchObject({ status: "PENDING", expectedNetwork: "POLYGON", depositCurrency: "USDC", expectedDepositAmount: "12.34" });
    const [c] = await db().select().from(checkouts).where(eq(checkouts.id, p.paymentId));
    expect(c).toMatchObject({ network: "polygon", chainId: 31338, tokenSymbol: "USDC", amountUnits: 12_340_000n, destinationAddress: m.settlement });
  });

  it("rate provider down: PATCH answers 503 with Retry-After and writes nothing; a price that does not exist is a 400 naming the pair", async () => {
    const m = await paymentMerchant();
    await setPrices({ "USDT-SEK": "down", "USDT-KES": null });
    const missing = await createPayment(m.key, { displayCurrency: "KES", displayAmount: "100" });
    const none = await api(m.key).patch(`/v1/payments/${missing.paymentId}`, { depositCurrency: "USDT", network: "ETH" });
    expect(none.status, none.text).toBe(400);
    expect(envelope(none)).toMatchObject({ type: "validation_error", code: "rate_pair_unsupported", param: "displayCurrency" });
    expect(envelope(none).message).toMatch(/USDT\/KES/);
    expect(await getPayment(m.key, missing.paymentId)).toEqual(missing);
    const p = await createPayment(m.key, { displayCurrency: "SEK", displayAmount: "100" });
    const r = await api(m.key).patch(`/v1/payments/${p.paymentId}`, { depositCurrency: "USDT", network: "ETH" });
    expect(r.status).toBe(503);
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(envelope(r)).toMatchObject({ type: "api_error", code: "rate_unavailable" });
    expect(envelope(r).message).toMatch(/USDT\/SEK/);
    expect(await getPayment(m.key, p.paymentId)).toEqual(p);
    expect(await db().select().from(rateQuotes).where(eq(rateQuotes.paymentId, p.paymentId))).toEqual([]);
    expect(await db().select().from(checkouts).where(eq(checkouts.id, p.paymentId))).toEqual([]);
    expect(await db().select().from(receivers).where(eq(receivers.checkoutId, p.paymentId))).toEqual([]);
    expect(await paymentEventTypes(p.paymentId)).toEqual(["payment.new"]);
    // back up: the same PATCH goes through
    await setPrices({ "USDT-SEK": "10.5" });
    expect((await submit(m.key, p.paymentId, { depositCurrency: "USDT", network: "ETH" })).expectedDepositAmount).toBe("9.52381");
  });

  it("NEW → EXPIRED and PENDING → EXPIRED by the worker's sweep", async () => {
    const m = await paymentMerchant();
    const fresh = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "5" });
    const pending = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "5" });
    await submit(m.key, pending.paymentId, { depositCurrency: "USDC" });
    await pastDeadline(fresh.paymentId);
    await pastDeadline(pending.paymentId);
    await waitForPayment(m.key, fresh.paymentId, "EXPIRED", (p) => p.status === "EXPIRED");
    await waitForPayment(m.key, pending.paymentId, "EXPIRED", (p) => p.status === "EXPIRED");
    expect(await paymentEventTypes(fresh.paymentId)).toEqual(["payment.new", "payment.expired"]);
    expect(await paymentEventTypes(pending.paymentId)).toEqual(["payment.new", "payment.pending", "payment.expired"]);
    const late = await api(m.key).patch(`/v1/payments/${fresh.paymentId}`, { depositCurrency: "USDC" });
    expect(envelope(late).code).toBe("payment_expired");
  });

  it("a merchant blocks a NEW and a PENDING payment; a blocked or expired one cannot be blocked again", async () => {
    const m = await paymentMerchant();
    const a = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "5" });
    const b = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "5" });
    await submit(m.key, b.paymentId, { depositCurrency: "USDT" });
    for (const id of [a.paymentId, b.paymentId]) {
      const r = await api(m.key).post(`/v1/payments/${id}/block`, {});
      expect(r.status, r.text).toBe(200);
      expect(r.json.paymentInfo.status).toBe("BLOCKED");
      expect((await paymentEventTypes(id)).at(-1)).toBe("payment.blocked");
      expect(envelope(await api(m.key).post(`/v1/payments/${id}/block`, {})).code).toBe("payment_blocked");
    }
    expect(envelope(await api(m.key).patch(`/v1/payments/${a.paymentId}`, { depositCurrency: "USDT" })).code).toBe("payment_blocked");
    const [c] = await db().select().from(checkouts).where(eq(checkouts.id, b.paymentId));
    expect(c.status).toBe("bounced");
  });

  it("the payer chooses on the payment's page (/checkout/{id}/choice): bad input writes nothing, every later submission moves on", async () => {
    const m = await paymentMerchant();
    await setPrices({ "USDT-GBP": "0.8", "USDC-GBP": "0.8" });
    const p = await createPayment(m.key, { displayCurrency: "GBP", displayAmount: "20.00" });
    const path = `/checkout/${p.paymentId}/choice`;
    const written = async (id: string) => ({
      checkouts: (await db().select().from(checkouts).where(eq(checkouts.id, id))).length,
      quotes: (await db().select().from(rateQuotes).where(eq(rateQuotes.paymentId, id))).length,
    });

    expect((await api().get(path)).json).toEqual({ state: "choose" });
    const preview = await api().get(`${path}?depositCurrency=USDT&network=ETH`);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json).toEqual({ state: "choose", quote: { amount: "25", currency: "USDT", network: "ETH" } });

    // strictly the choice: unknown pairs, missing or extra fields, bad JSON, an unknown payment
    const bad: [unknown, string, string | null][] = [
      [{ depositCurrency: "XRP", network: "ETH" }, "currency_not_supported", "depositCurrency"],
      [{ depositCurrency: "USDT" }, "parameter_invalid", "network"],
      [{ depositCurrency: "USDT", network: "ETH", displayAmount: "1" }, "parameter_unknown", "displayAmount"],
      [{ depositCurrency: "usdt", network: "ETH" }, "parameter_invalid", "depositCurrency"],
      ["{", "invalid_json", null],
    ];
    for (const [body, code, param] of bad) {
      const r = await api().post(path, body);
      expect(r.status, r.text).toBe(400);
      expect(envelope(r), r.text).toMatchObject({ code, param });
    }
    expect(envelope(await api().get(`${path}?depositCurrency=XRP&network=ETH`)).code).toBe("currency_not_supported");
    expect((await api().post(`/checkout/${crypto.randomUUID()}/choice`, { depositCurrency: "USDT", network: "ETH" })).status).toBe(404);
    expect(await written(p.paymentId)).toEqual({ checkouts: 0, quotes: 0 });
    expect((await getPayment(m.key, p.paymentId)).status).toBe("NEW");

    // two tabs at once: one submission, one checkout, both pages move on to it
    const both = await Promise.all([0, 1].map(() => api().post(path, { depositCurrency: "USDT", network: "ETH" })));
    for (const r of both) expect(r.json, r.text).toEqual({ state: "checkout" });
    expect(await written(p.paymentId)).toEqual({ checkouts: 1, quotes: 1 });
    const info = await getPayment(m.key, p.paymentId);
    expect(info).toMatchObject({ status: "PENDING", depositCurrency: "USDT", expectedNetwork: "ETH", expectedDepositAmount: "25" });
    expect(await paymentEventTypes(p.paymentId)).toEqual(["payment.new", "payment.pending"]);
    // another choice later (a stale tab) changes nothing
    expect((await api().post(path, { depositCurrency: "USDC", network: "POLYGON" })).json).toEqual({ state: "checkout" });
    expect((await getPayment(m.key, p.paymentId)).depositCurrency).toBe("USDT");

    // submitted by the merchant meanwhile → moves on; blocked → blocked; no price yet → 409, nothing written
    const byMerchant = await createPayment(m.key, { displayCurrency: "GBP", displayAmount: "4" });
    await submit(m.key, byMerchant.paymentId, { depositCurrency: "USDC", network: "ETH" });
    expect((await api().post(`/checkout/${byMerchant.paymentId}/choice`, { depositCurrency: "USDT", network: "ETH" })).json).toEqual({ state: "checkout" });
    expect((await getPayment(m.key, byMerchant.paymentId)).depositCurrency).toBe("USDC");
    const blocked = await createPayment(m.key, { displayCurrency: "GBP", displayAmount: "4" });
    expect((await api(m.key).post(`/v1/payments/${blocked.paymentId}/block`, {})).status).toBe(200);
    expect((await api().post(`/checkout/${blocked.paymentId}/choice`, { depositCurrency: "USDT", network: "ETH" })).json).toEqual({ state: "blocked" });
    const unpriced = await createPayment(m.key, {});
    expect((await api().get(`/checkout/${unpriced.paymentId}/choice`)).json).toEqual({ state: "wait" });
    const early = await api().post(`/checkout/${unpriced.paymentId}/choice`, { depositCurrency: "USDT", network: "ETH" });
    expect(early.status).toBe(409);
    expect(envelope(early).code).toBe("payment_not_priced");
    expect(await written(unpriced.paymentId)).toEqual({ checkouts: 0, quotes: 0 });
  });

  it("every pair the payment's page offers is one PATCH accepts: each submits and the API reports it", async () => {
    const m = await paymentMerchant();
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "tron", livemode: false, address: hexToTron(m.settlement) });
    await setPrices({ "ETH-USD": "2500", "LINK-USD": "15", "BNB-USD": "600", "TRX-USD": "0.25", "SOL-USD": "150", "BTC-USD": "60000" });
    const probe = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "10" });
    const refused = await api().post(`/checkout/${probe.paymentId}/choice`, { depositCurrency: "XRP", network: "XRP" });
    const offered = /Accepted: (.*)\.$/.exec(envelope(refused).message)![1].split(", ").map((s) => s.split(" on "));
    // the merchant settles on ethereum, polygon and tron: stablecoins on each at least
    expect(offered).toEqual(expect.arrayContaining([["USDT", "ETH"], ["USDC", "ETH"], ["USDT", "POLYGON"], ["USDC", "POLYGON"], ["USDT", "TRX"]]));
    for (const [depositCurrency, network] of offered) {
      const p = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "10" });
      const r = await api().post(`/checkout/${p.paymentId}/choice`, { depositCurrency, network });
      expect(r.json, `${depositCurrency} on ${network}: ${r.text}`).toEqual({ state: "checkout" });
      expect(await getPayment(m.key, p.paymentId)).toMatchObject({ status: "PENDING", depositCurrency, expectedNetwork: network });
    }
  });
});

describe("seed 004's currency table", () => {
  it("every depositCurrency × network pair on a network with a node here is accepted and priced; every other pair is refused, naming why", async () => {
    const m = await paymentMerchant();
    for (const [network, address] of [["bsc", m.settlement], ["tron", hexToTron(m.settlement)], ["solana", Keypair.generate().publicKey.toBase58()],
      ["ton", "0QCdyiS-fIV9UVfI9Phswo4l2MA-hm8YseHynZ_YiH9Y1oSe"],
      ["bitcoin", p2wpkhAddress(new Uint8Array(20).fill(1), "rb")], ["litecoin", p2wpkhAddress(new Uint8Array(20).fill(1), "rltc")]]) {
      await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network, livemode: false, address });
    }
    await setPrices({ "ETH-USD": "2500", "LINK-USD": "15", "BNB-USD": "600", "TRX-USD": "0.25", "SOL-USD": "150", "TON-USD": "5", "BTC-USD": "50000", "LTC-USD": "100" });
    // this devnet: Ethereum (with LINK), Polygon, BSC, Tron, Solana, TON, Bitcoin and Litecoin take payments; no Bitcoin
    // Cash, XRP or Stellar node
    const accepted = new Map([
      ["ETH/ETH", "0.004"], ["USDC/ETH", "10"], ["USDT/ETH", "10"], ["LINK/ETH", "0.666667"], ["USDC/POLYGON", "10"], ["USDT/POLYGON", "10"],
      ["BNB/BSC", "0.016667"], ["USDC/BSC", "10"], ["USDT/BSC", "10"], ["TRX/TRX", "40"], ["USDC/TRX", "10"], ["USDT/TRX", "10"],
      ["SOL/SOL", "0.066667"], ["USDC/SOL", "10"], ["USDT/SOL", "10"], ["TON/TON", "2"], ["USDT/TON", "10"], ["BTC/BTC", "0.0002"], ["LTC/LTC", "0.1"],
    ]);
    // 360 requests in a few seconds: as an integrator does, wait out the key's rate limit (Retry-After)
    const patiently = async (call: () => Promise<ApiResponse>) => {
      for (;;) {
        const r = await call();
        if (r.status !== 429) return r;
        await new Promise((res) => setTimeout(res, 1000 * Number(r.headers.get("retry-after") ?? 1)));
      }
    };
    const seen = new Map<string, string>();
    for (const depositCurrency of DEPOSIT_CURRENCIES) {
      for (const network of PAYMENT_NETWORKS) {
        const pair = `${depositCurrency}/${network}`;
        const created = await patiently(() => api(m.key).post("/v1/payments", { clientPaymentId: `table-${pair}`, displayCurrency: "USD", displayAmount: "10" }));
        expect(created.status, created.text).toBe(201);
        const p = created.json.paymentInfo;
        const r = await patiently(() => api(m.key).patch(`/v1/payments/${p.paymentId}`, { depositCurrency, network }));
        if (r.status === 200) {
          expect(r.json.paymentInfo, pair).toMatchObject({ status: "PENDING", depositCurrency, expectedNetwork: network, walletAddress: expect.any(String) });
          seen.set(pair, r.json.paymentInfo.expectedDepositAmount);
        } else {
          expect(r.status, `${pair}: ${r.text}`).toBe(400);
          expect(["currency_not_supported", "network_not_supported"], pair).toContain(envelope(r).code);
          expect((await patiently(() => api(m.key).get(`/v1/payments/${p.paymentId}`))).json.paymentInfo.status, pair).toBe("NEW"); // nothing written
        }
      }
    }
    expect([...seen.keys()].sort()).toEqual([...accepted.keys()].sort());
    for (const [pair, amount] of seen) expect(Number(amount), pair).toBeCloseTo(Number(accepted.get(pair)), 5);
  }, 120_000);
});

describe.concurrent("payments on the devnet", () => {
  it("FIXED keeps its quote, FLOATING re-prices when the deposit arrives (the stand-in's price moved in between)", async () => {
    const m = await paymentMerchant();
    await setPrices({ "USDT-CHF": "0.8" });
    const fixed = await createPayment(m.key, { displayCurrency: "CHF", displayAmount: "100", rateType: "FIXED" });
    const floating = await createPayment(m.key, { displayCurrency: "CHF", displayAmount: "100", rateType: "FLOATING" });
    const f = await submit(m.key, fixed.paymentId, { depositCurrency: "USDT", network: "ETH" });
    const g = await submit(m.key, floating.paymentId, { depositCurrency: "USDT", network: "ETH" });
    expect(f.expectedDepositAmount).toBe("125");
    expect(g.expectedDepositAmount).toBe("125");

    await setPrices({ "USDT-CHF": "1.25" });
    const payer = await ethPayer(USDT, 300_000_000n);
    await payer.pay(f.walletAddress, 80_000_000n);
    await payer.pay(g.walletAddress, 80_000_000n);

    // FLOATING: 100 CHF at 1.25 is 80 USDT, paid in full → AWAITING → DEPOSITED, forwarded to the settlement address
    const gDone = await waitForPayment(m.key, floating.paymentId, "DEPOSITED", (p) => p.status === "DEPOSITED");
    expect(gDone).toMatchObject({ expectedDepositAmount: "80", actualDepositAmount: "80", actualDisplayAmount: "100.00" });
    expect(gDone.quotes.map((q: any) => [q.purpose, q.rate])).toEqual([["submit", "0.8"], ["deposit", "1.25"]]);
    expect(await paymentEventTypes(floating.paymentId)).toEqual(["payment.new", "payment.pending", "payment.awaiting", "payment.deposited"]);

    // FIXED: still 125 USDT due at 0.8; 80 USDT are worth 64.00 CHF → stays PENDING
    const fNow = await waitForPayment(m.key, fixed.paymentId, "deposit seen", (p) => p.deposits.length === 1);
    expect(fNow).toMatchObject({ status: "PENDING", expectedDepositAmount: "125", actualDepositAmount: "80", actualDisplayAmount: "64.00" });
    expect(fNow.quotes).toHaveLength(1);
    await payer.pay(f.walletAddress, 45_000_000n);
    const fDone = await waitForPayment(m.key, fixed.paymentId, "DEPOSITED", (p) => p.status === "DEPOSITED");
    expect(fDone).toMatchObject({ actualDepositAmount: "125", actualDisplayAmount: "100.00" });
    expect(fDone.deposits).toHaveLength(2);
    // seed 004's network enum, as expectedNetwork
    expect(fDone.deposits.map((d: any) => d.network)).toEqual(["ETH", "ETH"]);
    expect(await tokenBalance(USDT, m.settlement)).toBe(205_000_000n);
  });

  it("FLOATING with the provider down when the deposit arrives: the submission quote stands", async () => {
    const m = await paymentMerchant();
    await setPrices({ "USDT-PLN": "4" });
    const p = await createPayment(m.key, { displayCurrency: "PLN", displayAmount: "20", rateType: "FLOATING" });
    const s = await submit(m.key, p.paymentId, { depositCurrency: "USDT", network: "ETH" });
    expect(s.expectedDepositAmount).toBe("5");
    await setPrices({ "USDT-PLN": "down" });
    const payer = await ethPayer(USDT, 5_000_000n);
    await payer.pay(s.walletAddress, 5_000_000n);
    const done = await waitForPayment(m.key, p.paymentId, "DEPOSITED", (x) => x.status === "DEPOSITED");
    expect(done).toMatchObject({ expectedDepositAmount: "5", actualDisplayAmount: "20.00" });
    expect(done.quotes.map((q: any) => q.purpose)).toEqual(["submit"]);
  });

  it("EXCESS_REFUND: OVERPAID, the excess goes back to the payer on chain and the amount due to the merchant", async () => {
    const m = await paymentMerchant();
    const p = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "10", overpaymentPolicy: "EXCESS_REFUND" });
    const s = await submit(m.key, p.paymentId, { depositCurrency: "USDC", network: "ETH" });
    expect(s.quotes[0]).toMatchObject({ rate: "1", source: "peg" });
    expect(s.expectedDepositAmount).toBe("10");
    const payer = await ethPayer(USDC, 13_000_000n);
    await payer.pay(s.walletAddress, 13_000_000n);
    const done = await waitForPayment(m.key, p.paymentId, "OVERPAID", (x) => x.status === "OVERPAID");
    expect(done).toMatchObject({ actualDepositAmount: "13", actualDisplayAmount: "13.00", excessRefund: { amount: "3", status: "confirmed" } });
    expect(await tokenBalance(USDC, payer.address)).toBe(3_000_000n);
    expect(await tokenBalance(USDC, m.settlement)).toBe(10_000_000n);
    expect(await tokenBalance(USDC, s.walletAddress)).toBe(0n);
    const [refund] = await db().select().from(outboundTxs).where(and(eq(outboundTxs.checkoutId, p.paymentId), eq(outboundTxs.purpose, "excess_refund")));
    expect(refund).toMatchObject({ toAddress: payer.address, amount: 3_000_000n, status: "confirmed", signedTx: expect.stringMatching(/^0x/) });
    const receipt = await publicClient(testEnv.rpcEthereum).getTransactionReceipt({ hash: refund.txHash as `0x${string}` });
    expect(receipt.status).toBe("success");
    expect(await paymentEventTypes(p.paymentId)).toEqual(["payment.new", "payment.pending", "payment.awaiting", "payment.overpaid"]);
  });

  it("PROCESS: an overpayment is OVERPAID and forwarded whole", async () => {
    const m = await paymentMerchant();
    const p = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "4" });
    const s = await submit(m.key, p.paymentId, { depositCurrency: "USDT" });
    const payer = await ethPayer(USDT, 5_000_000n);
    await payer.pay(s.walletAddress, 5_000_000n);
    const done = await waitForPayment(m.key, p.paymentId, "OVERPAID", (x) => x.status === "OVERPAID");
    expect(done.excessRefund).toBeUndefined();
    expect(await tokenBalance(USDT, m.settlement)).toBe(5_000_000n);
  });

  it("REUSABLE: the address stays open and three deposits are all credited and listed", async () => {
    const m = await paymentMerchant();
    const p = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "5", type: "REUSABLE" });
    const s = await submit(m.key, p.paymentId, { depositCurrency: "USDT", network: "ETH" });
    const [r] = await db().select().from(receivers).where(eq(receivers.checkoutId, p.paymentId));
    expect(r.watchUntil).toBeNull();
    const payer = await ethPayer(USDT, 15_000_000n);
    await payer.pay(s.walletAddress, 5_000_000n);
    await waitForPayment(m.key, p.paymentId, "DEPOSITED", (x) => x.status === "DEPOSITED");
    await payer.pay(s.walletAddress, 5_000_000n);
    await payer.pay(s.walletAddress, 5_000_000n);
    const done = await waitForPayment(m.key, p.paymentId, "three deposits", (x) => x.deposits.length === 3 && x.deposits.every((d: any) => d.status === "CONFIRMED"));
    expect(done).toMatchObject({ status: "DEPOSITED", type: "REUSABLE", actualDepositAmount: "15", actualDisplayAmount: "15.00", expectedDepositAmount: "5" });
    expect(done.deposits.map((d: any) => [d.amount, d.displayAmount, d.followUp])).toEqual([["5", "5.00", false], ["5", "5.00", true], ["5", "5.00", true]]);
    // the follow-ups are swept to the merchant too
    await waitFor("all 15 USDT at the settlement address", async () => (await tokenBalance(USDT, m.settlement)) === 15_000_000n, 45_000, 250);
    expect(await tokenBalance(USDT, s.walletAddress)).toBe(0n);
  });

  it("ONE_TIME with refundFollowUpDepositsForOneTimePayments: a deposit after DEPOSITED goes back to its sender", async () => {
    const m = await paymentMerchant();
    const p = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "3", refundFollowUpDepositsForOneTimePayments: true });
    const s = await submit(m.key, p.paymentId, { depositCurrency: "USDC", network: "ETH" });
    const payer = await ethPayer(USDC, 5_000_000n);
    await payer.pay(s.walletAddress, 3_000_000n);
    await waitForPayment(m.key, p.paymentId, "DEPOSITED", (x) => x.status === "DEPOSITED");
    await payer.pay(s.walletAddress, 2_000_000n);
    await waitFor("the follow-up refunded", async () => (await tokenBalance(USDC, payer.address)) === 2_000_000n, 45_000, 250);
    const done = await getPayment(m.key, p.paymentId);
    // a one-time payment credits only what paid it; the follow-up is listed, not credited
    expect(done).toMatchObject({ status: "DEPOSITED", actualDepositAmount: "3" });
    expect(done.deposits.map((d: any) => [d.amount, d.followUp])).toEqual([["3", false], ["2", true]]);
    expect(await tokenBalance(USDC, m.settlement)).toBe(3_000_000n);
  });
});
