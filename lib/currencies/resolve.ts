// Currency codes (seed 000/001: `eUSDC`, `ETH`, …) and seed 002's (currency, network) pairs
// (`usdt` + `erc20`) mapped onto one asset on one network of a mode. One table serves every
// dialect; anything not enabled in this instance is a 400 naming the field.
import { errors } from "@/lib/api/errors";
import { findFamily } from "@/lib/chains/registry";
import { chainFor, type ChainConfig } from "@/lib/config";
import { NETWORKS, type AssetSpec, type NetworkSpec } from "@/lib/config/networks";

export type ResolvedCurrency = {
  code: string;
  asset: AssetSpec;
  network: NetworkSpec;
  chain: ChainConfig;
  /** token contract as configured for the mode; null for the native coin */
  contract: string | null;
};

/** Whether this build handles deposit addresses and withdrawals on a network family (ChainFamily.depositAddresses: custody of its own, whatever its checkouts' settlement). */
export function supportsDepositAddresses(family: string): boolean {
  return findFamily(family)?.depositAddresses === true;
}

/** seed 002 network names (lower case) → our network */
const NETWORK_ALIASES: Record<string, string> = {
  erc20: "ethereum", eth: "ethereum", ethereum: "ethereum",
  polygon: "polygon", matic: "polygon", pol: "polygon",
  bep20: "bsc", bsc: "bsc", bnb: "bsc",
  ftn: "bahamut", bahamut: "bahamut",
  base: "base", arbitrum: "arbitrum", arb: "arbitrum", optimism: "optimism", op: "optimism",
  trc20: "tron", trx: "tron", tron: "tron",
  sol: "solana", spl: "solana", solana: "solana",
  btc: "bitcoin", bitcoin: "bitcoin", ton: "ton",
};

/** The label seed 002 objects carry for our network. */
export const V2_NETWORK_LABEL: Record<string, string> = {
  ethereum: "erc20", polygon: "polygon", bsc: "bep20", tron: "trc20", solana: "sol", bitcoin: "btc", ton: "ton", bahamut: "ftn",
  base: "base", arbitrum: "arbitrum", optimism: "optimism",
};

function find(code: string): { asset: AssetSpec; network: NetworkSpec } | undefined {
  for (const network of NETWORKS) {
    const asset = network.assets.find((a) => a.code === code) ?? network.assets.find((a) => a.code.toLowerCase() === code.toLowerCase());
    if (asset) return { asset, network };
  }
  return undefined;
}

function enabledOrThrow(found: { asset: AssetSpec; network: NetworkSpec }, livemode: boolean, param: string): ResolvedCurrency {
  const { asset, network } = found;
  const chain = chainFor(network.name, livemode);
  const mode = livemode ? "live" : "test";
  if (!supportsDepositAddresses(network.family)) {
    throw errors.validation(`${asset.code} is on ${network.displayName}, which is not supported by deposit addresses and withdrawals yet.`, param, "currency_not_supported");
  }
  if (!chain?.enabled || !(asset.code in chain.assets)) {
    throw errors.validation(`${asset.code} (${network.displayName}) is not enabled in ${mode} mode on this instance; see GET /v1/currencies.`, param, "currency_not_enabled");
  }
  return { code: asset.code, asset, network, chain, contract: chain.assets[asset.code] };
}

/** A currency code of the currency table, enabled in the mode. */
export function resolveCurrency(code: string, livemode: boolean, param = "currency"): ResolvedCurrency {
  const found = find(code.trim());
  if (!found) throw errors.validation(`Unknown currency '${code}'; see GET /v1/currencies for the codes.`, param, "currency_unknown");
  return enabledOrThrow(found, livemode, param);
}

/** seed 002: an asset ticker (or a code) plus a network name. */
export function resolvePair(currency: string, network: string, livemode: boolean): ResolvedCurrency {
  const net = NETWORK_ALIASES[network.trim().toLowerCase()];
  if (!net) throw errors.validation(`Unknown network '${network}'.`, "network", "network_unknown");
  const spec = NETWORKS.find((n) => n.name === net)!;
  const c = currency.trim().toLowerCase();
  const asset = spec.assets.find((a) => a.code.toLowerCase() === c) ?? spec.assets.find((a) => a.asset.toLowerCase() === c);
  if (!asset) throw errors.validation(`There is no ${currency} on ${spec.displayName}.`, "currency", "currency_unknown");
  return enabledOrThrow({ asset, network: spec }, livemode, "currency");
}
