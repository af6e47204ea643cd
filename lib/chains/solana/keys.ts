// Solana keys (DOMAIN.md "Keys"): ed25519 at m/44'/501'/i'/0' (SLIP-10, the path Phantom and
// Solflare use), index 0 the hot wallet. Every step is hardened, so nothing derives from a public
// root: the processes holding the mnemonic derive addresses ahead into key_pool (lib/keys/pool)
// and the web process takes them from there.
import { createHmac } from "node:crypto";
import { mnemonicToSeedSync } from "@scure/bip39";
import { Keypair } from "@solana/web3.js";

export const SOLANA_ACCOUNT_PATH = "m/44'/501'";

const seeds = new Map<string, Uint8Array>();
function seedOf(mnemonic: string): Uint8Array {
  let s = seeds.get(mnemonic);
  if (!s) seeds.set(mnemonic, (s = mnemonicToSeedSync(mnemonic)));
  return s;
}

/** SLIP-10 ed25519: the private key (seed) at a path of hardened indexes. */
function slip10(seed: Uint8Array, path: readonly number[]): Buffer {
  let I = createHmac("sha512", "ed25519 seed").update(seed).digest();
  for (const i of path) {
    const data = Buffer.alloc(37);
    I.copy(data, 1, 0, 32);
    data.writeUInt32BE((i | 0x80000000) >>> 0, 33);
    I = createHmac("sha512", I.subarray(32)).update(data).digest();
  }
  return I.subarray(0, 32);
}

const keypairs = new Map<string, Keypair>();
/** The signing keypair at m/44'/501'/i'/0' (worker and launcher only: needs the mnemonic). */
export function solanaKeypairAt(mnemonic: string, index: number | bigint): Keypair {
  const n = Number(index);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31) throw new Error(`Solana derivation index ${index} out of range`);
  const k = `${n}\u0000${mnemonic}`;
  let kp = keypairs.get(k);
  if (!kp) {
    kp = Keypair.fromSeed(slip10(seedOf(mnemonic), [44, 501, n, 0]));
    if (keypairs.size > 100) keypairs.clear();
    keypairs.set(k, kp);
  }
  return kp;
}

/** The address at m/44'/501'/i'/0' (derived, not cached: the key pool derives hundreds it never signs with). */
export function solanaAddressAt(mnemonic: string, index: number | bigint): string {
  const n = Number(index);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31) throw new Error(`Solana derivation index ${index} out of range`);
  return Keypair.fromSeed(slip10(seedOf(mnemonic), [44, 501, n, 0])).publicKey.toBase58();
}
