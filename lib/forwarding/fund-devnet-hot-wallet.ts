// On the devnet nobody else funds our hot wallet (anvil's pre-funded accounts come from another
// mnemonic), so the launcher tops it up at every start: native coin (anvil_setBalance) for gas
// and withdrawals, and the mock tokens (open mint) so token withdrawals work out of the box. The
// Tron devnet's TRC-20s sit at the same 20-byte addresses, so the same call funds the Tron hot wallet.
import { createPublicClient, createTestClient, erc20Abi, http, parseEther, type Address } from "viem";
import { mintDevnetToken } from "@/lib/devnet/deploy-tokens";
import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm-constants";

export const DEVNET_HOT_WALLET_BALANCE = parseEther("100");
/** 100,000 of each 6-decimal mock token */
export const DEVNET_HOT_WALLET_TOKENS = 100_000n * 10n ** 6n;

/** Raises `address` to 100 of the native coin and 100,000 of each mock token (never lowers them). */
export async function fundDevnetHotWallet(rpcUrl: string, address: Address): Promise<void> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const balance = await client.getBalance({ address });
  if (balance < DEVNET_HOT_WALLET_BALANCE) {
    await createTestClient({ mode: "anvil", transport: http(rpcUrl) }).setBalance({ address, value: DEVNET_HOT_WALLET_BALANCE });
  }
  for (const token of Object.values(DEVNET_TOKEN_ADDRESSES)) {
    const held = await client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [address] });
    if (held < DEVNET_HOT_WALLET_TOKENS) await mintDevnetToken(rpcUrl, token, address, DEVNET_HOT_WALLET_TOKENS - held);
  }
}
