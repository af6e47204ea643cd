// The one place that reads environment variables. Every variable is documented in README.md.
import path from "node:path";
import { NETWORKS, type NetworkFamily, type NetworkName } from "./networks";
import { DEVNET_ENS_REGISTRY, DEVNET_EVM_CHAINS, DEVNET_EXTRA_TOKEN_ADDRESSES, DEVNET_TOKEN_ADDRESSES } from "../devnet/evm-constants";
import { DEVNET_SOLANA_DEFAULT_PORT, DEVNET_SOLANA_MINTS } from "../devnet/solana-mints";
import { DEVNET_TRON_CHAIN, DEVNET_TRON_TOKEN_ADDRESSES } from "../devnet/tron-constants";
import { DEVNET_TON_DEFAULT_PORT, DEVNET_TON_DNS_ROOT, DEVNET_TON_JETTON_MASTER } from "../devnet/ton-constants";
import { DEVNET_BECH32_HRP, DEVNET_BITCOIN_DEFAULT_PORT, DEVNET_LITECOIN_DEFAULT_PORT, devnetUtxoUrl } from "../devnet/utxo-constants";

export type ChainConfig = {
  /** "ethereum" (live) or "ethereum:test" */
  key: string;
  network: NetworkName;
  family: NetworkFamily;
  livemode: boolean;
  chainId: number | null;
  rpcUrls: string[];
  /**
   * The RPC URL browsers may call (the checkout page's Solana wallet flow): `<NET>_PUBLIC_RPC_URL`,
   * else the devnet's, else the first of rpcUrls — set it when that URL carries an API key.
   */
  publicRpcUrl: string | null;
  confirmations: number;
  maxLagSeconds: number;
  /**
   * A transaction we sent that is still not mined after this many blocks and seconds (counted
   * from signing), while its nonce is the sender's next, is replaced: same nonce and call, fees
   * raised ≥ 12.5 % (EVM). Defaults: replaceAfter() below.
   */
  replaceAfter?: { blocks: number; seconds: number };
  /** /healthz lists a sender whose oldest unfinished transaction is older than this many seconds */
  stallAlertSeconds?: number;
  enabled: boolean;
  /** asset code → contract (null for the native coin); codes missing here are not available */
  assets: Record<string, string | null>;
  /** ENS registry GET /v1/resolve reads (Ethereum only); null = no name resolution */
  ensRegistry?: string | null;
  /** Tron only: how signed transactions reach the network */
  tron?: TronSendConfig;
  /** TON only: the root DNS resolver GET /v1/resolve asks for `.ton` names; null = no name resolution */
  tonDnsRoot?: string | null;
  /** TON only: the toncenter API key (X-API-Key; without one toncenter allows 1 request a second) */
  tonApiKey?: string;
  /** UTXO networks (Bitcoin, Litecoin): the bech32 prefix of the chain's native segwit addresses (bc, tb, rb on the bcoin devnet; ltc, tltc, rltc) */
  bech32Hrp?: string;
  /**
   * EVM: forward tokens by EIP-7702 batch sweeps (lib/chains/evm/sweeper) — `<NET>_DELEGATED_SWEEPS`,
   * on by default where the network takes type-4 transactions (NetworkSpec.eip7702)
   */
  delegatedSweeps?: boolean;
  /** UTXO networks: the fee rate (sat/vB) our transactions pay when the node's estimator has no estimate (regtest never has one) */
  fallbackFeeRate?: number;
};

/** The root DNS resolver of TON mainnet (blockchain config parameter 4). */
const MAINNET_TON_DNS_ROOT = "Ef_lZ1T4NCb2mwkme9h2rJfESCE0W34ma9lWp7-_uY3zXDvq";

/** The UTXO devnets' default JSON-RPC ports (their URLs carry the devnet's credentials: lib/devnet/utxo-constants). */
const DEVNET_UTXO_PORTS: Partial<Record<NetworkName, number>> = { bitcoin: DEVNET_BITCOIN_DEFAULT_PORT, litecoin: DEVNET_LITECOIN_DEFAULT_PORT };

/** The ENS registry on Ethereum mainnet (the same address on every ENS deployment since 2020). */
const MAINNET_ENS_REGISTRY = "0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e";

/**
 * `trongrid`: Tron-native transactions built and signed offline with tronweb, broadcast through
 * a TronGrid-compatible HTTP API (mainnet, Nile, Shasta). `jsonrpc`: EVM-signed transactions sent
 * with eth_sendRawTransaction, which only the anvil-backed Tron devnet accepts.
 */
export type TronSendConfig = {
  sender: "trongrid" | "jsonrpc"; apiUrl: string; apiKey: string | undefined;
  /**
   * TRON_STAKE_TRX (TRON_TEST_STAKE_TRX), in sun: how much of the hot wallet's TRX the worker keeps
   * staked for energy (Stake 2.0), lent to receivers for their token transfers so they burn no TRX.
   * 0: no staking (staked TRX the wallet already has is still used).
   */
  stakeSun: bigint;
};

export type AppConfig = {
  mode: "test" | "live";
  dataDir: string;
  port: number;
  /** how long the web server keeps an idle keep-alive connection open (next start --keepAliveTimeout) */
  keepAliveMs: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  logLevel: string;
  devnet: boolean;
  rateLimit: { perSecond: number; burst: number };
  /** anonymous and client-secret callers: one token bucket per client IP (lib/api/ip-rate-limit.ts) */
  ipRateLimit: { perSecond: number; burst: number };
  /** peers whose X-Forwarded-For is believed (IP addresses; "loopback" for 127.0.0.1 and ::1) */
  trustedProxies: string[];
  /** request bodies above this many bytes → 413 before parsing */
  bodyLimitBytes: number;
  /** per checkout session: payment-method choices, and Solana references still open */
  sessionCaps: { paymentMethodChanges: number; openReferences: number };
  workerHeartbeatMaxAgeSeconds: number;
  /** how often the worker compares on-chain holdings with what merchants are owed (lib/ledger/solvency) */
  solvencyIntervalMs: number;
  /** how often the watchers' receiver sets are rebuilt from the database (drops closed windows, picks up receivers an incremental refresh missed) */
  receiversRebuildMs: number;
  /** who may open a merchant account: anyone, or only holders of an operator's invitation (the first account is always allowed) */
  signup: "open" | "invite";
  /** GET /metrics requires this bearer token when set (TOLLGATE_METRICS_TOKEN) */
  metricsToken: string | undefined;
  networks: ChainConfig[];
  rates: RatesConfig;
};

/** Where fiat prices come from (lib/rates). */
export type RatesConfig = {
  provider: "static" | "coingecko" | "coinbase";
  coingeckoUrl: string;
  coingeckoApiKey: string | undefined;
  coinbaseUrl: string;
  timeoutMs: number;
  /** how long a fetched quote is valid (FLOATING payments; FIXED ones lock theirs for their lifetime) */
  quoteTtlSeconds: number;
  /** static provider: asset → display currency → price; undefined = the devnet default table */
  staticTable: Record<string, Record<string, string>> | undefined;
};

type Env = Record<string, string | undefined>;

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined || v === "") return dflt;
  return ["1", "true", "yes", "on"].includes(v.toLowerCase());
}

function int(env: Env, name: string, dflt: number, min = 0): number {
  const v = env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

function ratesConfig(env: Env, mode: "test" | "live", devnet: boolean): RatesConfig {
  const provider = (env.RATES_PROVIDER || (mode === "test" && devnet ? "static" : "coingecko")).toLowerCase();
  if (provider !== "static" && provider !== "coingecko" && provider !== "coinbase") {
    throw new Error(`RATES_PROVIDER must be "static", "coingecko" or "coinbase", got "${env.RATES_PROVIDER}"`);
  }
  let staticTable: RatesConfig["staticTable"];
  if (env.RATES_STATIC_TABLE) {
    try {
      staticTable = JSON.parse(env.RATES_STATIC_TABLE) as Record<string, Record<string, string>>;
    } catch {
      throw new Error("RATES_STATIC_TABLE must be JSON such as {\"ETH\":{\"USD\":\"3000\"}}");
    }
  }
  return {
    provider,
    coingeckoUrl: env.RATES_COINGECKO_URL || "https://api.coingecko.com",
    coingeckoApiKey: env.RATES_COINGECKO_API_KEY || undefined,
    coinbaseUrl: env.RATES_COINBASE_URL || "https://api.coinbase.com",
    timeoutMs: int(env, "RATES_TIMEOUT_MS", 5000, 1),
    quoteTtlSeconds: int(env, "RATES_QUOTE_TTL_SECONDS", 300, 1),
    staticTable,
  };
}

function urls(v: string | undefined): string[] {
  return (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/** The devnet's token contracts / mints by network (test keys USDC, USDT, USDC_E, LINK); EVM networks share one set. */
const DEVNET_EVM_TOKENS: Partial<Record<string, string>> = { ...DEVNET_TOKEN_ADDRESSES, ...DEVNET_EXTRA_TOKEN_ADDRESSES };
const DEVNET_TOKENS: Partial<Record<NetworkName, Partial<Record<string, string>>>> = {
  tron: DEVNET_TRON_TOKEN_ADDRESSES,
  solana: DEVNET_SOLANA_MINTS,
  ton: { USDT: DEVNET_TON_JETTON_MASTER },
};

function chainConfigs(env: Env, mode: "test" | "live", devnet: boolean): ChainConfig[] {
  const out: ChainConfig[] = [];
  for (const spec of NETWORKS) {
    const P = spec.name.toUpperCase();
    for (const livemode of [true, false]) {
      const pre = livemode ? `${P}_` : `${P}_TEST_`;
      const dn = spec.name === "tron" ? DEVNET_TRON_CHAIN : DEVNET_EVM_CHAINS.find((d) => d.network === spec.name);
      const devnetPort = spec.name === "solana" ? DEVNET_SOLANA_DEFAULT_PORT : spec.name === "ton" ? DEVNET_TON_DEFAULT_PORT : DEVNET_UTXO_PORTS[spec.name] ?? dn?.defaultPort;
      const onDevnet = !livemode && devnet && devnetPort !== undefined;
      const utxoDevnet = spec.name in DEVNET_UTXO_PORTS;
      // TON's devnet serves toncenter's v2 API: its JSON-RPC endpoint is the URL (as toncenter's https://toncenter.com/api/v2/jsonRPC)
      const devnetUrl = !onDevnet ? undefined
        : utxoDevnet ? devnetUtxoUrl(int(env, `DEVNET_${P}_PORT`, devnetPort, 1))
        : `http://127.0.0.1:${int(env, `DEVNET_${P}_PORT`, devnetPort, 1)}${spec.name === "ton" ? "/jsonRPC" : ""}`;
      const devnetTokens: Partial<Record<string, string>> = DEVNET_TOKENS[spec.name] ?? DEVNET_EVM_TOKENS;
      const rpcUrls = urls(env[`${pre}RPC_URL`] ?? devnetUrl);
      const assets: Record<string, string | null> = {};
      for (const a of spec.assets) {
        if (a.contract === null) assets[a.code] = null;
        else if (livemode) assets[a.code] = env[`${pre}${a.testKey ?? a.asset}_ADDRESS`] ?? a.contract;
        else {
          const override = env[`${pre}${a.testKey ?? a.asset}_ADDRESS`];
          const devnetToken = onDevnet && a.testKey ? devnetTokens[a.testKey] : undefined;
          const c = override ?? devnetToken;
          if (c) assets[a.code] = c;
        }
      }
      // networks with a catalogue chain id (the EVM ones) sign for one; the test network's comes from the devnet or the environment
      const chainId = spec.chainId !== null
        ? livemode ? spec.chainId : onDevnet && dn && !env[`${pre}CHAIN_ID`] ? dn.chainId : int(env, `${pre}CHAIN_ID`, 0) || null
        : null;
      // A network is on when this build can watch it and it has an RPC; the mode gates live networks.
      const wanted = bool(env[`${pre}ENABLED`], rpcUrls.length > 0);
      // EVM networks also need a chain id (transactions are signed for it); Tron's and Solana's RPCs have none of ours
      const enabled = spec.supported && wanted && rpcUrls.length > 0 && (livemode ? mode === "live" : true) && (spec.chainId === null || chainId !== null);
      out.push({
        key: livemode ? spec.name : `${spec.name}:test`,
        network: spec.name,
        family: spec.family,
        livemode,
        chainId,
        rpcUrls,
        // a UTXO node's RPC carries credentials: never handed to browsers
        publicRpcUrl: env[`${pre}PUBLIC_RPC_URL`] || (spec.bech32 ? null : devnetUrl || rpcUrls[0] || null),
        confirmations: int(env, `${pre}CONFIRMATIONS`, onDevnet ? 1 : spec.defaultConfirmations, 0),
        maxLagSeconds: int(env, `${pre}MAX_LAG_SECONDS`, onDevnet ? 10 : spec.defaultMaxLagSeconds, 1),
        replaceAfter: {
          blocks: int(env, `${pre}REPLACE_AFTER_BLOCKS`, onDevnet ? 2 : 3, 1),
          seconds: int(env, `${pre}REPLACE_AFTER_SECONDS`, onDevnet ? 3 : 180, 0),
        },
        stallAlertSeconds: int(env, `${pre}STALL_ALERT_SECONDS`, onDevnet ? 60 : 900, 1),
        enabled,
        assets,
        ensRegistry: spec.name !== "ethereum" ? null
          : env[`${pre}ENS_REGISTRY`] || (livemode ? MAINNET_ENS_REGISTRY : onDevnet ? DEVNET_ENS_REGISTRY : null),
        ...(spec.name === "tron" ? { tron: tronSendConfig(env, pre, onDevnet) } : {}),
        ...(spec.name === "ton" ? {
          tonDnsRoot: env[`${pre}DNS_ROOT`] || (livemode ? MAINNET_TON_DNS_ROOT : onDevnet ? DEVNET_TON_DNS_ROOT : null),
          tonApiKey: env[`${pre}API_KEY`] || undefined,
        } : {}),
        ...(spec.bech32 ? { bech32Hrp: env[`${pre}BECH32_HRP`] || (livemode ? spec.bech32.main : onDevnet && !env[`${pre}RPC_URL`] ? DEVNET_BECH32_HRP[spec.name as keyof typeof DEVNET_BECH32_HRP] : spec.bech32.test) } : {}),
        // only networks that take type-4 transactions can: the setting turns it off there
        delegatedSweeps: spec.eip7702 === true && bool(env[`${pre}DELEGATED_SWEEPS`], true),
        ...(spec.bech32 ? { fallbackFeeRate: int(env, `${pre}FALLBACK_FEE_RATE`, onDevnet ? 2 : 10, 1) } : {}),
      });
    }
  }
  return out;
}

function tronSendConfig(env: Env, pre: string, onDevnet: boolean): TronSendConfig {
  const sender = env[`${pre}SENDER`] ?? (onDevnet && !env[`${pre}RPC_URL`] ? "jsonrpc" : "trongrid");
  if (sender !== "trongrid" && sender !== "jsonrpc") throw new Error(`${pre}SENDER must be "trongrid" or "jsonrpc", got "${sender}"`);
  const apiUrl = (env[`${pre}API_URL`] || (pre === "TRON_" ? "https://api.trongrid.io" : "https://nile.trongrid.io")).replace(/\/+$/, "");
  const stake = env[`${pre}STAKE_TRX`] || "0";
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(stake)) throw new Error(`${pre}STAKE_TRX must be an amount of TRX (up to 6 decimals), got "${stake}"`);
  const [whole, frac = ""] = stake.split(".");
  return { sender, apiUrl, apiKey: env[`${pre}API_KEY`] || undefined, stakeSun: BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, "0")) };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const mode = (env.TOLLGATE_MODE ?? "test").toLowerCase();
  if (mode !== "test" && mode !== "live") throw new Error(`TOLLGATE_MODE must be "test" or "live", got "${env.TOLLGATE_MODE}"`);
  const devnet = bool(env.TOLLGATE_DEVNET, mode === "test");
  const port = int(env, "PORT", 3000, 1);
  const perSecond = int(env, "TOLLGATE_RATE_LIMIT", 100, 1);
  const ipPerSecond = int(env, "TOLLGATE_IP_RATE_LIMIT", 20, 1);
  return {
    mode,
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.TOLLGATE_DATA_DIR ?? ".data"),
    port,
    // above the idle timeouts of common load balancers (60 s) and client pools: the side that
    // closes an idle connection first races the other side's next request on it (ECONNRESET)
    keepAliveMs: int(env, "TOLLGATE_KEEP_ALIVE_MS", 65_000, 1),
    publicUrl: (env.TOLLGATE_PUBLIC_URL || env.AUTH_URL || `http://localhost:${port}`).replace(/\/+$/, ""),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? "info",
    devnet,
    rateLimit: { perSecond, burst: int(env, "TOLLGATE_RATE_LIMIT_BURST", perSecond * 2, 1) },
    ipRateLimit: { perSecond: ipPerSecond, burst: int(env, "TOLLGATE_IP_RATE_LIMIT_BURST", ipPerSecond * 2, 1) },
    trustedProxies: urls(env.TOLLGATE_TRUSTED_PROXIES),
    bodyLimitBytes: int(env, "TOLLGATE_BODY_LIMIT_BYTES", 1024 * 1024, 1),
    sessionCaps: {
      paymentMethodChanges: int(env, "TOLLGATE_SESSION_MAX_PAYMENT_METHOD_CHANGES", 20, 1),
      openReferences: int(env, "TOLLGATE_SESSION_MAX_OPEN_REFERENCES", 5, 1),
    },
    workerHeartbeatMaxAgeSeconds: int(env, "TOLLGATE_HEARTBEAT_MAX_AGE", 30, 1),
    solvencyIntervalMs: int(env, "TOLLGATE_SOLVENCY_INTERVAL_MS", 30_000, 100),
    receiversRebuildMs: int(env, "TOLLGATE_RECEIVERS_REBUILD_SECONDS", 600, 1) * 1000,
    signup: signupPolicy(env.TOLLGATE_SIGNUP, mode),
    metricsToken: env.TOLLGATE_METRICS_TOKEN || undefined,
    networks: chainConfigs(env, mode, devnet),
    rates: ratesConfig(env, mode, devnet),
  };
}

function signupPolicy(value: string | undefined, mode: "test" | "live"): "open" | "invite" {
  const v = (value ?? (mode === "live" ? "invite" : "open")).toLowerCase();
  if (v !== "open" && v !== "invite") throw new Error(`TOLLGATE_SIGNUP must be "open" or "invite", got "${value}"`);
  return v;
}

let cached: AppConfig | undefined;
/** Process-wide configuration, read once from the environment at first use (at run time, never at build time). */
export function config(): AppConfig {
  cached ??= loadConfig();
  return cached;
}

/** How long a sent transaction may stay unmined before it is replaced (ChainConfig.replaceAfter, or the live defaults). */
export function replaceAfter(chain: ChainConfig): { blocks: number; seconds: number } {
  return chain.replaceAfter ?? { blocks: 3, seconds: 180 };
}

export function stallAlertSeconds(chain: ChainConfig): number {
  return chain.stallAlertSeconds ?? 900;
}

export function chainFor(network: string, livemode: boolean): ChainConfig | undefined {
  return config().networks.find((c) => c.network === network && c.livemode === livemode);
}

export function enabledChains(): ChainConfig[] {
  return config().networks.filter((c) => c.enabled);
}
