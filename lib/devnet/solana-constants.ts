// Fixed parameters of the local Solana devnet (LiteSVM behind a JSON-RPC server). Keys derive
// from fixed seeds, so every machine and every restart sees the same mint addresses and test
// wallets, which lets config and tests name them. Devnet only: these keys are public.
import { createHash } from "node:crypto";
import { Keypair } from "@solana/web3.js";
import { DEVNET_SOLANA_MINTS } from "./solana-mints";

export { DEVNET_SOLANA_DEFAULT_PORT, DEVNET_SOLANA_MINTS } from "./solana-mints";

export const DEVNET_SOLANA_TOKEN_DECIMALS = 6;
/** 1,000,000 tokens and 1,000 SOL per test wallet */
export const DEVNET_SOLANA_INITIAL_TOKENS = 1_000_000n * 10n ** 6n;
export const DEVNET_SOLANA_INITIAL_LAMPORTS = 1_000n * 1_000_000_000n;
export const DEVNET_SOLANA_WALLET_COUNT = 5;

function keypairFromSeed(label: string): Keypair {
  return Keypair.fromSeed(createHash("sha256").update(`tollgate/devnet/solana/${label}/v1`).digest());
}

/** The mock mints' authority (mints more on demand in tests). */
export function devnetMintAuthority(): Keypair {
  return keypairFromSeed("mint-authority");
}

/** Mint keypairs: only their public keys matter (mint accounts are written directly). */
export function devnetMintAddress(symbol: keyof typeof DEVNET_SOLANA_MINTS): string {
  return keypairFromSeed(`mint-${symbol}`).publicKey.toBase58();
}

/** Funded test wallets (SOL, USDC, USDT), printed at `npm start`. */
export function devnetSolanaWallets(count = DEVNET_SOLANA_WALLET_COUNT): Keypair[] {
  return Array.from({ length: count }, (_, i) => keypairFromSeed(`wallet-${i}`));
}

