// What the withdrawal API needs from a network family, behind one interface: parsing a
// destination, the hot wallet's address and balances. Adding a family (Solana) means adding
// an entry here and an engine in ./engines — the API and the queue do not change.
import { erc20Abi, getAddress, isAddress, type Address } from "viem";
import { evmAddressProblem, isTronAddress, toEvmAddress, tronAddressProblem } from "@/lib/addresses";
import { evmClient } from "@/lib/chains/evm/client";
import type { ChainConfig } from "@/lib/config";
import type { NetworkFamily } from "@/lib/config/networks";
import { evmAddressAt, HOT_WALLET_INDEX, tronAddressAt } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";

export type FamilyAdapter = {
  /** the canonical (stored) form of an address of this family, or null when it is not one */
  parseAddress(input: string): string | null;
  /** why `input` is not an address of this family (lib/addresses), for the 400 */
  addressProblem(input: string): string | null;
  /** the instance's hot wallet on this family (from the public key root) */
  hotWallet(): Promise<string>;
  /** balance of `address` in base units; `contract` null = the native coin; at block `at` (default: latest) */
  balanceOf(chain: ChainConfig, contract: string | null, address: string, at?: bigint): Promise<bigint>;
  /** the block height reads can be pinned to (solvency reads every address at one height) */
  head(chain: ChainConfig): Promise<bigint>;
};

async function rootOf(family: "evm" | "tron"): Promise<string> {
  const xpub = await xpubOf(family);
  if (!xpub) throw new Error(`no ${family} key root recorded yet: start the worker once with the instance mnemonic`);
  return xpub;
}

/** EVM and Tron accounts are both 20 bytes read over an Ethereum-style JSON-RPC (Tron's in its 0x form). */
async function jsonRpcBalance(chain: ChainConfig, contract: string | null, address: string, at?: bigint): Promise<bigint> {
  const client = evmClient(chain);
  const owner = toEvmAddress(address);
  const block = at === undefined ? {} : { blockNumber: at };
  if (contract === null) return client.getBalance({ address: owner, ...block });
  return client.readContract({ address: toEvmAddress(contract), abi: erc20Abi, functionName: "balanceOf", args: [owner as Address], ...block });
}

const jsonRpcHead = (chain: ChainConfig) => evmClient(chain).getBlockNumber({ cacheTime: 0 });

const evm: FamilyAdapter = {
  parseAddress: (input) => (isAddress(input.trim()) ? getAddress(input.trim()) : null),
  addressProblem: (input) => evmAddressProblem(input.trim()),
  hotWallet: async () => evmAddressAt(await rootOf("evm"), HOT_WALLET_INDEX),
  balanceOf: jsonRpcBalance,
  head: jsonRpcHead,
};

/** Tron: base58check T… addresses (m/44'/195'/0'/0/i), balances through the node's Ethereum-style JSON-RPC. */
const tron: FamilyAdapter = {
  parseAddress: (input) => (isTronAddress(input.trim()) ? input.trim() : null),
  addressProblem: (input) => tronAddressProblem(input.trim()),
  hotWallet: async () => tronAddressAt(await rootOf("tron"), HOT_WALLET_INDEX),
  balanceOf: jsonRpcBalance,
  head: jsonRpcHead,
};

export const FAMILIES: Partial<Record<NetworkFamily, FamilyAdapter>> = { evm, tron };

export function familyOf(family: NetworkFamily): FamilyAdapter {
  const f = FAMILIES[family];
  if (!f) throw new Error(`no withdrawal support for the ${family} family`);
  return f;
}
