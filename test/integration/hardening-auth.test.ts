// Issue 14 (hardening the public surface), the authentication findings, each reproduced as found:
// payer and merchant shared one Idempotency-Key namespace; a replay skipped the request signature;
// private webhook/callback targets followed the key's mode instead of the instance's; a seed-002
// callback_url was not checked; a dashboard action told "another merchant's" from "no such".
import { createHmac, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { merchants } from "@/db/schema";
import { db } from "@/lib/db/client";
import { blockDashboardPayment } from "@/lib/dashboard/payments/block-payment";
import { assertAllowedUrl } from "@/lib/webhooks/endpoints";
import { sendAttempt } from "@/lib/webhooks/send";
import { api, envelope, newMerchant } from "../helpers/api";
import { createPayment, paymentMerchant, setPrices } from "./helpers/payments";

const USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";
const PAYEE = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";

async function createSession(key: string): Promise<{ sessionId: string; clientSecret: string }> {
  const r = await api(key).post("/v1/sessions", {
    destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits: "25" },
    metadata: { orderId: "secret-order-7" },
  });
  expect(r.status, r.text).toBe(201);
  return r.json.session;
}

const choosePath = (id: string) => `/v1/sessions/${id}/paymentMethods`;

describe("Idempotency-Key records are scoped by caller", () => {
  it("a payer sending the merchant's request and key with ?clientSecret= is not replayed the merchant's full view", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key);
    const body = { paymentMethod: { type: "evm" } };
    const merchant = await api(m.key).post(choosePath(s.sessionId), body, { "Idempotency-Key": "pm-X" });
    expect(merchant.status, merchant.text).toBe(200);
    expect(merchant.json.session.metadata).toEqual({ orderId: "secret-order-7" });

    const payer = await api().post(`${choosePath(s.sessionId)}?clientSecret=${s.clientSecret}`, body, { "Idempotency-Key": "pm-X" });
    expect(payer.status, payer.text).toBe(200);
    expect(payer.headers.get("idempotent-replayed")).toBeNull();
    expect(payer.json.session).not.toHaveProperty("metadata");
    expect(payer.text).not.toContain("secret-order-7");
    // the payer's own retry is replayed to the payer, still the public view
    const again = await api().post(`${choosePath(s.sessionId)}?clientSecret=${s.clientSecret}`, body, { "Idempotency-Key": "pm-X" });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.text).toBe(payer.text);
  });

  it("a payer cannot poison a key the merchant uses later (no 409 for the merchant)", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key);
    const payer = await api().post(choosePath(s.sessionId), { clientSecret: s.clientSecret, paymentMethod: { type: "evm", chainId: 31338 } }, { "Idempotency-Key": "pm-Y" });
    expect(payer.status, payer.text).toBe(200);
    const merchant = await api(m.key).post(choosePath(s.sessionId), { paymentMethod: { type: "evm" } }, { "Idempotency-Key": "pm-Y" });
    expect(merchant.status, merchant.text).toBe(200);
    expect(merchant.headers.get("idempotent-replayed")).toBeNull();
    expect(merchant.json.session.metadata).toEqual({ orderId: "secret-order-7" });
  });

  it("one session's payer does not share records with another session's payer of the same merchant", async () => {
    const m = await newMerchant();
    const [a, b] = [await createSession(m.key), await createSession(m.key)];
    const ra = await api().post(choosePath(a.sessionId), { clientSecret: a.clientSecret, paymentMethod: { type: "evm" } }, { "Idempotency-Key": "k" });
    const rb = await api().post(choosePath(b.sessionId), { clientSecret: b.clientSecret, paymentMethod: { type: "evm" } }, { "Idempotency-Key": "k" });
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(rb.headers.get("idempotent-replayed")).toBeNull();
    expect(rb.json.session.sessionId).toBe(b.sessionId);
  });

  it("the query string is part of the request: the same key with another query is a 409", async () => {
    const m = await newMerchant();
    const body = { destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits: "25" } };
    const key = randomUUID();
    expect((await api(m.key).post("/v1/sessions?ref=1", body, { "Idempotency-Key": key })).status).toBe(201);
    const other = await api(m.key).post("/v1/sessions?ref=2", body, { "Idempotency-Key": key });
    expect(other.status, other.text).toBe(409);
    expect(envelope(other)).toMatchObject({ code: "idempotency_error", param: "Idempotency-Key" });
    const same = await api(m.key).post("/v1/sessions?ref=1", body, { "Idempotency-Key": key });
    expect(same.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("a replay runs authentication and request signatures first", () => {
  it("a seed-002 create replayed without its Signature is a 401 without callback_secret", async () => {
    const m = await newMerchant();
    const secret = `sign-${randomUUID()}`;
    await db().update(merchants).set({ requestSigningSecret: secret }).where(eq(merchants.id, m.merchantId));
    const body = JSON.stringify({ currency: "usdc", network: "erc20", callback_url: "http://127.0.0.1:9/cb" });
    const sig = createHmac("sha256", secret).update(body).digest("hex");
    const h = { "Api-key": m.key, "Idempotency-Key": "addr-1" };
    const first = await api().post("/v2/deposit_address/create", body, { ...h, Signature: sig });
    expect(first.status, first.text).toBe(200);
    expect(first.json.data.callback_secret).toBeTruthy();

    for (const headers of [h, { ...h, Signature: "00".repeat(32) }]) {
      const replay = await api().post("/v2/deposit_address/create", body, headers);
      expect(replay.status, replay.text).toBe(401);
      expect(replay.headers.get("idempotent-replayed")).toBeNull();
      expect(replay.text).not.toContain(first.json.data.callback_secret);
    }
    // with its signature the retry is replayed as before
    const signed = await api().post("/v2/deposit_address/create", body, { ...h, Signature: sig });
    expect(signed.headers.get("idempotent-replayed")).toBe("true");
    expect(signed.text).toBe(first.text);
  });

  it("a revoked key cannot replay what it was answered", async () => {
    const m = await newMerchant();
    const { createApiKey, revokeApiKey } = await import("@/lib/api-keys/keys");
    const { key, record } = await createApiKey(m.merchantId, false, "soon revoked");
    const body = { destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits: "25" } };
    expect((await api(key).post("/v1/sessions", body, { "Idempotency-Key": "rk" })).status).toBe(201);
    await revokeApiKey(m.merchantId, record.id);
    const deadline = Date.now() + 5000; // the web's key cache drops the key on the revocation's notification
    let r = await api(key).post("/v1/sessions", body, { "Idempotency-Key": "rk" });
    while (r.status !== 401 && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 100));
      r = await api(key).post("/v1/sessions", body, { "Idempotency-Key": "rk" });
    }
    expect(r.status, r.text).toBe(401);
    expect(r.text).not.toContain("clientSecret");
  });
});

describe("private webhook and callback targets", () => {
  it("are refused on a live instance even for test-mode objects, at creation and at delivery", async () => {
    await expect(assertAllowedUrl("http://127.0.0.1:8545/", false, { instanceMode: "live" })).rejects.toMatchObject({ status: 400, param: "url" });
    await expect(assertAllowedUrl("http://169.254.169.254/latest", false, { instanceMode: "live", param: "callback_url" }))
      .rejects.toMatchObject({ status: 400, param: "callback_url" });
    const r = await sendAttempt("http://127.0.0.1:1/x", {}, "{}", { livemode: false, timeoutMs: 1000, instanceMode: "live" });
    expect(r).toMatchObject({ ok: false, retryable: false, statusCode: null });
    expect(r.error).toMatch(/^refused: /);
    // a test-mode object on a test instance may (local development)
    await expect(assertAllowedUrl("http://127.0.0.1:8545/", false, { instanceMode: "test" })).resolves.toBeUndefined();
  });

  it("a seed-002 callback_url is checked at creation like a webhook endpoint's url", async () => {
    const m = await newMerchant();
    const r = await api().post("/v2/deposit_address/create", { currency: "usdc", network: "erc20", callback_url: "http://127.0.0.1:8545/" }, { "Api-key": m.liveKey });
    expect(r.status, r.text).toBe(400);
    expect(r.text).toContain("callback_url");
    expect(r.text).not.toMatch(/callback_secret/);
  });
});

describe("dashboard actions", () => {
  it("blocking another merchant's payment answers exactly as blocking one that does not exist", async () => {
    const owner = await paymentMerchant();
    const stranger = await newMerchant();
    await setPrices({ "USDT-EUR": "0.913085" });
    const payment = await createPayment(owner.key, { rateType: "FLOATING", expirationMinutes: 60 });
    const theirs = await blockDashboardPayment(stranger.merchantId, payment.paymentId);
    const missing = await blockDashboardPayment(stranger.merchantId, randomUUID());
    expect(theirs).toEqual(missing);
    expect("error" in theirs).toBe(true);
    // the owner can block it
    expect(await blockDashboardPayment(owner.merchantId, payment.paymentId)).toEqual({ blocked: true });
  });
});
