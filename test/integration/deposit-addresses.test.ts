// Permanent deposit addresses (issue 6): the seed documents' example requests sent as written,
// address semantics per dialect (seed 001 new each time, seed 000 same back, seed 002 records),
// a real deposit to a permanent address credited by the stack's watcher into history, income,
// events and the address's callback_url, request signatures, ENS resolution, and 404s for another
// merchant's objects.
import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { depositValuations, merchants } from "@/db/schema";
import { setDepositMaxAmount } from "@/lib/merchants/wallet-settings";
import { setStandInPrices } from "../setup/rate-stand-in";
import { isTronAddress } from "@/lib/addresses";
import { db } from "@/lib/db/client";
import { registerDevnetEnsName } from "@/lib/devnet/ens";
import { mintDevnetToken } from "@/lib/devnet/evm";
import { api, baseUrl, envelope, newMerchant, type ApiResponse } from "../helpers/api";
import { ethereum, freshAddress, tokenOn } from "./helpers/forwarding-fixtures";
import { fundMerchant } from "./helpers/ledger";
import { startReceiver, verify, type Receiver } from "./webhooks-helpers";

const USDC = tokenOn(ethereum, "USDC");

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The documented outcome: one of the statuses the seed lists, errors as the seed 001 document shows them: {"error": "text"}. */
function documented(r: ApiResponse, statuses: number[]) {
  expect(statuses, `${r.status}: ${r.text}`).toContain(r.status);
  if (r.status >= 400) {
    expect(typeof r.json?.error, r.text).toBe("string");
    envelope(r);
  }
}

describe("seed 001 examples, sent as written", () => {
  it("get their documented responses", async () => {
    const m = await newMerchant();
    const a = api(m.key);
    // TON runs on the devnet: a user-friendly non-bounceable test-only address, like the document's
    let r = await a.raw("POST", "/v1/address/new", m.key, `{
"user_id": "123",
"currency": "TON"
}`);
    documented(r, [200]);
    expect(r.json.address).toMatch(/^0Q[A-Za-z0-9_-]{46}$/);
    documented(await a.get("/v1/address/all?user_id=123"), [200]);
    documented(await a.get("/v1/income?user_id=123"), [200]);
    documented(await a.get("/v1/deposit/history?user_id=123&currency=TON&limit=10&offset=0&sort_order=desc"), [200]);
    r = await a.raw("POST", "/v1/withdrawal/send", m.key, `{
"user_id": "123",
"query_id": "321",
"currency": "TON",
"amount": "100",
"destination": "0QCdyiS-fIV9UVfI9Phswo4l2MA-hm8YseHynZ_YiH9Y1oSe",
"comment": "hello"
}`);
    // a valid TON destination: refused only because this merchant holds no TON yet
    documented(r, [422]);
    expect(envelope(r)).toMatchObject({ code: "insufficient_balance", param: "amount" });
    // the example's trailing comma is accepted; the address is none of this merchant's
    r = await a.raw("POST", "/v1/withdrawal/service", m.key, `{
"from": "0QAUuul9LdYcyJuBHernHo3JkbWTduH_FuEb2H8jCDdGesOP",
}`);
    expect(r.status, r.text).toBe(404);
    expect(envelope(r).param).toBe("from");
    documented(await a.get("/v1/withdrawal/status?id=1"), [200, 404]);
    documented(await a.get("/v1/balance?currency=TON"), [200]);
    documented(await api().get("/v1/system/sync"), [200]);
    documented(await a.get("/v1/deposit/income?tx_hash=9d0fb69b1ca9371bc9e5260a248cda12a1c42916f9051fe9fc21b4abdd41d744"), [404]);
    documented(await a.get("/v1/resolve?domain=wallet.ton"), [200]);
    // no key, a bad key: 401, still {"error": "text"}
    documented(await api().get("/v1/address/all?user_id=123"), [401]);
    documented(await api("sk_test_nope").get("/v1/income?user_id=123"), [401]);
    // the document's service-withdrawal paths (/ton, /jetton) are not ours: a 404 in the same shape
    documented(await a.raw("POST", "/v1/withdrawal/service/ton", m.key, `{
"from": "0QAUuul9LdYcyJuBHernHo3JkbWTduH_FuEb2H8jCDdGesOP",
}`), [404]);
    documented(await a.put("/v1/address/new", {}), [405]);
    // a body over the limit (413) before anything reads it, still in the same shape
    documented(await a.post("/v1/address/new", { user_id: "x".repeat(1024 * 1024 + 10), currency: "eUSDC" }), [413]);
    // missing parameters, and an Idempotency-Key reused with another body (409), replayed in the same shape
    documented(await a.get("/v1/deposit/history?currency=eUSDC"), [400]);
    const k = { "Idempotency-Key": `k-${m.merchantId}` };
    const first = await a.post("/v1/address/new", { user_id: "123", currency: "TON" }, k);
    const replay = await a.post("/v1/address/new", { user_id: "123", currency: "TON" }, k);
    documented(replay, [200]);
    expect(replay.text).toBe(first.text);
    documented(await a.post("/v1/address/new", { user_id: "124", currency: "TON" }, k), [409]);
  });

  it("hands out a new address on every call and lists them per user", async () => {
    const m = await newMerchant();
    const a = api(m.key);
    const one = await a.post("/v1/address/new", { user_id: "u1", currency: "eUSDC" });
    const two = await a.post("/v1/address/new", { user_id: "u1", currency: "eUSDC" });
    const eth = await a.post("/v1/address/new", { user_id: "u1", currency: "ETH" });
    for (const r of [one, two, eth]) expect(r.status, r.text).toBe(200);
    expect(one.json.address).not.toBe(two.json.address);
    expect(getAddress(one.json.address)).toBe(one.json.address);
    const all = await a.get("/v1/address/all?user_id=u1");
    expect(all.json).toEqual({ addresses: [
      { address: one.json.address, currency: "eUSDC" }, { address: two.json.address, currency: "eUSDC" }, { address: eth.json.address, currency: "ETH" },
    ] });
    expect((await a.get("/v1/address/all?user_id=u2")).json).toEqual({ addresses: [] });
    // bad input: unknown currency, unknown field
    expect(envelope(await a.post("/v1/address/new", { user_id: "u1", currency: "XYZ" }))).toMatchObject({ param: "currency", code: "currency_unknown" });
    expect(envelope(await a.post("/v1/address/new", { user_id: "u1", currency: "eUSDC", extra: 1 }))).toMatchObject({ code: "parameter_unknown", param: "extra" });
  });
});

describe("seed 000 dialect", () => {
  it("returns the same address for the same customer and currency, with a QR image, over x-api-key", async () => {
    const m = await newMerchant();
    const h = { "x-api-key": m.key };
    const post = (path: string, body: unknown) => api().post(path, body, h);
    const results = await Promise.all(Array.from({ length: 5 }, () => post("/wallet/address", { customerId: "c-1", currency: "eUSDT" })));
    for (const r of results) expect(r.status, r.text).toBe(200);
    const first = results[0].json.data;
    expect(results.map((r) => r.json.data.address)).toEqual(Array(5).fill(first.address));
    expect(first).toMatchObject({ currency: "eUSDT", customerId: "c-1", qrCodeURL: expect.stringMatching(/^https?:\/\//) });
    const other = await post("/wallet/address", { customerId: "c-1", currency: "ETH" });
    expect(other.json.data.address).not.toBe(first.address);
    const channel = await post("/channels", { customerId: "c-1", currency: "eUSDT" });
    expect(channel.status, channel.text).toBe(200);
    expect(channel.json.data).toMatchObject({ address: first.address, channelId: expect.any(String), qrCodeURL: first.qrCodeURL });
    expect((await post("/channels", { customerId: "c-2", currency: "eUSDT" })).json.data.address).not.toBe(first.address);

    const qr = await fetch(baseUrl() + new URL(first.qrCodeURL).pathname);
    expect(qr.status).toBe(200);
    expect(qr.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await qr.arrayBuffer());
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect((await fetch(`${baseUrl()}/qr/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
  });
});

describe("seed 002 dialect", () => {
  it("creates and lists addresses as documented, with the example request sent as written", async () => {
    const m = await newMerchant();
    const h = { "Api-key": m.key, Accept: "application/json; charset=utf-8" };
    // the document's example with its //optional notes removed (it then misses a comma): TRX on Tron, a base58 address
    const example = `{
"currency": "trx",
"network": "trc20",
"currency_to": "usdt" 
"callback_url": "", 
"address_title": "Test address", 
"client_info": { 
"client_id": "id1234",
"client_ip": "127.0.0.1",
"client_email": "[email protected]"
}
}`;
    let r = await api().post("/v2/deposit_address/create", example, h);
    expect(r.status, r.text).toBe(200);
    expect(r.json.data).toMatchObject({
      client_id: "id1234", currency: "trx", network: "trc20", currency_to: "usdt", address_title: "Test address",
      address: expect.stringMatching(/^T[1-9A-HJ-NP-Za-km-z]{33}$/), min_amount: "1", max_amount: "100000",
    });
    expect(isTronAddress(r.json.data.address)).toBe(true);
    const tronUuid = r.json.data.uuid as string;
    // the same request on an EVM network
    r = await api().post("/v2/deposit_address/create", example.replace('"trx"', '"usdt"').replace('"trc20"', '"erc20"'), h);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({
      status: "success",
      data: {
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), client_id: "id1234", currency: "usdt", network: "erc20", currency_to: "usdt",
        address_title: "Test address", address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), memo: null, callback_url: null,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/), min_amount: "0.01", max_amount: "100000",
        total_received_amount: null, total_received_deposits: null,
      },
    });
    const created = r.json.data;
    const second = await api().post("/v2/deposit_address/create", { currency: "eth", network: "erc20", min_amount: "0.5", max_amount: 100 }, h);
    expect(second.status, second.text).toBe(200);
    expect(second.json.data).toMatchObject({ currency: "eth", min_amount: "0.5", max_amount: "100", address_title: "" });

    const list = await api().post("/v2/deposit_address/list", `{
"currency": "usdt",
"network": "erc20",
"limit": 100,
"page": 1
}`, h);
    expect(list.status, list.text).toBe(200);
    expect(list.json).toEqual({ status: "success", data: [created] });
    const all = await api().post("/v2/deposit_address/list", {}, h);
    expect(all.json.data.map((d: { uuid: string }) => d.uuid)).toEqual([tronUuid, created.uuid, second.json.data.uuid]);
    const tronOnly = await api().post("/v2/deposit_address/list", { currency: "trx", network: "trc20" }, h);
    expect(tronOnly.json.data.map((d: { uuid: string }) => d.uuid)).toEqual([tronUuid]);
    const paged = await api().post("/v2/deposit_address/list", { limit: 1, page: 3 }, h);
    expect(paged.json.data.map((d: { uuid: string }) => d.uuid)).toEqual([second.json.data.uuid]);
    expect((await api().post("/v2/deposit_address/list", { limit: 101 }, h)).status).toBe(400);

    // max_amount when the request names none: the merchant's setting (Settings → Deposit addresses)
    expect(await setDepositMaxAmount(m.merchantId, "2500.5")).toBe(true);
    expect(await setDepositMaxAmount(m.merchantId, "-1")).toBe(false);
    const capped = await api().post("/v2/deposit_address/create", { currency: "usdt", network: "erc20" }, h);
    expect(capped.json.data).toMatchObject({ min_amount: "0.01", max_amount: "2500.5" });
  });

  it("answers every error as the document's clients read it: {status: \"error\", message, code}", async () => {
    const m = await newMerchant();
    const h = { "Api-key": m.key };
    const seed002 = (r: ApiResponse, status: number, code?: string) => {
      expect(r.status, r.text).toBe(status);
      expect(r.json).toEqual({ status: "error", message: expect.any(String), code: code ?? expect.any(String) });
    };
    seed002(await api().post("/v2/deposit_address/create", { currency: "doge", network: "erc20" }, h), 400);
    seed002(await api().post("/v2/deposit_address/create", { currency: "usdt", network: "erc20", currency_to: "nope" }, h), 400, "currency_unknown");
    seed002(await api().post("/v2/deposit_address/create", { currency: "usdt", network: "erc20", min_amount: "200000" }, h), 400);
    seed002(await api().post("/v2/deposit_address/create", "{", h), 400);
    seed002(await api().post("/v2/deposit_address/create", { currency: "usdt", network: "erc20" }), 401, "missing_api_key");
    seed002(await api().post("/v2/deposit_address/list", {}, { "Api-key": "sk_test_nope" }), 401, "invalid_api_key");
    seed002(await api().post("/v2/deposit_address/nope", {}, h), 404, "route_not_found");
    seed002(await api().get("/v2/deposit_address/list", h), 405, "method_not_allowed");
    await db().update(merchants).set({ requestSigningSecret: "s" }).where(eq(merchants.id, m.merchantId));
    seed002(await api().post("/v2/deposit_address/list", {}, h), 401, "invalid_signature");
  });

  it("requires a valid Signature once the merchant sets a signing secret", async () => {
    const m = await newMerchant();
    const secret = "sign-me-" + m.merchantId;
    await db().update(merchants).set({ requestSigningSecret: secret }).where(eq(merchants.id, m.merchantId));
    const body = JSON.stringify({ currency: "usdc", network: "erc20" });
    const sig = createHmac("sha256", secret).update(body).digest("hex");
    const h = { "Api-key": m.key };
    expect((await api().post("/v2/deposit_address/create", body, h)).status).toBe(401);
    expect((await api().post("/v2/deposit_address/create", body, { ...h, Signature: "00".repeat(32) })).status).toBe(401);
    const ok = await api().post("/v2/deposit_address/create", body, { ...h, Signature: sig });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.data.currency).toBe("usdc");
    // the signature covers the raw bytes: the same JSON spaced differently needs its own
    expect((await api().post("/v2/deposit_address/create", ` ${body}`, { ...h, Signature: sig })).status).toBe(401);
  });
});

describe("deposits to permanent addresses", () => {
  let hook: Receiver;
  beforeAll(async () => { hook = await startReceiver(); });
  afterAll(() => hook.close());

  it("are credited into history, income, events and the address's callback_url; small ones are flagged", async () => {
    const m = await newMerchant();
    const a = api(m.key);
    // currency_to: deposits are valued in EUR at confirmation (a valuation; the deposit stays USDC)
    await setStandInPrices(inject("testEnv").ratesUrl, { "USDC-EUR": "0.92" });
    const created = await api().post("/v2/deposit_address/create", {
      currency: "usdc", network: "erc20", currency_to: "eur", callback_url: hook.url, min_amount: "2", client_info: { client_id: "cust-9" },
    }, { "Api-key": m.key });
    expect(created.status, created.text).toBe(200);
    const address = created.json.data.address as Address;
    const callbackSecret = created.json.data.callback_secret as string;
    expect(callbackSecret).toMatch(/^whsec_/);
    const newOne = await a.post("/v1/address/new", { user_id: "cust-9", currency: "eUSDC" });

    // seed 000: a customer's address; its notifications name the customer and the currency
    const wallet = await api().post("/wallet/address", { customerId: "c-9", currency: "eUSDC" }, { "x-api-key": m.key });
    const walletTx = await mintDevnetToken(ethereum.rpcUrls[0], USDC.address, wallet.json.data.address, 7_000_000n);
    const big = await mintDevnetToken(ethereum.rpcUrls[0], USDC.address, address, 5_000_000n);
    const small = await mintDevnetToken(ethereum.rpcUrls[0], USDC.address, address, 1_000_000n);
    const history = await until("both deposits confirmed in the history", async () => {
      const h = await a.get("/v1/deposit/history?user_id=cust-9&currency=eUSDC&limit=10&offset=0&sort_order=asc");
      const inc = await a.get("/v1/income?user_id=cust-9");
      const total = inc.json.total_income.find((t: { deposit_address: string }) => t.deposit_address === address);
      return h.json.incomes.length === 2 && total?.amount === "6000000" ? h.json.incomes : null;
    });
    expect(history.map((i: { tx_hash: string }) => i.tx_hash).sort()).toEqual([big, small].sort());
    expect(history[0]).toMatchObject({ deposit_address: address, amount: expect.stringMatching(/^(5|1)000000$/), comment: "", source_address: expect.any(String), time: expect.any(Number) });
    const income = await a.get("/v1/income?user_id=cust-9");
    expect(income.json).toEqual({ counting_side: "deposit", total_income: [
      { deposit_address: address, amount: "6000000", currency: "eUSDC" },
      { deposit_address: newOne.json.address, amount: "0", currency: "eUSDC" },
    ] });
    const byHash = await a.get(`/v1/deposit/income?tx_hash=${big}`);
    expect(byHash.status, byHash.text).toBe(200);
    expect(byHash.json).toMatchObject({ currency: "eUSDC", income: { deposit_address: address, amount: "5000000", tx_hash: big, comment: "" } });
    // the document's example hash is bare hex: the same deposit without 0x, and in capitals
    for (const h of [big.slice(2), big.slice(2).toUpperCase()]) {
      expect((await a.get(`/v1/deposit/income?tx_hash=${h}`)).json, h).toEqual(byHash.json);
    }
    const desc = await a.get("/v1/deposit/history?user_id=cust-9&currency=eUSDC&limit=1&offset=1");
    expect(desc.json.incomes).toHaveLength(1);

    const list = await api().post("/v2/deposit_address/list", {}, { "Api-key": m.key });
    expect(list.json.data[0]).toMatchObject({ total_received_amount: "6", total_received_deposits: 2 });

    const all = await until("3 deposits confirmed", async () => {
      const e = (await a.get("/v1/events?type=deposit.confirmed")).json.data;
      return e.length === 3 ? e.map((x: { data: { object: any } }) => x.data.object) : null;
    });
    const confirmed = all.filter((d: { txHash: string }) => d.txHash !== walletTx);
    expect(confirmed.map((d: { txHash: string }) => d.txHash).sort()).toEqual([big, small].sort());
    expect(confirmed.find((d: { txHash: string }) => d.txHash === small).belowMinimum).toBe(true);
    expect(confirmed.find((d: { txHash: string }) => d.txHash === big).belowMinimum).toBe(false);
    expect((await a.get("/v1/events?type=deposit.detected")).json.data).toHaveLength(3);
    // seed 000: customerId and currency on the customer's deposit; the v2 address's user is its client_id
    expect(all.find((d: { txHash: string }) => d.txHash === walletTx)).toMatchObject({ customerId: "c-9", currency: "eUSDC", amount: "7000000", valuation: null });
    expect(confirmed.every((d: { customerId: string }) => d.customerId === "cust-9")).toBe(true);
    // currency_to: the value in EUR at the confirmation-time price, with the quote, stored with the deposit
    const bigOne = confirmed.find((d: { txHash: string }) => d.txHash === big);
    expect(bigOne.valuation).toEqual({ currency: "eur", amount: "4.6", rate: "0.92", quote: "EUR", source: "coingecko", quotedAt: expect.any(Number) });
    expect(confirmed.find((d: { txHash: string }) => d.txHash === small).valuation).toMatchObject({ amount: "0.92", rate: "0.92" });
    const [stored] = await db().select().from(depositValuations).where(eq(depositValuations.depositId, bigOne.id));
    expect(stored).toMatchObject({ base: "USDC", currency: "eur", quote: "EUR", rate: "0.92", amount: "4.6", source: "coingecko" });

    // the callback_url got the same signed events
    const got = await until("4 callback deliveries", async () => (hook.received.length >= 4 ? hook.received : null));
    const types = got.map((r) => (verify(callbackSecret, r) as { type: string }).type).sort();
    expect(types).toEqual(["deposit.confirmed", "deposit.confirmed", "deposit.detected", "deposit.detected"]);
  });
});

describe("authorization and resolution", () => {
  it("answers 404 for another merchant's address, tx hash and withdrawal id", async () => {
    const owner = await newMerchant();
    const other = await newMerchant();
    const addr = (await api(owner.key).post("/v1/address/new", { user_id: "x", currency: "ETH" })).json.address;
    await fundMerchant(owner.key, { code: "ETH", amount: 1n, rpcUrl: ethereum.rpcUrls[0], token: null });
    const w = await api(owner.key).post("/v1/withdrawal/send", { user_id: "x", query_id: "q", currency: "ETH", amount: "1", destination: freshAddress() });
    expect(w.status, w.text).toBe(200);
    const hash = await mintDevnetToken(ethereum.rpcUrls[0], USDC.address, addr, 1n);
    const o = api(other.key);
    expect((await o.get(`/v1/withdrawal/status?id=${w.json.ID}`)).status).toBe(404);
    expect((await api(owner.key).get(`/v1/withdrawal/status?id=${w.json.ID}`)).status).toBe(200);
    expect((await o.post("/v1/withdrawal/service", { from: addr })).status).toBe(404);
    expect((await o.get(`/v1/balance?currency=eUSDC&address=${addr}`)).status).toBe(404);
    expect((await api(owner.key).get(`/v1/balance?currency=eUSDC&address=${addr}`)).json.balance).toBe("1");
    await until("the owner sees the deposit", async () => (await api(owner.key).get(`/v1/deposit/income?tx_hash=${hash}`)).status === 200);
    expect((await o.get(`/v1/deposit/income?tx_hash=${hash}`)).status).toBe(404);
    expect((await o.get("/v1/address/all?user_id=x")).json).toEqual({ addresses: [] });
    // live-mode key of the same merchant does not see test-mode objects
    expect((await api(owner.liveKey).get(`/v1/withdrawal/status?id=${w.json.ID}`)).status).toBe(404);
    // the owner cancels nothing here: the 1-wei payout is paid by the stack's worker
  });

  it("resolves ENS names on the devnet's registry", async () => {
    const m = await newMerchant();
    const name = `shop-${m.merchantId.slice(0, 8)}.eth`;
    const target = freshAddress();
    await registerDevnetEnsName(ethereum.rpcUrls[0], ethereum.chainId!, name, target);
    const r = await api(m.key).get(`/v1/resolve?domain=${name}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ address: target });
    expect((await api(m.key).get(`/v1/resolve?domain=${name.toUpperCase()}`)).json.address).toBe(target);
    expect((await api(m.key).get(`/v1/resolve?domain=nobody-${m.merchantId.slice(0, 8)}.eth`)).status).toBe(404);
    expect(envelope(await api(m.key).get("/v1/resolve?domain=nodot")).param).toBe("domain");
  });
});
