// Fixed parameters of the local EVM devnet. Everything here is deterministic so
// that every machine (and every restart) sees the same chain ids, ports and
// token addresses, which lets config files and tests hard-code them.

export type DevnetNetwork = "ethereum" | "polygon" | "bsc" | "bahamut";
export type DevnetTokenSymbol = "USDC" | "USDT";
export type DevnetExtraTokenSymbol = "USDC_E" | "LINK";

/**
 * One anvil per network. `stablecoinDecimals`: the USDC/USDT mocks' decimals there (BNB Smart
 * Chain's Binance-peg stablecoins have 18, as on mainnet; elsewhere 6).
 */
export const DEVNET_EVM_CHAINS: ReadonlyArray<{ network: DevnetNetwork; chainId: number; defaultPort: number; stablecoinDecimals: number }> = [
  { network: "ethereum", chainId: 31337, defaultPort: 8545, stablecoinDecimals: 6 },
  { network: "polygon", chainId: 31338, defaultPort: 8546, stablecoinDecimals: 6 },
  { network: "bsc", chainId: 31340, defaultPort: 8548, stablecoinDecimals: 18 },
  { network: "bahamut", chainId: 31341, defaultPort: 8549, stablecoinDecimals: 6 },
];

/** anvil's default mnemonic; its first 10 accounts are pre-funded with ETH and receive mock tokens. */
export const DEVNET_MNEMONIC = "test test test test test test test test test test test junk";
export const DEVNET_STANDARD_ACCOUNT_COUNT = 10;

/**
 * The token deployer key is keccak256 of this string. Deploying USDC at nonce 0
 * and USDT at nonce 1 from it pins the CREATE addresses below on every chain.
 * Changing the seed changes the token addresses (and breaks the literals below).
 */
export const DEVNET_DEPLOYER_SEED = "tollgate/devnet/evm-token-deployer/v1";

/**
 * Hard-coded results of getContractAddress({ from: deployer, nonce: 0n | 1n }).
 * Kept as literals so consumers don't need viem to know them; a test re-derives them.
 */
export const DEVNET_TOKEN_ADDRESSES: { USDC: `0x${string}`; USDT: `0x${string}` } = {
  USDC: "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553",
  USDT: "0x1Eb3AEe4475F0a5e09871a83638F0129af3Be434",
};

export const DEVNET_TOKENS: ReadonlyArray<{
  symbol: DevnetTokenSymbol;
  name: string;
  decimals: number;
  deployerNonce: number;
}> = [
  { symbol: "USDC", name: "USD Coin (devnet)", decimals: 6, deployerNonce: 0 },
  { symbol: "USDT", name: "Tether USD (devnet)", decimals: 6, deployerNonce: 1 },
];

/** 1,000,000 tokens at 6 decimals, minted to each standard account on first start. */
export const DEVNET_INITIAL_MINT_BASE_UNITS = 1_000_000n * 10n ** 6n;

/**
 * Tokens added after the first two, from a second deployer (keccak256 of this seed) so that
 * devnet state persisted before them keeps its USDC/USDT and gains these: bridged USDC (Polygon's
 * USDC.e, seed 000's wpUSDC) at nonce 0 and LINK (seed 004) at nonce 1, on every EVM devnet chain.
 */
export const DEVNET_EXTRA_DEPLOYER_SEED = "tollgate/devnet/evm-token-deployer/v2";
export const DEVNET_EXTRA_TOKEN_ADDRESSES: Record<DevnetExtraTokenSymbol, `0x${string}`> = {
  USDC_E: "0xd906e98505323EB1465A452A5C841Db4a9CA807D",
  LINK: "0xd07b8d597A0b59D0C434D358748478821C956529",
};
export const DEVNET_EXTRA_TOKENS: ReadonlyArray<{ symbol: DevnetExtraTokenSymbol; ticker: string; name: string; decimals: number; deployerNonce: number }> = [
  { symbol: "USDC_E", ticker: "USDC.e", name: "USD Coin (PoS) (devnet)", decimals: 6, deployerNonce: 0 },
  { symbol: "LINK", ticker: "LINK", name: "ChainLink Token (devnet)", decimals: 18, deployerNonce: 1 },
];

/**
 * The devnet's minimal ENS (lib/devnet/contracts/MiniEns.sol): deployed on the ethereum devnet by
 * keccak256(DEVNET_ENS_DEPLOYER_SEED), registry at nonce 0 and resolver at nonce 1. The deployer
 * owns the root and registers names (devnet only). A test re-derives the literals.
 */
export const DEVNET_ENS_DEPLOYER_SEED = "tollgate/devnet/ens-deployer/v1";
export const DEVNET_ENS_REGISTRY: `0x${string}` = "0xBd478C2dEB2588Bc24c220646b931905F994D12A";
export const DEVNET_ENS_RESOLVER: `0x${string}` = "0xa773357d6b5AFA4E569ceEd2F7abF8A5d1E02b58";
