// The checkout page's Tron choices: the TRC-20 stablecoins of the mode's Tron network, USDT first
// (it is what Tron payers hold), paid by hand (QR) to the session's Tron receiver.
import { TRON_CHOICE_CHAIN_ID, type TokenChoice } from "@/components/checkout/types";
import { config } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";

const STABLECOINS = new Set(["USDC", "USDT"]);

export function tronChoices(livemode: boolean): TokenChoice[] {
  const chain = config().networks.find((c) => c.enabled && c.livemode === livemode && c.family === "tron");
  const spec = networkSpec("tron");
  if (!chain || !spec) return [];
  return spec.assets
    .filter((a) => a.contract !== null && STABLECOINS.has(a.asset) && chain.assets[a.code])
    .sort((a, b) => (a.asset === "USDT" ? -1 : b.asset === "USDT" ? 1 : 0))
    .map((a): TokenChoice => ({
      family: "tron", chainId: TRON_CHOICE_CHAIN_ID, network: "tron", networkName: spec.displayName,
      tokenAddress: chain.assets[a.code]!, label: a.asset, symbol: a.asset, decimals: a.decimals,
      explorerTx: livemode ? spec.explorerTx : null,
    }));
}
