// The EVM family (Ethereum, Polygon, BNB Smart Chain, …): 20-byte accounts shown EIP-55,
// receivers at m/44'/60'/0'/0/i, one log scanner per chain over JSON-RPC, deposits forwarded from
// a receiver of ours to the merchant's settlement address.
import { erc20Abi, type Address } from "viem";
import type { ChainFamily, FamilyBalances } from "../family";
import { nativeAssetCode } from "@/lib/config/networks";
import { EVM_ACCOUNT_PATH, evmAddressAt, evmXpub, HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";
import { canonicalEvmAddress, evmAddressProblem } from "./address";
import { transactionCredits } from "./check";
import type { Hex } from "./chain-reader";
import { evmClient } from "./client";
import { eip681 } from "./prompt";
import { runEvmWatcher } from "./run-watcher";
import { reconcile } from "./sender";

/**
 * Balances of EVM-like accounts read over an Ethereum-style JSON-RPC; `toHex` gives an account's
 * 20-byte hex form (Tron passes its base58check → 0x codec).
 */
export function jsonRpcBalances(toHex: (address: string) => string): FamilyBalances {
  const account = (a: string): Address => canonicalEvmAddress(toHex(a).toLowerCase());
  return {
    balanceOf: async (chain, token, owner, at) => {
      const client = evmClient(chain);
      const address = account(owner);
      const block = at === undefined ? {} : { blockNumber: at };
      if (token === null) return client.getBalance({ address, ...block });
      return client.readContract({ address: account(token), abi: erc20Abi, functionName: "balanceOf", args: [address], ...block });
    },
    head: (chain) => evmClient(chain).getBlockNumber({ cacheTime: 0 }),
  };
}

export const evm: ChainFamily = {
  id: "evm",
  displayName: "EVM",
  addresses: {
    problem: (s) => evmAddressProblem(s),
    canonical: (s) => canonicalEvmAddress(s),
    stored: (s) => canonicalEvmAddress(s.toLowerCase()),
    key: (s) => s.toLowerCase(),
    burn: ["0x0000000000000000000000000000000000000000", "0x000000000000000000000000000000000000dead"],
    example: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045",
    placeholder: "0x…",
  },
  keys: {
    path: EVM_ACCOUNT_PATH,
    publicRoot: (mnemonic) => evmXpub(mnemonic),
    addressAt: (root, index) => evmAddressAt(root, index),
  },
  settlement: "forward",
  receivers: "per-checkout",
  prompt: "receiver",
  promptUri: (req) => eip681(req),
  startWatcher: (chain, opts) => runEvmWatcher(chain, opts),
  checkTransaction: (chain, txHash, receivers, ignored) => transactionCredits(chain, txHash as Hex, receivers, ignored),
  sender: { reconcile: (chain, opts) => reconcile(chain, opts) },
  balances: jsonRpcBalances((a) => a),
  hotWallet: async () => {
    const root = await xpubOf("evm");
    return root ? evmAddressAt(root, HOT_WALLET_INDEX) : null;
  },
  nativeAsset: (network) => nativeAssetCode(network),
};
