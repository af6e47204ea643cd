// The one place that reads environment variables. Every variable is documented in README.md.
import path from "node:path";
import { NETWORKS, type NetworkFamily, type NetworkName } from "./networks";
import { DEVNET_EVM_CHAINS, DEVNET_TOKEN_ADDRESSES } from "../devnet/evm-constants";
import { DEVNET_SOLANA_DEFAULT_PORT, DEVNET_SOLANA_MINTS } from "../devnet/solana-mints";

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
  enabled: boolean;
  /** asset code → contract (null for the native coin); codes missing here are not available */
  assets: Record<string, string | null>;
};

export type AppConfig = {
  mode: "test" | "live";
  dataDir: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  logLevel: string;
  devnet: boolean;
  rateLimit: { perSecond: number; burst: number };
  workerHeartbeatMaxAgeSeconds: number;
  networks: ChainConfig[];
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

function urls(v: string | undefined): string[] {
  return (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

function chainConfigs(env: Env, mode: "test" | "live", devnet: boolean): ChainConfig[] {
  const out: ChainConfig[] = [];
  for (const spec of NETWORKS) {
    const P = spec.name.toUpperCase();
    for (const livemode of [true, false]) {
      const pre = livemode ? `${P}_` : `${P}_TEST_`;
      const dn = DEVNET_EVM_CHAINS.find((d) => d.network === spec.name);
      const devnetPort = spec.name === "solana" ? DEVNET_SOLANA_DEFAULT_PORT : dn?.defaultPort;
      const onDevnet = !livemode && devnet && devnetPort !== undefined;
      const devnetUrl = onDevnet ? `http://127.0.0.1:${int(env, `DEVNET_${P}_PORT`, devnetPort, 1)}` : undefined;
      const devnetTokens: Partial<Record<string, string>> = spec.family === "solana" ? DEVNET_SOLANA_MINTS : DEVNET_TOKEN_ADDRESSES;
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
      const chainId = spec.family === "evm"
        ? livemode ? spec.chainId : onDevnet && dn && !env[`${pre}CHAIN_ID`] ? dn.chainId : int(env, `${pre}CHAIN_ID`, 0) || null
        : null;
      // A network is on when this build can watch it and it has an RPC; the mode gates live networks.
      const wanted = bool(env[`${pre}ENABLED`], rpcUrls.length > 0);
      const enabled = spec.supported && wanted && rpcUrls.length > 0 && (livemode ? mode === "live" : true) && (spec.family !== "evm" || chainId !== null);
      out.push({
        key: livemode ? spec.name : `${spec.name}:test`,
        network: spec.name,
        family: spec.family,
        livemode,
        chainId,
        rpcUrls,
        publicRpcUrl: env[`${pre}PUBLIC_RPC_URL`] || devnetUrl || rpcUrls[0] || null,
        confirmations: int(env, `${pre}CONFIRMATIONS`, onDevnet ? 1 : spec.defaultConfirmations, 0),
        maxLagSeconds: int(env, `${pre}MAX_LAG_SECONDS`, onDevnet ? 10 : spec.defaultMaxLagSeconds, 1),
        enabled,
        assets,
      });
    }
  }
  return out;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const mode = (env.TOLLGATE_MODE ?? "test").toLowerCase();
  if (mode !== "test" && mode !== "live") throw new Error(`TOLLGATE_MODE must be "test" or "live", got "${env.TOLLGATE_MODE}"`);
  const devnet = bool(env.TOLLGATE_DEVNET, mode === "test");
  const port = int(env, "PORT", 3000, 1);
  const perSecond = int(env, "TOLLGATE_RATE_LIMIT", 100, 1);
  return {
    mode,
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.TOLLGATE_DATA_DIR ?? ".data"),
    port,
    publicUrl: (env.TOLLGATE_PUBLIC_URL || env.AUTH_URL || `http://localhost:${port}`).replace(/\/+$/, ""),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? "info",
    devnet,
    rateLimit: { perSecond, burst: int(env, "TOLLGATE_RATE_LIMIT_BURST", perSecond * 2, 1) },
    workerHeartbeatMaxAgeSeconds: int(env, "TOLLGATE_HEARTBEAT_MAX_AGE", 30, 1),
    networks: chainConfigs(env, mode, devnet),
  };
}

let cached: AppConfig | undefined;
/** Process-wide configuration, read once from the environment at first use (at run time, never at build time). */
export function config(): AppConfig {
  cached ??= loadConfig();
  return cached;
}

export function chainFor(network: string, livemode: boolean): ChainConfig | undefined {
  return config().networks.find((c) => c.network === network && c.livemode === livemode);
}

export function enabledChains(): ChainConfig[] {
  return config().networks.filter((c) => c.enabled);
}
