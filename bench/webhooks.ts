// npm run bench:webhooks – webhook delivery throughput (deliveries/s to a local receiver) and the
// time from an event's COMMIT to its first attempt arriving at the receiver (p50/p99), on a
// throwaway embedded PostgreSQL with a delivery worker in its own process. Targets (issue 4):
// ≥ 500 deliveries/s, p50 ≤ 200 ms. Everything it starts is stopped.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { closeDb, db } from "@/lib/db/client";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { emit } from "@/lib/events/emit";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { freePort } from "./lib/stack";

const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 32);
const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 1000);
const LATENCY_RATE = Number(process.env.BENCH_LATENCY_RATE ?? 100); // events/s, well under capacity
const BURST_EVENTS = Number(process.env.BENCH_BURST_EVENTS ?? 5000);
const log = (m: string) => console.error(`[bench] ${m}`);

// Worker role: the same file, spawned with --worker, runs only the webhook runner.
if (process.argv.includes("--worker")) {
  const { startWebhookRunner } = await import("@/lib/webhooks/runner");
  const r = await startWebhookRunner(process.env.DATABASE_URL!);
  process.on("SIGTERM", async () => { await r.stop(); await closeDb(); process.exit(0); });
  process.send?.("ready");
} else {
  await main();
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tollgate-bench-hooks-"));
  chmodSync(dir, 0o755); // PostgreSQL drops to another user when run as root and must reach its data dir
  let pg: EmbeddedServer | undefined;
  let worker: ChildProcess | undefined;
  let server: http.Server | undefined;
  try {
    pg = await startEmbeddedPostgres({ dir: path.join(dir, "postgres"), port: await freePort(), log });
    await ensureDatabase(pg.url("postgres"), "bench");
    const databaseUrl = pg.url("bench");
    await runMigrations(databaseUrl);
    process.env.DATABASE_URL = databaseUrl;
    process.env.DATABASE_POOL_SIZE = "20";

    // receiver: first arrival per event
    const firstAt = new Map<string, number>();
    let received = 0;
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => {
        const now = performance.timeOrigin + performance.now();
        received++;
        const id = (JSON.parse(body) as { id: string }).id;
        if (!firstAt.has(id)) firstAt.set(id, now);
        res.writeHead(200); res.end("ok");
      });
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    const { merchantId } = await createMerchant({ name: "Bench", email: `bench-${Date.now()}@bench.local`, password: "bench-password-1" });
    await createEndpoint({ merchantId, livemode: false }, { url });

    worker = spawn(process.execPath, ["--import", "tsx", "bench/webhooks.ts", "--worker"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, TOLLGATE_WEBHOOK_CONCURRENCY: String(CONCURRENCY), DATABASE_POOL_SIZE: String(CONCURRENCY + 4), LOG_LEVEL: "warn" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise<void>((resolve, reject) => { worker!.once("message", () => resolve()); worker!.once("exit", () => reject(new Error("worker exited"))); });

    const committed = new Map<string, number>();
    const fire = async (i: number) => {
      const [ev] = await db().transaction((tx) => emit(tx, [{ merchantId, livemode: false, type: "session.succeeded", objectType: "session", objectId: `s${i}`, data: { sessionId: `s${i}`, status: "succeeded" } }]));
      committed.set(ev.id, performance.timeOrigin + performance.now());
      return ev.id;
    };
    const waitAll = async (ids: string[], timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (ids.some((id) => !firstAt.has(id))) {
        if (Date.now() > deadline) throw new Error(`only ${ids.filter((id) => firstAt.has(id)).length}/${ids.length} delivered in time`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const lat = (ids: string[]) => ids.map((id) => firstAt.get(id)! - committed.get(id)!).sort((a, b) => a - b);

    // warm-up
    await waitAll(await Promise.all(Array.from({ length: 50 }, (_, i) => fire(-i - 1))), 30_000);

    // 1. latency at a steady rate below capacity
    log(`latency phase: ${LATENCY_EVENTS} events at ${LATENCY_RATE}/s`);
    const steady: string[] = [];
    const t0 = performance.now();
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      const due = t0 + (i * 1000) / LATENCY_RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      steady.push(await fire(i));
    }
    await waitAll(steady, 60_000);
    const steadyLat = lat(steady);

    // 2. throughput: a burst from 16 concurrent writers, measured from the first commit to the last arrival
    log(`throughput phase: ${BURST_EVENTS} events from 16 concurrent writers`);
    const burst: string[] = [];
    const receivedBefore = received;
    const start = performance.timeOrigin + performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < BURST_EVENTS) { const i = next++; burst.push(await fire(100_000 + i)); }
    }));
    const commitsDone = performance.timeOrigin + performance.now();
    await waitAll(burst, 180_000);
    const end = Math.max(...burst.map((id) => firstAt.get(id)!));
    const burstLat = lat(burst);
    const perSec = BURST_EVENTS / ((end - start) / 1000);
    const commitRate = BURST_EVENTS / ((commitsDone - start) / 1000);

    const rows = [
      ["measure", "value", "target"],
      ["deliveries/s (burst, incl. signing, HTTP, attempt log)", perSec.toFixed(0), "≥ 500"],
      ["event commits/s during the burst (16 writers)", commitRate.toFixed(0), ""],
      [`commit → first attempt p50 (steady ${LATENCY_RATE}/s)`, `${pct(steadyLat, 50).toFixed(1)} ms`, "≤ 200 ms"],
      [`commit → first attempt p99 (steady ${LATENCY_RATE}/s)`, `${pct(steadyLat, 99).toFixed(1)} ms`, ""],
      ["commit → first attempt p50 (burst, queue backlog)", `${pct(burstLat, 50).toFixed(1)} ms`, ""],
      ["commit → first attempt p99 (burst, queue backlog)", `${pct(burstLat, 99).toFixed(1)} ms`, ""],
      ["duplicate deliveries", String(received - receivedBefore - BURST_EVENTS), "0"],
    ];
    const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    console.log(`\nwebhooks bench · worker concurrency ${CONCURRENCY} · ${os.cpus().length} CPUs`);
    for (const [i, r] of rows.entries()) {
      console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join("  "));
      if (i === 0) console.log(w.map((n) => "-".repeat(n)).join("  "));
    }
  } finally {
    if (worker && worker.exitCode === null) {
      worker.kill("SIGTERM");
      await new Promise((r) => { const t = setTimeout(() => { worker!.kill("SIGKILL"); r(null); }, 10_000); worker!.once("exit", () => { clearTimeout(t); r(null); }); });
    }
    server?.closeAllConnections();
    server?.close();
    await closeDb();
    await pg?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
