// The hot wallet: index 0 of the instance's mnemonic (lib/keys/derive). It pays receivers' gas.
import type { Address } from "viem";
import { evmAccountAt, HOT_WALLET_INDEX } from "@/lib/keys/derive";

export function hotWalletAddress(mnemonic: string): Address {
  return evmAccountAt(mnemonic, HOT_WALLET_INDEX).address;
}
