// The checkout page's Bitcoin/Litecoin choices: the native coin of each enabled chain of the mode,
// paid by hand or by scanning the BIP21 QR (components/checkout/families.tsx) to the checkout's own
// receiver: a seed-004 payment priced in that coin, or a USD-stablecoin session at a quoted price
// (ChainFamily.quotedSessions: the amount comes from the session's quote, paymentMethod.quote).
import type { TokenChoice } from "@/components/checkout/types";
import { NATIVE_TOKEN } from "@/lib/checkout/native-token";
import { config } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";

/** Stands in for a chain id (these chains have none): Bitcoin's SLIP-44 coin type 0, Litecoin's 2, as 0x1b000 + type. */
const CHOICE_CHAIN_ID: Record<string, number> = { bitcoin: 0x1b000, litecoin: 0x1b002 };

export function bitcoinChoices(livemode: boolean): TokenChoice[] {
  return config().networks.filter((c) => c.enabled && c.livemode === livemode && c.family === "bitcoin").flatMap((chain) => {
    const spec = networkSpec(chain.network);
    const native = spec?.assets.find((a) => a.contract === null && a.code in chain.assets);
    if (!spec || !native) return [];
    return [{
      family: "bitcoin" as const, chainId: CHOICE_CHAIN_ID[chain.network] ?? 0x1b0ff, network: chain.network, networkName: spec.displayName,
      tokenAddress: NATIVE_TOKEN, label: native.asset, symbol: native.asset, decimals: native.decimals, explorerTx: livemode ? spec.explorerTx : null,
    }];
  });
}
