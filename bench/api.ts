// npm run bench:api – throughput and latency of the API wrapper against the production build,
// next to a bare route handler (the framework's floor). Everything it starts is torn down.
import os from "node:os";
import { descendantsCpuSplit } from "./lib/cpu";
import { formatTable, runLoad, type LoadResult, type LoadTarget } from "./lib/load";
import { runPaced } from "./lib/paced";
import { startBenchStack, type BenchStack } from "./lib/stack";

const CONNECTIONS = 50;
const DURATION_SEC = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_SEC = 2;
const DEADLINE_MS = 10 * 60_000; // start-up, the runs and teardown; a missing build has its own timeout

// The first row is the floor the others are compared with. Add a target in one line, e.g.
//   { name: "POST /v1/sessions (idempotent write)", method: "POST", path: "/v1/sessions", auth: true, body: {…}, idempotencyKey: "unique" },
// Session create targets the devnet's USDC on chain 31337 (enabled by configuration; creating a
// session needs no RPC call).
const SESSION_BODY = {
  destination: { type: "evm", address: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045", chainId: 31337, tokenAddress: "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553", amountUnits: "25" },
  metadata: { orderId: "bench" },
};

function targets(sessionId: string): LoadTarget[] {
  return [
    { name: "GET /livez (bare route handler: floor)", method: "GET", path: "/livez" },
    { name: "GET /v1/currencies (Bearer key)", method: "GET", path: "/v1/currencies", auth: true },
    { name: "POST /v1/sessions (Idempotency-Key, a new session per request)", method: "POST", path: "/v1/sessions", auth: true, body: SESSION_BODY, idempotencyKey: "unique" },
    // the latency target is at the throughput target: p99 while creating at half the floor's rate
    { name: "POST /v1/sessions paced at 0.5× the floor's req/s", method: "POST", path: "/v1/sessions", auth: true, body: SESSION_BODY, idempotencyKey: "unique", pacedAt: 0.5 },
    { name: "POST /v1/sessions paced at 0.25× the floor's req/s", method: "POST", path: "/v1/sessions", auth: true, body: SESSION_BODY, idempotencyKey: "unique", pacedAt: 0.25 },
    // the framework's own tail at that rate: the floor's route, open loop at half its closed-loop rate
    { name: "GET /livez paced at 0.5× the floor's req/s", method: "GET", path: "/livez", pacedAt: 0.5 },
    { name: "GET /v1/sessions/{id} (Bearer key, full view)", method: "GET", path: `/v1/sessions/${sessionId}`, auth: true },
  ];
}

const log = (m: string) => console.error(`[bench] ${m}`);
const aborted = new AbortController();
let stack: BenchStack | undefined;
let exiting: Promise<never> | undefined;

function shutdown(code: number, why?: string): Promise<never> {
  return (exiting ??= (async () => {
    if (why) log(why);
    aborted.abort();
    await stack?.stop().catch((e) => log(`teardown: ${String(e)}`));
    process.exit(code);
  })());
}

for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void shutdown(130, `${sig}: tearing down`));
setTimeout(() => void shutdown(1, `deadline of ${DEADLINE_MS / 1000} s exceeded: tearing down`), DEADLINE_MS).unref();

try {
  stack = await startBenchStack({ log });
  const created = await fetch(`${stack.baseUrl}/v1/sessions`, {
    method: "POST", headers: { Authorization: `Bearer ${stack.apiKey}`, "Content-Type": "application/json" }, body: JSON.stringify(SESSION_BODY),
  });
  if (created.status !== 201) throw new Error(`creating the benchmark session failed: ${created.status} ${await created.text()}`);
  const sessionId = ((await created.json()) as { session: { sessionId: string } }).session.sessionId;
  const results: LoadResult[] = [];
  const only = process.env.BENCH_ONLY; // a substring of the row names to run (the floor always runs)
  for (const t of targets(sessionId).filter((x, i) => i === 0 || !only || x.name.includes(only))) {
    if (aborted.signal.aborted) break;
    log(`${t.name}: ${WARMUP_SEC} s warm-up, ${DURATION_SEC} s measured, ${CONNECTIONS} connections`);
    const opts = {
      connections: CONNECTIONS, durationSec: DURATION_SEC, warmupSec: WARMUP_SEC, apiKey: stack.apiKey, signal: aborted.signal,
      cpuSeconds: () => descendantsCpuSplit(),
    };
    const rate = t.pacedAt && results[0] ? Math.round(results[0].reqPerSec * t.pacedAt) : undefined;
    results.push(rate ? await runPaced(stack.baseUrl, t, { ...opts, rate }) : await runLoad(stack.baseUrl, t, opts));
  }
  if (!aborted.signal.aborted) {
    console.log(`\nTollgate API benchmark — next start (production build), ${CONNECTIONS} connections, ${DURATION_SEC} s per row after a ${WARMUP_SEC} s warm-up`);
    console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}); load generator on the same machine\n`);
    console.log(formatTable(results));
    console.log("\nCPU ms/req: user+system CPU of the web server and its database per request in the measured run (not of the load generator);\n" +
      "of it db: the PostgreSQL processes' part of it;\n" +
      "floor/CPU: the floor's CPU per request divided by the row's — the throughput ratio an otherwise idle machine would show;\n" +
      "paced rows: an open-loop load at a fixed rate (a fraction of the floor's req/s) over at most the same number of connections,\n" +
      "each latency measured from the moment its request was due (bench/lib/paced.ts).");
    console.log("\nstatus codes: " + results.map((r) => `${r.name.split(" (")[0]} ${JSON.stringify(r.statusCodes)}`).join("; "));
  }
  await shutdown(0);
} catch (e) {
  await shutdown(1, `failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
}
