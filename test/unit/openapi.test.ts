import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it, expect } from "vitest";
import { z } from "zod";
import { defineEndpoint, type Endpoint } from "@/lib/api/endpoint";
import { dialectOf } from "@/lib/api/dialect";
import { errors } from "@/lib/api/errors";
import { endpoints, endpointsById, TAG_DESCRIPTIONS } from "@/lib/openapi/endpoints";
import { generateOpenApi } from "@/lib/openapi/generate";
import { ERROR_RESPONSES, ERROR_TYPES, errorEnvelope, seed001ErrorEnvelope, seed002ErrorEnvelope } from "@/lib/openapi/shared";
import type { OpenApiDocument, Operation, Parameter, Response } from "@/lib/openapi/types";

const ROOT = path.resolve(import.meta.dirname, "../..");
const doc = generateOpenApi(endpoints, { serverUrl: "https://pay.example.com/", tagDescriptions: TAG_DESCRIPTIONS });

function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!node || typeof node !== "object" || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function allRefs(node: unknown, at = "#", out: Array<{ ref: string; at: string }> = []) {
  if (Array.isArray(node)) node.forEach((v, i) => allRefs(v, `${at}/${i}`, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push({ ref: v, at });
      else allRefs(v, `${at}/${k}`, out);
    }
  }
  return out;
}

function deref<T>(d: OpenApiDocument, x: T | { $ref: string }): T {
  return "$ref" in (x as object) ? (resolvePointer(d, (x as { $ref: string }).$ref) as T) : (x as T);
}

function operations(d: OpenApiDocument): Array<{ path: string; method: string; op: Operation }> {
  return Object.entries(d.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ path: p, method, op })));
}

function isEndpoint(v: unknown): v is Endpoint {
  if (!v || typeof v !== "object") return false;
  const e = v as Record<string, unknown>;
  return typeof e.method === "string" && typeof e.path === "string" && typeof e.auth === "string" && e.response instanceof z.ZodType;
}

function typesFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".types.ts"))
    .map((f) => path.join(dir, f));
}

describe("OpenAPI document", () => {
  it("is an OpenAPI 3.1 document", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.servers).toEqual([{ url: "https://pay.example.com" }]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("resolves every $ref", () => {
    const refs = allRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    const broken = refs.filter(({ ref }) => resolvePointer(doc, ref) === undefined);
    expect(broken).toEqual([]);
  });

  it("declares every path parameter, and only those", () => {
    for (const { path: p, method, op } of operations(doc)) {
      const inPath = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).map((x) => deref<Parameter>(doc, x)).filter((x) => x.in === "path");
      expect(declared.map((x) => x.name).sort(), `${method} ${p}`).toEqual(inPath);
      for (const x of declared) expect(x.required, `${method} ${p} {${x.name}}`).toBe(true);
    }
  });

  it("has unique operationIds and tags every operation with a declared tag", () => {
    const ids = operations(doc).map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(doc.tags.map((t) => t.name));
    for (const { op } of operations(doc)) for (const t of op.tags) expect(tags.has(t)).toBe(true);
  });

  it("documents GET /v1/currencies with its response schema", () => {
    const op = doc.paths["/v1/currencies"]?.get;
    expect(op?.operationId).toBe("listCurrencies");
    const ok = deref<Response>(doc, op!.responses["200"]);
    const schema = ok.content!["application/json"].schema;
    expect(schema.required).toContain("data");
    expect(schema.properties?.data.items).toEqual({ $ref: "#/components/schemas/Currency" });
    const currency = doc.components.schemas.Currency;
    expect(Object.keys(currency.properties ?? {})).toEqual(
      ["code", "asset", "network", "chainId", "standard", "contract", "mint", "decimals", "minAmount", "enabled"]);
    // optional-key: a key is accepted, and so is no key at all
    expect(op!.security).toContainEqual({ bearerAuth: [] });
    expect(op!.security).toContainEqual({});
    expect(ok.headers?.["Request-Id"]).toEqual({ $ref: "#/components/headers/RequestId" });
  });

  it("maps query schemas to query parameters and auth none to security: []", () => {
    const op = doc.paths["/v1/system/sync"]!.get;
    expect(op.security).toEqual([]);
    const livemode = (op.parameters ?? []).map((x) => deref<Parameter>(doc, x)).find((x) => x.name === "livemode");
    expect(livemode).toMatchObject({ in: "query", required: false, schema: { type: "string", enum: ["true", "false"] } });
    expect(livemode?.description).toMatch(/networks/);
    expect(op.responses["401"]).toBeUndefined();
  });

  it("offers the bearer key and the three alias headers as security schemes", () => {
    const s = doc.components.securitySchemes;
    expect(s.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const headerNames = Object.values(s).flatMap((x) => (x.type === "apiKey" ? [x.name] : []));
    expect(headerNames.sort()).toEqual(["Api-key", "FRX-API", "x-api-key"].sort());
  });
});

describe("error envelope", () => {
  it("the Error component has the envelope's shape", () => {
    const e = doc.components.schemas.Error;
    expect(e.required).toEqual(["error"]);
    const inner = e.properties!.error;
    expect(inner.required).toEqual(["type", "code", "message", "param"]);
    expect(inner.properties!.type.enum).toEqual([...ERROR_TYPES]);
    expect(inner.properties!.param.type).toEqual(["string", "null"]);
  });

  it("matches what the API actually sends", () => {
    const samples = [
      errors.validation("x", "limit"), errors.authentication(), errors.notFound("session", "id"),
      errors.conflict("x"), errors.unprocessable("x"), errors.rateLimited(2), errors.internal(),
    ];
    for (const err of samples) {
      expect(errorEnvelope.safeParse(err.body()).success, err.code).toBe(true);
      expect(Object.keys(err.body().error as object)).toEqual(["type", "code", "message", "param"]);
    }
  });

  it("each error response uses the component, with an example of the right type for its status", () => {
    const typeFor: Record<string, string> = {
      "400": "validation_error", "401": "authentication_error", "403": "permission_error", "404": "invalid_request_error",
      "409": "invalid_request_error", "429": "rate_limit_error", "500": "api_error", "503": "api_error",
    };
    for (const [name, [status]] of Object.entries(ERROR_RESPONSES)) {
      const r = doc.components.responses[name];
      const media = r.content!["application/json"];
      expect(media.schema).toEqual({ $ref: "#/components/schemas/Error" });
      expect(errorEnvelope.parse(media.example).error.type).toBe(typeFor[status]);
      expect(r.headers?.["Request-Id"]).toBeDefined();
    }
  });
});

describe("seed dialects' error shapes", () => {
  it("dialectOf tells seed-001 and seed-002 paths by whole segments", () => {
    for (const p of ["/v1/address/new", "/v1/income", "/v1/deposit/income", "/v1/withdrawal/service/ton", "/v1/balance", "/v1/system/sync", "/v1/resolve"]) {
      expect(dialectOf(p), p).toBe("seed001");
    }
    expect(dialectOf("/v2/deposit_address/create")).toBe("seed002");
    expect(dialectOf("/v2")).toBe("seed002");
    for (const p of ["/v1/balances", "/v1/sessions", "/v1/payments/x", "/api/v1/payments/x", "/v1/incomes", "/wallet/address"]) {
      expect(dialectOf(p), p).toBe("native");
    }
  });

  it("renders the same error in each dialect's shape, and the document says so per path", () => {
    const e = errors.validation("user_id must not be empty", "user_id");
    expect(e.body("seed001")).toEqual({ error: "user_id must not be empty", code: "parameter_invalid", param: "user_id" });
    expect(e.body("seed002")).toEqual({ status: "error", message: "user_id must not be empty", code: "parameter_invalid" });
    expect(seed001ErrorEnvelope.safeParse(e.body("seed001")).success).toBe(true);
    expect(seed002ErrorEnvelope.safeParse(e.body("seed002")).success).toBe(true);
    const ref = (path: string, method: string, status: string) => (doc.paths[path] as Record<string, Operation>)[method].responses[status];
    expect(ref("/v1/address/new", "post", "400")).toEqual({ $ref: "#/components/responses/Seed001BadRequest" });
    expect(ref("/v2/deposit_address/create", "post", "401")).toEqual({ $ref: "#/components/responses/Seed002Unauthorized" });
    expect(ref("/v1/sessions", "post", "400")).toEqual({ $ref: "#/components/responses/BadRequest" });
    // a rate provider that is down: 503 with Retry-After, documented where a price is asked
    expect(ref("/v1/payments/{paymentId}", "patch", "503")).toEqual({ $ref: "#/components/responses/ServiceUnavailable" });
    expect(ref("/api/v1/payments/{paymentId}", "patch", "503")).toBeDefined();
    expect(ref("/v1/sessions", "post", "503")).toBeUndefined();
    const media = doc.components.responses.Seed001NotFound.content!["application/json"];
    expect(media.schema).toEqual({ $ref: "#/components/schemas/Seed001Error" });
    expect(typeof (media.example as { error: unknown }).error).toBe("string");
  });
});

describe("writes, named schemas and auth modes", () => {
  const item = z.object({ sku: z.string(), qty: z.number().int().default(1) }).meta({ id: "TestLineItem" });
  const createThing = defineEndpoint({
    method: "POST", path: "/v1/things/{id}/items", tag: "Things", summary: "Add items", auth: "key",
    body: z.strictObject({ items: z.array(item), note: z.string().optional() }),
    response: z.object({ items: z.array(item) }), status: 201,
  });
  const readThing = defineEndpoint({
    method: "GET", path: "/v1/things/{id}", tag: "Things", summary: "Read", auth: "key-or-client-secret",
    query: z.strictObject({ clientSecret: z.string().optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
    response: z.object({ id: z.string() }),
  });
  const d = generateOpenApi([createThing, readThing], { serverUrl: "" });

  it("documents a POST with body, Idempotency-Key, 201, 401 and 409", () => {
    const op = d.paths["/v1/things/{id}/items"].post;
    expect(op.operationId).toBe("postV1ThingsIdItems");
    expect(op.security).not.toContainEqual({});
    expect(op.parameters).toContainEqual({ $ref: "#/components/parameters/IdempotencyKey" });
    expect(d.components.parameters.IdempotencyKey).toMatchObject({ name: "Idempotency-Key", in: "header", schema: { maxLength: 255 } });
    expect(Object.keys(op.responses).sort()).toEqual(["201", "400", "401", "404", "409", "429", "500"]);
    expect(op.requestBody?.required).toBe(true);
    expect(allRefs(d).filter(({ ref }) => resolvePointer(d, ref) === undefined)).toEqual([]);
    expect(d.servers).toEqual([{ url: "/" }]);
  });

  it("names the request-side variant of a schema whose input and output differ", () => {
    // qty has a default: optional in requests, always present in responses
    expect(d.components.schemas.TestLineItem.required).toEqual(["sku", "qty"]);
    expect(d.components.schemas.TestLineItemInput.required).toEqual(["sku"]);
    const body = d.paths["/v1/things/{id}/items"].post.requestBody!.content["application/json"].schema;
    expect(body.properties?.items.items).toEqual({ $ref: "#/components/schemas/TestLineItemInput" });
  });

  it("key-or-client-secret accepts no key; query defaults make parameters optional", () => {
    const op = d.paths["/v1/things/{id}"].get;
    expect(op.security).toContainEqual({});
    const limit = (op.parameters ?? []).map((x) => deref<Parameter>(d, x)).find((x) => x.name === "limit");
    expect(limit).toMatchObject({ required: false, schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } });
    expect(op.parameters).not.toContainEqual({ $ref: "#/components/parameters/IdempotencyKey" });
  });
});

describe("endpoint list completeness", () => {
  it("lists every endpoint exported from app/v1/**/*.types.ts", async () => {
    const listed = new Set<unknown>(Object.values(endpointsById));
    const missing: string[] = [];
    const files = typesFiles(path.join(ROOT, "app/v1"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (isEndpoint(value) && !listed.has(value)) missing.push(`${name} (${path.relative(ROOT, file)})`);
      }
    }
    expect(missing, "add these to lib/openapi/endpoints.ts").toEqual([]);
  });
});

describe("GET /v1/openapi.json", () => {
  it("serves the document with the request's origin as server URL", async () => {
    const { GET } = await import("@/app/v1/openapi.json/route");
    const res = await GET(new Request("http://tollgate.test:8080/v1/openapi.json"), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.headers.get("request-id")).toMatch(/^req_/);
    const body = (await res.json()) as OpenApiDocument;
    expect(body.servers).toEqual([{ url: "http://tollgate.test:8080" }]);
    expect(body.paths["/v1/openapi.json"]?.get.security).toEqual([]);
  });

  it("uses the Host (or proxy) the client saw, not the address the server is bound to", async () => {
    const { GET } = await import("@/app/v1/openapi.json/route");
    const get = async (headers: Record<string, string>) => {
      const res = await GET(new Request("http://localhost:3000/v1/openapi.json", { headers }), { params: Promise.resolve({}) });
      return ((await res.json()) as OpenApiDocument).servers[0].url;
    };
    expect(await get({ host: "pay.example.com" })).toBe("http://pay.example.com");
    expect(await get({ host: "10.0.0.5:3000", "x-forwarded-host": "pay.example.com", "x-forwarded-proto": "https" })).toBe("https://pay.example.com");
    expect(await get({ host: "evil/../x" })).toBe("http://localhost:3000");
  });
});
