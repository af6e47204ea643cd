// The currency table of API.md: one row per asset-on-network, enabled by configuration.
import { chainFor } from "@/lib/config";
import { NETWORKS, type AssetSpec } from "@/lib/config/networks";

export type CurrencyRow = {
  code: string;
  asset: string;
  network: string;
  chainId: number | null;
  standard: AssetSpec["standard"];
  /** token contract (EVM, Tron); null for native coins and Solana */
  contract: string | null;
  /** SPL mint (Solana); null elsewhere */
  mint: string | null;
  decimals: number;
  minAmount: string;
  enabled: boolean;
};

export function listCurrencies(livemode: boolean): CurrencyRow[] {
  const rows: CurrencyRow[] = [];
  for (const spec of NETWORKS) {
    const chain = chainFor(spec.name, livemode);
    for (const a of spec.assets) {
      const available = chain?.enabled === true && a.code in chain.assets;
      if (a.listOnlyWhenEnabled && !available) continue;
      const address = chain && a.code in chain.assets ? chain.assets[a.code] : livemode ? a.contract : null;
      rows.push({
        code: a.code,
        asset: a.asset,
        network: spec.name,
        // networks with a catalogue chain id (the EVM ones) report the configured one
        chainId: spec.chainId !== null ? (chain?.chainId ?? spec.chainId) : null,
        standard: a.standard,
        contract: a.standard === "spl" ? null : address,
        mint: a.standard === "spl" ? address : null,
        decimals: a.decimals,
        minAmount: a.minAmount,
        enabled: available,
      });
    }
  }
  return rows;
}
