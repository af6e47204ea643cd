// Solana addresses (accounts, mints): base58 of exactly 32 bytes (an ed25519 public key or a
// program-derived address).
import bs58 from "bs58";

export function isSolanaAddress(s: string): boolean {
  if (s.length < 32 || s.length > 44) return false;
  try {
    return bs58.decode(s).length === 32;
  } catch {
    return false;
  }
}

/** Why `s` is not a Solana address, or null when it is one. */
export function solanaAddressProblem(s: string): string | null {
  return isSolanaAddress(s) ? null : "must be a base58 Solana address (32 bytes)";
}
