// The assets a Solana chain (ChainConfig) accepts: configured SPL mints and native SOL.
import type { ChainConfig } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";

export type SolanaAsset = { code: string; asset: string; decimals: number; /** null = native SOL */ mint: string | null };

/** How a payer names native SOL as `inputTokenMint`: the System Program id or the wrapped-SOL mint. */
export const NATIVE_SOL_MARKERS: ReadonlySet<string> = new Set([
  "11111111111111111111111111111111",
  "So11111111111111111111111111111111111111112",
]);

export function solanaAssets(chain: ChainConfig): SolanaAsset[] {
  const spec = networkSpec(chain.network);
  return (spec?.assets ?? []).flatMap((a) => (a.code in chain.assets
    ? [{ code: a.code, asset: a.asset, decimals: a.decimals, mint: chain.assets[a.code] }]
    : []));
}

/** The asset `inputTokenMint` names on this chain, if it is accepted. */
export function solanaAssetFor(chain: ChainConfig, inputTokenMint: string): SolanaAsset | undefined {
  const assets = solanaAssets(chain);
  if (NATIVE_SOL_MARKERS.has(inputTokenMint)) return assets.find((a) => a.mint === null);
  return assets.find((a) => a.mint === inputTokenMint);
}
