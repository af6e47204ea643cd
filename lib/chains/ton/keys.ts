// TON keys (DOMAIN.md "Keys"): ed25519 at m/44'/607'/i' (SLIP-10, the path Ledger and Trust
// Wallet use for TON), index 0 the hot wallet. Each key's account is a wallet v4r2 contract
// (workchain 0, the default wallet_id 698983191): its address is its state init's hash, the same
// before and after the wallet is deployed, so deposits to a new address work. Every step is
// hardened: the processes holding the mnemonic derive addresses ahead into key_pool (raw form) and
// the web process takes them from there (lib/keys/pool).
import { createHmac } from "node:crypto";
import { mnemonicToSeedSync } from "@scure/bip39";
import { ed25519 } from "@noble/curves/ed25519.js";
import { beginCell, contractAddress } from "@ton/core";
import { keyPairFromSeed, type KeyPair } from "@ton/crypto";
import { WalletContractV4 } from "@ton/ton";

export const TON_ACCOUNT_PATH = "m/44'/607'";

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

function checkIndex(index: number | bigint): number {
  const n = Number(index);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31) throw new Error(`TON derivation index ${index} out of range`);
  return n;
}

/** The signing key pair at m/44'/607'/i' (worker and launcher only: needs the mnemonic). */
export function tonKeyPairAt(mnemonic: string, index: number | bigint): KeyPair {
  return keyPairFromSeed(slip10(seedOf(mnemonic), [44, 607, checkIndex(index)]));
}

/** The wallet v4r2 contract of a key. */
export function tonWalletOf(publicKey: Buffer): WalletContractV4 {
  return WalletContractV4.create({ workchain: 0, publicKey });
}

/** wallet v4r2's default wallet_id on workchain 0 */
const WALLET_ID = 698983191;
let v4code: ReturnType<typeof WalletContractV4.create>["init"]["code"] | undefined;

/**
 * The raw address (0:<hex>) of the wallet at m/44'/607'/i': the hash of its state init (v4r2 code;
 * data = seqno 0, wallet_id, public key, no plugins), what WalletContractV4 computes, without
 * parsing the code per address (the key pool derives hundreds).
 */
export function tonAddressAt(mnemonic: string, index: number | bigint): string {
  const publicKey = Buffer.from(ed25519.getPublicKey(slip10(seedOf(mnemonic), [44, 607, checkIndex(index)])));
  v4code ??= WalletContractV4.create({ workchain: 0, publicKey }).init.code;
  const data = beginCell().storeUint(0, 32).storeUint(WALLET_ID, 32).storeBuffer(publicKey).storeBit(0).endCell();
  return contractAddress(0, { code: v4code, data }).toRawString();
}
