// Which EVM chains and tokens a checkout may use: the enabled networks of the mode, and the asset
// contracts configured on them (lib/config), with symbol and decimals from lib/config/networks.
import { getAddress } from "viem";
import { config, type ChainConfig } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";

export type EvmAsset = { address: `0x${string}`; symbol: string; decimals: number; code: string };

export function enabledEvmChains(livemode: boolean): ChainConfig[] {
  return config().networks.filter((c) => c.family === "evm" && c.enabled && c.livemode === livemode && c.chainId !== null);
}

export function enabledEvmChain(livemode: boolean, chainId: number): ChainConfig | undefined {
  return enabledEvmChains(livemode).find((c) => c.chainId === chainId);
}

/** The token contracts (never the native coin) configured on a chain. */
export function evmAssets(chain: ChainConfig): EvmAsset[] {
  const spec = networkSpec(chain.network);
  if (!spec) return [];
  const out: EvmAsset[] = [];
  for (const a of spec.assets) {
    const contract = chain.assets[a.code];
    if (!contract) continue;
    out.push({ address: getAddress(contract), symbol: a.asset, decimals: a.decimals, code: a.code });
  }
  return out;
}

/** The configured asset at `tokenAddress` (any letter case), or undefined. */
export function evmAsset(chain: ChainConfig, tokenAddress: string): EvmAsset | undefined {
  const want = tokenAddress.toLowerCase();
  return evmAssets(chain).find((a) => a.address.toLowerCase() === want);
}
