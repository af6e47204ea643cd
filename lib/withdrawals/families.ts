// What the withdrawal API needs from a network family, behind one interface: parsing a
// destination, the hot wallet's address and balances. Adding a family (Tron, Solana) means adding
// an entry here and an engine in ./engines — the API and the queue do not change.
import { erc20Abi, getAddress, isAddress, type Address } from "viem";
import { evmClient } from "@/lib/chains/evm/client";
import type { ChainConfig } from "@/lib/config";
import type { NetworkFamily } from "@/lib/config/networks";
import { evmAddressAt, HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";

export type FamilyAdapter = {
  /** the canonical form of an address of this family, or null when it is not one */
  parseAddress(input: string): string | null;
  /** the instance's hot wallet on this family (from the public key root) */
  hotWallet(): Promise<string>;
  /** balance of `address` in base units; `contract` null = the native coin */
  balanceOf(chain: ChainConfig, contract: string | null, address: string): Promise<bigint>;
};

const evm: FamilyAdapter = {
  parseAddress: (input) => (isAddress(input.trim()) ? getAddress(input.trim()) : null),
  async hotWallet() {
    const xpub = await xpubOf("evm");
    if (!xpub) throw new Error("no EVM key root recorded yet: start the worker once with the instance mnemonic");
    return evmAddressAt(xpub, HOT_WALLET_INDEX);
  },
  async balanceOf(chain, contract, address) {
    const client = evmClient(chain);
    if (contract === null) return client.getBalance({ address: address as Address });
    return client.readContract({ address: contract as Address, abi: erc20Abi, functionName: "balanceOf", args: [address as Address] });
  },
};

export const FAMILIES: Partial<Record<NetworkFamily, FamilyAdapter>> = { evm };

export function familyOf(family: NetworkFamily): FamilyAdapter {
  const f = FAMILIES[family];
  if (!f) throw new Error(`no withdrawal support for the ${family} family`);
  return f;
}
