// A fault-injecting JSON-RPC proxy: our own test component on 127.0.0.1 between a worker (or any
// client) and a devnet node (anvil, the Tron devnet's JSON-RPC). It forwards every request to
// the upstream node and, per request, may inject a fault chosen by the rules a test sets or by a
// seeded random schedule (issue 19's simulation replays a failing seed with the same schedule).
//
// Faults (FaultKind):
//   delay        answer after `ms` (default 200–2000 ms, seeded)
//   drop         never answer; the socket closes after `ms` (default 30 s): the client times out
//   reset        destroy the connection without an answer (ECONNRESET)
//   http429      429 Too Many Requests with Retry-After: `retryAfter` seconds (default 1)
//   http5xx      an HTTP `status` (default 503), no JSON-RPC body
//   staleHead    eth_blockNumber / eth_getBlockByNumber("latest") answer the block `blocks` (default 3) below the head
//   behind       a node `blocks` (default 3) late: stale head as above, blocks above its head are
//                null, eth_getLogs ranges are cut at its head, logs by block hash of newer blocks
//                and their receipts are unknown (an error / null), as a node behind a load balancer
//   emptyLogs    eth_getLogs answers [] when the query touches the newest `blocks` (default 3) blocks
//   truncateLogs eth_getLogs drops the logs of the newest `blocks` blocks (older logs are kept)
//   duplicate    a batch answer lists every response twice
//   shuffle      a batch answer comes in another order (JSON-RPC allows it; clients match ids)
//
// Usage:
//   const proxy = await startFaultProxy({ upstream: anvilUrl, seed: 7, rates: { delay: 0.1, reset: 0.02 } });
//   worker env: ETHEREUM_TEST_RPC_URL = proxy.url
//   proxy.rule({ kind: "emptyLogs", blocks: 2 });                      // every eth_getLogs, until removed
//   const r = proxy.rule({ kind: "http429", methods: ["eth_getLogs"], times: 3 });  r.remove();
//   proxy.stats  →  { requests, calls, faults: { emptyLogs: 4, … }, byMethod: { eth_getLogs: 9, … } }
//   await proxy.stop();
// Rules are tried in the order added; the first that matches a request applies (a rule with
// `times` expires after that many uses). Without a matching rule, the seeded schedule draws at
// most one fault per HTTP request from `rates` (probability per kind). Content faults (staleHead,
// behind, emptyLogs, truncateLogs) change only the answers to the methods they concern; the
// others apply to the whole HTTP request (a batch is one request).
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FaultKind =
  | "delay" | "drop" | "reset" | "http429" | "http5xx" | "staleHead" | "behind" | "emptyLogs" | "truncateLogs" | "duplicate" | "shuffle";

export const FAULT_KINDS: readonly FaultKind[] = [
  "delay", "drop", "reset", "http429", "http5xx", "staleHead", "behind", "emptyLogs", "truncateLogs", "duplicate", "shuffle",
];

export type Fault = {
  kind: FaultKind;
  /** delay/drop: milliseconds */
  ms?: number;
  /** staleHead/behind/emptyLogs/truncateLogs: how many blocks */
  blocks?: number;
  /** http429: the Retry-After header, in seconds */
  retryAfter?: number;
  /** http5xx: the status (default 503) */
  status?: number;
};

export type FaultRule = Fault & {
  /** only requests carrying one of these methods (any element of a batch); default: every request */
  methods?: readonly string[];
  /** a predicate over the request's calls, for anything else */
  when?: (calls: readonly JsonRpcCall[]) => boolean;
  /** expires after this many uses */
  times?: number;
};

export type JsonRpcCall = { jsonrpc?: string; id?: unknown; method: string; params?: unknown[] };

export type FaultProxyOptions = {
  upstream: string;
  /** seeds the random schedule (mulberry32); the same seed and request sequence inject the same faults */
  seed?: number;
  /** probability per HTTP request of each fault kind, for the random schedule (default: none) */
  rates?: Partial<Record<FaultKind, number>>;
  /** parameters for faults drawn by the schedule */
  defaults?: Omit<Fault, "kind">;
  /** parameters for one kind drawn by the schedule, over `defaults` (e.g. `{ drop: { ms: 3000 } }`) */
  kindDefaults?: Partial<Record<FaultKind, Omit<Fault, "kind">>>;
  port?: number;
};

export type FaultProxyStats = { requests: number; calls: number; faults: Partial<Record<FaultKind, number>>; byMethod: Record<string, number> };

export type FaultProxy = {
  url: string;
  stats: FaultProxyStats;
  /** adds a rule (see the header); returns a handle to remove it */
  rule(rule: FaultRule): { remove(): void };
  /** removes every rule (the seeded schedule stays) */
  clear(): void;
  /** changes the schedule's rates (e.g. {} to stop random faults) */
  setRates(rates: Partial<Record<FaultKind, number>>): void;
  stop(): Promise<void>;
};

/** mulberry32: small, seedable, good enough to schedule faults */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOG_METHODS = new Set(["eth_getLogs"]);
const HEAD_METHODS = new Set(["eth_blockNumber", "eth_getBlockByNumber"]);
const hex = (n: number) => `0x${n.toString(16)}`;
const num = (v: unknown): number | null => (typeof v === "string" && v.startsWith("0x") ? Number.parseInt(v, 16) : typeof v === "number" ? v : null);

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const rand = seededRandom(opts.seed ?? 1);
  let rates = { ...(opts.rates ?? {}) };
  const rules: (FaultRule & { uses: number })[] = [];
  const stats: FaultProxyStats = { requests: 0, calls: 0, faults: {}, byMethod: {} };
  const sockets = new Set<import("node:net").Socket>();

  // a node whose URL carries credentials (bitcoind-style JSON-RPC): fetch refuses such URLs, so they go as a Basic header
  const target = new URL(opts.upstream);
  const auth: Record<string, string> = target.username || target.password
    ? { authorization: `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString("base64")}` }
    : {};
  target.username = "";
  target.password = "";
  async function upstream(body: unknown): Promise<unknown> {
    const res = await fetch(target, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify(body) });
    return res.json();
  }
  async function upstreamCall<T>(method: string, params: unknown[]): Promise<T> {
    const r = (await upstream({ jsonrpc: "2.0", id: 1, method, params })) as { result?: T; error?: { message: string } };
    if (r.error) throw new Error(`${method}: ${r.error.message}`);
    return r.result as T;
  }
  const headNumber = async () => num(await upstreamCall<string>("eth_blockNumber", []))!;
  const blockNumberOf = async (hash: string) => num((await upstreamCall<{ number: string } | null>("eth_getBlockByHash", [hash, false]))?.number) ?? null;

  function pick(calls: readonly JsonRpcCall[]): Fault | null {
    for (const r of rules) {
      if (r.methods && !calls.some((c) => r.methods!.includes(c.method))) continue;
      if (r.when && !r.when(calls)) continue;
      r.uses++;
      if (r.times !== undefined && r.uses >= r.times) rules.splice(rules.indexOf(r), 1);
      return r;
    }
    // the schedule: one draw per request, whatever the rates, so a seed replays the same way
    const x = rand();
    let acc = 0;
    for (const kind of FAULT_KINDS) {
      acc += rates[kind] ?? 0;
      if (x < acc) {
        const d = { ...opts.defaults, ...opts.kindDefaults?.[kind] };
        return { kind, ...d, ms: d.ms ?? (kind === "delay" ? 200 + Math.floor(rand() * 1800) : undefined) };
      }
    }
    return null;
  }

  /** One call's answer under a content fault (null: forward it unchanged). */
  async function rewrite(call: JsonRpcCall, f: Fault): Promise<unknown | null> {
    const lag = f.blocks ?? 3;
    const p = call.params ?? [];
    const answer = (result: unknown) => ({ jsonrpc: "2.0", id: call.id, result });
    const unknownBlock = () => ({ jsonrpc: "2.0", id: call.id, error: { code: -32000, message: "unknown block" } });
    if ((f.kind === "staleHead" || f.kind === "behind") && HEAD_METHODS.has(call.method)) {
      const stale = Math.max(0, (await headNumber()) - lag);
      if (call.method === "eth_blockNumber") return answer(hex(stale));
      if (p[0] === "latest") return answer(await upstreamCall("eth_getBlockByNumber", [hex(stale), p[1] ?? false]));
      if (f.kind === "behind" && (num(p[0]) ?? 0) > stale) return answer(null);
      return null;
    }
    if (f.kind === "behind") {
      const seen = Math.max(0, (await headNumber()) - lag);
      if (call.method === "eth_getLogs") {
        const q = (p[0] ?? {}) as Record<string, unknown>;
        if (typeof q.blockHash === "string") {
          const n = await blockNumberOf(q.blockHash);
          return n === null || n > seen ? unknownBlock() : null;
        }
        const to = num(q.toBlock) ?? seen;
        if (to <= seen) return null;
        return { ...(await upstream({ ...call, params: [{ ...q, toBlock: hex(seen) }] }) as object), id: call.id };
      }
      if (call.method === "eth_getBlockReceipts" || call.method === "eth_getBlockByHash" || call.method === "eth_getTransactionReceipt") {
        const r = (await upstream(call)) as { result?: { blockNumber?: string; number?: string }[] | { blockNumber?: string; number?: string } | null };
        const first = Array.isArray(r.result) ? r.result[0] : r.result;
        const n = num(first?.blockNumber ?? first?.number);
        return n !== null && n > seen ? answer(null) : r;
      }
      return null;
    }
    if ((f.kind === "emptyLogs" || f.kind === "truncateLogs") && LOG_METHODS.has(call.method)) {
      const newest = (await headNumber()) - lag + 1;
      const q = (p[0] ?? {}) as Record<string, unknown>;
      const r = (await upstream(call)) as { result?: { blockNumber: string }[] };
      if (!Array.isArray(r.result)) return r;
      let touches: boolean;
      if (typeof q.blockHash === "string") touches = ((await blockNumberOf(q.blockHash)) ?? -1) >= newest;
      else touches = (num(q.toBlock) ?? Number.MAX_SAFE_INTEGER) >= newest || q.toBlock === "latest";
      if (!touches) return r;
      return answer(f.kind === "emptyLogs" ? [] : r.result.filter((l) => num(l.blockNumber)! < newest));
    }
    return null;
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: JsonRpcCall | JsonRpcCall[];
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const calls = Array.isArray(body) ? body : [body];
    stats.requests++;
    stats.calls += calls.length;
    for (const c of calls) stats.byMethod[c.method] = (stats.byMethod[c.method] ?? 0) + 1;
    const f = pick(calls);
    const count = () => { if (f) stats.faults[f.kind] = (stats.faults[f.kind] ?? 0) + 1; };
    try {
      if (f?.kind === "reset") {
        count();
        req.socket.destroy();
        return;
      }
      if (f?.kind === "drop") {
        count();
        setTimeout(() => req.socket.destroy(), f.ms ?? 30_000).unref();
        return;
      }
      if (f?.kind === "http429") {
        count();
        res.writeHead(429, { "retry-after": String(f.retryAfter ?? 1), "content-type": "application/json" }).end(JSON.stringify({ error: "rate limited" }));
        return;
      }
      if (f?.kind === "http5xx") {
        count();
        res.writeHead(f.status ?? 503).end("upstream unavailable");
        return;
      }
      if (f?.kind === "delay") {
        count();
        await new Promise((r) => setTimeout(r, f.ms ?? 500));
      }
      let answers: unknown[];
      const content = f && ["staleHead", "behind", "emptyLogs", "truncateLogs"].includes(f.kind) ? f : null;
      if (content) {
        const rewritten = await Promise.all(calls.map((c) => rewrite(c, content)));
        if (rewritten.some((r) => r !== null)) count();
        const rest = calls.filter((_, i) => rewritten[i] === null);
        const fwd = rest.length ? ((await upstream(rest)) as unknown[]) : [];
        const byId = new Map(fwd.map((a) => [(a as { id: unknown }).id, a]));
        answers = calls.map((c, i) => rewritten[i] ?? byId.get(c.id));
      } else {
        const a = await upstream(body);
        answers = Array.isArray(a) ? a : [a];
      }
      if (Array.isArray(body) && f?.kind === "duplicate") {
        count();
        answers = [...answers, ...answers];
      }
      if (Array.isArray(body) && f?.kind === "shuffle") {
        count();
        answers = [...answers].reverse();
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
    } catch (e) {
      res.writeHead(502).end(e instanceof Error ? e.message : String(e));
    }
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    rule(rule) {
      const r = { ...rule, uses: 0 };
      rules.push(r);
      return { remove: () => { const i = rules.indexOf(r); if (i >= 0) rules.splice(i, 1); } };
    },
    clear: () => { rules.length = 0; },
    setRates: (r) => { rates = { ...r }; },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
