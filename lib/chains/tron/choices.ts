// The checkout page's Tron choices: the TRC-20 stablecoins of the mode's Tron network, USDT first
// (it is what Tron payers hold), then TRX itself, paid by hand (QR) to the checkout's Tron
// receiver. The page offers those that pay the checkout: the stablecoins for a session, the one
// asset a seed-004 payment on Tron is priced in.
import { TRON_CHOICE_CHAIN_ID, type TokenChoice } from "@/components/checkout/types";
import { NATIVE_TOKEN } from "@/lib/checkout/native-token";
import { config } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";

const STABLECOINS = new Set(["USDC", "USDT"]);
const rank = (a: { asset: string; contract: string | null }) => (a.contract === null ? 2 : a.asset === "USDT" ? 0 : 1);

export function tronChoices(livemode: boolean): TokenChoice[] {
  const chain = config().networks.find((c) => c.enabled && c.livemode === livemode && c.family === "tron");
  const spec = networkSpec("tron");
  if (!chain || !spec) return [];
  return spec.assets
    .filter((a) => (a.contract === null ? a.code in chain.assets : STABLECOINS.has(a.asset) && chain.assets[a.code]))
    .sort((a, b) => rank(a) - rank(b))
    .map((a): TokenChoice => ({
      family: "tron", chainId: TRON_CHOICE_CHAIN_ID, network: "tron", networkName: spec.displayName,
      tokenAddress: chain.assets[a.code] ?? NATIVE_TOKEN, label: a.asset, symbol: a.asset, decimals: a.decimals,
      explorerTx: livemode ? spec.explorerTx : null,
    }));
}
