// Display facts about networks, assets and transactions for the dashboard's session pages: names,
// amounts as decimal text (through lib/money/units, the only base-unit conversion) and explorer
// links. Test networks have no public explorer, so their transactions get no link.
import { chainFor } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { formatAmount } from "@/lib/money/format";

/** "Ethereum", or "Ethereum (test)" for a test network. */
export function networkLabel(network: string, livemode: boolean): string {
  const name = networkSpec(network)?.displayName ?? network;
  return livemode ? name : `${name} (test)`;
}

/**
 * An amount for display through lib/money/format, the one formatter: grouped, at least two
 * fractional digits ("25.00", "0.000001", "1,234.50"), at most eight (18-decimal dust is cut).
 */
export function displayAmount(units: bigint, decimals: number): string {
  return formatAmount(units, { decimals, symbol: "" });
}

/** A transaction's page on the network's public explorer; null on test networks (no public explorer). */
export function explorerTxUrl(network: string, livemode: boolean, txHash: string): string | null {
  if (!livemode) return null;
  const base = networkSpec(network)?.explorerTx;
  // Tronscan names transactions by their bare txID
  return base ? `${base}${network === "tron" ? txHash.replace(/^0x/, "") : txHash}` : null;
}

export type AssetInfo = { symbol: string; decimals: number };

/** The asset of a deposit row: its currency code on its network. */
export function assetByCode(network: string, code: string): AssetInfo | undefined {
  const a = networkSpec(network)?.assets.find((x) => x.code === code);
  return a && { symbol: a.asset, decimals: a.decimals };
}

/**
 * The asset at a token contract on a network in a mode (the configured contracts: test networks
 * have their own), or the native coin for a null contract.
 */
export function assetByContract(network: string, livemode: boolean, tokenAddress: string | null): AssetInfo | undefined {
  const spec = networkSpec(network);
  if (!spec) return undefined;
  if (tokenAddress === null) {
    const native = spec.assets.find((a) => a.contract === null);
    return native && { symbol: native.asset, decimals: native.decimals };
  }
  const configured = chainFor(network, livemode)?.assets ?? {};
  const want = tokenAddress.toLowerCase();
  const a = spec.assets.find((x) => {
    const contract = configured[x.code] ?? (livemode ? x.contract : null);
    return contract?.toLowerCase() === want;
  });
  return a && { symbol: a.asset, decimals: a.decimals };
}
