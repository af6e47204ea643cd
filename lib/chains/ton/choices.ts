// TON's ways to pay a receiver of ours: the mode's USDT jetton first (what TON payers hold), then
// TON itself, paid by hand or by scanning a ton://transfer QR (with `jetton=<master>` for the
// jetton) to the checkout's TON receiver. The page offers those that pay the checkout: the
// stablecoin for a session, the one asset a seed-004 payment on TON is priced in.
import { TON_CHOICE_CHAIN_ID, type TokenChoice } from "@/components/checkout/types";
import { NATIVE_TOKEN } from "@/lib/checkout/native-token";
import { config } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { tonTokenForm } from "./address";

const rank = (a: { contract: string | null }) => (a.contract === null ? 1 : 0);

export function tonChoices(livemode: boolean): TokenChoice[] {
  const chain = config().networks.find((c) => c.enabled && c.livemode === livemode && c.family === "ton");
  const spec = chain && networkSpec(chain.network);
  if (!chain || !spec) return [];
  return spec.assets
    .filter((a) => (a.contract === null ? a.code in chain.assets : Boolean(chain.assets[a.code])))
    .sort((a, b) => rank(a) - rank(b))
    .map((a): TokenChoice => {
      const master = chain.assets[a.code];
      return {
        family: "ton", chainId: TON_CHOICE_CHAIN_ID, network: chain.network, networkName: spec.displayName,
        tokenAddress: master ? tonTokenForm(master) : NATIVE_TOKEN, label: a.asset, symbol: a.asset, decimals: a.decimals,
        explorerTx: livemode ? spec.explorerTx : null,
      };
    });
}
