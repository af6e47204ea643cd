// The networks a merchant can set a settlement address for: every network the instance knows
// whose family this build implements (EVM networks, Tron, Solana — payments there go straight to
// this wallet), in both modes (test networks have their own addresses).
import type { AddressFamily } from "@/lib/addresses";
import { findFamily } from "@/lib/chains/registry";
import { config } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { batchable } from "@/lib/settlement/policy";

export type SettlementTarget = {
  /** "<network>.<test|live>", also the form field suffix and error key */
  key: string;
  network: string;
  livemode: boolean;
  displayName: string;
  enabled: boolean;
  /** which addresses it takes */
  family: AddressFamily;
  /** what an empty field shows ("0x…", "T…") */
  placeholder: string;
  /** the merchant may settle in batches there (lib/settlement/policy) */
  batchable: boolean;
};

export function settlementKey(network: string, livemode: boolean): string {
  return `${network}.${livemode ? "live" : "test"}`;
}

export function settlementTargets(): SettlementTarget[] {
  return config().networks
    .flatMap((c) => { const f = findFamily(c.family); return f ? [{ c, f }] : []; })
    .map(({ c, f }) => ({
      family: f.id,
      placeholder: f.addresses.placeholder,
      key: settlementKey(c.network, c.livemode),
      network: c.network,
      livemode: c.livemode,
      displayName: networkSpec(c.network)?.displayName ?? c.network,
      enabled: c.enabled,
      batchable: batchable(c),
    }))
    // test rows first: a new instance runs in test mode
    .sort((a, b) => Number(a.livemode) - Number(b.livemode));
}
