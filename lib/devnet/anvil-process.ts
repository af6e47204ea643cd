// Spawns and supervises a single anvil process.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { dumpStateFile, trimStateFile } from "./anvil-state";
import { assertPortFree } from "./free-port";

/**
 * States anvil keeps in memory (--prune-history): reorgs up to this depth (anvil_reorg; the reorg
 * tests go 8 deep) and calls at recent blocks work. Nothing is persisted per block: anvil's
 * default writes every state older than its in-memory window to its cache directory (~200 KB a
 * block, never removed).
 */
export const DEVNET_HISTORY_DEPTH = 64;

export type AnvilOptions = {
  label: string;
  port: number;
  chainId: number;
  blockTimeSeconds: number;
  /** When set, anvil loads this file on start; it is rewritten periodically and at stop, bounded (anvil-state.ts). */
  stateFile?: string | undefined;
  stateIntervalSeconds?: number | undefined;
  readyTimeoutMs?: number | undefined;
  /** states kept in memory, default DEVNET_HISTORY_DEPTH */
  historyDepth?: number | undefined;
  /** blocks kept in the state file, default DEVNET_STATE_BLOCKS */
  stateBlocks?: number | undefined;
};

export type AnvilProcess = {
  rpcUrl: string;
  port: number;
  pid: number;
  /** anvil's cache directory (--cache-path), removed at stop */
  cachePath: string;
  stop(): Promise<void>;
};

const HOST = "127.0.0.1";
const STOP_TIMEOUT_MS = 10_000;
const STDERR_LIMIT = 8_192;

// npm publishes the native binary in one optional package per platform (same
// table as @foundry-rs/anvil's own wrapper); spawning it directly avoids the
// extra node wrapper process between us and anvil and its signal forwarding.
const PLATFORM_PACKAGES: Record<string, string | undefined> = {
  "linux-x64": "@foundry-rs/anvil-linux-amd64",
  "linux-arm64": "@foundry-rs/anvil-linux-arm64",
  "darwin-x64": "@foundry-rs/anvil-darwin-amd64",
  "darwin-arm64": "@foundry-rs/anvil-darwin-arm64",
  "win32-x64": "@foundry-rs/anvil-win32-amd64",
};

let cachedBinary: string | undefined;

/** Absolute path of the anvil binary; `ANVIL_BIN` overrides the npm package lookup. */
export function resolveAnvilBinary(): string {
  if (cachedBinary) return cachedBinary;
  const override = process.env.ANVIL_BIN;
  if (override) return override;
  const pkg = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (!pkg) throw new Error(`anvil has no npm binary for ${process.platform}-${process.arch}; set ANVIL_BIN`);
  const require = createRequire(import.meta.url);
  // The platform package is normally hoisted; fall back to resolving it from the
  // wrapper package in case npm nested it under @foundry-rs/anvil/node_modules.
  const candidates = [
    () => require.resolve(`${pkg}/package.json`),
    () => createRequire(require.resolve("@foundry-rs/anvil/package.json")).resolve(`${pkg}/package.json`),
  ];
  for (const candidate of candidates) {
    let pkgJson: string;
    try {
      pkgJson = candidate();
    } catch {
      continue;
    }
    const binary = join(dirname(pkgJson), "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
    if (existsSync(binary)) return (cachedBinary = binary);
  }
  throw new Error(`anvil binary not found: is ${pkg} installed (this project pins @foundry-rs/anvil-linux-amd64; on other platforms install your platform's package or set ANVIL_BIN)`);
}

// Children still running when the parent exits (crashed test, uncaught error)
// would otherwise keep their ports busy; best effort since 'exit' is synchronous.
const liveChildren = new Map<ChildProcess, string>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess, cachePath: string): void {
  liveChildren.set(child, cachePath);
  child.once("exit", () => liveChildren.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const [c, cache] of liveChildren) {
      c.kill("SIGTERM");
      rmSync(cache, { recursive: true, force: true });
    }
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off("exit", onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once("exit", onExit);
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  // SIGTERM lets anvil dump --state before exiting; SIGKILL only if it hangs.
  child.kill("SIGTERM");
  if (await waitForExit(child, STOP_TIMEOUT_MS)) return;
  child.kill("SIGKILL");
  await waitForExit(child, STOP_TIMEOUT_MS);
}

async function rpcChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { result?: string };
    return typeof body.result === "string" ? Number.parseInt(body.result, 16) : undefined;
  } catch {
    return undefined; // not listening yet
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startAnvil(opts: AnvilOptions): Promise<AnvilProcess> {
  const what = `anvil (${opts.label}, chain ${opts.chainId})`;
  await assertPortFree(opts.port, what);

  const args = [
    "--host", HOST,
    "--port", String(opts.port),
    "--chain-id", String(opts.chainId),
    "--block-time", String(opts.blockTimeSeconds),
    "--silent",
    "--prune-history", String(opts.historyDepth ?? DEVNET_HISTORY_DEPTH),
    // Prague: EIP-7702 delegations (the worker's batch sweeps, lib/chains/evm/sweeper)
    "--hardfork", "prague",
  ];
  // anvil's own cache directory (default ~/.foundry/anvil/tmp, shared and never cleaned): ours, per process
  const cachePath = mkdtempSync(join(tmpdir(), "tollgate-anvil-"));
  args.push("--cache-path", cachePath);
  if (opts.stateFile) {
    // we dump the state ourselves (bounded); anvil only loads it
    trimStateFile(opts.stateFile, opts.stateBlocks);
    if (existsSync(opts.stateFile)) args.push("--load-state", opts.stateFile);
  }
  const removeCache = () => rmSync(cachePath, { recursive: true, force: true });

  const child = spawn(resolveAnvilBinary(), args, { stdio: ["ignore", "ignore", "pipe"] });
  trackChild(child, cachePath);
  child.once("exit", removeCache);
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_LIMIT);
  });
  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
  });

  const rpcUrl = `http://${HOST}:${opts.port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000);
  const describeStderr = () => (stderr.trim() ? `\nanvil stderr:\n${stderr.trim()}` : " (no stderr output)");

  for (;;) {
    if (spawnError) throw new Error(`Failed to spawn ${what}: ${spawnError.message}`);
    if (hasExited(child)) {
      const busy = /address already in use/i.test(stderr) ? `: port ${opts.port} is already in use` : "";
      const badState =
        opts.stateFile && stderr.includes(opts.stateFile)
          ? `\n(the state file ${opts.stateFile} looks unreadable; delete it to start the chain from scratch)`
          : "";
      throw new Error(
        `${what} exited (code ${child.exitCode ?? child.signalCode}) before becoming ready on port ${opts.port}${busy}${describeStderr()}${badState}`,
      );
    }
    const chainId = await rpcChainId(rpcUrl);
    if (chainId === opts.chainId) break;
    if (chainId !== undefined) {
      await terminate(child);
      throw new Error(`${what}: ${rpcUrl} answered chain id ${chainId}, expected ${opts.chainId}`);
    }
    if (Date.now() > deadline) {
      await terminate(child);
      throw new Error(`${what} did not answer eth_chainId on ${rpcUrl} within ${opts.readyTimeoutMs ?? 20_000} ms${describeStderr()}`);
    }
    await sleep(50);
  }

  // the state file: rewritten every interval (bounding loss on a crash) and once more at stop
  let dumping: Promise<void> = Promise.resolve();
  const dump = (file: string) =>
    (dumping = dumping.then(() => dumpStateFile(rpcUrl, file, opts.stateBlocks)).catch(() => { /* next interval or stop retries */ }));
  const timer = opts.stateFile
    ? setInterval(() => void dump(opts.stateFile!), (opts.stateIntervalSeconds ?? 5) * 1000).unref()
    : undefined;
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    clearInterval(timer);
    if (opts.stateFile && !hasExited(child)) await dump(opts.stateFile);
    await terminate(child);
    removeCache();
  };
  return {
    rpcUrl,
    port: opts.port,
    pid: child.pid ?? -1,
    cachePath,
    stop: () => (stopping ??= stop()),
  };
}
