// On the devnet nobody else funds our hot wallet (anvil's pre-funded accounts come from another
// mnemonic), so the launcher tops it up at every start. Devnet only: anvil_setBalance.
import { createPublicClient, createTestClient, http, parseEther, type Address } from "viem";

export const DEVNET_HOT_WALLET_BALANCE = parseEther("100");

/** Raises `address` to 100 of the native coin (never lowers it). */
export async function fundDevnetHotWallet(rpcUrl: string, address: Address): Promise<void> {
  const balance = await createPublicClient({ transport: http(rpcUrl) }).getBalance({ address });
  if (balance >= DEVNET_HOT_WALLET_BALANCE) return;
  await createTestClient({ mode: "anvil", transport: http(rpcUrl) }).setBalance({ address, value: DEVNET_HOT_WALLET_BALANCE });
}
