// Issue 14, input side: what a hostile client sends must end in a 4xx in the envelope (never a
// 500 or an HTML page), bounded work per caller, and no values in the error log.
import http from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Keypair } from "@solana/web3.js";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { checkouts, receivers, settlementAddresses } from "@/db/schema";
import { db } from "@/lib/db/client";
import { DEVNET_SOLANA_MINTS, devnetSolanaWallets } from "@/lib/devnet/solana-constants";
import { api, baseUrl, envelope, newMerchant, type ApiResponse } from "../helpers/api";

const PAYEE = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
const USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";
const sessionBody = (extra: Record<string, unknown> = {}) => ({
  destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits: "25.00" }, ...extra,
});

/** A raw HTTP exchange (fetch refuses TRACE and oversized headers are the point). */
function raw(method: string, p: string, opts: { headers?: Record<string, string>; body?: Buffer | string; chunks?: Buffer[] } = {}): Promise<ApiResponse> {
  const u = new URL(baseUrl() + p);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: opts.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c) => parts.push(c));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") headers.set(k, v);
        resolve({ status: res.statusCode ?? 0, json, text, headers, path: u.pathname });
      });
    });
    req.on("error", reject);
    if (opts.chunks) {
      for (const c of opts.chunks) req.write(c);
      req.end();
    } else req.end(opts.body);
  });
}

function expectEnvelope(r: ApiResponse, status: number, match: Record<string, unknown> = {}) {
  expect(r.status, r.text.slice(0, 300)).toBe(status);
  expect(r.headers.get("content-type")).toMatch(/application\/json/);
  expect(envelope(r)).toMatchObject(match);
}

describe("NUL bytes and lone surrogates", () => {
  it("are a 400 naming the parameter in body fields, metadata, query and path parameters", async () => {
    const m = await newMerchant();
    const c = api(m.key);
    const nul = await c.post("/v1/sessions", sessionBody({ metadata: { order: "a\u0000b" } }));
    expectEnvelope(nul, 400, { type: "validation_error", param: "metadata.order" });
    // JSON.stringify writes a lone surrogate as the escape \ud800: the server decodes it to one
    const lone = await c.post("/v1/sessions", sessionBody({ metadata: { order: "x\ud800" } }));
    expectEnvelope(lone, 400, { type: "validation_error", param: "metadata.order" });
    const title = await c.post("/v1/sessions", sessionBody({ display: { title: "\u0000" } }));
    expectEnvelope(title, 400, { type: "validation_error", param: "display.title" });
    const q = await c.get("/v1/sessions?startingAfter=%00");
    expectEnvelope(q, 400, { type: "validation_error", param: "startingAfter" });
    const p = await c.get("/v1/sessions/abc%00def");
    expectEnvelope(p, 400, { type: "validation_error", param: "id" });
    // a client secret is looked up in the database: it must not get there either
    const s = (await c.post("/v1/sessions", sessionBody())).json.session;
    const cs = await api().get(`/v1/sessions/${s.sessionId}?clientSecret=%00x`);
    expectEnvelope(cs, 400, { type: "validation_error", param: "clientSecret" });
    const csBody = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: "\u0000", paymentMethod: { type: "evm" } });
    expectEnvelope(csBody, 400, { type: "validation_error", param: "clientSecret" });
    // nothing was written
    const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(checkouts).where(eq(checkouts.merchantId, m.merchantId));
    expect(n).toBe(1);
  });

  it("the error log of a failed request carries no query values and no body", async () => {
    const logDir = inject("testEnv").logDir;
    if (!logDir) return expect.fail("the test stack records the web log");
    const marker = `secretvalue${Date.now()}`;
    const m = await newMerchant();
    const r = await api(m.key).get(`/v1/sessions?startingAfter=%00${marker}&limit=5`);
    expect(r.status).toBeLessThan(500);
    const b = await api(m.key).post("/v1/sessions", sessionBody({ metadata: { x: `${marker}\u0000` } }));
    expect(b.status).toBeLessThan(500);
    await new Promise((res) => setTimeout(res, 500));
    expect(readFileSync(path.join(logDir, "web.log"), "utf8")).not.toContain(marker);
  });
});

describe("misses and methods", () => {
  it("unknown paths under /v1, /v2 and /api/v1 are a 404 in the path's error shape, never HTML", async () => {
    // /v2/… in seed 002's shape, an unknown seed 001 path (/v1/withdrawal/…) in seed 001's (lib/api/dialect.ts)
    for (const p of ["/v1", "/v2", "/v2/nope", "/v2/deposit_address/nope", "/api/v1", "/api/v1/nope/deeper", "/v1/withdrawal/service/nope"]) {
      for (const method of ["GET", "POST"]) {
        const r = await api().raw(method, p, undefined);
        expectEnvelope(r, 404, { code: "route_not_found" });
        if (p.startsWith("/v2")) expect(r.json.status).toBe("error");
        else if (p.startsWith("/v1/withdrawal")) expect(typeof r.json.error).toBe("string");
        else expect(r.json.error.type).toBe("invalid_request_error");
        expect(r.headers.get("request-id")).toMatch(/^req_/);
      }
    }
  });

  it("TRACE and other methods Next cannot route answer 405 with Allow (404 on unknown paths), in the envelope", async () => {
    const t = await raw("TRACE", "/v1/currencies");
    expectEnvelope(t, 405, { code: "method_not_allowed" });
    expect(t.headers.get("allow")).toBe("GET");
    const s = await raw("TRACE", "/v1/sessions/00000000-0000-0000-0000-000000000000");
    expectEnvelope(s, 405, { code: "method_not_allowed" });
    expect(s.headers.get("allow")).toBe("GET");
    expectEnvelope(await raw("PROPFIND", "/v2/deposit_address/create"), 405, { code: "method_not_allowed" });
    expectEnvelope(await raw("TRACE", "/v1/nope"), 404, { code: "route_not_found" });
  });

  it("a path whose escapes are not UTF-8 is a 400 in the envelope (a text/plain 500 before)", async () => {
    for (const p of ["/v1/sessions/%ZZ", "/v1/sessions/%ED%A0%80/check", "/v1/payments/%C0%80"]) {
      expectEnvelope(await raw("GET", p), 400, { code: "path_invalid" });
    }
  });

  it("oversized headers are a 431 in the envelope", async () => {
    const r = await raw("GET", "/v1/currencies", { headers: { "X-Big": "a".repeat(40_000) } });
    expectEnvelope(r, 431, { code: "headers_too_large" });
  });
});

describe("request body limit", () => {
  it("a body over 1 MiB is a 413 in the envelope, by Content-Length and when chunked, and nothing is written", async () => {
    const m = await newMerchant();
    const big = JSON.stringify(sessionBody({ metadata: { pad: "x".repeat(1024 * 1024) } }));
    const headers = { Authorization: `Bearer ${m.key}`, "Content-Type": "application/json" };
    expectEnvelope(await raw("POST", "/v1/sessions", { headers, body: big }), 413, { code: "request_too_large" });
    const chunks = Array.from({ length: 40 }, () => Buffer.from(" ".repeat(64 * 1024)));
    chunks.push(Buffer.from(JSON.stringify(sessionBody())));
    expectEnvelope(await raw("POST", "/v1/sessions", { headers: { ...headers, "Transfer-Encoding": "chunked" }, chunks }), 413, { code: "request_too_large" });
    // an anonymous endpoint too, before anything else looks at the request
    expectEnvelope(await raw("POST", "/v1/sessions/x/paymentMethods", { headers: { "Content-Type": "application/json" }, body: big }), 413);
    const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(checkouts).where(eq(checkouts.merchantId, m.merchantId));
    expect(n).toBe(0);
    // just under the limit still works
    expect((await api(m.key).post("/v1/sessions", sessionBody({ metadata: { pad: "x".repeat(400) } }))).status).toBe(201);
  });
});

describe("per-IP rate limit", () => {
  it("anonymous callers from one address get 429 with Retry-After in the envelope; another address is unaffected", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const hit = () => api().get("/v1/system/sync?livemode=maybe", { "X-Forwarded-For": ip });
    const results: ApiResponse[] = [];
    for (let i = 0; i < 5; i++) results.push(...(await Promise.all(Array.from({ length: 100 }, hit))));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // /v1/system/sync is a seed-001 path: {"error": "<message>", code, param}
    expectEnvelope(limited[0], 429, { code: "rate_limit" });
    expect(typeof limited[0].json.error).toBe("string");
    expect(Number(limited[0].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const other = await api().get("/v1/system/sync?livemode=maybe", { "X-Forwarded-For": "192.0.2.77" });
    expect(other.status).toBe(400);
  });
});

describe("per-session caps", () => {
  it("payment-method changes per session are capped: 429 with Retry-After in the envelope", async () => {
    const m = await newMerchant();
    const s = (await api(m.key).post("/v1/sessions", sessionBody())).json.session;
    const statuses: number[] = [];
    let last: ApiResponse | undefined;
    for (let i = 0; i < 22; i++) {
      last = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod: { type: "evm" } },
        { "X-Forwarded-For": `203.0.113.${i + 1}` });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 20).every((x) => x === 200)).toBe(true);
    expectEnvelope(last!, 429, { type: "rate_limit_error", code: "payment_method_changes_exceeded" });
    expect(last!.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("open Solana references per session are capped: 409 in the envelope, nothing more watched", async () => {
    const m = await newMerchant();
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "solana", livemode: false, address: Keypair.generate().publicKey.toBase58() });
    const s = (await api(m.key).post("/v1/sessions", sessionBody())).json.session;
    const choose = () => api().post(`/v1/sessions/${s.sessionId}/paymentMethods`,
      { clientSecret: s.clientSecret, paymentMethod: { type: "solana", walletAddress: devnetSolanaWallets()[4].publicKey.toBase58(), inputTokenMint: DEVNET_SOLANA_MINTS.USDC } });
    for (let i = 0; i < 5; i++) {
      const r = await choose();
      expect(r.status, r.text).toBe(200);
    }
    const over = await choose();
    expectEnvelope(over, 409, { code: "too_many_references" });
    const rows = await db().select().from(receivers).where(and(eq(receivers.checkoutId, s.sessionId), eq(receivers.family, "solana")));
    expect(rows).toHaveLength(5);
  });
});

describe("server actions", () => {
  it("called with a non-form argument answer a form error, not a 500", async () => {
    const manifest = JSON.parse(readFileSync(path.resolve(".next/server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName?: string; filename?: string }>;
    };
    const ids = Object.entries(manifest.node).filter(([, v]) => v.exportedName === "signInAction" || v.exportedName === "signUpAction");
    expect(ids.length).toBe(2);
    for (const [id] of ids) {
      for (const args of ['[{}, "not a form"]', "[{}, 42]", "[{}, null]", '[{}, {"email": "a@b.c"}]']) {
        const r = await fetch(baseUrl() + "/signin", {
          method: "POST", headers: { "Next-Action": id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" }, body: args,
        });
        const text = await r.text();
        expect(r.status, `${id} ${args}: ${text.slice(0, 200)}`).toBeLessThan(500);
      }
    }
  });
});
