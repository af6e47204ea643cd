// TON keys (DOMAIN.md "Keys"): ed25519 at m/44'/607'/i' (SLIP-10, the path Ledger and Trust
// Wallet use for TON), index 0 the hot wallet's key: the hot wallet is that key's highload wallet
// (./highload; tonHotWalletAt), while its v4r2 address stays the family's public root (what
// identifies the mnemonic in key_roots). Every other key's account is a wallet v4r2 contract
// (workchain 0, the default wallet_id 698983191): its address is its state init's hash, the same
// before and after the wallet is deployed, so deposits to a new address work. Every step is
// hardened: the processes holding the mnemonic derive addresses ahead into key_pool (raw form) and
// the web process takes them from there (lib/keys/pool).
import { ed25519 } from "@noble/curves/ed25519.js";
import { beginCell, contractAddress } from "@ton/core";
import { keyPairFromSeed, type KeyPair } from "@ton/crypto";
import { WalletContractV4 } from "@ton/ton";
import { hardenedIndex, slip10Ed25519 } from "@/lib/keys/slip10";
import { highloadWalletOf } from "./highload";

export const TON_ACCOUNT_PATH = "m/44'/607'";

const checkIndex = (index: number | bigint) => hardenedIndex(index, "TON");

/** The signing key pair at m/44'/607'/i' (worker and launcher only: needs the mnemonic). */
export function tonKeyPairAt(mnemonic: string, index: number | bigint): KeyPair {
  return keyPairFromSeed(slip10Ed25519(mnemonic, [44, 607, checkIndex(index)]));
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
  const publicKey = Buffer.from(ed25519.getPublicKey(slip10Ed25519(mnemonic, [44, 607, checkIndex(index)])));
  v4code ??= WalletContractV4.create({ workchain: 0, publicKey }).init.code;
  const data = beginCell().storeUint(0, 32).storeUint(WALLET_ID, 32).storeBuffer(publicKey).storeBit(0).endCell();
  return contractAddress(0, { code: v4code, data }).toRawString();
}

/** key_roots' row for the hot wallet's address (FamilyKeys.hotWallet, recorded by whoever holds the mnemonic) */
export const TON_HOT_ROOT = "ton:hot";

/**
 * The raw address of the TON hot wallet: the highload wallet (./highload) of the key at
 * m/44'/607'/0'. It is not the v4r2 wallet of that key (tonAddressAt(…, 0), which stays the
 * family's public root: what identifies the mnemonic).
 */
export function tonHotWalletAt(mnemonic: string): string {
  return highloadWalletOf(tonKeyPairAt(mnemonic, 0).publicKey).address.toRawString();
}
