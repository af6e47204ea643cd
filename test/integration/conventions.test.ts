// API conventions (API.md "Conventions") through the real stack over HTTP with real keys.
import { describe, expect, it } from "vitest";
import { revokeApiKey, listApiKeys } from "@/lib/api-keys/keys";
import { api, baseUrl, envelope, newMerchant } from "../helpers/api";

describe("authentication", () => {
  it("accepts the key as Bearer and in the seed dialects' alias headers", async () => {
    const m = await newMerchant();
    for (const h of [{ Authorization: `Bearer ${m.key}` }, { "x-api-key": m.key }, { "FRX-API": m.key }, { "Api-key": m.key }]) {
      const r = await api().get("/v1/currencies", h as unknown as Record<string, string>);
      expect(r.status, JSON.stringify(h)).toBe(200);
    }
  });

  it("rejects unknown, malformed and revoked keys with 401 in the envelope", async () => {
    const m = await newMerchant();
    const bad = await api("sk_test_" + "x".repeat(32)).get("/v1/currencies");
    expect(bad.status).toBe(401);
    expect(envelope(bad)).toMatchObject({ type: "authentication_error", code: "invalid_api_key" });
    expect((await api("not-a-key").get("/v1/currencies")).status).toBe(401);
    const basic = await api().get("/v1/currencies", { Authorization: "Basic abc" });
    expect(basic.status).toBe(401);
    expect(envelope(basic).type).toBe("authentication_error");

    const [k] = (await listApiKeys(m.merchantId)).filter((x) => !x.livemode);
    expect(await revokeApiKey(m.merchantId, k.id)).toBe(true);
    const revoked = await api(m.key).get("/v1/currencies");
    expect(revoked.status).toBe(401);
    expect(envelope(revoked).type).toBe("authentication_error");
    // never the key itself in an error
    expect(revoked.text).not.toContain(m.key);
  });

  it("a merchant cannot revoke another merchant's key", async () => {
    const a = await newMerchant();
    const b = await newMerchant();
    const [k] = await listApiKeys(a.merchantId);
    expect(await revokeApiKey(b.merchantId, k.id)).toBe(false);
    expect((await api(a.key).get("/v1/currencies")).status).toBe(200);
  });

  it("records last use of a key", async () => {
    const m = await newMerchant();
    await api(m.key).get("/v1/currencies");
    await new Promise((r) => setTimeout(r, 300));
    const k = (await listApiKeys(m.merchantId)).find((x) => !x.livemode)!;
    expect(k.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe("errors", () => {
  it("unknown paths under /v1 are 404 in the envelope, never HTML", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const r = await api().raw(method, "/v1/nope/deeper", undefined);
      expect(r.status).toBe(404);
      expect(r.headers.get("content-type")).toMatch(/application\/json/);
      expect(envelope(r)).toMatchObject({ type: "invalid_request_error", code: "route_not_found" });
      expect(r.headers.get("request-id")).toMatch(/^req_/);
    }
  });

  it("wrong methods are 405 in the envelope with Allow", async () => {
    const m = await newMerchant();
    const r = await api(m.key).raw("DELETE", "/v1/currencies", m.key);
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("GET");
    expect(envelope(r)).toMatchObject({ type: "invalid_request_error", code: "method_not_allowed" });
  });

  it("unknown query parameters are rejected naming the parameter", async () => {
    const m = await newMerchant();
    const r = await api(m.key).get("/v1/currencies?bogus=1");
    expect(r.status).toBe(400);
    expect(envelope(r)).toMatchObject({ type: "validation_error", code: "parameter_unknown", param: "bogus" });
    const s = await api().get("/v1/system/sync?livemode=maybe");
    expect(s.status).toBe(400);
    expect(envelope(s)).toMatchObject({ code: "parameter_invalid", param: "livemode" });
    expect(typeof s.json.error).toBe("string"); // a seed-001 path: {"error": "<message>", code, param}
  });

  it("every response carries a Request-Id", async () => {
    const a = await api().get("/v1/system/sync");
    const b = await api().get("/v1/system/sync");
    expect(a.headers.get("request-id")).toMatch(/^req_/);
    expect(a.headers.get("request-id")).not.toBe(b.headers.get("request-id"));
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After in the envelope once a key exceeds its budget, per key", async () => {
    const m = await newMerchant();
    const other = await newMerchant();
    // 300 at once against a budget of 100 (+ 50/s in the test stack): most of the excess is refused
    // even on a slow machine
    const results = await Promise.all(Array.from({ length: 300 }, () => api(m.key).get("/v1/currencies")));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(Number(limited[0].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(envelope(limited[0])).toMatchObject({ type: "rate_limit_error" });
    // another key is unaffected
    expect((await api(other.key).get("/v1/currencies")).status).toBe(200);
  });
});

describe("rate limiting of a payer's page", () => {
  it("gives each session's client secret its own budget", async () => {
    const m = await newMerchant();
    const session = async () => {
      const r = await api(m.key).post("/v1/sessions", {
        destination: { type: "evm", address: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045", chainId: 31337, tokenAddress: "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553", amountUnits: "1" },
      });
      expect(r.status).toBe(201);
      return r.json.session as { sessionId: string; clientSecret: string };
    };
    const [a, b] = [await session(), await session()];
    const check = (s: { sessionId: string; clientSecret: string }) => api().put(`/v1/sessions/${s.sessionId}/check`, { clientSecret: s.clientSecret });
    // 300 at once against a budget of 100 (+ 50/s): most of the excess is refused even on a slow machine
    const results = await Promise.all(Array.from({ length: 300 }, () => check(a)));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(envelope(limited[0])).toMatchObject({ type: "rate_limit_error" });
    // the merchant's key and another session's page are unaffected
    expect((await check(b)).status).toBe(200);
    expect((await api(m.key).get(`/v1/sessions/${a.sessionId}`)).status).toBe(200);
  });
});

describe("GET /v1/currencies", () => {
  it("lists the API.md table in the key's mode with devnet rows enabled", async () => {
    const m = await newMerchant();
    const test = await api(m.key).get("/v1/currencies");
    expect(test.status).toBe(200);
    const codes = test.json.data.map((r: { code: string }) => r.code);
    for (const c of ["BNB", "bUSDT", "BTC", "ETH", "eUSDC", "eUSDT", "FTN", "POL", "pUSDC", "SOL", "sUSDT", "tUSDC", "tUSDT", "wpUSDC", "wpUSDT"]) {
      expect(codes).toContain(c);
    }
    expect(codes).toContain("TON"); // only where the network is enabled: the TON devnet is
    expect(test.json.data.find((r: { code: string }) => r.code === "jUSDT")).toMatchObject({
      asset: "USDT", network: "ton", chainId: null, standard: "jetton", decimals: 6, enabled: true, contract: "kQCwYCWiN0UXVi5yMyeS4A7moFD0MsE5iCmlB62FfRMKLO8i",
    });
    expect(codes).toContain("TRX"); // the Tron devnet is
    expect(test.json.data.find((r: { code: string }) => r.code === "tUSDT")).toMatchObject({
      network: "tron", chainId: null, standard: "trc20", enabled: true, contract: "TCmYXRHQRvBzKbSabpcxLjgq2NNRg63jKs",
    });
    const eusdc = test.json.data.find((r: { code: string }) => r.code === "eUSDC");
    expect(eusdc).toMatchObject({ asset: "USDC", network: "ethereum", chainId: 31337, standard: "erc20", decimals: 6, enabled: true, mint: null });
    expect(eusdc.contract).toBe("0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553");
    expect(test.json.data.find((r: { code: string }) => r.code === "pUSDC")).toMatchObject({ chainId: 31338, enabled: true });
    // the Bitcoin devnet (bcoin regtest) runs in the test stack
    expect(test.json.data.find((r: { code: string }) => r.code === "BTC")).toMatchObject({ network: "bitcoin", decimals: 8, enabled: true });

    // a live key sees mainnet rows, disabled on a test-mode instance without mainnet RPCs
    const live = await api(m.liveKey).get("/v1/currencies");
    const liveUsdc = live.json.data.find((r: { code: string }) => r.code === "eUSDC");
    expect(liveUsdc).toMatchObject({ chainId: 1, contract: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", enabled: false });
  });
});

describe("sync and health", () => {
  it("reports the devnet chains as synced while the worker keeps up", async () => {
    let body: any;
    for (let i = 0; i < 60; i++) {
      const r = await api().get("/v1/system/sync");
      expect(r.status).toBe(200);
      body = r.json;
      if (body.is_synced) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(body.is_synced).toBe(true);
    expect(Object.keys(body.networks).sort()).toEqual(["bahamut", "bitcoin", "bsc", "ethereum", "litecoin", "polygon", "solana", "ton", "tron"]);
    for (const n of Object.values<any>(body.networks)) {
      expect(n.is_synced).toBe(true);
      expect(n.lag_seconds).toBeLessThanOrEqual(10);
      expect(Math.abs(n.last_block_gen_utime - Date.now() / 1000)).toBeLessThan(15);
    }
    expect(typeof body.last_block_gen_utime).toBe("number");
    // the live side of a test instance has no networks: not synced
    const live = await api().get("/v1/system/sync?livemode=true");
    expect(live.json).toEqual({ is_synced: false, last_block_gen_utime: null, networks: {} });
  });

  it("healthz reports database and worker heartbeat; livez answers", async () => {
    let h: Response | undefined;
    for (let i = 0; i < 30; i++) {
      h = await fetch(baseUrl() + "/healthz");
      if (h.status === 200) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(h!.status).toBe(200);
    const body = await h!.json();
    expect(body).toMatchObject({ ok: true, database: { ok: true }, worker: { ok: true } });
    expect((await fetch(baseUrl() + "/livez")).status).toBe(200);
  });
});

describe("API reference page", () => {
  it("renders every operation of the OpenAPI document on the server, with its parameter and field tables, and no external assets", async () => {
    const doc = await api().get("/v1/openapi.json");
    expect(doc.status).toBe(200);
    const res = await fetch(`${baseUrl()}/docs/api`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const operations = Object.values(doc.json.paths as Record<string, Record<string, { summary: string }>>).flatMap((p) => Object.values(p));
    for (const op of operations) expect(html, op.summary).toContain(op.summary.replace(/&/g, "&amp;").replace(/'/g, "&#x27;"));
    // the list endpoint's query parameters, in the parameter table's columns
    expect(html).toMatch(/<th[^>]*>Name<\/th><th[^>]*>In<\/th><th[^>]*>Type<\/th><th[^>]*>Required<\/th><th[^>]*>Description<\/th>/);
    expect(html).toContain("startingAfter");
    // the create body's nested fields, in the field table's columns
    expect(html).toMatch(/<th[^>]*>Field<\/th><th[^>]*>Type<\/th><th[^>]*>Required<\/th><th[^>]*>Description<\/th>/);
    expect(html).toContain("amountUnits");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:\/\//);
  });
});

describe("keep-alive", () => {
  it("an idle keep-alive connection is still open after 6 s (Node's default closes it at 5 s, racing clients that reuse it)", async () => {
    const http = await import("node:http");
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = () => new Promise<number>((resolve, reject) => {
      const req = http.get(`${baseUrl()}/livez`, { agent }, (res) => { sockets.add(res.socket); res.resume(); res.on("end", () => resolve(res.statusCode ?? 0)); });
      req.on("error", reject);
    });
    try {
      expect(await get()).toBe(200);
      await new Promise((r) => setTimeout(r, 6_000));
      expect(await get()).toBe(200);
      expect(sockets.size).toBe(1); // the second request went over the first one's connection
    } finally {
      agent.destroy();
    }
  });
});
