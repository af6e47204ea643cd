// Fixed parameters of the local Tron devnet: a dedicated anvil instance serving the
// Ethereum-style JSON-RPC that Tron full nodes expose (eth_blockNumber, eth_getBlockByNumber,
// eth_getLogs, …), with the mock TRC-20 USDC/USDT deployed exactly as on the EVM devnet, so
// their 20-byte addresses are DEVNET_TOKEN_ADDRESSES and their Tron (base58check) forms below.
// It is NOT a Tron node: no TVM specifics, no bandwidth/energy accounting, no Tron-native
// transaction format; see README "Tron devnet".
import { hexToTron } from "@/lib/chains/tron/address";
import { DEVNET_TOKEN_ADDRESSES } from "./evm-constants";

export const DEVNET_TRON_CHAIN = { network: "tron" as const, chainId: 31339, defaultPort: 8547 };

/** The mock TRC-20 tokens in Tron's base58check form (same accounts as the 0x addresses). */
export const DEVNET_TRON_TOKEN_ADDRESSES: { USDC: string; USDT: string } = {
  USDC: hexToTron(DEVNET_TOKEN_ADDRESSES.USDC),
  USDT: hexToTron(DEVNET_TOKEN_ADDRESSES.USDT),
};
