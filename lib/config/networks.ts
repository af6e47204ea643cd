// Static facts about the networks Tollgate knows. Environment-dependent settings
// (RPC URLs, confirmations, enabled) live in ./index.ts.

export type NetworkFamily = "evm" | "tron" | "solana" | "bitcoin" | "litecoin" | "ton";
export type NetworkName = "ethereum" | "polygon" | "bsc" | "bahamut" | "base" | "arbitrum" | "optimism" | "tron" | "solana" | "bitcoin" | "litecoin" | "ton";

export type AssetSpec = {
  /** seed-000 currency code, e.g. "eUSDC" */
  code: string;
  /** ticker of the asset itself, e.g. "USDC" */
  asset: string;
  standard: "native" | "erc20" | "bep20" | "trc20" | "spl" | "jetton";
  /** mainnet contract / mint; null for the native coin */
  contract: string | null;
  /** key used for test-network contract overrides (USDC, USDT, USDC_E) */
  testKey?: string;
  decimals: number;
  minAmount: string;
  /** the currency table hides this row unless the network is enabled (API.md: "plus TRX, TON where the network is enabled") */
  listOnlyWhenEnabled?: boolean;
};

export type NetworkSpec = {
  name: NetworkName;
  family: NetworkFamily;
  displayName: string;
  /** mainnet EVM chain id */
  chainId: number | null;
  /** whether this build can watch the network at all */
  supported: boolean;
  defaultConfirmations: number;
  defaultMaxLagSeconds: number;
  explorerTx: string | null;
  assets: AssetSpec[];
  /**
   * EVM networks that take EIP-7702 (type-4) transactions: token forwards may go as one batch sweep
   * from the hot wallet (lib/chains/evm/sweeper) instead of gas funding plus a transfer per receiver
   */
  eip7702?: boolean;
  /** UTXO networks: bech32 prefixes of native segwit addresses (test mode on a devnet: its regtest prefix, lib/devnet/utxo-constants) */
  bech32?: { main: string; test: string };
};

export const NETWORKS: readonly NetworkSpec[] = [
  {
    name: "ethereum", family: "evm", displayName: "Ethereum", chainId: 1, supported: true, eip7702: true,
    defaultConfirmations: 12, defaultMaxLagSeconds: 30, explorerTx: "https://etherscan.io/tx/",
    assets: [
      { code: "ETH", asset: "ETH", standard: "native", contract: null, decimals: 18, minAmount: "0.0001" },
      { code: "eUSDC", asset: "USDC", standard: "erc20", contract: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", testKey: "USDC", decimals: 6, minAmount: "0.01" },
      { code: "eUSDT", asset: "USDT", standard: "erc20", contract: "0xdAC17F958D2ee523a2206206994597C13D831ec7", testKey: "USDT", decimals: 6, minAmount: "0.01" },
      { code: "LINK", asset: "LINK", standard: "erc20", contract: "0x514910771AF9Ca656af840dff83E8264EcF986CA", testKey: "LINK", decimals: 18, minAmount: "0.01" },
    ],
  },
  {
    name: "polygon", family: "evm", displayName: "Polygon", chainId: 137, supported: true, eip7702: true,
    defaultConfirmations: 128, defaultMaxLagSeconds: 30, explorerTx: "https://polygonscan.com/tx/",
    assets: [
      { code: "POL", asset: "POL", standard: "native", contract: null, decimals: 18, minAmount: "0.01" },
      { code: "pUSDC", asset: "USDC", standard: "erc20", contract: "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", testKey: "USDC", decimals: 6, minAmount: "0.01" },
      { code: "wpUSDC", asset: "USDC", standard: "erc20", contract: "0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174", testKey: "USDC_E", decimals: 6, minAmount: "0.01" },
      { code: "wpUSDT", asset: "USDT", standard: "erc20", contract: "0xc2132D05D31c914a87C6611C10748AEb04B58e8F", testKey: "USDT", decimals: 6, minAmount: "0.01" },
    ],
  },
  {
    name: "bsc", family: "evm", displayName: "BNB Smart Chain", chainId: 56, supported: true, eip7702: true,
    defaultConfirmations: 15, defaultMaxLagSeconds: 30, explorerTx: "https://bscscan.com/tx/",
    assets: [
      { code: "BNB", asset: "BNB", standard: "native", contract: null, decimals: 18, minAmount: "0.0001" },
      { code: "bUSDT", asset: "USDT", standard: "bep20", contract: "0x55d398326f99059fF775485246999027B3197955", testKey: "USDT", decimals: 18, minAmount: "0.01" },
      { code: "bUSDC", asset: "USDC", standard: "bep20", contract: "0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d", testKey: "USDC", decimals: 18, minAmount: "0.01" },
    ],
  },
  {
    name: "bahamut", family: "evm", displayName: "Bahamut", chainId: 5165, supported: true,
    defaultConfirmations: 12, defaultMaxLagSeconds: 30, explorerTx: "https://www.ftnscan.com/tx/",
    assets: [{ code: "FTN", asset: "FTN", standard: "native", contract: null, decimals: 18, minAmount: "0.01" }],
  },
  // The L2s merchants ask for most for stablecoins. No devnet chain of their own: enabled by
  // configuration (BASE_RPC_URL, BASE_TEST_RPC_URL + BASE_TEST_CHAIN_ID + BASE_TEST_USDC_ADDRESS, …).
  {
    name: "base", family: "evm", displayName: "Base", chainId: 8453, supported: true, eip7702: true,
    defaultConfirmations: 10, defaultMaxLagSeconds: 30, explorerTx: "https://basescan.org/tx/",
    assets: [
      { code: "baseETH", asset: "ETH", standard: "native", contract: null, decimals: 18, minAmount: "0.0001" },
      { code: "baseUSDC", asset: "USDC", standard: "erc20", contract: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", testKey: "USDC", decimals: 6, minAmount: "0.01" },
    ],
  },
  {
    name: "arbitrum", family: "evm", displayName: "Arbitrum One", chainId: 42161, supported: true, eip7702: true,
    defaultConfirmations: 10, defaultMaxLagSeconds: 30, explorerTx: "https://arbiscan.io/tx/",
    assets: [
      { code: "arbETH", asset: "ETH", standard: "native", contract: null, decimals: 18, minAmount: "0.0001" },
      { code: "arbUSDC", asset: "USDC", standard: "erc20", contract: "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", testKey: "USDC", decimals: 6, minAmount: "0.01" },
      { code: "arbUSDT", asset: "USDT", standard: "erc20", contract: "0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9", testKey: "USDT", decimals: 6, minAmount: "0.01" },
    ],
  },
  {
    name: "optimism", family: "evm", displayName: "OP Mainnet", chainId: 10, supported: true, eip7702: true,
    defaultConfirmations: 10, defaultMaxLagSeconds: 30, explorerTx: "https://optimistic.etherscan.io/tx/",
    assets: [
      { code: "opETH", asset: "ETH", standard: "native", contract: null, decimals: 18, minAmount: "0.0001" },
      { code: "opUSDC", asset: "USDC", standard: "erc20", contract: "0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85", testKey: "USDC", decimals: 6, minAmount: "0.01" },
      { code: "opUSDT", asset: "USDT", standard: "erc20", contract: "0x94b008aA00579c1307B0EF2c499aD98a8ce58e58", testKey: "USDT", decimals: 6, minAmount: "0.01" },
    ],
  },
  {
    name: "tron", family: "tron", displayName: "Tron", chainId: null, supported: true,
    defaultConfirmations: 19, defaultMaxLagSeconds: 30, explorerTx: "https://tronscan.org/#/transaction/",
    assets: [
      { code: "TRX", asset: "TRX", standard: "native", contract: null, decimals: 6, minAmount: "1", listOnlyWhenEnabled: true },
      { code: "tUSDC", asset: "USDC", standard: "trc20", contract: "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8", testKey: "USDC", decimals: 6, minAmount: "0.01" },
      { code: "tUSDT", asset: "USDT", standard: "trc20", contract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", testKey: "USDT", decimals: 6, minAmount: "0.01" },
    ],
  },
  {
    // confirmations are not counted on Solana: a payment is final at the `finalized` commitment
    name: "solana", family: "solana", displayName: "Solana", chainId: null, supported: true,
    defaultConfirmations: 32, defaultMaxLagSeconds: 30, explorerTx: "https://solscan.io/tx/",
    assets: [
      { code: "SOL", asset: "SOL", standard: "native", contract: null, decimals: 9, minAmount: "0.001" },
      { code: "sUSDC", asset: "USDC", standard: "spl", contract: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", testKey: "USDC", decimals: 6, minAmount: "0.01", listOnlyWhenEnabled: true },
      { code: "sUSDT", asset: "USDT", standard: "spl", contract: "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB", testKey: "USDT", decimals: 6, minAmount: "0.01" },
    ],
  },
  {
    name: "bitcoin", family: "bitcoin", displayName: "Bitcoin", chainId: null, supported: true,
    defaultConfirmations: 2, defaultMaxLagSeconds: 3600, explorerTx: "https://mempool.space/tx/",
    assets: [{ code: "BTC", asset: "BTC", standard: "native", contract: null, decimals: 8, minAmount: "0.00001" }],
    bech32: { main: "bc", test: "tb" },
  },
  {
    name: "litecoin", family: "bitcoin", displayName: "Litecoin", chainId: null, supported: true,
    defaultConfirmations: 6, defaultMaxLagSeconds: 1800, explorerTx: "https://litecoinspace.org/tx/",
    assets: [{ code: "LTC", asset: "LTC", standard: "native", contract: null, decimals: 8, minAmount: "0.0001", listOnlyWhenEnabled: true }],
    bech32: { main: "ltc", test: "tltc" },
  },
  {
    // a block in the masterchain is final: nothing to count (confirmations 1)
    name: "ton", family: "ton", displayName: "TON", chainId: null, supported: true,
    defaultConfirmations: 1, defaultMaxLagSeconds: 30, explorerTx: "https://tonviewer.com/transaction/",
    assets: [
      { code: "TON", asset: "TON", standard: "native", contract: null, decimals: 9, minAmount: "0.01", listOnlyWhenEnabled: true },
      // USD₮ on TON: a TEP-74 jetton (its master; on the devnet the stand-in USDT master); "j" as in jetton, like t/s for TRC-20/SPL
      { code: "jUSDT", asset: "USDT", standard: "jetton", contract: "EQCxE6mUtQJKFnGfaROTKOt1lZbDiiX1kCixRv7Nw2Id_sDs", testKey: "USDT", decimals: 6, minAmount: "0.01", listOnlyWhenEnabled: true },
    ],
  },
];

export function networkSpec(name: string): NetworkSpec | undefined {
  return NETWORKS.find((n) => n.name === name);
}

/** The currency code of a network's native coin (what its fees are paid in), or null. */
export function nativeAssetCode(network: string): string | null {
  return networkSpec(network)?.assets.find((a) => a.contract === null)?.code ?? null;
}
