// Local EVM devnet: one anvil per supported network, each with mock USDC/USDT
// at fixed addresses. Used by `npm start` (scripts/devnet.ts) and the tests.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { startAnvil, type AnvilProcess } from "./anvil-process";
import { ensureDevnetTokens } from "./deploy-tokens";
import { ensureDevnetEns } from "./ens";
import { DEVNET_EVM_CHAINS, DEVNET_EXTRA_TOKEN_ADDRESSES, DEVNET_TOKEN_ADDRESSES, type DevnetExtraTokenSymbol, type DevnetNetwork, type DevnetTokenSymbol } from "./evm-constants";

export {
  DEVNET_EVM_CHAINS,
  DEVNET_INITIAL_MINT_BASE_UNITS,
  DEVNET_MNEMONIC,
  DEVNET_EXTRA_DEPLOYER_SEED,
  DEVNET_EXTRA_TOKEN_ADDRESSES,
  DEVNET_EXTRA_TOKENS,
  DEVNET_TOKEN_ADDRESSES,
  DEVNET_TOKENS,
} from "./evm-constants";
export { devnetDeployer, mintDevnetToken, standardAccounts } from "./deploy-tokens";
export { freePort, freePorts } from "./free-port";

export type DevnetChain = {
  network: DevnetNetwork;
  chainId: number;
  rpcUrl: string;
  port: number;
  tokens: Record<DevnetTokenSymbol | DevnetExtraTokenSymbol, `0x${string}`>;
};
export type EvmDevnet = { chains: DevnetChain[]; stop(): Promise<void> };

export type StartEvmDevnetOptions = {
  /** Persist chain state in `<stateDir>/<network>.json`; omitted = ephemeral chains. */
  stateDir?: string;
  /** Only these networks (default: every DEVNET_EVM_CHAINS entry), in that table's order. */
  networks?: DevnetNetwork[];
  /** One port per started network, same order; defaults to their defaultPort. */
  ports?: number[];
  /** Interval mining period (default 1 s) so the head keeps advancing like a real chain. */
  blockTimeSeconds?: number;
  /** How often the state file is rewritten besides at stop (default 5 s), bounding loss on a crash. */
  stateIntervalSeconds?: number;
  log?: (msg: string) => void;
};

export async function startEvmDevnet(opts: StartEvmDevnetOptions = {}): Promise<EvmDevnet> {
  const log = opts.log ?? (() => {});
  const blockTimeSeconds = opts.blockTimeSeconds ?? 1;
  if (!(blockTimeSeconds > 0)) throw new Error(`blockTimeSeconds must be > 0, got ${blockTimeSeconds}`);
  const chosen = DEVNET_EVM_CHAINS.filter((c) => !opts.networks || opts.networks.includes(c.network));
  const ports = opts.ports ?? chosen.map((c) => c.defaultPort);
  if (ports.length !== chosen.length) {
    throw new Error(`ports must list ${chosen.length} ports (${chosen.map((c) => c.network).join(", ")})`);
  }
  const stateDir = opts.stateDir ? resolve(opts.stateDir) : undefined;
  if (stateDir) mkdirSync(stateDir, { recursive: true });

  const started = Date.now();
  const processes: AnvilProcess[] = [];
  // allSettled rather than all: if one chain fails we still need a handle on the
  // other's process to shut it down instead of leaking it.
  const results = await Promise.allSettled(
    chosen.map(async (c, i): Promise<DevnetChain> => {
      const port = ports[i] as number;
      const proc = await startAnvil({
        label: c.network,
        port,
        chainId: c.chainId,
        blockTimeSeconds,
        stateFile: stateDir ? join(stateDir, `${c.network}.json`) : undefined,
        stateIntervalSeconds: opts.stateIntervalSeconds,
      });
      processes.push(proc);
      const tokens = await ensureDevnetTokens(proc.rpcUrl, c.chainId, { stablecoinDecimals: c.stablecoinDecimals, extras: true });
      // ENS lives on Ethereum: GET /v1/resolve reads it
      if (c.network === "ethereum") await ensureDevnetEns(proc.rpcUrl, c.chainId);
      log(
        `${c.network} (chain ${c.chainId}) on ${proc.rpcUrl}: ` +
          (tokens.deployed ? `deployed USDC/USDT/USDC.e/LINK in ${tokens.ms} ms` : "tokens found in persisted state"),
      );
      return { network: c.network, chainId: c.chainId, rpcUrl: proc.rpcUrl, port, tokens: { ...DEVNET_TOKEN_ADDRESSES, ...DEVNET_EXTRA_TOKEN_ADDRESSES } };
    }),
  );

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= Promise.all(processes.map((p) => p.stop())).then(() => log("EVM devnet stopped")));

  const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    await stop();
    const messages = failures.map((f) => (f instanceof Error ? f.message : String(f)));
    throw new Error(`EVM devnet failed to start:\n${messages.join("\n")}`, { cause: failures[0] });
  }
  log(`EVM devnet ready in ${Date.now() - started} ms${stateDir ? ` (state in ${stateDir})` : " (ephemeral)"}`);
  const chains = results.map((r) => (r as PromiseFulfilledResult<DevnetChain>).value);
  return { chains, stop };
}
