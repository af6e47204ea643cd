// Payment methods and token options (API.md §1) through the real stack: receivers derived from
// the instance's xpub at a sequence-allocated index, the requires_payment_method →
// waiting_payment transition, replacing a method, concurrency, and the payment progress the
// session object shows once deposits exist (inserted directly: the chain watcher is not under test).
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { createPublicClient, erc20Abi, getAddress, http, type Address } from "viem";
import { describe, expect, inject, it } from "vitest";
import { checkouts, deposits, events, receivers } from "@/db/schema";
import { loadConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { mintDevnetToken, standardAccounts } from "@/lib/devnet/evm";
import { evmAddressAt } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";
import { logger } from "@/lib/log/logger";
import { BALANCE_TIMEOUT_MS, evmTokenOptions } from "@/lib/sessions/token-options";
import { api, envelope, newMerchant, type ApiResponse } from "../helpers/api";

const USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553"; // devnet, 6 decimals, on 31337 and 31338
const USDT = "0x1Eb3AEe4475F0a5e09871a83638F0129af3Be434";
const USDC_E = "0xd906e98505323EB1465A452A5C841Db4a9CA807D"; // bridged USDC (wpUSDC), on Polygon
const PAYEE = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
const PAYER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SOLANA_WALLET = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";
const SOLANA_USDT = "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB";
const DAY_SECONDS = 24 * 60 * 60;

const PUBLIC_KEYS_CHOSEN = [
  "sessionId", "status", "destination", "exception", "display", "paymentMethod", "paidUnits", "remainingUnits", "refundAddress",
  "url", "livemode", "createdAt", "expiresAt",
];

type Body = Record<string, unknown>;

async function createSession(key: string, destination: Body = {}): Promise<any> {
  const r = await api(key).post("/v1/sessions", {
    destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits: "25", ...destination },
    metadata: { orderId: "1" },
  });
  expect(r.status, r.text).toBe(201);
  return r.json.session;
}

const choosePath = (id: string) => `/v1/sessions/${id}/paymentMethods`;

/** As the checkout page does it: no key, the clientSecret in the body. */
function choose(s: { sessionId: string; clientSecret: string }, paymentMethod: Body = { type: "evm" }, extra: Body = {}) {
  return api().post(choosePath(s.sessionId), { clientSecret: s.clientSecret, paymentMethod, ...extra });
}

async function chooseOk(s: { sessionId: string; clientSecret: string }, paymentMethod: Body = { type: "evm" }): Promise<any> {
  const r = await choose(s, paymentMethod);
  expect(r.status, r.text).toBe(200);
  return r.json.session;
}

function expectError(r: ApiResponse, status: number, param: string | null, code?: string) {
  expect(r.status, r.text).toBe(status);
  const e = envelope(r);
  expect(e.param).toBe(param);
  if (code) expect(e.code).toBe(code);
  return e;
}

async function receiversOf(checkoutId: string) {
  return db().select().from(receivers).where(eq(receivers.checkoutId, checkoutId));
}

async function checkoutRow(id: string) {
  const [row] = await db().select().from(checkouts).where(eq(checkouts.id, id));
  return row;
}

const txHash = () => `0x${randomBytes(32).toString("hex")}`;

/** A deposit row as the watcher would write it. */
async function insertDeposit(session: { sessionId: string }, d: {
  network?: "ethereum" | "polygon"; token?: string | null; assetCode: string; amount: bigint; status?: "seen" | "confirmed" | "reverted";
  from?: string; hash?: string;
}) {
  const [receiver] = await receiversOf(session.sessionId);
  const row = await checkoutRow(session.sessionId);
  const network = d.network ?? "ethereum";
  const hash = d.hash ?? txHash();
  await db().insert(deposits).values({
    merchantId: row.merchantId, livemode: false, network, chainId: network === "ethereum" ? 31337 : 31338,
    txHash: hash, logIndex: d.token === null ? -1 : 0, blockNumber: 10n, blockHash: txHash(),
    fromAddress: d.from ?? PAYER, toAddress: receiver.address, tokenAddress: d.token === undefined ? USDC : d.token,
    assetCode: d.assetCode, amount: d.amount, status: d.status ?? "seen",
    receiverId: receiver.id, checkoutId: session.sessionId,
    // created_at is "when the watcher saw it": keep insertion order visible
    createdAt: sql`clock_timestamp()`,
  });
  return hash;
}

describe("POST /v1/sessions/{id}/paymentMethods", () => {
  it("chooses evm with the clientSecret: waiting_payment and a receiver derived from the instance xpub", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key);
    const r = await choose(s);
    expect(r.status, r.text).toBe(200);
    expect(Object.keys(r.json)).toEqual(["session"]);
    const view = r.json.session;
    // public view: the clientSecret cannot read metadata or the secret back
    expect(Object.keys(view)).toEqual(PUBLIC_KEYS_CHOSEN);
    expect(view.status).toBe("waiting_payment");
    expect(Object.keys(view.paymentMethod)).toEqual(["type", "receiverAddress", "createdAt"]);
    expect(view.paymentMethod.type).toBe("evm");
    expect(Math.abs(view.paymentMethod.createdAt - Date.now() / 1000)).toBeLessThan(120);
    expect(view.paidUnits).toBe("0");
    expect(view.remainingUnits).toBe("25");

    const address: string = view.paymentMethod.receiverAddress;
    expect(getAddress(address)).toBe(address); // EIP-55 checksummed
    const rows = await receiversOf(s.sessionId);
    expect(rows).toHaveLength(1);
    const [rec] = rows;
    expect(rec).toMatchObject({ merchantId: m.merchantId, livemode: false, family: "evm", address });
    expect(rec.derivationIndex).toBeGreaterThanOrEqual(1n); // index 0 is the hot wallet
    const xpub = await xpubOf("evm");
    expect(xpub).toBeTruthy();
    expect(evmAddressAt(xpub!, rec.derivationIndex)).toBe(address);
    // watched until the end of the monitoring window: expiresAt + 24 h
    expect(Math.floor(rec.watchUntil!.getTime() / 1000)).toBe(s.expiresAt + DAY_SECONDS);

    const row = await checkoutRow(s.sessionId);
    expect(row).toMatchObject({
      status: "waiting_payment", paymentMethodType: "evm", paymentMethodChainId: null, paymentMethodTokenAddress: null,
      paymentMethodReceiverAddress: address,
    });
    // API.md names no event for this transition
    expect(await db().select().from(events).where(eq(events.objectId, s.sessionId))).toHaveLength(0);

    // the key sees the same method in the full view
    const full = await api(m.key).get(`/v1/sessions/${s.sessionId}`);
    expect(full.json.session).toMatchObject({ status: "waiting_payment", paymentMethod: view.paymentMethod, paidUnits: "0", remainingUnits: "25" });
    expect(full.json.session.metadata).toEqual({ orderId: "1" });

    // every session gets its own address
    const s2 = await createSession(m.key);
    const v2 = await chooseOk(s2);
    expect(v2.paymentMethod.receiverAddress).not.toBe(address);
    const [rec2] = await receiversOf(s2.sessionId);
    expect(rec2.derivationIndex).not.toBe(rec.derivationIndex);
    expect(evmAddressAt(xpub!, rec2.derivationIndex)).toBe(v2.paymentMethod.receiverAddress);
  });

  it("choosing again while waiting_payment replaces the method and keeps the receiver", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key);
    const first = await chooseOk(s, { type: "evm", chainId: 31337, tokenAddress: USDC });
    let row = await checkoutRow(s.sessionId);
    expect(row).toMatchObject({ paymentMethodChainId: 31337, paymentMethodTokenAddress: USDC });

    // with the key this time (full view back); lower-case token in, checksummed stored
    const r = await api(m.key).post(choosePath(s.sessionId), { paymentMethod: { type: "evm", chainId: 31338, tokenAddress: USDT.toLowerCase() } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.session.clientSecret).toBe(s.clientSecret);
    expect(r.json.session.status).toBe("waiting_payment");
    expect(r.json.session.paymentMethod.receiverAddress).toBe(first.paymentMethod.receiverAddress);
    expect(r.json.session.paymentMethod.createdAt).toBeGreaterThanOrEqual(first.paymentMethod.createdAt);
    row = await checkoutRow(s.sessionId);
    expect(row).toMatchObject({ status: "waiting_payment", paymentMethodChainId: 31338, paymentMethodTokenAddress: USDT });

    // and back to "any chain, any token"
    await chooseOk(s);
    row = await checkoutRow(s.sessionId);
    expect(row).toMatchObject({ paymentMethodChainId: null, paymentMethodTokenAddress: null, paymentMethodReceiverAddress: first.paymentMethod.receiverAddress });
    expect(await receiversOf(s.sessionId)).toHaveLength(1);
  });

  it("allocates one receiver when first choices race", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      i % 2 ? choose(s) : api(m.key).post(choosePath(s.sessionId), { paymentMethod: { type: "evm" } })));
    for (const r of results) expect(r.status, r.text).toBe(200);
    const addresses = new Set(results.map((r) => r.json.session.paymentMethod.receiverAddress));
    expect(addresses.size).toBe(1);
    expect(await receiversOf(s.sessionId)).toHaveLength(1);
    expect((await checkoutRow(s.sessionId)).status).toBe("waiting_payment");
  });

  it("authenticates: a wrong clientSecret is a 401, another merchant's or mode's key a 404", async () => {
    const m = await newMerchant();
    const other = await newMerchant();
    const s = await createSession(m.key);
    const s2 = await createSession(m.key);
    for (const secret of ["wrong", s2.clientSecret, s.clientSecret.slice(0, -1)]) {
      const r = await choose({ sessionId: s.sessionId, clientSecret: secret });
      expect(r.status, r.text).toBe(401);
      expect(envelope(r).type).toBe("authentication_error");
    }
    const none = await api().post(choosePath(s.sessionId), { paymentMethod: { type: "evm" } });
    expect(none.status).toBe(401);
    // an unknown or malformed session is a 404 whatever the secret (seed 003), and authenticates nothing
    for (const id of [randomUUID(), "nope"]) {
      for (const clientSecret of [s.clientSecret, "wrong"]) expectError(await choose({ sessionId: id, clientSecret }), 404, "id", "resource_missing");
      expectError(await api().post(choosePath(id), { paymentMethod: { type: "evm" } }), 404, "id", "resource_missing");
      expectError(await api().put(`/v1/sessions/${id}/check`, { clientSecret: s.clientSecret }), 404, "id", "resource_missing");
      expectError(await api().get(`/v1/sessions/${id}/tokenOptions?clientSecret=${s.clientSecret}&evmAddress=${PAYER}`), 404, "id", "resource_missing");
    }

    for (const [key, id] of [[other.key, s.sessionId], [m.liveKey, s.sessionId], [m.key, randomUUID()], [m.key, "nope"]] as const) {
      const r = await api(key).post(choosePath(id), { paymentMethod: { type: "evm" } });
      expectError(r, 404, "id", "resource_missing");
    }
    expect(await receiversOf(s.sessionId)).toHaveLength(0);
    expect((await checkoutRow(s.sessionId)).status).toBe("requires_payment_method");
  });

  it("rejects bad methods with a 400 naming the parameter", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key);
    const cases: Array<[Body, string, string?]> = [
      [{ type: "evm", chainId: 1 }, "paymentMethod.chainId", "chain_not_supported"], // mainnet: not a test-mode network
      [{ type: "evm", chainId: 999_999 }, "paymentMethod.chainId", "chain_not_supported"],
      [{ type: "evm", chainId: "31337" }, "paymentMethod.chainId"],
      [{ type: "evm", chainId: 31337, tokenAddress: "0x0000000000000000000000000000000000000bad" }, "paymentMethod.tokenAddress", "token_not_supported"],
      [{ type: "evm", tokenAddress: PAYEE }, "paymentMethod.tokenAddress", "token_not_supported"],
      [{ type: "evm", tokenAddress: USDC.replace("6D1A", "6d1a") }, "paymentMethod.tokenAddress"], // bad EIP-55 checksum
      [{ type: "evm", foo: 1 }, "paymentMethod.foo", "parameter_unknown"],
      [{ type: "bitcoin" }, "paymentMethod.network", "parameter_missing"], // Bitcoin sessions name the network to pay on
      [{ type: "bitcoin", network: "dogecoin" }, "paymentMethod.network", "network_not_supported"],
      [{}, "paymentMethod.type"],
      // Solana is enabled on the test stack (devnet); the mainnet USDT mint is not a test-mode mint
      [{ type: "solana", walletAddress: SOLANA_WALLET, inputTokenMint: SOLANA_USDT }, "paymentMethod.inputTokenMint", "token_not_supported"],
      [{ type: "solana", walletAddress: "0xnotbase58", inputTokenMint: SOLANA_USDT }, "paymentMethod.walletAddress"],
      [{ type: "solana", walletAddress: SOLANA_WALLET }, "paymentMethod.inputTokenMint", "parameter_missing"],
      [{ type: "tron", amountUsd: "abc" }, "paymentMethod.amountUsd"],
      [{ type: "tron", amountUsd: -5 }, "paymentMethod.amountUsd"],
      [{ type: "tron", walletAddress: SOLANA_WALLET }, "paymentMethod.walletAddress", "parameter_unknown"],
    ];
    for (const [pm, param, code] of cases) {
      const e = expectError(await choose(s, pm), 400, param, code);
      expect(e.type).toBe("validation_error");
      if (code === "payment_method_not_enabled") expect(e.message).toMatch(/not enabled on this instance/);
    }
    expectError(await api().post(choosePath(s.sessionId), { clientSecret: s.clientSecret }), 400, "paymentMethod", "parameter_missing");
    expectError(await choose(s, { type: "evm" }, { extra: true }), 400, "extra", "parameter_unknown");
    expect(await receiversOf(s.sessionId)).toHaveLength(0);
    expect((await checkoutRow(s.sessionId)).status).toBe("requires_payment_method");
  });

  it("accepts the seed-003 body: locale, and amountUsd as a JSON number read exactly", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key);
    const raw = (pm: string) => api().raw("POST", choosePath(s.sessionId), undefined,
      `{"clientSecret":${JSON.stringify(s.clientSecret)},"locale":"en-US","paymentMethod":${pm}}`);
    // the number parses; what refuses Solana is only that it is not enabled here
    const tron = await raw('{"type":"tron","amountUsd":12.5}');
    expect(tron.status, tron.text).toBe(200);
    expect(tron.json.tron.receiverAddress).toMatch(/^T/);
    expectError(await raw(`{"type":"solana","walletAddress":"${SOLANA_WALLET}","inputTokenMint":"${SOLANA_USDT}","amountUsd":100}`),
      400, "paymentMethod.inputTokenMint", "token_not_supported");
    // a number a double cannot hold is refused rather than rounded
    expectError(await raw('{"type":"tron","amountUsd":0.12345678901234567890}'), 400, null, "number_not_exact");
    const ok = await raw('{"type":"evm","chainId":31338}');
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.session.status).toBe("waiting_payment");
  });

  it("replays with an Idempotency-Key under the clientSecret", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key);
    const key = randomUUID();
    const body = { clientSecret: s.clientSecret, paymentMethod: { type: "evm" } };
    const a = await api().post(choosePath(s.sessionId), body, { "Idempotency-Key": key });
    const b = await api().post(choosePath(s.sessionId), body, { "Idempotency-Key": key });
    expect(a.status, a.text).toBe(200);
    expect(b.text).toBe(a.text);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    const c = await api().post(choosePath(s.sessionId), { ...body, paymentMethod: { type: "evm", chainId: 31338 } }, { "Idempotency-Key": key });
    expectError(c, 409, "Idempotency-Key", "idempotency_error");
  });

  it("is a 409 for expired, processing and finished sessions", async () => {
    const m = await newMerchant();
    // canceled (expired by the merchant)
    const canceled = await createSession(m.key);
    expect((await api(m.key).post(`/v1/sessions/${canceled.sessionId}/cancel`)).status).toBe(200);
    expectError(await choose(canceled), 409, null, "session_expired");

    // past expiresAt before any sweep ran: both before and after a method was chosen
    const lapsed = await createSession(m.key);
    const waiting = await createSession(m.key);
    await chooseOk(waiting);
    await db().execute(sql`update checkouts set expires_at = now() - interval '1 second' where id in (${lapsed.sessionId}, ${waiting.sessionId})`);
    expectError(await choose(lapsed), 409, null, "session_expired");
    expectError(await choose(waiting), 409, null, "session_expired");
    expect(await receiversOf(lapsed.sessionId)).toHaveLength(0);

    for (const [status, code] of [["processing", "payment_processing"], ["succeeded", "session_not_payable"], ["bounced", "session_not_payable"]] as const) {
      const s = await createSession(m.key);
      await chooseOk(s);
      await db().update(checkouts).set({ status }).where(eq(checkouts.id, s.sessionId));
      const e = expectError(await choose(s, { type: "evm", chainId: 31338 }), 409, null, code);
      expect(e.type).toBe("invalid_request_error");
      expect((await checkoutRow(s.sessionId)).paymentMethodChainId).toBeNull();
    }
  });
});

describe("payment progress in the session object", () => {
  it("shows paidUnits, remainingUnits, overpaidUnits and source from the deposits, in every view and the list", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key); // 25 USDC on ethereum
    const other = await createSession(m.key);
    const untouched = await createSession(m.key);
    await chooseOk(s);
    await chooseOk(other);

    // native dust first: seen, but it neither counts nor names the payer while a token transfer exists
    await insertDeposit(s, { token: null, assetCode: "ETH", amount: 10n ** 18n, from: PAYEE });
    const first = await insertDeposit(s, { assetCode: "eUSDC", amount: 10_000_000n });
    await insertDeposit(s, { network: "polygon", token: USDT, assetCode: "wpUSDT", amount: 5_500_000n, status: "confirmed" });
    await insertDeposit(s, { assetCode: "eUSDC", amount: 3_000_000n, status: "reverted" });
    await insertDeposit(other, { network: "polygon", token: USDC, assetCode: "pUSDC", amount: 1_000_000n });

    const source = {
      address: PAYER, chainId: 31337, chainName: "ethereum", tokenAddress: USDC, tokenSymbol: "USDC", sentUnits: "10", txHash: first,
    };
    const full = (await api(m.key).get(`/v1/sessions/${s.sessionId}`)).json.session;
    expect(full.paymentMethod.source).toEqual(source);
    expect(Object.keys(full.paymentMethod)).toEqual(["type", "receiverAddress", "createdAt", "source", "sources"]);
    // every deposit of the checkout (reverted ones are gone), source first, then in the order seen
    expect(full.paymentMethod.sources[0]).toEqual(source);
    expect(full.paymentMethod.sources.map((x: any) => [x.tokenSymbol, x.sentUnits])).toEqual([["USDC", "10"], ["ETH", "1"], ["USDT", "5.5"]]);
    expect(full).toMatchObject({ paidUnits: "15.5", remainingUnits: "9.5" });
    expect(full.overpaidUnits).toBeUndefined();
    const pub = (await api().get(`/v1/sessions/${s.sessionId}?clientSecret=${s.clientSecret}`)).json.session;
    expect(Object.keys(pub)).toEqual(PUBLIC_KEYS_CHOSEN);
    expect(pub).toMatchObject({ paidUnits: "15.5", remainingUnits: "9.5", paymentMethod: { source } });

    // the list shows each session's own progress (deposits loaded for the whole page at once)
    const list = await api(m.key).get("/v1/sessions");
    expect(list.status, list.text).toBe(200);
    const byId = new Map<string, any>(list.json.data.map((x: any) => [x.sessionId, x]));
    expect(byId.get(s.sessionId)).toEqual(full);
    expect(byId.get(other.sessionId)).toMatchObject({ paidUnits: "1", remainingUnits: "24", paymentMethod: { source: { chainId: 31338, tokenSymbol: "USDC", sentUnits: "1" } } });
    const u = byId.get(untouched.sessionId);
    expect(u.paymentMethod).toBeNull();
    expect("paidUnits" in u || "remainingUnits" in u).toBe(false);

    // overpaid
    await insertDeposit(s, { network: "polygon", token: USDC, assetCode: "pUSDC", amount: 10_000_000n });
    const over = (await api(m.key).get(`/v1/sessions/${s.sessionId}`)).json.session;
    expect(over).toMatchObject({ paidUnits: "25.5", remainingUnits: "0", overpaidUnits: "0.5" });
    expect(Object.keys(over).slice(5, 10)).toEqual(["paymentMethod", "paidUnits", "remainingUnits", "overpaidUnits", "refundAddress"]);

    // choosing again keeps what was paid
    const again = await chooseOk(s, { type: "evm", chainId: 31338 });
    expect(again).toMatchObject({ paidUnits: "25.5", overpaidUnits: "0.5", paymentMethod: { source } });
  });
});

describe("GET /v1/sessions/{id}/tokenOptions", () => {
  const tokenOptions = (s: { sessionId: string; clientSecret: string }, q: string) =>
    api().get(`/v1/sessions/${s.sessionId}/tokenOptions?clientSecret=${encodeURIComponent(s.clientSecret)}&${q}`);

  function onChainBalance(rpcUrl: string, token: Address, owner: Address) {
    return createPublicClient({ transport: http(rpcUrl) }).readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
  }

  it("lists every accepted stablecoin on the devnet chains with the payer's balance", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key);
    // the last standard account: minted 1,000,000 of each token on both chains and spent by no test
    const payer = standardAccounts()[9];
    const r = await tokenOptions(s, `evmAddress=${payer.toLowerCase()}`);
    expect(r.status, r.text).toBe(200);
    expect(Object.keys(r.json)).toEqual(["sessionId", "options"]);
    expect(r.json.sessionId).toBe(s.sessionId);
    expect(r.json.options).toEqual([
      { chainId: 31337, tokenAddress: USDC, tokenSymbol: "USDC", requiredUnits: "25", balanceUnits: "1000000" },
      { chainId: 31337, tokenAddress: USDT, tokenSymbol: "USDT", requiredUnits: "25", balanceUnits: "1000000" },
      { chainId: 31338, tokenAddress: USDC, tokenSymbol: "USDC", requiredUnits: "25", balanceUnits: "1000000" },
      { chainId: 31338, tokenAddress: USDC_E, tokenSymbol: "USDC", requiredUnits: "25", balanceUnits: "1000000" },
      { chainId: 31338, tokenAddress: USDT, tokenSymbol: "USDT", requiredUnits: "25", balanceUnits: "1000000" },
      // BNB Smart Chain's have 18 decimals
      { chainId: 31340, tokenAddress: USDT, tokenSymbol: "USDT", requiredUnits: "25", balanceUnits: "1000000" },
      { chainId: 31340, tokenAddress: USDC, tokenSymbol: "USDC", requiredUnits: "25", balanceUnits: "1000000" },
    ]);
    expect(await onChainBalance(inject("testEnv").rpcPolygon, USDT, payer)).toBe(1_000_000_000_000n);

    // the key works too
    const withKey = await api(m.key).get(`/v1/sessions/${s.sessionId}/tokenOptions?evmAddress=${payer}`);
    expect(withKey.status, withKey.text).toBe(200);
    expect(withKey.json).toEqual(r.json);
  });

  it("puts sufficient balances first and empty ones last; requiredUnits is what remains", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key, { amountUnits: "25.5" });
    const payer = getAddress(`0x${randomBytes(20).toString("hex")}`);
    await mintDevnetToken(inject("testEnv").rpcPolygon, USDT, payer, 100_000_000n);
    await mintDevnetToken(inject("testEnv").rpcEthereum, USDC, payer, 1_000_000n); // 1 USDC: not enough
    const r = await tokenOptions(s, `evmAddress=${payer}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.options).toEqual([
      { chainId: 31338, tokenAddress: USDT, tokenSymbol: "USDT", requiredUnits: "25.5", balanceUnits: "100" },
      { chainId: 31337, tokenAddress: USDC, tokenSymbol: "USDC", requiredUnits: "25.5", balanceUnits: "1" },
      { chainId: 31337, tokenAddress: USDT, tokenSymbol: "USDT", requiredUnits: "25.5", balanceUnits: "0" },
      { chainId: 31338, tokenAddress: USDC, tokenSymbol: "USDC", requiredUnits: "25.5", balanceUnits: "0" },
      { chainId: 31338, tokenAddress: USDC_E, tokenSymbol: "USDC", requiredUnits: "25.5", balanceUnits: "0" },
      { chainId: 31340, tokenAddress: USDT, tokenSymbol: "USDT", requiredUnits: "25.5", balanceUnits: "0" },
      { chainId: 31340, tokenAddress: USDC, tokenSymbol: "USDC", requiredUnits: "25.5", balanceUnits: "0" },
    ]);

    // an address holding nothing: every balance 0, in configuration order
    const empty = getAddress(`0x${randomBytes(20).toString("hex")}`);
    const e = await tokenOptions(s, `evmAddress=${empty}`);
    expect(e.json.options.map((o: any) => [o.chainId, o.tokenSymbol, o.balanceUnits])).toEqual([
      [31337, "USDC", "0"], [31337, "USDT", "0"], [31338, "USDC", "0"], [31338, "USDC", "0"], [31338, "USDT", "0"], [31340, "USDT", "0"], [31340, "USDC", "0"],
    ]);

    // after a partial payment only the rest is required
    await chooseOk(s);
    await insertDeposit(s, { assetCode: "eUSDC", amount: 20_000_000n });
    const rest = await tokenOptions(s, `evmAddress=${payer}`);
    expect(rest.json.options.map((o: any) => o.requiredUnits)).toEqual(Array(7).fill("5.5"));
  });

  it("validates the addresses; Solana yields no options yet", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key);
    expectError(await tokenOptions(s, ""), 400, "evmAddress", "parameter_missing");
    expectError(await tokenOptions(s, "evmAddress=0x1234"), 400, "evmAddress");
    expectError(await tokenOptions(s, `evmAddress=${PAYEE.replace("aA96", "Aa96")}`), 400, "evmAddress");
    expectError(await tokenOptions(s, "solanaAddress=0OIl"), 400, "solanaAddress");
    expectError(await tokenOptions(s, "solanaAddress=11111111111111111111111111111111111"), 400, "solanaAddress");
    expectError(await tokenOptions(s, `evmAddress=${PAYER}&foo=1`), 400, "foo", "parameter_unknown");
    const sol = await tokenOptions(s, `solanaAddress=${SOLANA_WALLET}`);
    expect(sol.status, sol.text).toBe(200);
    expect(sol.json).toEqual({ sessionId: s.sessionId, options: [] });
  });

  it("authenticates like the other session endpoints and has no options for a session that cannot be paid", async () => {
    const m = await newMerchant();
    const other = await newMerchant();
    const s = await createSession(m.key);
    const r401 = await api().get(`/v1/sessions/${s.sessionId}/tokenOptions?clientSecret=wrong&evmAddress=${PAYER}`);
    expect(r401.status).toBe(401);
    expect((await api().get(`/v1/sessions/${s.sessionId}/tokenOptions?evmAddress=${PAYER}`)).status).toBe(401);
    for (const key of [other.key, m.liveKey]) {
      expectError(await api(key).get(`/v1/sessions/${s.sessionId}/tokenOptions?evmAddress=${PAYER}`), 404, "id", "resource_missing");
    }
    expect((await api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`)).status).toBe(200);
    const done = await tokenOptions(s, `evmAddress=${PAYER}`);
    expect(done.status, done.text).toBe(200);
    expect(done.json.options).toEqual([]);
  });
});

describe("token options when a network misbehaves", () => {
  async function listen(server: Server): Promise<string> {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("leaves balanceUnits out for a chain that hangs or fails, ranks those after sufficient ones, and still answers in time", async () => {
    const hang = createServer(() => {}); // accepts, never answers
    const fail = createServer((_, res) => { res.writeHead(500); res.end("boom"); });
    try {
      const [hangUrl, failUrl] = await Promise.all([listen(hang), listen(fail)]);
      const m = await newMerchant();
      const s = await createSession(m.key);
      // the web process's own chain configuration, with ethereum's RPC replaced by the broken servers
      const chains = loadConfig(JSON.parse(inject("testEnv").childEnvJson)).networks
        .filter((c) => c.family === "evm" && c.enabled && !c.livemode);
      const eth = chains.find((c) => c.network === "ethereum")!;
      const polygon = chains.find((c) => c.network === "polygon")!;
      const started = Date.now();
      const options = await evmTokenOptions(await checkoutRow(s.sessionId), standardAccounts()[9], logger, [
        { ...eth, key: `ethereum:hang:${randomUUID()}`, rpcUrls: [hangUrl] },
        polygon,
        { ...eth, key: `ethereum:fail:${randomUUID()}`, rpcUrls: [failUrl] },
      ]);
      expect(Date.now() - started).toBeLessThan(BALANCE_TIMEOUT_MS + 2000);
      expect(options).toEqual([
        { chainId: 31338, tokenAddress: USDC, tokenSymbol: "USDC", requiredUnits: "25", balanceUnits: "1000000" },
        { chainId: 31338, tokenAddress: USDC_E, tokenSymbol: "USDC", requiredUnits: "25", balanceUnits: "1000000" },
        { chainId: 31338, tokenAddress: USDT, tokenSymbol: "USDT", requiredUnits: "25", balanceUnits: "1000000" },
        { chainId: 31337, tokenAddress: USDC, tokenSymbol: "USDC", requiredUnits: "25" },
        { chainId: 31337, tokenAddress: USDT, tokenSymbol: "USDT", requiredUnits: "25" },
        { chainId: 31337, tokenAddress: USDC, tokenSymbol: "USDC", requiredUnits: "25" },
        { chainId: 31337, tokenAddress: USDT, tokenSymbol: "USDT", requiredUnits: "25" },
      ]);
    } finally {
      hang.closeAllConnections();
      fail.closeAllConnections();
      await Promise.all([hang, fail].map((srv) => new Promise((resolve) => srv.close(resolve))));
    }
  });
});

describe("receivers table", () => {
  it("never hands out index 0 and keeps addresses unique", async () => {
    const rows = await db().select({ id: receivers.id, index: receivers.derivationIndex, address: receivers.address, merchantId: receivers.merchantId, reuses: receivers.reuses })
      .from(receivers).where(and(eq(receivers.family, "evm")));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.index >= 1n)).toBe(true);
    // every fresh address is one row's; a reused one (a merchant that reuses addresses:
    // receiver-reuse.test) repeats the address, index and merchant of the row it took over
    const fresh = rows.filter((r) => r.reuses === null);
    expect(new Set(fresh.map((r) => r.address)).size).toBe(fresh.length);
    for (const r of rows.filter((x) => x.reuses !== null)) {
      const earlier = rows.find((x) => x.id === r.reuses)!;
      expect([r.address, r.index, r.merchantId]).toEqual([earlier.address, earlier.index, earlier.merchantId]);
    }
  });
});
