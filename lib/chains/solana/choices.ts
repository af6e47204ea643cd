// Solana's ways to pay a receiver of ours: the mode's SOL, USDC and USDT, paid by hand (a Solana Pay
// transfer request QR) to a seed-004 payment's own receiver. Sessions never list them: their payers
// pay the merchant directly on the Solana Pay step (load-checkout keeps them to payments).
import { SOLANA_CHOICE_CHAIN_ID, type TokenChoice } from "@/components/checkout/types";
import { NATIVE_TOKEN } from "@/lib/checkout/native-token";
import { config } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { solanaAssets } from "./assets";

export function solanaChoices(livemode: boolean): TokenChoice[] {
  const chain = config().networks.find((c) => c.enabled && c.livemode === livemode && c.family === "solana");
  const spec = chain && networkSpec(chain.network);
  if (!chain || !spec) return [];
  return solanaAssets(chain).map((a): TokenChoice => ({
    family: "solana", chainId: SOLANA_CHOICE_CHAIN_ID, network: chain.network, networkName: spec.displayName,
    tokenAddress: a.mint ?? NATIVE_TOKEN, label: a.asset, symbol: a.asset, decimals: a.decimals,
    explorerTx: livemode ? spec.explorerTx : null,
  }));
}
