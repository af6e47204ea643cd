// Balances of EVM-like accounts (EVM, and Tron in its 0x form) over an Ethereum-style JSON-RPC,
// pinned to a block so a solvency check reads every account at one height.
import { erc20Abi, type Address } from "viem";
import type { FamilyBalances } from "../family";
import { canonicalEvmAddress } from "./address";
import { evmClient } from "./client";

/** `toHex` gives an account's 20-byte hex form (Tron passes its base58check → 0x codec). */
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

