// SLIP-10 ed25519 derivation, for the families whose keys are ed25519 at hardened paths (Solana at
// m/44'/501'/i'/0', TON at m/44'/607'/i'): the private key seed at a path, from the instance's
// mnemonic (worker and launcher only). Every step is hardened: no public root derives these.
import { createHmac } from "node:crypto";
import { mnemonicToSeedSync } from "@scure/bip39";

const seeds = new Map<string, Uint8Array>();
/** The BIP-39 seed of a mnemonic (cached: the key pool derives hundreds of keys from one). */
function seedOf(mnemonic: string): Uint8Array {
  let s = seeds.get(mnemonic);
  if (!s) seeds.set(mnemonic, (s = mnemonicToSeedSync(mnemonic)));
  return s;
}

/** The 32-byte ed25519 private key seed at a path of indexes, each hardened (44, 501, i, 0 → m/44'/501'/i'/0'). */
export function slip10Ed25519(mnemonic: string, path: readonly number[]): Buffer {
  let I = createHmac("sha512", "ed25519 seed").update(seedOf(mnemonic)).digest();
  for (const i of path) {
    const data = Buffer.alloc(37);
    I.copy(data, 1, 0, 32);
    data.writeUInt32BE((i | 0x80000000) >>> 0, 33);
    I = createHmac("sha512", I.subarray(32)).update(data).digest();
  }
  return I.subarray(0, 32);
}

/** A derivation index as a number, or throws naming the family when it is outside 0 … 2^31 − 1. */
export function hardenedIndex(index: number | bigint, family: string): number {
  const n = Number(index);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31) throw new Error(`${family} derivation index ${index} out of range`);
  return n;
}
