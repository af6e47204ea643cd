// An open-loop load at a fixed request rate: requests are due at even intervals whether or not
// earlier ones have answered, over at most `connections` keep-alive sockets, and each latency is
// measured from the moment its request was due (so a stalled server cannot hide its stall by
// slowing the sender — no coordinated omission). autocannon's overallRate is not this: it sends
// each second's budget as fast as it can at the start of the second.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { cpuPerRequest, type LoadOptions, type LoadResult, type LoadTarget } from "./load";

type Sample = { ms: number; status: number };

function once(baseUrl: string, t: LoadTarget, agent: http.Agent, apiKey: string | undefined, body: string | undefined, due: number): Promise<Sample> {
  const headers: Record<string, string> = { ...t.headers };
  if (t.auth) headers.authorization = `Bearer ${apiKey}`;
  if (body !== undefined) { headers["content-type"] = "application/json"; headers["content-length"] = String(Buffer.byteLength(body)); }
  if (t.idempotencyKey) headers["idempotency-key"] = randomUUID();
  return new Promise((resolve) => {
    const req = http.request(`${baseUrl}${t.path}`, { method: t.method, headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ ms: performance.now() - due, status: res.statusCode ?? 0 }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve({ ms: performance.now() - due, status: 0 }));
    req.end(body);
  });
}

async function phase(baseUrl: string, t: LoadTarget, o: LoadOptions & { rate: number }, seconds: number, agent: http.Agent): Promise<Sample[]> {
  const body = t.body === undefined ? undefined : JSON.stringify(t.body);
  const interval = 1000 / o.rate;
  const start = performance.now();
  const end = start + seconds * 1000;
  const pending: Promise<Sample>[] = [];
  let next = start;
  while (next < end && !o.signal?.aborted) {
    const now = performance.now();
    while (next <= now && next < end) {
      pending.push(once(baseUrl, t, agent, o.apiKey, body, next));
      next += interval;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(next - performance.now(), 5))));
  }
  return Promise.all(pending);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Sends `rate` requests per second for the warm-up and then the measured duration. */
export async function runPaced(baseUrl: string, t: LoadTarget, o: LoadOptions & { rate: number }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections ?? 50 });
  try {
    if ((o.warmupSec ?? 2) > 0) await phase(baseUrl, t, o, o.warmupSec ?? 2, agent);
    const cpuBefore = o.cpuSeconds?.() ?? null;
    const started = performance.now();
    const samples = await phase(baseUrl, t, o, o.durationSec ?? 10, agent);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = o.cpuSeconds?.() ?? null;
    const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
    const statusCodes: Record<string, number> = {};
    for (const s of samples) statusCodes[s.status] = (statusCodes[s.status] ?? 0) + 1;
    const result: LoadResult = {
      name: t.name,
      reqPerSec: samples.length / seconds,
      p50: pct(sorted, 50),
      p99: pct(sorted, 99),
      total: samples.length,
      non2xx: samples.filter((s) => s.status < 200 || s.status >= 300).length,
      errors: samples.filter((s) => s.status === 0).length,
      timeouts: 0,
      statusCodes,
    };
    return { ...result, ...cpuPerRequest(cpuBefore, cpuAfter, samples.length) };
  } finally {
    agent.destroy();
  }
}
