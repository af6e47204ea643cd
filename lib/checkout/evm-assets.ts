// Which EVM chains and tokens a checkout may use: the enabled networks of the mode, and the asset
// contracts configured on them (lib/config), with symbol and decimals from lib/config/networks.
import { getAddress } from "viem";
import { isNativeToken, NATIVE_TOKEN } from "./native-token";
import { chainsOfFamily } from "@/lib/chains/registry";
import type { ChainConfig } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";

export type EvmAsset = { address: `0x${string}`; symbol: string; decimals: number; code: string };
export { isNativeToken, NATIVE_TOKEN } from "./native-token";

export function enabledEvmChains(livemode: boolean): ChainConfig[] {
  return chainsOfFamily("evm", livemode).filter((c) => c.chainId !== null);
}

export function enabledEvmChain(livemode: boolean, chainId: number): ChainConfig | undefined {
  return enabledEvmChains(livemode).find((c) => c.chainId === chainId);
}

type ChainAssets = { list: readonly EvmAsset[]; byAddress: ReadonlyMap<string, EvmAsset> };
// per chain configuration object (config() is loaded once and never changed in place)
const assetsOf = new WeakMap<ChainConfig, ChainAssets>();

function chainAssets(chain: ChainConfig): ChainAssets {
  let found = assetsOf.get(chain);
  if (!found) {
    const list: EvmAsset[] = [];
    for (const a of networkSpec(chain.network)?.assets ?? []) {
      const contract = chain.assets[a.code];
      if (contract) list.push({ address: getAddress(contract), symbol: a.asset, decimals: a.decimals, code: a.code });
    }
    found = { list, byAddress: new Map(list.map((a) => [a.address.toLowerCase(), a])) };
    assetsOf.set(chain, found);
  }
  return found;
}

/** The token contracts (never the native coin) configured on a chain. */
export function evmAssets(chain: ChainConfig): EvmAsset[] {
  return [...chainAssets(chain).list];
}

/** The configured asset at `tokenAddress` (any letter case; the zero address: the native coin), or undefined. */
export function evmAsset(chain: ChainConfig, tokenAddress: string): EvmAsset | undefined {
  if (isNativeToken(tokenAddress)) return nativeEvmAsset(chain);
  return chainAssets(chain).byAddress.get(tokenAddress.toLowerCase());
}

/** The chain's native coin as a checkout asset (at NATIVE_TOKEN), when configured. */
export function nativeEvmAsset(chain: ChainConfig): EvmAsset | undefined {
  const spec = networkSpec(chain.network)?.assets.find((a) => a.contract === null && a.code in chain.assets);
  return spec ? { address: NATIVE_TOKEN, symbol: spec.asset, decimals: spec.decimals, code: spec.code } : undefined;
}
