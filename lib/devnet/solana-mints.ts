// The devnet's default JSON-RPC port and mock SPL mints: literals (config reads them without loading @solana/web3.js);
// devnetMintAddress() in ./solana-constants derives them and a test checks they agree.
export const DEVNET_SOLANA_MINTS = {
  USDC: "Faft6c2QnoxdXJgFk2Xe2a747J88wSLQCqx91RboDT87",
  USDT: "EvMA9ZN73Z6MQRsrutdXH9kquFQUFHE7Kbz5t4kZaW64",
} as const;

/** The local Solana devnet's JSON-RPC port under `npm start` (DEVNET_SOLANA_PORT); the test stack picks a free one. */
export const DEVNET_SOLANA_DEFAULT_PORT = 8899;
