// The devnet's mock SPL mints: literals (config reads them without loading @solana/web3.js);
// devnetMintAddress() in ./solana-constants derives them and a test checks they agree.
export const DEVNET_SOLANA_MINTS = {
  USDC: "Faft6c2QnoxdXJgFk2Xe2a747J88wSLQCqx91RboDT87",
  USDT: "EvMA9ZN73Z6MQRsrutdXH9kquFQUFHE7Kbz5t4kZaW64",
} as const;
