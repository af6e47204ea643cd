// Balances of EVM-like accounts (EVM, and Tron in its 0x form) over an Ethereum-style JSON-RPC,
// pinned to a block so a solvency check reads every account at one height.
import { encodeFunctionData, erc20Abi, numberToHex, type Address } from "viem";
import type { FamilyBalances } from "../family";
import { canonicalEvmAddress } from "./address";
import { evmClient } from "./client";
import { chainRpc } from "./rpc";

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
    // one JSON-RPC batch per hundred owners: eth_getBalance, or the token's balanceOf by eth_call
    balancesOf: async (chain, token, owners, at) => {
      const block = numberToHex(at);
      const calls = owners.map((o) => token === null
        ? { method: "eth_getBalance", params: [account(o), block] }
        : { method: "eth_call", params: [{ to: account(token), data: encodeFunctionData({ abi: erc20Abi, functionName: "balanceOf", args: [account(o)] }) }, block] });
      const answers = await chainRpc(chain).batch<string | null>(calls);
      return answers.map((a, i) => {
        if (typeof a !== "string" || !/^0x[0-9a-fA-F]*$/.test(a)) throw new Error(`${calls[i].method} for ${owners[i]} at ${block}: unexpected answer ${JSON.stringify(a)}`);
        return a === "0x" ? 0n : BigInt(a);
      });
    },
    head: (chain) => evmClient(chain).getBlockNumber({ cacheTime: 0 }),
  };
}

