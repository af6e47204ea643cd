// The checkout page's EVM choices: the stablecoins and the native coin of every enabled EVM chain
// of the mode, in configuration order, paid by wallet or by hand to the session's EVM receiver.
// The page offers those that pay the checkout (tokenCounts): stablecoins for a stablecoin
// session, the very coin for a native-coin one.
import type { TokenChoice } from "@/components/checkout/types";
import { enabledEvmChains, evmAssets, nativeEvmAsset } from "@/lib/checkout/evm-assets";
import { networkSpec } from "@/lib/config/networks";

const STABLECOINS = new Set(["USDC", "USDT"]);

export function evmChoices(livemode: boolean): TokenChoice[] {
  return enabledEvmChains(livemode).flatMap((chain) => {
    const spec = networkSpec(chain.network);
    if (!spec || chain.chainId === null) return [];
    const native = nativeEvmAsset(chain);
    return [...evmAssets(chain).filter((a) => STABLECOINS.has(a.symbol)), ...(native ? [native] : [])].map((a): TokenChoice => {
      // polygon has native USDC and bridged USDC.e: the payer must tell them apart
      const bridged = spec.assets.find((s) => s.code === a.code)?.testKey === "USDC_E";
      return {
        family: "evm",
        chainId: chain.chainId!,
        network: chain.network,
        networkName: spec.displayName,
        tokenAddress: a.address,
        label: bridged ? `${a.symbol}.e` : a.symbol,
        symbol: a.symbol,
        decimals: a.decimals,
        // test networks (the devnet) have no public explorer
        explorerTx: livemode ? spec.explorerTx : null,
      };
    });
  });
}
