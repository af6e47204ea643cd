// On the devnet nobody else funds our hot wallet (anvil's pre-funded accounts come from another
// mnemonic), so the launcher tops it up at every start: native coin (anvil_setBalance) for gas
// and withdrawals, and the mock tokens (open mint) so token withdrawals work out of the box. The
// Tron devnet's TRC-20s sit at the same 20-byte addresses, so the same call funds the Tron hot wallet.
import { createPublicClient, createTestClient, erc20Abi, http, parseEther, type Address } from "viem";
import { mintDevnetToken } from "@/lib/devnet/deploy-tokens";
import { DEVNET_EXTRA_TOKEN_ADDRESSES, DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm-constants";

export const DEVNET_HOT_WALLET_BALANCE = parseEther("100");
/** 100,000 whole tokens of each mock token */
export const DEVNET_HOT_WALLET_TOKENS = 100_000n;

/** Raises `address` to 100 of the native coin and 100,000 of each mock token (never lowers them). */
export async function fundDevnetHotWallet(rpcUrl: string, address: Address): Promise<void> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const balance = await client.getBalance({ address });
  if (balance < DEVNET_HOT_WALLET_BALANCE) {
    await createTestClient({ mode: "anvil", transport: http(rpcUrl) }).setBalance({ address, value: DEVNET_HOT_WALLET_BALANCE });
  }
  for (const token of [...Object.values(DEVNET_TOKEN_ADDRESSES), ...Object.values(DEVNET_EXTRA_TOKEN_ADDRESSES)]) {
    // the Tron devnet has only the first two
    if ((await client.getCode({ address: token }) ?? "0x") === "0x") continue;
    const [held, decimals] = await Promise.all([
      client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [address] }),
      client.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }),
    ]);
    const target = DEVNET_HOT_WALLET_TOKENS * 10n ** BigInt(decimals);
    if (held < target) await mintDevnetToken(rpcUrl, token, address, target - held);
  }
}
