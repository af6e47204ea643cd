// One HTTP attempt: POST the body with its signed headers, no redirects followed, a hard timeout,
// and at most the first KB of the response kept. Unless private targets are allowed
// (target-policy.ts) the target's addresses are checked first and the socket connects to exactly
// those (see address-guard.ts): a DNS answer that changed since creation cannot rebind it.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { publicAddresses, systemResolver, UnsafeTargetError, type ResolvedAddress, type Resolver } from "./address-guard";
import { privateTargetsAllowed, type InstanceMode } from "./target-policy";

export type AttemptResult = {
  statusCode: number | null;
  latencyMs: number;
  /** first KB of the response body */
  responseBody: string | null;
  error: string | null;
  /** network error, timeout, 408, 429, 5xx */
  retryable: boolean;
  ok: boolean;
};

const BODY_LIMIT = 1024;
// Keep-alive: consecutive deliveries to one receiver reuse connections.
const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };

function pinnedLookup(addrs: ResolvedAddress[]): LookupFunction {
  return ((_host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) => {
    if (opts?.all) cb(null, addrs.map((a) => ({ address: a.address, family: a.family })));
    else cb(null, addrs[0].address, addrs[0].family);
  }) as unknown as LookupFunction;
}

export function classify(statusCode: number): { ok: boolean; retryable: boolean } {
  if (statusCode >= 200 && statusCode < 300) return { ok: true, retryable: false };
  // 3xx: we never follow redirects (Standard Webhooks); a moved endpoint is a configuration error
  // that retrying cannot fix, so it fails like other 4xx.
  return { ok: false, retryable: statusCode === 408 || statusCode === 429 || statusCode >= 500 };
}

/** `instanceMode`: this instance's TOLLGATE_MODE unless given (tests). */
export type SendOptions = { livemode: boolean; timeoutMs: number; resolver?: Resolver; instanceMode?: InstanceMode };

export async function sendAttempt(target: string, headers: Record<string, string>, body: string, opts: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (error: string, retryable: boolean): AttemptResult => ({ statusCode: null, latencyMs: elapsed(), responseBody: null, error, retryable, ok: false });
  let url: URL;
  try { url = new URL(target); } catch { return fail("invalid URL", false); }
  if (url.protocol !== "http:" && url.protocol !== "https:") return fail("only http(s) URLs are allowed", false);
  let lookup: LookupFunction | undefined;
  if (!privateTargetsAllowed(opts.livemode, opts.instanceMode)) {
    try {
      lookup = pinnedLookup(await publicAddresses(url, opts.resolver ?? systemResolver));
    } catch (e) {
      if (e instanceof UnsafeTargetError) return fail(`refused: ${e.message}`, false);
      return fail(`DNS: ${(e as Error).message}`, true);
    }
  }
  const mod = url.protocol === "https:" ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const done = (r: AttemptResult) => { if (!settled) { settled = true; clearTimeout(timer); resolve(r); } };
    const req = mod.request(url, {
      method: "POST",
      agent: lookup ? undefined : agents[url.protocol === "https:" ? "https" : "http"],
      lookup,
      headers: { ...headers, "content-type": "application/json", "user-agent": "Tollgate-Webhooks/1.0", "content-length": Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on("data", (c: Buffer) => {
        if (kept < BODY_LIMIT) { chunks.push(c); kept += c.length; }
      });
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        const { ok, retryable } = classify(status);
        const location = status >= 300 && status < 400 ? res.headers.location : undefined;
        done({
          statusCode: status, latencyMs: elapsed(), ok, retryable,
          responseBody: Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString("utf8"),
          error: ok ? null : location !== undefined ? `redirect to ${location} not followed` : null,
        });
      });
      res.on("error", (e) => done(fail(e.message, true)));
    });
    const timer = setTimeout(() => {
      done(fail(`timed out after ${opts.timeoutMs} ms`, true));
      req.destroy();
    }, opts.timeoutMs);
    req.on("error", (e) => done(fail((e as NodeJS.ErrnoException).code ?? e.message, true)));
    req.end(body);
  });
}
