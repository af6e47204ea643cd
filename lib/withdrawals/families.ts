// What the withdrawal API needs from a network family, behind one interface: parsing a
// destination, the hot wallet's address and balances — read from the family's implementation in
// lib/chains (the registry). A family holds withdrawals when it has deposit addresses of ours
// (ChainFamily.depositAddresses) and can read balances; the API and the queue do not change when one is added.
import type { ChainConfig } from "@/lib/config";
import { findFamily } from "@/lib/chains/registry";
import type { AccountStatus } from "@/lib/chains/family";

export type FamilyAdapter = {
  /** the canonical (stored) form of an address of this family (of `chainKey`'s form when given: Bitcoin's prefixes), or null when it is not one */
  parseAddress(input: string, chainKey?: string): string | null;
  /** why `input` is not an address of this family (lib/addresses), for the 400 */
  addressProblem(input: string, chainKey?: string): string | null;
  /** the instance's hot wallet on this family (from the public key root); on `chainKey` for families whose addresses differ per chain */
  hotWallet(chainKey?: string): Promise<string>;
  /** balance of `address` in base units; `contract` null = the native coin; at block `at` (default: latest) */
  balanceOf(chain: ChainConfig, contract: string | null, address: string, at?: bigint): Promise<bigint>;
  /** the balances of many addresses at block `at`, in order (a few requests where the family can batch them) */
  balancesOf(chain: ChainConfig, contract: string | null, addresses: readonly string[], at: bigint): Promise<bigint[]>;
  /** the block height reads can be pinned to (solvency reads every address at one height) */
  head(chain: ChainConfig): Promise<bigint>;
  /** seed 001's account status (TON); absent for families without one */
  accountStatus?(chain: ChainConfig, address: string): Promise<AccountStatus>;
};

/** The withdrawal view of a family, or null when it holds no custody or this build lacks it. */
export function withdrawalFamily(id: string): FamilyAdapter | null {
  const f = findFamily(id);
  if (!f || !f.depositAddresses || !f.balances) return null;
  const { addresses, balances } = f;
  return {
    parseAddress: (input, chainKey) => (addresses.problem(input.trim(), chainKey) === null ? addresses.canonical(input.trim()) : null),
    addressProblem: (input, chainKey) => addresses.problem(input.trim(), chainKey),
    hotWallet: async (chainKey) => {
      const w = await f.hotWallet(chainKey);
      if (!w) throw new Error(`no ${f.id} key root recorded yet: start the worker once with the instance mnemonic`);
      return w;
    },
    balanceOf: (chain, contract, address, at) => balances.balanceOf(chain, contract, address, at),
    balancesOf: async (chain, contract, list, at) => {
      if (balances.balancesOf) return balances.balancesOf(chain, contract, list, at);
      const out: bigint[] = [];
      for (let i = 0; i < list.length; i += 20) out.push(...await Promise.all(list.slice(i, i + 20).map((a) => balances.balanceOf(chain, contract, a, at))));
      return out;
    },
    head: (chain) => balances.head(chain),
    ...(balances.accountStatus ? { accountStatus: balances.accountStatus } : {}),
  };
}

export function familyOf(family: string): FamilyAdapter {
  const f = withdrawalFamily(family);
  if (!f) throw new Error(`no withdrawal support for the ${family} family`);
  return f;
}
