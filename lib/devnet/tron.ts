// Local Tron devnet: a dedicated anvil instance standing in for a Tron full node's
// Ethereum-style JSON-RPC (what the watcher reads), with the mock TRC-20 USDC/USDT deployed at
// fixed addresses (printed in Tron's base58check form). Forwarding on it sends EVM-signed
// transactions through eth_sendRawTransaction (TRON_TEST_SENDER=jsonrpc); Tron-native
// transactions are built and signed offline with tronweb and tested separately (README "Tron devnet").
import { join, resolve } from "node:path";
import { mkdirSync } from "node:fs";
import { startAnvil } from "./anvil-process";
import { ensureDevnetTokens } from "./deploy-tokens";
import { DEVNET_TRON_CHAIN, DEVNET_TRON_TOKEN_ADDRESSES } from "./tron-constants";

export { DEVNET_TRON_CHAIN, DEVNET_TRON_TOKEN_ADDRESSES } from "./tron-constants";

export type TronDevnet = {
  network: "tron";
  /** anvil's chain id (what EVM-signed devnet transactions are signed for) */
  chainId: number;
  rpcUrl: string;
  port: number;
  /** base58check */
  tokens: { USDC: string; USDT: string };
  stop(): Promise<void>;
};

export type StartTronDevnetOptions = {
  /** persist chain state in `<stateDir>/tron.json`; omitted = ephemeral */
  stateDir?: string;
  port?: number;
  /** interval mining period (default 1 s; Tron itself makes a block every 3 s) */
  blockTimeSeconds?: number;
  log?: (msg: string) => void;
};

export async function startTronDevnet(opts: StartTronDevnetOptions = {}): Promise<TronDevnet> {
  const log = opts.log ?? (() => {});
  const stateDir = opts.stateDir ? resolve(opts.stateDir) : undefined;
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  const port = opts.port ?? DEVNET_TRON_CHAIN.defaultPort;
  const proc = await startAnvil({
    label: "tron",
    port,
    chainId: DEVNET_TRON_CHAIN.chainId,
    blockTimeSeconds: opts.blockTimeSeconds ?? 1,
    stateFile: stateDir ? join(stateDir, "tron.json") : undefined,
  });
  try {
    const t = await ensureDevnetTokens(proc.rpcUrl, DEVNET_TRON_CHAIN.chainId);
    log(`tron (anvil-backed JSON-RPC, chain ${DEVNET_TRON_CHAIN.chainId}) on ${proc.rpcUrl}: ` +
      `${t.deployed ? `deployed TRC-20 USDC/USDT in ${t.ms} ms` : "tokens found in persisted state"} — ` +
      `USDT ${DEVNET_TRON_TOKEN_ADDRESSES.USDT}, USDC ${DEVNET_TRON_TOKEN_ADDRESSES.USDC}`);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return {
    network: "tron", chainId: DEVNET_TRON_CHAIN.chainId, rpcUrl: proc.rpcUrl, port,
    tokens: { ...DEVNET_TRON_TOKEN_ADDRESSES },
    stop: () => proc.stop(),
  };
}
