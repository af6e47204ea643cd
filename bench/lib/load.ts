// One load run with autocannon: a warm-up whose numbers are discarded, then the measured run.
import { randomUUID } from "node:crypto";
import autocannon, { type Result } from "autocannon";

export type LoadTarget = {
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** send the stack's secret key as `Authorization: Bearer …` */
  auth?: boolean;
  body?: unknown;
  /** a fresh Idempotency-Key on every request (an idempotent write that always executes) */
  idempotencyKey?: "unique" | "fixed";
  headers?: Record<string, string>;
  /** send at this fraction of the first (floor) row's req/s instead of as fast as possible */
  pacedAt?: number;
};

export type LoadOptions = {
  connections?: number;
  durationSec?: number;
  warmupSec?: number;
  apiKey?: string;
  /** CPU seconds of the server side so far, database and the rest (descendantsCpuSplit): gives the CPU cost per request */
  cpuSeconds?: () => CpuSplit;
  /** ends the current run early (its partial numbers are returned) */
  signal?: AbortSignal;
};

export type LoadResult = {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** server-side CPU milliseconds per request in the measured run (web + database), when measured */
  cpuMsPerReq?: number;
  /** the database's part of cpuMsPerReq */
  dbCpuMsPerReq?: number;
};

function options(baseUrl: string, t: LoadTarget, o: LoadOptions, duration: number) {
  const headers: Record<string, string> = { ...t.headers };
  if (t.auth) {
    if (!o.apiKey) throw new Error(`${t.name}: auth requested but no apiKey given`);
    headers.authorization = `Bearer ${o.apiKey}`;
  }
  if (t.body !== undefined) headers["content-type"] = "application/json";
  if (t.idempotencyKey === "fixed") headers["idempotency-key"] = `bench-${randomUUID()}`;
  const opts: Parameters<typeof autocannon>[0] = {
    url: `${baseUrl}${t.path}`, connections: o.connections ?? 50, duration, timeout: 10, method: t.method, headers,
  };
  if (t.body !== undefined) opts.body = JSON.stringify(t.body);
  if (t.idempotencyKey === "unique") {
    opts.requests = [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, "idempotency-key": randomUUID() } }) }];
  }
  return opts;
}

function summarise(name: string, r: Result): LoadResult {
  return {
    name,
    reqPerSec: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([s, v]) => [s, Number(v.count)])),
  };
}

async function run(opts: Parameters<typeof autocannon>[0], signal?: AbortSignal): Promise<Result> {
  const instance = autocannon(opts);
  const abort = () => instance.stop();
  signal?.addEventListener("abort", abort, { once: true });
  try {
    return await instance;
  } finally {
    signal?.removeEventListener("abort", abort);
  }
}

export async function runLoad(baseUrl: string, target: LoadTarget, o: LoadOptions = {}): Promise<LoadResult> {
  const warmup = o.warmupSec ?? 2;
  if (warmup > 0) await run(options(baseUrl, target, o, warmup), o.signal);
  const cpuBefore = o.cpuSeconds?.() ?? null;
  const result = summarise(target.name, await run(options(baseUrl, target, o, o.durationSec ?? 10), o.signal));
  const cpuAfter = o.cpuSeconds?.() ?? null;
  return { ...result, ...cpuPerRequest(cpuBefore, cpuAfter, result.total) };
}

type CpuSplit = { database: number; other: number } | null;

/** Server CPU milliseconds per request between two readings, and the database's part of it. */
export function cpuPerRequest(before: CpuSplit, after: CpuSplit, requests: number): Pick<LoadResult, "cpuMsPerReq" | "dbCpuMsPerReq"> {
  if (!before || !after || requests === 0) return {};
  const db = after.database - before.database;
  return { cpuMsPerReq: ((db + after.other - before.other) * 1000) / requests, dbCpuMsPerReq: (db * 1000) / requests };
}

/** name | req/s | p50 | p99 | non-2xx | ratio to the first (floor) row | server CPU per request (and its ratio) */
export function formatTable(results: LoadResult[]): string {
  const floor = results[0]?.reqPerSec ?? 0;
  const floorCpu = results[0]?.cpuMsPerReq;
  const header = ["name", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "vs floor", "CPU ms/req", "of it db", "floor/CPU"];
  const rows = results.map((r) => [
    r.name,
    r.reqPerSec.toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    `${r.non2xx}/${r.total}`,
    String(r.errors + r.timeouts),
    floor > 0 ? `${(r.reqPerSec / floor).toFixed(2)}×` : "—",
    r.cpuMsPerReq !== undefined ? r.cpuMsPerReq.toFixed(3) : "—",
    r.dbCpuMsPerReq !== undefined ? r.dbCpuMsPerReq.toFixed(3) : "—",
    r.cpuMsPerReq !== undefined && floorCpu ? `${(floorCpu / r.cpuMsPerReq).toFixed(2)}×` : "—",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
