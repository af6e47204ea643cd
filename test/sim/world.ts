// The simulation's world (issue 19), started once for all trials: PostgreSQL (embedded, of its own,
// or a database of its own on a server the caller gives), two anvil chains (ethereum, polygon) and
// the Bitcoin and Litecoin regtest nodes (./utxo), mined by the simulation, a fault-injecting
// JSON-RPC proxy in front of each for the worker
// (test/helpers/fault-proxy.ts), the web (`next start` of the production build) and two worker
// processes (one at work, one standby) that the scenario kills with SIGKILL and restarts. The simulation's own process talks to
// the chains directly (chain truth) and to the database for its checks.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, chmodSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { loadConfig } from "@/lib/config";
import { closeDb } from "@/lib/db/client";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { startBitcoinDevnet } from "@/lib/devnet/bitcoin";
import { freePorts, startEvmDevnet, type EvmDevnet } from "@/lib/devnet/evm";
import { litecoindBinary, startLitecoinDevnet } from "@/lib/devnet/litecoin";
import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm-constants";
import { fundDevnetHotWallet } from "@/lib/forwarding/fund-devnet-hot-wallet";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { ensureKeyRoots } from "@/lib/keys/roots";
import { webProcessEnv } from "@/lib/keys/web-env";
import { nextStartArgs } from "@/scripts/lib/next-start";
import { ensureAuthSecret } from "@/scripts/lib/secrets";
import { setStandInPrices, startRateStandIn, type RateStandIn } from "@/test/setup/rate-stand-in";
import { FAULT_KINDS, startFaultProxy, type FaultKind, type FaultProxy } from "@/test/helpers/fault-proxy";
import { rpc } from "./chain";
import { mineUtxo, SIM_UTXO, UTXO_CONFIRMATIONS, UTXO_PRICES, utxoChain, type SimUtxoChain, type UtxoNetwork } from "./utxo";

/**
 * A waiting checkout expires once every watched chain was processed past expiresAt, or at most
 * this long after it when a watcher lags (lib/checkout/expire.ts graceSeconds): a payment mined in
 * time is never turned into a late one. The checks allow for it.
 */
export const EXPIRY_GRACE_MS = 60_000;
export const SIM_NETWORKS = ["ethereum", "polygon"] as const;
export type SimNetwork = (typeof SIM_NETWORKS)[number];
export const CONFIRMATIONS = 3;

export type SimChain = {
  network: SimNetwork;
  chainId: number;
  /** the anvil node itself: the simulation's view (chain truth) */
  rpcUrl: string;
  /** the worker's view */
  proxy: FaultProxy;
  usdc: `0x${string}`;
  usdt: `0x${string}`;
  /** held while mining or reorganising, so a reorg sees a still chain */
  lock: <T>(fn: () => Promise<T>) => Promise<T>;
};

export type WorldOptions = {
  seed: number;
  log: (m: string) => void;
  /** a PostgreSQL server to make the world's database on (the integration suite's); else an embedded one of its own */
  adminUrl?: string;
  /** per-request fault probabilities of the proxies (default: DEFAULT_RATES) */
  rates?: Partial<Record<FaultKind, number>>;
  /** keep the data directory and logs after stop */
  keep?: boolean;
};

export const DEFAULT_RATES: Partial<Record<FaultKind, number>> = {
  delay: 0.04, drop: 0.004, reset: 0.01, http429: 0.01, http5xx: 0.01, staleHead: 0.02, behind: 0.02,
  emptyLogs: 0.02, truncateLogs: 0.02, duplicate: 0.01, shuffle: 0.01,
};

export type World = {
  baseUrl: string;
  databaseUrl: string;
  chains: SimChain[];
  /** Bitcoin (bcoin) and Litecoin (Litecoin Core, when installed) regtest nodes */
  utxo: SimUtxoChain[];
  hotWallet: `0x${string}`;
  logDir: string;
  /** whether restartPostgres is possible (the world runs its own server) */
  canRestartPostgres: boolean;
  /** SIGKILLs a worker (slot 0 or 1) once it runs, waits `downMs`, starts a new one; false when skipped (another kill under way or recent) */
  killWorker: (downMs: number, slot?: number) => Promise<boolean>;
  /** stops PostgreSQL (fast shutdown), waits `downMs`, starts it again on the same data and port */
  restartPostgres: (downMs: number) => Promise<void>;
  /** mines `n` blocks on a chain (under its lock) */
  mine: (chain: SimChain, n?: number) => Promise<void>;
  /** faults the proxies injected, by kind */
  faults: () => Record<string, number>;
  setRates: (rates: Partial<Record<FaultKind, number>>) => void;
  stop: () => Promise<void>;
};

/** Runs `tick`, then waits `ms`, until the returned stop is called (it waits for the tick under way). */
function every(ms: number, tick: () => Promise<unknown>): () => Promise<void> {
  let on = true;
  const loop = (async () => {
    while (on) {
      await tick();
      await new Promise((r) => setTimeout(r, ms));
    }
  })();
  return async () => { on = false; await loop; };
}

function mutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

export async function startWorld(opts: WorldOptions): Promise<World> {
  const t0 = Date.now();
  const log = (m: string) => opts.log(`[sim] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${m}`);
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch((e) => log(`shutdown: ${String(e)}`));
    cleanups.length = 0;
  };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "tollgate-sim-"));
  chmodSync(dataDir, 0o755);
  const logDir = path.join(dataDir, "logs");
  mkdirSync(logDir);
  if (!opts.keep) cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const [webPort, pgPort, ethPort, polPort, btcPort, btcWalletPort, ltcPort] = await freePorts(7);
    // Litecoin needs Litecoin Core (`npm test` installs it); without it the world has Bitcoin only
    const utxoNetworks: UtxoNetwork[] = SIM_UTXO.filter((n) => n !== "litecoin" || litecoindBinary() !== null);
    const rates: RateStandIn = await startRateStandIn();
    cleanups.push(() => rates.stop());

    // PostgreSQL
    let pgServer: EmbeddedServer | undefined;
    let adminUrl = opts.adminUrl;
    const pgDir = path.join(dataDir, "postgres");
    if (!adminUrl) {
      pgServer = await startEmbeddedPostgres({ dir: pgDir, port: pgPort, log: () => {} });
      cleanups.push(() => pgServer!.stop());
      adminUrl = pgServer.url("postgres");
    }
    const dbName = `sim_${opts.seed}_${Date.now().toString(36)}`;
    await ensureDatabase(adminUrl, dbName);
    const databaseUrl = adminUrl.replace(/\/postgres(\?|$)/, `/${dbName}$1`);
    await runMigrations(databaseUrl);
    log(`database ${dbName} migrated`);

    const env: Record<string, string | undefined> = {
      ...process.env,
      TOLLGATE_MODE: "test",
      TOLLGATE_DATA_DIR: dataDir,
      TOLLGATE_DEVNET: "1",
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: "6",
      PORT: String(webPort),
      DEVNET_ETHEREUM_PORT: String(ethPort),
      DEVNET_POLYGON_PORT: String(polPort),
      ETHEREUM_TEST_CONFIRMATIONS: String(CONFIRMATIONS),
      POLYGON_TEST_CONFIRMATIONS: String(CONFIRMATIONS),
      DEVNET_BITCOIN_PORT: String(btcPort), DEVNET_LITECOIN_PORT: String(ltcPort),
      BITCOIN_TEST_CONFIRMATIONS: String(UTXO_CONFIRMATIONS), LITECOIN_TEST_CONFIRMATIONS: String(UTXO_CONFIRMATIONS),
      // the world has the two EVM chains and the UTXO ones
      BSC_TEST_ENABLED: "0", BAHAMUT_TEST_ENABLED: "0", TRON_TEST_ENABLED: "0", SOLANA_TEST_ENABLED: "0", TON_TEST_ENABLED: "0",
      ...(utxoNetworks.includes("litecoin") ? {} : { LITECOIN_TEST_ENABLED: "0" }),
      LOG_LEVEL: process.env.SIM_LOG_LEVEL ?? "info",
      NEXT_TELEMETRY_DISABLED: "1",
      TOLLGATE_RATE_LIMIT: "2000", TOLLGATE_RATE_LIMIT_BURST: "4000",
      TOLLGATE_IP_RATE_LIMIT: "2000", TOLLGATE_IP_RATE_LIMIT_BURST: "4000",
      TOLLGATE_TRUSTED_PROXIES: "loopback",
      RATES_PROVIDER: "coingecko", RATES_COINGECKO_URL: rates.url, RATES_COINBASE_URL: rates.url, RATES_TIMEOUT_MS: "2000",
      // webhook retries in seconds, so an endpoint that recovers gets every event within a trial
      TOLLGATE_WEBHOOK_RETRY_SCHEDULE: "1,1,2,3", TOLLGATE_WEBHOOK_TIMEOUT_MS: "1500", TOLLGATE_WEBHOOK_POLL_MS: "250",
      TOLLGATE_WEBHOOK_STALE_LOCK_SECONDS: "5",
      // a killed worker's leases expire in seconds, not half a minute
      TOLLGATE_LEASE_TTL_MS: "4000",
      TOLLGATE_SOLVENCY_INTERVAL_MS: "5000",
      TOLLGATE_MNEMONIC: "", AUTH_SECRET: "", AUTH_URL: "",
    };
    const cfg = loadConfig(env);
    const mnemonic = loadMnemonic(cfg, { create: true, env, warn: () => {} });
    env.TOLLGATE_MNEMONIC = mnemonic;
    env.AUTH_SECRET = ensureAuthSecret(cfg, env);
    const baseUrl = `http://127.0.0.1:${webPort}`;
    env.AUTH_URL = baseUrl;
    env.AUTH_TRUST_HOST = "true";

    // the simulation's own process: lib/db and lib/config point at the world (chains direct)
    await closeDb();
    Object.assign(process.env, { ...env, LOG_LEVEL: "silent", DATABASE_POOL_SIZE: "10" });
    await ensureKeyRoots(mnemonic);

    const devnet: EvmDevnet = await startEvmDevnet({ networks: [...SIM_NETWORKS], ports: [ethPort, polPort], blockTimeSeconds: 100_000 });
    cleanups.push(() => devnet.stop());
    const chains: SimChain[] = [];
    for (const [i, network] of SIM_NETWORKS.entries()) {
      const c = devnet.chains[i];
      await rpc(c.rpcUrl, "evm_setIntervalMining", [0]);
      await rpc(c.rpcUrl, "evm_setAutomine", [false]);
      const proxy = await startFaultProxy({
        upstream: c.rpcUrl, seed: opts.seed * 31 + i, rates: opts.rates ?? DEFAULT_RATES,
        kindDefaults: { drop: { ms: 2500 }, behind: { blocks: 2 }, staleHead: { blocks: 2 }, emptyLogs: { blocks: 2 }, truncateLogs: { blocks: 2 } },
      });
      cleanups.push(() => proxy.stop());
      chains.push({ network, chainId: c.chainId, rpcUrl: c.rpcUrl, proxy, usdc: DEVNET_TOKEN_ADDRESSES.USDC, usdt: DEVNET_TOKEN_ADDRESSES.USDT, lock: mutex() });
    }
    const mine = (chain: SimChain, n = 1) => chain.lock(() => rpc(chain.rpcUrl, "anvil_mine", [`0x${n.toString(16)}`]).then(() => {}));
    // the background miner: a block per chain every 400 ms (anvil does not mine by itself here)
    cleanups.push(every(400, () => Promise.all(chains.map((c) => mine(c).catch(() => {})))));

    // the UTXO nodes, from the test stack's prepared chains (funded wallets), mined by the simulation
    const template = (n: string) => path.join(os.tmpdir(), "tollgate-utxo-template-v2", n);
    const utxo: SimUtxoChain[] = [];
    const genericRates = (r: Partial<Record<FaultKind, number>>) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => ["delay", "drop", "reset", "http429", "http5xx"].includes(k))) as Partial<Record<FaultKind, number>>;
    for (const [i, network] of utxoNetworks.entries()) {
      const d = network === "bitcoin"
        ? await startBitcoinDevnet({ stateDir: path.join(dataDir, "utxo"), port: btcPort, walletPort: btcWalletPort, blockMs: 0, template: template(network) })
        : await startLitecoinDevnet({ stateDir: path.join(dataDir, "utxo"), port: ltcPort, blockMs: 0, template: template(network) });
      cleanups.push(() => d.stop());
      // only the faults any JSON-RPC node can meet (the others rewrite Ethereum's methods)
      const proxy = await startFaultProxy({ upstream: d.rpcUrl, seed: opts.seed * 31 + 7 + i, rates: genericRates(opts.rates ?? DEFAULT_RATES), kindDefaults: { drop: { ms: 2500 } } });
      cleanups.push(() => proxy.stop());
      utxo.push(utxoChain(network, d, proxy, mutex()));
    }
    await setStandInPrices(rates.url, Object.fromEntries(utxoNetworks.map((n) => [`${n === "bitcoin" ? "BTC" : "LTC"}-USD`, UTXO_PRICES[n]])));
    // and a block per UTXO chain every second
    cleanups.push(every(1000, () => Promise.all(utxo.map((c) => mineUtxo(c).catch(() => {})))));
    log("chains and fault proxies up");
    const hotWallet = hotWalletAddress(mnemonic);
    for (const c of chains) await fundDevnetHotWallet(c.rpcUrl, hotWallet);
    log("hot wallet funded");

    // the worker, reading both chains through the fault proxies
    const workerEnv = {
      ...env, TOLLGATE_SERVICE: "worker",
      ETHEREUM_TEST_RPC_URL: chains[0].proxy.url, POLYGON_TEST_RPC_URL: chains[1].proxy.url,
      // the node's URL through the proxy (which adds the node's credentials); the devnet's address prefix kept
      ...Object.fromEntries(utxo.flatMap((c) => [[`${c.network.toUpperCase()}_TEST_RPC_URL`, c.proxy.url], [`${c.network.toUpperCase()}_TEST_BECH32_HRP`, c.hrp]])),
    };
    // Two worker processes, as a deployment with a standby runs them: the network leases keep one
    // at work per network and the other takes over when it dies. A worker is "up" once it logged
    // its start; a kill waits for that, so each kill hits a running worker. (A worker boots in
    // 10–90 s on a loaded 2-core machine: with one worker, every kill stalled every trial.)
    const events = createWriteStream(path.join(logDir, "events.log"), { flags: "a" });
    const event = (m: string) => events.write(`${new Date().toISOString()} ${m}\n`);
    cleanups.push(async () => { events.end(); });
    const workers: ({ proc: ChildProcess; up: Promise<void> } | undefined)[] = [undefined, undefined];
    const spawnWorker = (slot: number) => {
      const proc = spawnLogged("worker", process.execPath, ["--import", "tsx", "workers/index.ts"], workerEnv, logDir);
      event(`worker ${slot} spawned (pid ${proc.pid})`);
      const up = new Promise<void>((resolve) => {
        const onData = (d: Buffer) => {
          if (d.toString().includes('"msg":"worker started"')) { proc.stdout?.off("data", onData); event(`worker ${slot} started (pid ${proc.pid})`); resolve(); }
        };
        proc.stdout?.on("data", onData);
        proc.once("exit", () => resolve());
      });
      workers[slot] = { proc, up };
    };
    // the first worker boots beside the web, the standby once the first runs (boots compete for the CPU)
    spawnWorker(0);
    let stopping = false;
    void workers[0]!.up.then(() => { if (!workers[1] && !stopping) spawnWorker(1); });
    cleanups.push(async () => { stopping = true; await Promise.all(workers.map((w) => w && stopChild(w.proc))); });
    // the web
    const web = spawnLogged("web", process.execPath, nextStartArgs(webPort, { host: "127.0.0.1", keepAliveMs: cfg.keepAliveMs }),
      { ...webProcessEnv(env), TOLLGATE_SERVICE: "web" }, logDir);
    cleanups.push(() => stopChild(web));
    await waitForHttp(`${baseUrl}/livez`, web, 90_000);
    log("web up");


    const killLock = mutex();
    // a kill while another is under way, or within 20 s of the last one, is skipped: a worker
    // killed again before its standby took over tests nothing more and stalls every trial
    let lastKill = 0;
    let killing = false;
    const killWorker = (downMs: number, slot = 0) => {
      if (killing || Date.now() - lastKill < 20_000) return Promise.resolve(false);
      killing = true;
      return killLock(async () => {
        try {
          await killNow(downMs, slot % workers.length);
          return true;
        } finally {
          lastKill = Date.now();
          killing = false;
        }
      });
    };
    const killNow = async (downMs: number, slot: number) => {
      const w = workers[slot];
      if (w) {
        await Promise.race([w.up, new Promise((r) => setTimeout(r, 90_000))]);
        await stopChild(w.proc, "SIGKILL");
        event(`worker ${slot} SIGKILLed (pid ${w.proc.pid})`);
      }
      workers[slot] = undefined;
      await new Promise((r) => setTimeout(r, downMs));
      spawnWorker(slot);
    };
    const restartPostgres = (downMs: number): Promise<void> => killLock(async () => {
      if (!pgServer) throw new Error("the world shares a PostgreSQL server: it cannot restart it");
      await pgServer.stop();
      event("PostgreSQL stopped");
      await new Promise((r) => setTimeout(r, downMs));
      pgServer = await startEmbeddedPostgres({ dir: pgDir, port: pgPort, log: () => {} });
      event("PostgreSQL started");
    });
    // the web and worker must both be up before the first trial
    await waitForWorker(databaseUrl, [...SIM_NETWORKS, ...utxoNetworks], 90_000);
    log("a worker is watching");

    const faults = () => {
      const out: Record<string, number> = {};
      for (const k of FAULT_KINDS) {
        const n = [...chains, ...utxo].reduce((s, c) => s + (c.proxy.stats.faults[k] ?? 0), 0);
        if (n) out[k] = n;
      }
      return out;
    };
    return {
      baseUrl, databaseUrl, chains, utxo, hotWallet, logDir, canRestartPostgres: !!pgServer, killWorker, restartPostgres, mine, faults,
      setRates: (r) => { for (const c of chains) c.proxy.setRates(r); },
      // a run's last step: its trials are done and its report is due. pg's pool.end() waits for every
      // client still checked out, and the seed 111 run never got past this stop; after 10 s the world's
      // processes go down regardless
      stop: async () => { await Promise.race([closeDb(), new Promise((r) => setTimeout(r, 10_000).unref())]); await stop(); },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

function spawnLogged(name: string, cmd: string, args: string[], env: Record<string, string | undefined>, logDir: string): ChildProcess {
  const proc = spawn(cmd, args, { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  const file = createWriteStream(path.join(logDir, `${name}.log`), { flags: "a" });
  proc.stdout?.pipe(file);
  proc.stderr?.pipe(file);
  return proc;
}

async function stopChild(proc: ChildProcess, sig: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  proc.kill(sig);
  const t = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(t);
}

async function waitForHttp(url: string, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`the web exited before answering ${url}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Until the worker has written both networks' status rows (it watches them). */
async function waitForWorker(databaseUrl: string, networks: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    while (Date.now() < deadline) {
      const { rows } = await c.query("select count(*)::int as n from network_status where livemode = false and head_number is not null and network = any($1)", [networks]);
      if (rows[0].n === networks.length) return;
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await c.end();
  }
  throw new Error(`the worker did not start watching within ${timeoutMs / 1000} s`);
}

export const hasProductionBuild = () => existsSync(".next/BUILD_ID");
