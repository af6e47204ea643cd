// Sessions API (API.md §1) through the real stack over HTTP with real keys; the database is read
// directly to check what was stored and which events were written.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { checkouts, events } from "@/db/schema";
import { loadConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { api, baseUrl, envelope, newMerchant, type ApiResponse } from "../helpers/api";

const USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553"; // devnet, 6 decimals, on 31337 and 31338
const USDT = "0x1Eb3AEe4475F0a5e09871a83638F0129af3Be434";
const PAYEE = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
const REFUND = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const FULL_KEYS = [
  "sessionId", "status", "destination", "exception", "display", "paymentMethod", "refundAddress", "metadata", "clientSecret",
  "url", "livemode", "createdAt", "expiresAt",
];
const PUBLIC_KEYS = FULL_KEYS.filter((k) => k !== "metadata" && k !== "clientSecret");

type Body = Record<string, unknown>;

/** The web process's TOLLGATE_PUBLIC_URL / AUTH_URL as lib/config reads them. */
function serverPublicUrl(): string {
  return loadConfig(JSON.parse(inject("testEnv").childEnvJson)).publicUrl;
}

function body(overrides: { destination?: Body } & Body = {}): Body {
  const { destination, ...rest } = overrides;
  return {
    destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits: "25.00", ...destination },
    ...rest,
  };
}

async function create(key: string, b: Body = body()): Promise<any> {
  const r = await api(key).post("/v1/sessions", b);
  expect(r.status, r.text).toBe(201);
  return r.json.session;
}

function expectValidation(r: ApiResponse, param: string) {
  expect(r.status, r.text).toBe(400);
  const e = envelope(r);
  expect(e.type).toBe("validation_error");
  expect(e.param).toBe(param);
  return e;
}

describe("POST /v1/sessions", () => {
  it("creates a session with every documented field", async () => {
    const m = await newMerchant();
    const r = await api(m.key).post("/v1/sessions", body({
      // lower case in, checksummed out
      destination: { address: PAYEE.toLowerCase(), tokenAddress: USDC.toLowerCase(), amountUnits: "25.00" },
      display: { title: "Order #1042", verb: "Deposit" },
      refundAddress: REFUND.toLowerCase(),
      metadata: { orderId: "1042", customer: "c_9" },
      expiresInSeconds: 900,
      successUrl: "https://shop.example/thanks",
      cancelUrl: "http://localhost:3000/cart",
    }));
    expect(r.status, r.text).toBe(201);
    expect(r.headers.get("request-id")).toMatch(/^req_/);
    expect(Object.keys(r.json)).toEqual(["session"]);
    const s = r.json.session;
    expect(Object.keys(s)).toEqual(FULL_KEYS);
    expect(s.sessionId).toMatch(UUID);
    expect(s.status).toBe("requires_payment_method");
    expect(s.destination).toEqual({
      type: "evm", address: PAYEE, chainId: 31337, chainName: "ethereum",
      tokenAddress: USDC, tokenSymbol: "USDC", amountUnits: "25",
    });
    expect(s.display).toEqual({ title: "Order #1042", verb: "Deposit" });
    expect(s.paymentMethod).toBeNull();
    expect(s.refundAddress).toBe(REFUND);
    expect(s.metadata).toEqual({ orderId: "1042", customer: "c_9" });
    expect(typeof s.clientSecret).toBe("string");
    expect(s.clientSecret.length).toBeGreaterThanOrEqual(32);
    // the hosted page under the server's configured public URL
    expect(s.url).toBe(`${serverPublicUrl()}/checkout/${s.sessionId}`);
    expect(s.livemode).toBe(false);
    expect(Number.isInteger(s.createdAt)).toBe(true);
    expect(Math.abs(s.createdAt - Date.now() / 1000)).toBeLessThan(120);
    expect(s.expiresAt - s.createdAt).toBe(900);

    const [row] = await db().select().from(checkouts).where(eq(checkouts.id, s.sessionId));
    expect(row).toMatchObject({
      merchantId: m.merchantId, livemode: false, status: "requires_payment_method", network: "ethereum",
      tokenDecimals: 6, amountUnits: 25_000_000n, successUrl: "https://shop.example/thanks", cancelUrl: "http://localhost:3000/cart",
    });
  });

  it("fills defaults: the merchant's expiry, verb Pay, the merchant name as title, nulls", async () => {
    const m = await newMerchant("Acme Coffee");
    const s = await create(m.key);
    expect(s.expiresAt - s.createdAt).toBe(3600);
    expect(s.display).toEqual({ title: "Acme Coffee", verb: "Pay" });
    expect(s.refundAddress).toBeNull();
    expect(s.metadata).toBeNull();

    await db().execute(sql`update merchants set default_expiry_seconds = 600 where id = ${m.merchantId}`);
    // the web process hears of the change by NOTIFY, a moment after the commit
    let s2 = await create(m.key, body({ display: { title: "Tip" } }));
    for (let i = 0; i < 20 && s2.expiresAt - s2.createdAt !== 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s2 = await create(m.key, body({ display: { title: "Tip" } }));
    }
    expect(s2.expiresAt - s2.createdAt).toBe(600);
    expect(s2.display).toEqual({ title: "Tip", verb: "Pay" });
  });

  it("keeps amounts exact in base units", async () => {
    const m = await newMerchant();
    for (const [amount, shown, units] of [
      ["0.000001", "0.000001", 1n],
      ["1.5", "1.5", 1_500_000n],
      ["1.100000", "1.1", 1_100_000n],
      ["123456789012345.123456", "123456789012345.123456", 123456789012345123456n],
    ] as const) {
      const s = await create(m.key, body({ destination: { amountUnits: amount } }));
      expect(s.destination.amountUnits).toBe(shown);
      const [row] = await db().select({ units: checkouts.amountUnits }).from(checkouts).where(eq(checkouts.id, s.sessionId));
      expect(row.units).toBe(units);
    }
  });

  it("resolves the token's symbol and the chain's name on another network", async () => {
    const m = await newMerchant();
    const s = await create(m.key, body({ destination: { chainId: 31338, tokenAddress: USDT, amountUnits: "7" } }));
    expect(s.destination).toMatchObject({ chainId: 31338, chainName: "polygon", tokenAddress: USDT, tokenSymbol: "USDT", amountUnits: "7" });
  });

  it("rejects bad input with a 400 naming the parameter", async () => {
    const m = await newMerchant();
    const c = api(m.key);
    const cases: Array<[Body | string, string]> = [
      [{ ...body(), foo: 1 }, "foo"],
      [body({ destination: { extra: true } }), "destination.extra"],
      [{ display: { title: "x" } }, "destination"],
      [body({ destination: { chainId: 1 } }), "destination.chainId"], // mainnet: not a test-mode network
      [body({ destination: { chainId: 999_999 } }), "destination.chainId"],
      [body({ destination: { chainId: "31337" } }), "destination.chainId"],
      [body({ destination: { type: "solana" } }), "destination.type"],
      [body({ destination: { tokenAddress: "0x0000000000000000000000000000000000000bad" } }), "destination.tokenAddress"],
      [body({ destination: { amountUnits: "1.1234567" } }), "destination.amountUnits"],
      [body({ destination: { amountUnits: "0" } }), "destination.amountUnits"],
      [body({ destination: { amountUnits: "-1" } }), "destination.amountUnits"],
      [body({ destination: { amountUnits: "1e6" } }), "destination.amountUnits"],
      [body({ destination: { amountUnits: 25 } }), "destination.amountUnits"],
      // mixed case with a wrong EIP-55 checksum (two letters' case swapped)
      [body({ destination: { address: PAYEE.replace("aA96", "Aa96") } }), "destination.address"],
      [body({ destination: { address: "0x1234" } }), "destination.address"],
      [body({ destination: { address: "0x0000000000000000000000000000000000000000" } }), "destination.address"],
      [body({ refundAddress: "0xD8DA6bf26964aF9D7eEd9e03E53415D37aA96045" }), "refundAddress"],
      [body({ expiresInSeconds: 100 }), "expiresInSeconds"],
      [body({ expiresInSeconds: 86_401 }), "expiresInSeconds"],
      [body({ expiresInSeconds: 600.5 }), "expiresInSeconds"],
      [body({ display: { title: "" } }), "display.title"],
      [body({ display: { title: "x".repeat(201) } }), "display.title"],
      [body({ metadata: { k: 1 } }), "metadata.k"],
      [body({ metadata: { k: "v".repeat(501) } }), "metadata.k"],
      [body({ metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) }), "metadata"],
      [body({ successUrl: "ftp://shop.example/x" }), "successUrl"],
      [body({ cancelUrl: "javascript:alert(1)" }), "cancelUrl"],
    ];
    for (const [b, param] of cases) {
      const r = await c.post("/v1/sessions", b);
      expectValidation(r, param);
    }
    // the precision error says how many decimals the token has
    const precise = await c.post("/v1/sessions", body({ destination: { amountUnits: "1.1234567" } }));
    expect(envelope(precise).message).toMatch(/6 decimals/);
    // nothing was stored by any of them
    const n = await db().select({ n: sql<number>`count(*)::int` }).from(checkouts).where(eq(checkouts.merchantId, m.merchantId));
    expect(n[0].n).toBe(0);
  });

  it("accepts 50 metadata keys and an all-caps (unchecksummed) address", async () => {
    const m = await newMerchant();
    const metadata = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key_${i}`.padEnd(40, "x"), "v".repeat(500)]));
    const s = await create(m.key, body({ metadata, destination: { address: "0x" + PAYEE.slice(2).toUpperCase() } }));
    expect(Object.keys(s.metadata)).toHaveLength(50);
    expect(s.destination.address).toBe(PAYEE);
  });

  it("requires an API key", async () => {
    const r = await api().post("/v1/sessions", body());
    expect(r.status).toBe(401);
    expect(envelope(r).type).toBe("authentication_error");
  });

  it("replays a create with the same Idempotency-Key", async () => {
    const m = await newMerchant();
    const key = randomUUID();
    const a = await api(m.key).post("/v1/sessions", body(), { "Idempotency-Key": key });
    const b = await api(m.key).post("/v1/sessions", body(), { "Idempotency-Key": key });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.text).toBe(a.text);
    const n = await db().select({ n: sql<number>`count(*)::int` }).from(checkouts).where(eq(checkouts.merchantId, m.merchantId));
    expect(n[0].n).toBe(1);
  });
});

describe("GET /v1/sessions/{id}", () => {
  it("returns the full view with the key and the public view without credentials or with the clientSecret", async () => {
    const m = await newMerchant();
    const created = await create(m.key, body({ metadata: { orderId: "7" } }));
    const id = created.sessionId;

    const full = await api(m.key).get(`/v1/sessions/${id}`);
    expect(full.status).toBe(200);
    expect(full.json).toEqual({ session: created });

    const { metadata: _m, clientSecret: _s, ...publicView } = created;
    const anon = await api().get(`/v1/sessions/${id}`);
    expect(anon.status).toBe(200);
    expect(Object.keys(anon.json.session)).toEqual(PUBLIC_KEYS);
    expect(anon.json.session).toEqual(publicView);
    expect(anon.text).not.toContain(created.clientSecret);

    const withSecret = await api().get(`/v1/sessions/${id}?clientSecret=${encodeURIComponent(created.clientSecret)}`);
    expect(withSecret.status).toBe(200);
    expect(withSecret.json.session).toEqual(publicView);
  });

  it("rejects a wrong clientSecret with 401", async () => {
    const m = await newMerchant();
    const a = await create(m.key);
    const b = await create(m.key);
    for (const secret of ["wrong", b.clientSecret, a.clientSecret.slice(0, -1)]) {
      const r = await api().get(`/v1/sessions/${a.sessionId}?clientSecret=${encodeURIComponent(secret)}`);
      expect(r.status).toBe(401);
      expect(envelope(r).type).toBe("authentication_error");
    }
  });

  it("is a 404 for another merchant's key, the other mode's key, unknown and malformed ids", async () => {
    const m = await newMerchant();
    const other = await newMerchant();
    const s = await create(m.key);
    for (const [key, path] of [
      [other.key, `/v1/sessions/${s.sessionId}`],
      [m.liveKey, `/v1/sessions/${s.sessionId}`],
      [m.key, `/v1/sessions/${randomUUID()}`],
      [m.key, "/v1/sessions/not-a-uuid"],
      [m.key, `/v1/sessions/${s.sessionId}x`],
      [undefined, `/v1/sessions/${randomUUID()}`],
      [undefined, "/v1/sessions/%27%3B--"],
    ] as const) {
      const r = await api(key).get(path);
      expect(r.status, `${path}: ${r.text}`).toBe(404);
      expect(envelope(r)).toMatchObject({ type: "invalid_request_error", code: "resource_missing" });
    }
  });

  it("rejects unknown query parameters", async () => {
    const m = await newMerchant();
    const s = await create(m.key);
    expectValidation(await api(m.key).get(`/v1/sessions/${s.sessionId}?expand=x`), "expand");
  });
});

describe("GET /v1/sessions", () => {
  it("pages newest first with limit and startingAfter", async () => {
    const m = await newMerchant();
    const s1 = await create(m.key);
    const s2 = await create(m.key);
    const s3 = await create(m.key);

    const p1 = await api(m.key).get("/v1/sessions?limit=2");
    expect(p1.status, p1.text).toBe(200);
    expect(Object.keys(p1.json)).toEqual(["data", "hasMore"]);
    expect(p1.json.data.map((s: any) => s.sessionId)).toEqual([s3.sessionId, s2.sessionId]);
    expect(p1.json.hasMore).toBe(true);
    expect(p1.json.data[0]).toEqual(s3); // full view

    const p2 = await api(m.key).get(`/v1/sessions?limit=2&startingAfter=${s2.sessionId}`);
    expect(p2.json.data.map((s: any) => s.sessionId)).toEqual([s1.sessionId]);
    expect(p2.json.hasMore).toBe(false);

    const all = await api(m.key).get("/v1/sessions");
    expect(all.json.data).toHaveLength(3);
    expect(all.json.hasMore).toBe(false);
  });

  it("is stable when sessions share a created_at", async () => {
    const m = await newMerchant();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await create(m.key)).sessionId);
    await db().execute(sql`update checkouts set created_at = '2030-01-01T00:00:00.123456Z' where merchant_id = ${m.merchantId}`);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await api(m.key).get(`/v1/sessions?limit=2${after ? `&startingAfter=${after}` : ""}`);
      expect(r.status, r.text).toBe(200);
      seen.push(...r.json.data.map((s: any) => s.sessionId));
      if (!r.json.hasMore) break;
      after = seen[seen.length - 1];
    }
    expect(seen).toEqual([...ids].sort().reverse());
  });

  it("filters by status and only shows the key's merchant and mode", async () => {
    const m = await newMerchant();
    const other = await newMerchant();
    const a = await create(m.key);
    const b = await create(m.key);
    await create(other.key);
    expect((await api(m.key).post(`/v1/sessions/${a.sessionId}/cancel`)).status).toBe(200);

    const expired = await api(m.key).get("/v1/sessions?status=expired");
    expect(expired.json.data.map((s: any) => s.sessionId)).toEqual([a.sessionId]);
    const open = await api(m.key).get("/v1/sessions?status=requires_payment_method");
    expect(open.json.data.map((s: any) => s.sessionId)).toEqual([b.sessionId]);

    const live = await api(m.liveKey).get("/v1/sessions");
    expect(live.json).toEqual({ data: [], hasMore: false });
  });

  it("validates limit, status and the cursor", async () => {
    const m = await newMerchant();
    const other = await newMerchant();
    const theirs = await create(other.key);
    expectValidation(await api(m.key).get("/v1/sessions?limit=0"), "limit");
    expectValidation(await api(m.key).get("/v1/sessions?limit=101"), "limit");
    expectValidation(await api(m.key).get("/v1/sessions?limit=abc"), "limit");
    expectValidation(await api(m.key).get("/v1/sessions?status=paid"), "status");
    for (const cursor of [randomUUID(), "nope", theirs.sessionId]) {
      const r = await api(m.key).get(`/v1/sessions?startingAfter=${cursor}`);
      expect(r.status).toBe(404);
      expect(envelope(r).param).toBe("startingAfter");
    }
    expect((await api().get("/v1/sessions")).status).toBe(401);
  });
});

describe("POST /v1/sessions/{id}/cancel", () => {
  it("expires an unpaid session and writes a session.expired event", async () => {
    const m = await newMerchant();
    const s = await create(m.key, body({ metadata: { orderId: "9" } }));
    const r = await api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.session).toMatchObject({ sessionId: s.sessionId, status: "expired", metadata: { orderId: "9" } });

    const rows = await db().select().from(events).where(and(eq(events.objectId, s.sessionId)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: "session.expired", objectType: "session", merchantId: m.merchantId, livemode: false,
    });
    expect(rows[0].id).toMatch(/^evt_[0-9A-Za-z]{24}$/);
    expect(rows[0].data).toEqual(r.json.session);

    const again = await api(m.key).get(`/v1/sessions/${s.sessionId}`);
    expect(again.json.session.status).toBe("expired");
  });

  it("is a 409 once the session is expired, processing or finished", async () => {
    const m = await newMerchant();
    const s = await create(m.key);
    expect((await api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`)).status).toBe(200);
    const twice = await api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`);
    expect(twice.status).toBe(409);
    expect(envelope(twice).type).toBe("invalid_request_error");

    for (const status of ["processing", "succeeded", "bounced"] as const) {
      const t = await create(m.key);
      await db().update(checkouts).set({ status }).where(eq(checkouts.id, t.sessionId));
      const r = await api(m.key).post(`/v1/sessions/${t.sessionId}/cancel`);
      expect(r.status, status).toBe(409);
    }
    // exactly one event in all: the first cancel
    const rows = await db().select().from(events).where(eq(events.merchantId, m.merchantId));
    expect(rows.map((e) => e.type)).toEqual(["session.expired"]);
  });

  it("cancels a session waiting for payment", async () => {
    const m = await newMerchant();
    const s = await create(m.key);
    await db().update(checkouts).set({ status: "waiting_payment" }).where(eq(checkouts.id, s.sessionId));
    const r = await api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`);
    expect(r.status).toBe(200);
    expect(r.json.session.status).toBe("expired");
  });

  it("concurrent cancels: one succeeds, the other is a 409, one event", async () => {
    const m = await newMerchant();
    const s = await create(m.key);
    const rs = await Promise.all([1, 2, 3].map(() => api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`)));
    expect(rs.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const rows = await db().select().from(events).where(eq(events.objectId, s.sessionId));
    expect(rows).toHaveLength(1);
  });

  it("is a 404 for another merchant's or mode's key and needs a key", async () => {
    const m = await newMerchant();
    const other = await newMerchant();
    const s = await create(m.key);
    expect((await api(other.key).post(`/v1/sessions/${s.sessionId}/cancel`)).status).toBe(404);
    expect((await api(m.liveKey).post(`/v1/sessions/${s.sessionId}/cancel`)).status).toBe(404);
    expect((await api(m.key).post("/v1/sessions/bogus/cancel")).status).toBe(404);
    expect((await api().post(`/v1/sessions/${s.sessionId}/cancel`)).status).toBe(401);
    expectValidation(await api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`, { reason: "x" }), "reason");
    const [row] = await db().select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, s.sessionId));
    expect(row.status).toBe("requires_payment_method");
  });
});

describe("GET /checkout/{id}/events (the payer page's live updates)", () => {
  /** Reads the stream until `what` appears (or throws after `ms`); returns everything read. */
  async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, seen: { text: string }, what: string, ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    const decoder = new TextDecoder();
    while (!seen.text.includes(what)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${what}" on the stream within ${ms} ms; got: ${JSON.stringify(seen.text)}`);
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (chunk === null) continue;
      if (chunk.done) throw new Error(`the stream ended before "${what}"; got: ${JSON.stringify(seen.text)}`);
      seen.text += decoder.decode(chunk.value, { stream: true });
    }
    return seen.text;
  }

  it("pushes a change when the session changes (here: the merchant cancels it), ends for a finished one, and is a 404 for an unknown id", async () => {
    const m = await newMerchant();
    const s = await create(m.key);
    const ac = new AbortController();
    const res = await fetch(`${baseUrl()}/checkout/${s.sessionId}/events`, { signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const seen = { text: "" };
    await readUntil(reader, seen, `: watching ${s.sessionId}`);
    expect(seen.text).not.toContain("event: change");
    const cancel = await api(m.key).post(`/v1/sessions/${s.sessionId}/cancel`, {});
    expect(cancel.status, cancel.text).toBe(200);
    await readUntil(reader, seen, `event: change\ndata: ${s.sessionId}`);
    ac.abort();

    // finished: one change, then the stream ends
    const done = await fetch(`${baseUrl()}/checkout/${s.sessionId}/events`);
    expect(await done.text()).toContain(`event: change\ndata: ${s.sessionId}`);
    expect((await fetch(`${baseUrl()}/checkout/${randomUUID()}/events`)).status).toBe(404);
    expect((await fetch(`${baseUrl()}/checkout/not-an-id/events`)).status).toBe(404);
  });
});
