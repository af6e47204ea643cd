// Devnet facts shared by the launcher, the configuration defaults and the tests.
// Token addresses are deterministic: deployed by a fixed deployer key at nonces 0 and 1 (see ./evm.ts).
export const DEVNET_CHAIN_IDS = [
  { network: "ethereum", chainId: 31337 },
  { network: "polygon", chainId: 31338 },
] as const;

export const DEVNET_PORTS = [8545, 8546] as const;

export const DEVNET_TOKEN_ADDRESSES = {
  USDC: "0x0000000000000000000000000000000000000000",
  USDT: "0x0000000000000000000000000000000000000000",
} as const;
