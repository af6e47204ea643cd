// What a browser test knows about the stack scripts/test.ts started: its database (the seed
// helpers below write to it), its devnet chains and their tokens. Import this module before
// anything that opens the database.
//
// The harness hands Playwright the stack's database; it wins over an inherited DATABASE_URL (the
// launcher's process may carry a stale one).
if (process.env.TOLLGATE_TEST_DATABASE_URL) process.env.DATABASE_URL = process.env.TOLLGATE_TEST_DATABASE_URL;
process.env.DATABASE_POOL_SIZE ??= "4";
process.env.LOG_LEVEL = "silent";

import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm-constants";

export const USDC = DEVNET_TOKEN_ADDRESSES.USDC;
export const USDT = DEVNET_TOKEN_ADDRESSES.USDT;

export type DevnetName = "ethereum" | "polygon";
export type TokenSymbol = "USDC" | "USDT";

export const CHAINS: Record<DevnetName, { chainId: number; name: string; rpcUrl: () => string }> = {
  ethereum: { chainId: 31337, name: "Ethereum", rpcUrl: () => need("TOLLGATE_TEST_RPC_ETHEREUM") },
  polygon: { chainId: 31338, name: "Polygon", rpcUrl: () => need("TOLLGATE_TEST_RPC_POLYGON") },
};

export const chainById = (chainId: number) => Object.values(CHAINS).find((c) => c.chainId === chainId);

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run browser tests through the harness (npx tsx scripts/test.ts <spec>)`);
  return v;
}
