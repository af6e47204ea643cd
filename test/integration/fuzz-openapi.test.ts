// A seeded fuzzer driven by GET /v1/openapi.json: every documented operation × malformed JSON,
// wrong types, extra fields, NUL bytes and lone surrogates, huge strings and numbers, bad
// addresses, bad query and path parameters. Whatever it sends: no 5xx, every 4xx in the error
// envelope, and a merchant whose requests all failed has no new rows anywhere. A new endpoint is
// fuzzed as soon as it is in the document. FUZZ_SEED=<n> replays a run.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { api, baseUrl, envelope, newMerchant, type TestMerchant } from "../helpers/api";

const SEED = Number(process.env.FUZZ_SEED ?? 20240614);
const MAX_REQUESTS = 3000;
const CONCURRENCY = 8;
const PAYEE = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
const USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";

/** mulberry32: small, seeded, good enough to pick mutations */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)], int: (n: number) => Math.floor(next() * n) };
}

type Schema = Record<string, any>;
type Operation = { method: string; path: string; op: Schema };

const HUGE = "x".repeat(200_000);
const WRONG_TYPES: unknown[] = [null, true, 0, -1, 1.5, "", "text", [], [1, "a"], {}, { nested: { deep: [null] } }];
const BAD_TEXT = ["\u0000", "a\u0000b", "\ud800", "x\udfff", "\ud83d", "%00", "'; drop table checkouts; --", "../../etc/passwd", "\u202e\u200b", "😀".repeat(500)];
const HUGE_NUMBERS = ["1e400", "-1e400", "123456789012345678901234567890", "1e308", "-0", "0.1e-400", "9007199254740993"];
const BAD_ADDRESSES = ["0x", "0x123", `0x${"z".repeat(40)}`, `0x${"0".repeat(40)}`, PAYEE.toLowerCase().replace("d8", "D8"), "T" + "1".repeat(33),
  "TXYZ", "11111111111111111111111111111111", "0OIl".repeat(11), "bc1qnotreally", HUGE.slice(0, 5000)];
const MALFORMED_JSON = ["{", "[", "{\"a\":}", "{\"a\" 1}", "nul", "{\"a\":1,}", "\"just a string\"", "123", "[1,2,3]", "{\"a\":\"\\u00\"}", "{\"a\":\"\\ud800\"}", "\u0000", "{}}", "{\"a\":1e999}"];

function deref(doc: Schema, s: Schema | undefined): Schema {
  let cur = s ?? {};
  for (let i = 0; cur.$ref && i < 10; i++) cur = cur.$ref.split("/").slice(1).reduce((o: any, k: string) => o?.[k], doc) ?? {};
  return cur;
}

/** A plausible value for a schema: the fuzzer mutates from here, so most fields are valid and one is not. */
function sample(doc: Schema, s0: Schema | undefined, name = "", depth = 0): unknown {
  const s = deref(doc, s0);
  if (depth > 5) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(doc, alt.find((x: Schema) => deref(doc, x).type !== "null") ?? alt[0], name, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  if (type === "object" || s.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) if ((s.required ?? []).includes(k)) out[k] = sample(doc, v, k, depth + 1);
    return out;
  }
  if (type === "array") return [sample(doc, s.items, name, depth + 1)];
  if (type === "integer" || type === "number") return s.minimum ?? 1;
  if (type === "boolean") return false;
  if (/address/i.test(name)) return PAYEE;
  if (/token/i.test(name)) return USDC;
  if (/amount|units/i.test(name)) return "1.5";
  if (s.format === "uri" || /url/i.test(name)) return "https://example.com/hook";
  if (s.format === "email") return "a@example.com";
  return "test";
}

/** [path of keys, schema] for every property reachable in the body (first levels only). */
function fieldsOf(doc: Schema, s0: Schema | undefined, prefix: string[] = [], depth = 0): [string[], Schema][] {
  const s = deref(doc, s0);
  const alt = s.anyOf ?? s.oneOf;
  const obj = alt ? deref(doc, alt.find((x: Schema) => deref(doc, x).properties) ?? {}) : s;
  if (!obj.properties || depth > 2) return [];
  return Object.entries<Schema>(obj.properties).flatMap(([k, v]) => [[[...prefix, k], v] as [string[], Schema], ...fieldsOf(doc, v, [...prefix, k], depth + 1)]);
}

function setAt(o: unknown, keys: string[], value: unknown): unknown {
  const root = structuredClone(o ?? {}) as Record<string, any>;
  let cur = root;
  keys.slice(0, -1).forEach((k) => { cur[k] = cur[k] && typeof cur[k] === "object" ? cur[k] : {}; cur = cur[k]; });
  cur[keys[keys.length - 1]] = value;
  return root;
}

/**
 * strict: a mutation that must be refused (malformed JSON, NUL/surrogates, unknown fields, bad
 * path parameters) — it runs as a merchant whose rows must not change. loose: may succeed.
 */
type Req = { op: Operation; params: Record<string, string>; query: string; body: string | undefined; auth: "key" | "none" | "clientSecret"; strict: boolean };

/** encodeURIComponent, with a lone surrogate sent as its (invalid) UTF-8 bytes instead of a throw */
function enc(v: string): string {
  try { return encodeURIComponent(v); } catch { return "%ED%A0%80"; }
}

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, p) => values[p] === "%ZZ" ? "%ZZ" : enc(values[p] ?? "00000000-0000-0000-0000-000000000000"));
}

/** Every mutation of one operation, in a seeded order. */
function requestsFor(doc: Schema, op: Operation, r: ReturnType<typeof prng>): Req[] {
  const out: Req[] = [];
  const bodySchema = op.op.requestBody?.content?.["application/json"]?.schema;
  const base = bodySchema ? sample(doc, bodySchema) : undefined;
  const params: Schema[] = (op.op.parameters ?? []).map((p: Schema) => deref(doc, p));
  const query = params.filter((p) => p.in === "query");
  const pathParams = params.filter((p) => p.in === "path");
  const auths: Req["auth"][] = ["key", "none", "clientSecret"];
  const nasty = (v: string) => v.includes("\u0000") || /[\ud800-\udfff]/.test(v.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""));
  const add = (strict: boolean, body: unknown, q = "", params: Record<string, string> = {}, raw = false) =>
    out.push({ op, params, query: q, body: body === undefined ? undefined : raw ? String(body) : JSON.stringify(body), auth: r.pick(auths), strict });

  if (bodySchema) {
    add(false, base);
    for (const m of MALFORMED_JSON) add(m !== "{}}" && m !== "[1,2,3]" && m !== "123" && m !== "\"just a string\"" ? true : false, m, "", {}, true);
    add(true, setAt(base, ["extraField"], "x"));
    add(false, setAt(base, ["__proto__"], { polluted: true }));
    add(true, setAt(base, ["constructor"], { prototype: { polluted: true } }));
    for (const [keys, s] of fieldsOf(doc, bodySchema)) {
      for (const v of WRONG_TYPES) if (r.next() < 0.5) add(false, setAt(base, keys, v));
      for (const v of BAD_TEXT) add(nasty(v), setAt(base, keys, v));
      add(false, setAt(base, keys, HUGE));
      for (const n of HUGE_NUMBERS) if (r.next() < 0.5) add(false, JSON.stringify(base).replace(/^\{/, `{"${keys[0]}":${n},`), "", {}, true);
      if (/address|receiver|mint|wallet|token|callback|url/i.test(keys.join("."))) for (const a of BAD_ADDRESSES) add(false, setAt(base, keys, a));
      add(true, setAt(base, [...keys.slice(0, -1), keys[keys.length - 1] + "\u0000"], sample(doc, s)));
    }
  }
  for (const q of [...query, { name: "unknownParam" }]) {
    for (const v of [...BAD_TEXT, ...HUGE_NUMBERS, "", "-1", "abc", HUGE.slice(0, 6000), "true", "[]", "{}"]) {
      // a lone surrogate cannot be percent-encoded: it goes as invalid UTF-8, which decodes to U+FFFD (legal);
      // unknown parameters are refused by operations that declare a query (the others ignore the query)
      const refused = v.includes("\u0000") || (q.name === "unknownParam" && query.length > 0);
      if (r.next() < 0.6) add(refused, base, `?${enc(q.name)}=${enc(v)}`);
    }
  }
  add(true, base, "?a=%00&a=%C0%80&%00=1&limit=%FF");
  for (const p of pathParams) {
    for (const v of [...BAD_TEXT, "-1", "0", "abc", HUGE.slice(0, 3000), "00000000-0000-0000-0000-000000000000", "..%2f..", "%ZZ"]) {
      add(nasty(v), base, "", { [p.name]: v });
    }
  }
  // a seeded shuffle, so a cut at MAX_REQUESTS spreads over every kind of mutation
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const TABLES = ["checkouts", "receivers", "events", "idempotency_keys", "webhook_endpoints", "webhook_deliveries", "payments",
  "deposit_addresses", "withdrawals", "outbound_txs", "settlement_addresses"];

async function rowCounts(merchantId: string): Promise<Record<string, number>> {
  const cols = TABLES.map((t) => `(select count(*)::int from ${t} where merchant_id = '${merchantId}') as ${t}`).join(", ");
  const { rows } = await db().execute<Record<string, number>>(sql.raw(`select ${cols}`));
  return rows[0];
}

type Lane = { m: TestMerchant; sessionId: string; clientSecret: string; ip: string };

async function lane(i: number): Promise<Lane> {
  const m = await newMerchant(`Fuzz ${i}`);
  const s = await api(m.key).post("/v1/sessions", { destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits: "5" } });
  expect(s.status, s.text).toBe(201);
  return { m, sessionId: s.json.session.sessionId, clientSecret: s.json.session.clientSecret, ip: `198.18.${SEED % 250}.${i + 1}` };
}

/** The error shape of the path (the native envelope, or a seed dialect's: lib/api/dialect.ts). */
function isEnvelope(json: any, path: string): boolean {
  try {
    envelope({ status: 400, json, text: "", headers: new Headers(), path });
    return true;
  } catch {
    return false;
  }
}

describe("fuzzing every operation of the OpenAPI document", () => {
  it("answers no 5xx, the envelope on every 4xx, and writes nothing for requests that must fail", { timeout: 120_000 }, async () => {
    const started = Date.now();
    const doc = (await api().get("/v1/openapi.json")).json as Schema;
    const ops: Operation[] = Object.entries<Schema>(doc.paths).flatMap(([path, item]) =>
      Object.entries<Schema>(item).filter(([m]) => ["get", "post", "put", "patch", "delete"].includes(m))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
    expect(ops.length).toBeGreaterThan(20);

    // several merchants (keys) per kind, so the per-key rate limit leaves room; strict lanes only
    // receive requests that must be refused, so their rows must not change
    const strictLanes = await Promise.all([0, 1, 2, 3].map(lane));
    const looseLanes = await Promise.all([4, 5, 6, 7].map(lane));
    const r = prng(SEED);
    const perOp = Math.floor(MAX_REQUESTS / ops.length);
    const all = ops.flatMap((op) => requestsFor(doc, op, r).slice(0, perOp));
    const before = await Promise.all(strictLanes.map((l) => rowCounts(l.m.merchantId)));

    const failures: string[] = [];
    let sent = 0;
    let limited = 0;
    const queue = [...all];
    const worker = async () => {
      for (let q = queue.shift(); q; q = queue.shift()) {
        const n = sent++;
        const ln = (q.strict ? strictLanes : looseLanes)[n % 4];
        // anonymous callers: an address of their own per request (the stack trusts loopback's X-Forwarded-For)
        const headers: Record<string, string> = { "Content-Type": "application/json", "X-Forwarded-For": `198.18.${n % 250}.${(n >> 8) % 250 + 1}` };
        if (q.auth === "key") headers.Authorization = `Bearer ${ln.m.key}`;
        let query = q.query;
        if (q.auth === "clientSecret") query += `${query ? "&" : "?"}clientSecret=${encodeURIComponent(ln.clientSecret)}`;
        const path = fill(q.op.path, { id: ln.sessionId, ...q.params });
        const res = await fetch(baseUrl() + path + query, { method: q.op.method, headers, body: q.body, redirect: "manual" });
        const text = await res.text();
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        const label = `${q.op.method} ${path.slice(0, 120)}${query.slice(0, 120)} [${q.auth}${q.strict ? ", strict" : ""}] body=${(q.body ?? "").slice(0, 160)}`;
        if (res.status === 429) limited++;
        if (res.status >= 500) failures.push(`${res.status} ${label}: ${text.slice(0, 200)}`);
        else if (res.status >= 400 && !isEnvelope(json, path.split("?")[0])) failures.push(`${res.status} without envelope ${label}: ${text.slice(0, 200)}`);
        else if (res.status < 400 && q.strict) failures.push(`${res.status} for a request that must fail: ${label}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures, failures.slice(0, 30).join("\n")).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
    expect(sent).toBeLessThanOrEqual(MAX_REQUESTS);
    expect(limited, "rate limits hid most of the run").toBeLessThan(sent / 4);
    // strict lanes' merchants: exactly the rows they started with
    expect(await Promise.all(strictLanes.map((l) => rowCounts(l.m.merchantId)))).toEqual(before);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
