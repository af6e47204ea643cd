// The one registry of chain families: family → implementation. Adding a family is a folder
// (lib/chains/<family>/) and one line here; nothing outside lib/chains compares family names.
import { config, type ChainConfig } from "@/lib/config";
import { networkSpec, type NetworkFamily } from "@/lib/config/networks";
import type { ChainFamily, FamilyId } from "./family";
import { evm } from "./evm";
import { solana } from "./solana";
import { tron } from "./tron";
import { bitcoin } from "./bitcoin";
import { ton } from "./ton";

export type { ChainFamily, FamilyId } from "./family";

// Built on first use, not at import: family modules and the code they use import each other
// (a sender stores addresses through lib/addresses, which asks this registry).
let table: Record<FamilyId, ChainFamily> | undefined;
function families(): Record<FamilyId, ChainFamily> {
  return (table ??= { evm, tron, solana, ton, bitcoin });
}

/** Every implemented family, in registry order. */
export function chainFamilies(): ChainFamily[] {
  return Object.values(families());
}

/** The family with this id, or undefined when this build has no implementation of it (bitcoin). */
export function findFamily(id: string): ChainFamily | undefined {
  return Object.hasOwn(families(), id) ? families()[id as FamilyId] : undefined;
}

/** The family with this id; throws when there is none. */
export function chainFamily(id: string): ChainFamily {
  // (a string, not a FamilyId: callers pass stored family columns and configured chains)
  const f = findFamily(id);
  if (!f) throw new Error(`no chain family "${id}" in this build`);
  return f;
}

/** Whether `id` names an implemented family (a receivers.family value, an address family). */
export function isFamilyId(id: string): id is FamilyId {
  return findFamily(id) !== undefined;
}

/** The family of a configured chain, or of a network by name ("tron", "ethereum"). */
export function familyOf(chainOrNetwork: Pick<ChainConfig, "family"> | string): ChainFamily {
  return chainFamily(familyIdOf(chainOrNetwork));
}

/** The family id of a configured chain or a network name; throws on an unknown network. */
export function familyIdOf(chainOrNetwork: Pick<ChainConfig, "family"> | string): NetworkFamily {
  if (typeof chainOrNetwork !== "string") return chainOrNetwork.family;
  const spec = networkSpec(chainOrNetwork);
  if (!spec) throw new Error(`unknown network "${chainOrNetwork}"`);
  return spec.family;
}

/** The family of a network by name, or undefined for an unknown network or a family this build lacks. */
export function findFamilyOf(chainOrNetwork: Pick<ChainConfig, "family"> | string): ChainFamily | undefined {
  if (typeof chainOrNetwork !== "string") return findFamily(chainOrNetwork.family);
  const spec = networkSpec(chainOrNetwork);
  return spec ? findFamily(spec.family) : undefined;
}

/** Whether two chains or networks are of one family (a deposit address of one used on the other). */
export function sameFamily(a: Pick<ChainConfig, "family"> | string, b: Pick<ChainConfig, "family"> | string): boolean {
  return familyIdOf(a) === familyIdOf(b);
}

/** Enabled chains of a mode (both modes when omitted) whose family this build implements. */
export function watchedChains(livemode?: boolean): ChainConfig[] {
  return config().networks.filter((c) => c.enabled && (livemode === undefined || c.livemode === livemode) && isFamilyId(c.family));
}

/** Enabled chains of one family, optionally of one mode. */
export function chainsOfFamily(id: FamilyId, livemode?: boolean): ChainConfig[] {
  return watchedChains(livemode).filter((c) => c.family === id);
}

/** Families whose checkouts are paid to receivers of ours and forwarded (deposit addresses: ChainFamily.depositAddresses). */
export function forwardingFamilies(): ChainFamily[] {
  return chainFamilies().filter((f) => f.settlement === "forward");
}

/**
 * Whether a family's checkouts can be paid to a receiver of ours that the worker forwards from: the
 * forward families (EVM, Tron), and direct ones that forward custodial checkouts (Solana's payments).
 */
export function takesCustodialCheckouts(f: ChainFamily): boolean {
  return (f.settlement === "forward" && f.receivers === "per-checkout") || f.custodialCheckouts !== undefined;
}
