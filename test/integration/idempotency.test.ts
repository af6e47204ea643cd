// Idempotency-Key (API.md "Conventions") on a real write: POST /v1/sessions.
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkouts } from "@/db/schema";
import { db } from "@/lib/db/client";
import { api, envelope, newMerchant } from "../helpers/api";

const USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";
const PAYEE = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
const body = (amountUnits = "25") => ({ destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits } });

async function sessionsOf(merchantId: string) {
  return db().select({ id: checkouts.id }).from(checkouts).where(and(eq(checkouts.merchantId, merchantId)));
}

describe("Idempotency-Key", () => {
  it("replays the first response byte-for-byte, status included, and executes once", async () => {
    const m = await newMerchant();
    const key = randomUUID();
    const first = await api(m.key).post("/v1/sessions", body(), { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    const again = await api(m.key).post("/v1/sessions", body(), { "Idempotency-Key": key });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("request-id")).not.toBe(first.headers.get("request-id"));
    expect(await sessionsOf(m.merchantId)).toHaveLength(1);
    // without the header every call executes
    await api(m.key).post("/v1/sessions", body());
    expect(await sessionsOf(m.merchantId)).toHaveLength(2);
  });

  it("the same key with a different body is a 409 idempotency_error", async () => {
    const m = await newMerchant();
    const key = randomUUID();
    expect((await api(m.key).post("/v1/sessions", body("25"), { "Idempotency-Key": key })).status).toBe(201);
    const r = await api(m.key).post("/v1/sessions", body("26"), { "Idempotency-Key": key });
    expect(r.status).toBe(409);
    expect(envelope(r)).toMatchObject({ type: "invalid_request_error", code: "idempotency_error" });
    expect(await sessionsOf(m.merchantId)).toHaveLength(1);
  });

  it("concurrent duplicates execute once and all get the same response", async () => {
    const m = await newMerchant();
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 20 }, () => api(m.key).post("/v1/sessions", body(), { "Idempotency-Key": key })));
    const statuses = new Set(results.map((r) => r.status));
    expect([...statuses]).toEqual([201]);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    expect(await sessionsOf(m.merchantId)).toHaveLength(1);
  });

  it("keys are scoped per merchant and mode", async () => {
    const a = await newMerchant();
    const b = await newMerchant();
    const key = randomUUID();
    const ra = await api(a.key).post("/v1/sessions", body(), { "Idempotency-Key": key });
    const rb = await api(b.key).post("/v1/sessions", body(), { "Idempotency-Key": key });
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(rb.json.session.sessionId).not.toBe(ra.json.session.sessionId);
  });

  it("a request that failed validation is not remembered", async () => {
    const m = await newMerchant();
    const key = randomUUID();
    const bad = await api(m.key).post("/v1/sessions", { ...body(), nope: 1 }, { "Idempotency-Key": key });
    expect(bad.status).toBe(400);
    expect(envelope(bad)).toMatchObject({ type: "validation_error", param: "nope" });
    const good = await api(m.key).post("/v1/sessions", body(), { "Idempotency-Key": key });
    expect(good.status).toBe(201);
  });

  it("rejects keys longer than 255 characters", async () => {
    const m = await newMerchant();
    const r = await api(m.key).post("/v1/sessions", body(), { "Idempotency-Key": "k".repeat(256) });
    expect(r.status).toBe(400);
    expect(envelope(r)).toMatchObject({ type: "validation_error", param: "Idempotency-Key" });
    expect(await sessionsOf(m.merchantId)).toHaveLength(0);
  });
});

describe("request bodies", () => {
  it("malformed JSON, wrong types, unknown and missing fields are 400s naming the parameter; nothing is written", async () => {
    const m = await newMerchant();
    const malformed = await api(m.key).post("/v1/sessions", '{"destination": {', { "Content-Type": "application/json" });
    expect(malformed.status).toBe(400);
    expect(envelope(malformed)).toMatchObject({ type: "validation_error", code: "invalid_json" });

    const wrongType = await api(m.key).post("/v1/sessions", { destination: { ...body().destination, chainId: "31337" } });
    expect(wrongType.status).toBe(400);
    expect(envelope(wrongType)).toMatchObject({ type: "validation_error", param: "destination.chainId" });

    const unknown = await api(m.key).post("/v1/sessions", { destination: { ...body().destination, colour: "red" } });
    expect(unknown.status).toBe(400);
    expect(envelope(unknown)).toMatchObject({ code: "parameter_unknown", param: "destination.colour" });

    const missing = await api(m.key).post("/v1/sessions", {});
    expect(missing.status).toBe(400);
    expect(envelope(missing)).toMatchObject({ code: "parameter_missing", param: "destination" });

    const floatAmount = await api(m.key).post("/v1/sessions", { destination: { ...body().destination, amountUnits: 0.1 } });
    expect(floatAmount.status).toBe(400);

    expect(await sessionsOf(m.merchantId)).toHaveLength(0);
  });

  it("a bad key is a 401 even when the body is malformed", async () => {
    const r = await api("sk_test_" + "y".repeat(32)).post("/v1/sessions", "{oops", { "Content-Type": "application/json" });
    expect(r.status).toBe(401);
    expect(envelope(r).type).toBe("authentication_error");
  });
});

describe("validation error codes", () => {
  it("a value of the wrong type is parameter_invalid, not parameter_missing", async () => {
    const m = await newMerchant();
    const r = await api(m.key).post("/v1/sessions", { destination: { ...body().destination, chainId: "31337" } });
    expect(r.status).toBe(400);
    expect(envelope(r)).toMatchObject({ code: "parameter_invalid", param: "destination.chainId" });
    expect(envelope(r).message).not.toMatch(/Missing/);
  });
});

describe("idempotent results that are errors", () => {
  it("a request that began executing and failed with a 4xx is remembered and replayed", async () => {
    const m = await newMerchant();
    const created = await api(m.key).post("/v1/sessions", body());
    const id = created.json.session.sessionId;
    expect((await api(m.key).post(`/v1/sessions/${id}/cancel`)).status).toBe(200);
    const key = randomUUID();
    const first = await api(m.key).post(`/v1/sessions/${id}/cancel`, undefined, { "Idempotency-Key": key });
    expect(first.status).toBe(409);
    const again = await api(m.key).post(`/v1/sessions/${id}/cancel`, undefined, { "Idempotency-Key": key });
    expect(again.status).toBe(409);
    expect(again.text).toBe(first.text);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });
});
