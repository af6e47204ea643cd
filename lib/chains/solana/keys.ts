// Solana keys (DOMAIN.md "Keys"): ed25519 at m/44'/501'/i'/0' (SLIP-10, the path Phantom and
// Solflare use), index 0 the hot wallet. Every step is hardened, so nothing derives from a public
// root: the processes holding the mnemonic derive addresses ahead into key_pool (lib/keys/pool)
// and the web process takes them from there.
import { Keypair } from "@solana/web3.js";
import { hardenedIndex, slip10Ed25519 } from "@/lib/keys/slip10";

export const SOLANA_ACCOUNT_PATH = "m/44'/501'";

const keypairs = new Map<string, Keypair>();
/** The signing keypair at m/44'/501'/i'/0' (worker and launcher only: needs the mnemonic). */
export function solanaKeypairAt(mnemonic: string, index: number | bigint): Keypair {
  const n = hardenedIndex(index, "Solana");
  const k = `${n}\u0000${mnemonic}`;
  let kp = keypairs.get(k);
  if (!kp) {
    kp = Keypair.fromSeed(slip10Ed25519(mnemonic, [44, 501, n, 0]));
    if (keypairs.size > 100) keypairs.clear();
    keypairs.set(k, kp);
  }
  return kp;
}

/** The address at m/44'/501'/i'/0' (derived, not cached: the key pool derives hundreds it never signs with). */
export function solanaAddressAt(mnemonic: string, index: number | bigint): string {
  const n = hardenedIndex(index, "Solana");
  return Keypair.fromSeed(slip10Ed25519(mnemonic, [44, 501, n, 0])).publicKey.toBase58();
}
