// Which asset a credit is in: a configured token contract or the network's native coin, with
// decimals from the network table (lib/config/networks).
import { wireAddress } from "@/lib/addresses";
import type { ChainConfig } from "@/lib/config";
import { networkSpec, type AssetSpec } from "@/lib/config/networks";

export type CreditAsset = { code: string; asset: string; decimals: number; contract: `0x${string}` | null };

/** Stablecoins that settle 1:1 with each other (scaled by decimals) for sessions. */
export const USD_STABLECOINS: ReadonlySet<string> = new Set(["USDC", "USDT"]);

/** Token contracts (0x lower-case hex: the JSON-RPC form, also for Tron) and the native coin configured on a chain. */
export function chainAssets(chain: ChainConfig): { tokens: Map<string, CreditAsset>; native: CreditAsset | null } {
  const spec = networkSpec(chain.network);
  const tokens = new Map<string, CreditAsset>();
  let native: CreditAsset | null = null;
  for (const a of spec?.assets ?? []) {
    if (!(a.code in chain.assets)) continue;
    const contract = chain.assets[a.code];
    if (contract === null) native = { code: a.code, asset: a.asset, decimals: a.decimals, contract: null };
    else {
      const wire = wireAddress(contract);
      tokens.set(wire, { code: a.code, asset: a.asset, decimals: a.decimals, contract: wire });
    }
  }
  return { tokens, native };
}

/** The network table's entry for a deposit's asset code. */
export function assetSpec(network: string, code: string): AssetSpec | undefined {
  return networkSpec(network)?.assets.find((a) => a.code === code);
}
