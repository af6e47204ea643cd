// The whole product on one machine: embedded PostgreSQL (unless DATABASE_URL), migrations, the
// EVM devnet, the Tron devnet (anvil-backed JSON-RPC), the Solana devnet (LiteSVM), the TON devnet (@ton/sandbox), the web app and the worker. Used by `npm start`, `npm run dev` and the test runner.
import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig, type AppConfig } from "@/lib/config";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { DEVNET_EVM_CHAINS, startEvmDevnet, type EvmDevnet } from "@/lib/devnet/evm";
import { DEVNET_TRON_CHAIN, startTronDevnet, type TronDevnet } from "@/lib/devnet/tron";
import { hexToTron } from "@/lib/chains/tron/address";
import { tronAccountAt, HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { DEVNET_SOLANA_DEFAULT_PORT, fundSolanaHotWallet, startSolanaDevnet, type SolanaDevnet } from "@/lib/devnet/solana";
import { solanaAddressAt } from "@/lib/chains/solana/keys";
import { DEVNET_TON_DEFAULT_PORT, startTonDevnet, type TonDevnet } from "@/lib/devnet/ton";
import { tonHotWalletAt } from "@/lib/chains/ton/keys";
import { Address } from "@ton/core";
import { startBitcoinDevnet } from "@/lib/devnet/bitcoin";
import { LITECOIND_MISSING, litecoindBinary, startLitecoinDevnet } from "@/lib/devnet/litecoin";
import type { UtxoDevnet } from "@/lib/devnet/utxo-node";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { ensureKeyRoots } from "@/lib/keys/roots";
import { webProcessEnv } from "@/lib/keys/web-env";
import { fundDevnetHotWallet } from "@/lib/forwarding/fund-devnet-hot-wallet";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { closeDb } from "@/lib/db/client";
import { startChild, type Child } from "./children";
import { NEXT_BIN, nextStartArgs } from "./next-start";
import { ensureAuthSecret } from "./secrets";

export type StackOptions = {
  env: Record<string, string | undefined>;
  dev?: boolean;
  /** start the web and worker processes (tests may start their own workers) */
  web?: boolean;
  worker?: boolean;
  quietChildren?: boolean;
  /** also append each child's output to <logDir>/<name>.log */
  logDir?: string;
  /**
   * Awaited right before the web process starts: npm test builds the app while the database and
   * the devnets come up, and the web waits for the build only.
   */
  beforeWeb?: () => Promise<void>;
  log: (m: string) => void;
};

export type Stack = {
  cfg: AppConfig;
  databaseUrl: string;
  adminUrl: string | undefined;
  devnet: EvmDevnet | undefined;
  tronDevnet: TronDevnet | undefined;
  /** the Solana devnet (LiteSVM behind JSON-RPC, in this process) */
  solana: SolanaDevnet | undefined;
  /** the TON devnet (@ton/sandbox behind a toncenter v2 API, in this process) */
  ton: TonDevnet | undefined;
  /** the TON hot wallet (user-friendly, test-only) when the TON devnet runs */
  tonHotWallet: string | undefined;
  /** the Bitcoin devnet (bcoin regtest) and the Litecoin one (litecoind regtest, when installed) */
  bitcoin: UtxoDevnet | undefined;
  litecoin: UtxoDevnet | undefined;
  baseUrl: string;
  childEnv: Record<string, string | undefined>;
  children: Child[];
  startWorker: (extraEnv?: Record<string, string | undefined>) => Child;
  stop: () => Promise<void>;
};


export async function startStack(opts: StackOptions): Promise<Stack> {
  const env: Record<string, string | undefined> = { NEXT_TELEMETRY_DISABLED: "1", ...opts.env };
  const cfg = loadConfig(env);
  const log = opts.log;
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch((e) => log(`shutdown: ${String(e)}`));
    cleanups.length = 0;
  };
  let utxo: Promise<unknown> | undefined;
  try {
    // Secrets first: live mode must refuse to start before anything runs.
    const mnemonic = loadMnemonic(cfg, { create: true, env, warn: (m) => log(`WARNING: ${m}`) });
    env.AUTH_SECRET = ensureAuthSecret(cfg, env);

    let databaseUrl = cfg.databaseUrl;
    let adminUrl: string | undefined;
    if (!databaseUrl) {
      const pgPort = Number(env.TOLLGATE_PG_PORT ?? 54320);
      const pg: EmbeddedServer = await startEmbeddedPostgres({ dir: path.join(cfg.dataDir, "postgres"), port: pgPort, log });
      cleanups.push(() => pg.stop());
      adminUrl = pg.url("postgres");
      const name = env.TOLLGATE_PG_DATABASE ?? "tollgate";
      await ensureDatabase(adminUrl, name);
      databaseUrl = pg.url(name);
      log(`PostgreSQL (embedded) on 127.0.0.1:${pgPort}, data in ${path.join(cfg.dataDir, "postgres")}`);
    } else {
      log("PostgreSQL from DATABASE_URL");
    }
    await runMigrations(databaseUrl);
    env.DATABASE_URL = databaseUrl;
    // the web process derives receivers from the public roots; record them before it starts
    await withDatabase(databaseUrl, () => ensureKeyRoots(mnemonic));

    let devnet: EvmDevnet | undefined;
    if (cfg.devnet) {
      const ports = DEVNET_EVM_CHAINS.map((c) => Number(env[`DEVNET_${c.network.toUpperCase()}_PORT`] ?? c.defaultPort));
      devnet = await startEvmDevnet({ stateDir: path.join(cfg.dataDir, "devnet"), ports, log });
      cleanups.push(() => devnet!.stop());
      // our hot wallet (index 0 of the instance mnemonic) pays forwarding gas and withdrawals on the devnet: fund it with coin and mock tokens
      for (const c of devnet.chains) await fundDevnetHotWallet(c.rpcUrl, hotWalletAddress(mnemonic));
    }
    let tronDevnet: TronDevnet | undefined;
    if (cfg.devnet && !env.TRON_TEST_RPC_URL) {
      const port = Number(env.DEVNET_TRON_PORT ?? DEVNET_TRON_CHAIN.defaultPort);
      tronDevnet = await startTronDevnet({ stateDir: path.join(cfg.dataDir, "devnet"), port, log });
      cleanups.push(() => tronDevnet!.stop());
      // the Tron hot wallet (index 0 of m/44'/195'/0'/0) pays receivers' and sweeps' fees and Tron withdrawals; its
      // 20-byte form is an anvil account, and the mock TRC-20s share their 20 bytes with the EVM devnet's tokens
      const tronHot = tronAccountAt(mnemonic, HOT_WALLET_INDEX).address;
      await fundDevnetHotWallet(tronDevnet.rpcUrl, tronHot);
      log(`tron hot wallet ${hexToTron(tronHot)} funded on the Tron devnet (coin for fees, 100,000 TRC-20 USDT and USDC for withdrawals)`);
    }
    // the UTXO nodes start beside the Solana devnet (each takes a second or two to mine its first blocks), once
    // the other devnets hold their ports: their RPC polling opens connections whose local ports could take one
    const utxoStarted = startUtxoDevnets(cfg, env, log, cleanups);
    utxo = utxoStarted;
    let solana: SolanaDevnet | undefined;
    const solanaChain = cfg.networks.find((c) => c.network === "solana" && !c.livemode);
    if (cfg.devnet && solanaChain?.enabled && !env.SOLANA_TEST_RPC_URL) {
      solana = await startSolanaDevnet({
        port: Number(env.DEVNET_SOLANA_PORT ?? DEVNET_SOLANA_DEFAULT_PORT),
        slotMs: Number(env.DEVNET_SOLANA_SLOT_MS ?? 400),
        stateFile: path.join(cfg.dataDir, "devnet", "solana.json"),
        log,
      });
      cleanups.push(() => solana!.stop());
      // the Solana hot wallet (m/44'/501'/0'/0') pays the fees of sweeps and payouts and the rent of token accounts it creates
      const solanaHot = solanaAddressAt(mnemonic, HOT_WALLET_INDEX);
      fundSolanaHotWallet(solana, solanaHot);
      log(`solana hot wallet ${solanaHot} funded on the Solana devnet`);
    }

    let ton: TonDevnet | undefined;
    let tonHotWallet: string | undefined;
    if (cfg.devnet && !env.TON_TEST_RPC_URL) {
      ton = await startTonDevnet({
        port: Number(env.DEVNET_TON_PORT ?? DEVNET_TON_DEFAULT_PORT),
        blockMs: Number(env.DEVNET_TON_BLOCK_MS ?? 1000),
        stateFile: path.join(cfg.dataDir, "devnet", "ton.json"),
        log,
      });
      cleanups.push(() => ton!.stop());
      // the TON hot wallet (a highload wallet v3 of the key at m/44'/607'/0', deployed by its first message) pays TON payouts and their fees
      const tonHot = tonHotWalletAt(mnemonic);
      if ((await ton.blockchain.getContract(Address.parseRaw(tonHot))).balance === 0n) await ton.fund(tonHot, 1000n * 10n ** 9n);
      tonHotWallet = Address.parseRaw(tonHot).toString({ urlSafe: true, bounceable: false, testOnly: true });
      log(`ton hot wallet ${tonHotWallet} (highload v3) funded on the TON devnet`);
    }
    const { bitcoin, litecoin } = await utxoStarted;

    const baseUrl = `http://localhost:${cfg.port}`;
    const childEnv: Record<string, string | undefined> = { ...env, PORT: String(cfg.port), AUTH_URL: env.AUTH_URL || baseUrl, AUTH_TRUST_HOST: "true" };
    const children: Child[] = [];
    const startWorker = (extra: Record<string, string | undefined> = {}) => {
      const w = startChild("worker", process.execPath, ["--import", "tsx", "workers/index.ts"],
        { ...childEnv, TOLLGATE_SERVICE: "worker", ...extra }, { quiet: opts.quietChildren, logFile: opts.logDir && path.join(opts.logDir, "worker.log") });
      children.push(w);
      return w;
    };
    cleanups.push(async () => { await Promise.all(children.map((c) => c.stop())); });

    if (opts.web !== false) {
      await opts.beforeWeb?.();
      if (!opts.dev && !existsSync(".next/BUILD_ID")) {
        log("no production build yet: running next build (first start only)…");
        const b = startChild("build", process.execPath, [NEXT_BIN, "build"], { ...webProcessEnv(childEnv), NODE_ENV: "production" });
        if ((await b.exited) !== 0) throw new Error("next build failed");
      }
      const web = startChild("web", process.execPath, opts.dev ? [NEXT_BIN, "dev", "-p", String(cfg.port), "-H", "127.0.0.1"] : nextStartArgs(cfg.port, { host: "127.0.0.1", keepAliveMs: cfg.keepAliveMs }),
        { ...webProcessEnv(childEnv), TOLLGATE_SERVICE: "web" }, { quiet: opts.quietChildren, logFile: opts.logDir && path.join(opts.logDir, "web.log") });
      children.push(web);
      await waitForHttp(`${baseUrl}/livez`, web, opts.dev ? 180_000 : 60_000);
    }
    if (opts.worker !== false) startWorker();
    return { cfg, databaseUrl, adminUrl, devnet, tronDevnet, solana, ton, tonHotWallet, bitcoin, litecoin, baseUrl, childEnv, children, startWorker, stop };
  } catch (e) {
    await utxo?.catch(() => {}); // whatever of it started is in cleanups once settled
    await stop();
    throw e;
  }
}

/**
 * The Bitcoin (bcoin) and Litecoin (litecoind) regtest devnets of the test mode, unless their
 * RPC is configured; Litecoin only when litecoind is installed (a line says how to get it).
 */
async function startUtxoDevnets(cfg: AppConfig, env: Record<string, string | undefined>, log: (m: string) => void,
  cleanups: (() => Promise<void>)[]): Promise<{ bitcoin?: UtxoDevnet; litecoin?: UtxoDevnet }> {
  const wanted = (network: string) => cfg.devnet && cfg.networks.some((c) => c.network === network && !c.livemode && c.enabled) &&
    !env[`${network.toUpperCase()}_TEST_RPC_URL`];
  const stateDir = path.join(cfg.dataDir, "devnet");
  const blockMs = (network: string) => Number(env[`DEVNET_${network.toUpperCase()}_BLOCK_MS`] || 1000);
  const port = (name: string) => (env[name] ? Number(env[name]) : undefined);
  // test stacks start from a prepared chain (made by the first of them)
  const template = (network: string) => (env.DEVNET_UTXO_TEMPLATE_DIR ? path.join(env.DEVNET_UTXO_TEMPLATE_DIR, network) : undefined);
  const started = await Promise.allSettled([
    wanted("bitcoin")
      ? startBitcoinDevnet({ stateDir, port: port("DEVNET_BITCOIN_PORT"), walletPort: port("DEVNET_BITCOIN_WALLET_PORT"), blockMs: blockMs("bitcoin"), template: template("bitcoin"), log })
      : undefined,
    wanted("litecoin") && litecoindBinary()
      ? startLitecoinDevnet({ stateDir, port: port("DEVNET_LITECOIN_PORT"), blockMs: blockMs("litecoin"), template: template("litecoin"), log })
      : undefined,
  ]);
  const out: { bitcoin?: UtxoDevnet; litecoin?: UtxoDevnet } = {};
  for (const r of started) {
    if (r.status === "fulfilled" && r.value) {
      out[r.value.network] = r.value;
      cleanups.push(() => r.value!.stop());
    }
  }
  const failed = started.find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  if (wanted("litecoin") && !litecoindBinary()) {
    log(LITECOIND_MISSING);
    // the web and worker processes leave litecoin:test off rather than watch a node that is not there
    env.LITECOIN_TEST_ENABLED = "0";
  }
  return out;
}

/** Runs fn with lib/db pointed at url, then releases the pool (the launcher holds no connections). */
async function withDatabase<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    return await fn();
  } finally {
    await closeDb();
    if (before === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before;
  }
}

async function waitForHttp(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => { exited = true; });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child.name} exited before answering ${url}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
