// Test helpers: a fresh merchant with real keys per test, and a tiny HTTP client for the stack.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { dialectOf } from "@/lib/api/dialect";
import { createApiKey } from "@/lib/api-keys/keys";
import { createMerchant } from "@/lib/merchants/create-merchant";

export const baseUrl = () => inject("testEnv").baseUrl;

export type TestMerchant = { merchantId: string; key: string; liveKey: string; email: string; password: string };

export async function newMerchant(name = "Test merchant"): Promise<TestMerchant> {
  const email = `m-${randomBytes(6).toString("hex")}@test.local`;
  const password = randomBytes(12).toString("base64url");
  const { merchantId } = await createMerchant({ name, email, password });
  const { key } = await createApiKey(merchantId, false, "test");
  const { key: liveKey } = await createApiKey(merchantId, true, "live");
  return { merchantId, key, liveKey, email, password };
}

export type ApiResponse = { status: number; json: any; text: string; headers: Headers; path: string };

async function call(method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const h: Record<string, string> = { ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === "string" ? body : JSON.stringify(body);
    h["Content-Type"] ??= "application/json";
  }
  const res = await fetch(baseUrl() + path, { method, headers: h, body: payload, redirect: "manual" });
  const text = await res.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text, headers: res.headers, path: new URL(baseUrl() + path).pathname };
}

export function api(key?: string) {
  return {
    get: (path: string, headers?: Record<string, string>) => call("GET", path, key, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call("POST", path, key, body, headers),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => call("PUT", path, key, body, headers),
    patch: (path: string, body?: unknown, headers?: Record<string, string>) => call("PATCH", path, key, body, headers),
    delete: (path: string, headers?: Record<string, string>) => call("DELETE", path, key, undefined, headers),
    raw: call,
  };
}

/**
 * Asserts the API.md error shape of the response's path — the native envelope, or the seed-001
 * `{error: "<message>", code, param}` / seed-002 `{status: "error", message, code}` dialects
 * (lib/api/dialect.ts) — and returns its fields (`type` only in the native envelope).
 */
export function envelope(r: ApiResponse): { type?: string; code: string; message: string; param?: string | null } {
  const dialect = dialectOf(r.path);
  if (dialect === "seed001") {
    const j = r.json;
    if (!j || typeof j.error !== "string" || typeof j.code !== "string" || !("param" in j) || Object.keys(j).length !== 3) {
      throw new Error(`not a seed-001 error (${r.status}): ${r.text.slice(0, 300)}`);
    }
    return { code: j.code, message: j.error, param: j.param };
  }
  if (dialect === "seed002") {
    const j = r.json;
    if (!j || j.status !== "error" || typeof j.message !== "string" || typeof j.code !== "string" || Object.keys(j).length !== 3) {
      throw new Error(`not a seed-002 error (${r.status}): ${r.text.slice(0, 300)}`);
    }
    return { code: j.code, message: j.message };
  }
  const e = r.json?.error;
  if (!e || typeof e.type !== "string" || typeof e.code !== "string" || typeof e.message !== "string" || !("param" in e)) {
    throw new Error(`not an error envelope (${r.status}): ${r.text.slice(0, 300)}`);
  }
  return e;
}
