// A small JSON-RPC client for the chain watcher: fallback across the configured URLs, timeouts,
// retries with backoff on transport failures, JSON-RPC batches, and a request counter (the
// benchmark's "RPC calls per block"). The watcher reads raw hex fields it needs itself instead of
// going through viem's formatters, which convert every field of every transaction.
import type { ChainConfig } from "@/lib/config";

export type RpcCall = { method: string; params: unknown[] };

export type RpcStats = {
  /** JSON-RPC calls, each element of a batch counted */
  calls: number;
  /** HTTP requests (a batch is one) */
  http: number;
  byMethod: Record<string, number>;
};

export type RpcOptions = {
  timeoutMs?: number;
  /** attempts per request across the URLs (transport failures only; JSON-RPC errors are answers) */
  attempts?: number;
  /** first retry delay; doubles per attempt */
  backoffMs?: number;
  /** largest batch sent in one HTTP request */
  maxBatch?: number;
  /** batches of one batch() call in flight at once */
  concurrency?: number;
  fetchFn?: typeof fetch;
  stats?: RpcStats;
};

/** The node answered with a JSON-RPC error object. */
export class RpcResponseError extends Error {
  constructor(readonly method: string, readonly code: number | undefined, message: string, readonly data?: unknown) {
    super(`${method}: ${message}${code !== undefined ? ` (${code})` : ""}`);
    this.name = "RpcResponseError";
  }
}

/** No URL answered (network error, timeout, HTTP error status, unparsable body). */
export class RpcTransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RpcTransportError";
  }
}

type JsonRpcResponse = { id?: number; result?: unknown; error?: { code?: number; message?: string; data?: unknown } };

export function newRpcStats(): RpcStats {
  return { calls: 0, http: 0, byMethod: {} };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class EvmRpc {
  private nextId = 1;
  private preferred = 0;
  readonly stats: RpcStats;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly fetchFn: typeof fetch;

  constructor(readonly urls: readonly string[], opts: RpcOptions = {}) {
    if (urls.length === 0) throw new Error("EvmRpc needs at least one URL");
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.attempts = opts.attempts ?? 4;
    this.backoffMs = opts.backoffMs ?? 100;
    this.maxBatch = opts.maxBatch ?? 100;
    this.concurrency = opts.concurrency ?? 4;
    this.fetchFn = opts.fetchFn ?? fetch;
    this.stats = opts.stats ?? newRpcStats();
  }

  async request<T>(method: string, params: unknown[] = []): Promise<T> {
    const [out] = await this.send([{ method, params }]);
    return out as T;
  }

  /** Results in call order; throws the first JSON-RPC error. Large lists go out as several batches, a few at a time. */
  async batch<T>(calls: readonly RpcCall[]): Promise<T[]> {
    const chunks: RpcCall[][] = [];
    for (let i = 0; i < calls.length; i += this.maxBatch) chunks.push(calls.slice(i, i + this.maxBatch));
    const results: unknown[][] = new Array(chunks.length);
    let next = 0;
    const lane = async () => {
      while (next < chunks.length) {
        const i = next++;
        results[i] = await this.send(chunks[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, chunks.length) }, lane));
    return results.flat() as T[];
  }

  private async send(calls: readonly RpcCall[]): Promise<unknown[]> {
    const ids = calls.map(() => this.nextId++);
    const payload = calls.map((c, i) => ({ jsonrpc: "2.0", id: ids[i], method: c.method, params: c.params }));
    const body = JSON.stringify(calls.length === 1 ? payload[0] : payload);
    const answers = await this.post(body, calls[0].method);
    this.stats.http++;
    this.stats.calls += calls.length;
    for (const c of calls) this.stats.byMethod[c.method] = (this.stats.byMethod[c.method] ?? 0) + 1;
    const byId = new Map<number, JsonRpcResponse>();
    for (const a of Array.isArray(answers) ? answers : [answers]) {
      if (a && typeof a === "object" && typeof (a as JsonRpcResponse).id === "number") byId.set((a as JsonRpcResponse).id!, a as JsonRpcResponse);
    }
    return calls.map((c, i) => {
      const a = byId.get(ids[i]);
      if (!a) throw new RpcTransportError(`${c.method}: no answer for request ${ids[i]} in the response`);
      if (a.error) throw new RpcResponseError(c.method, a.error.code, a.error.message ?? "error", a.error.data);
      return a.result ?? null;
    });
  }

  /** POSTs to the preferred URL; on transport failure backs off and moves to the next URL. */
  private async post(body: string, what: string): Promise<unknown> {
    let last: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (attempt > 0) await sleep(this.backoffMs * 2 ** (attempt - 1));
      const url = this.urls[this.preferred % this.urls.length];
      try {
        const res = await this.fetchFn(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (!res.ok) throw new RpcTransportError(`HTTP ${res.status} from ${redact(url)}`);
        return await res.json();
      } catch (e) {
        last = e;
        this.preferred++; // the next attempt goes to the next URL (if any)
      }
    }
    const msg = last instanceof Error ? last.message : String(last);
    throw new RpcTransportError(`${what}: no RPC endpoint answered after ${this.attempts} attempts: ${msg}`, { cause: last });
  }
}

/** RPC URLs may carry an API key in the path or query: never log more than the origin. */
export function redact(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "<rpc url>";
  }
}

const shared = new Map<string, EvmRpc>();
/**
 * One client per chain (and URL list) for short reads outside the watcher: a transaction's credits
 * (PUT …/check), the solvency check's balances. Fails fast: the caller's next pass tries again.
 */
export function chainRpc(chain: Pick<ChainConfig, "key" | "rpcUrls">): EvmRpc {
  const key = `${chain.key} ${chain.rpcUrls.join(" ")}`;
  let r = shared.get(key);
  if (!r) shared.set(key, (r = new EvmRpc(chain.rpcUrls, { timeoutMs: 5000, attempts: 2 })));
  return r;
}
