// HD derivation (DOMAIN.md "Keys"). EVM receivers at m/44'/60'/0'/0/i, Tron at m/44'/195'/0'/0/i
// (secp256k1 and the same account hash as EVM, shown base58check); index 0 is the hot wallet,
// receivers start at 1 (the database sequence). Addresses derive from the account-level xpub, so
// the web process never needs the mnemonic; signing accounts come from the mnemonic (worker only).
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";
import { bytesToHex, getAddress, keccak256, type Address } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { hexToTron } from "@/lib/chains/tron/address";

export const EVM_ACCOUNT_PATH = "m/44'/60'/0'/0";
export const TRON_ACCOUNT_PATH = "m/44'/195'/0'/0";
export const HOT_WALLET_INDEX = 0;

// The master key of a mnemonic (worker and launcher only). The seed costs 2,048 rounds of PBKDF2-HMAC-SHA512 and the master key one more HMAC: computed once
// per process, not on every signature (a payout pass asks for the hot wallet's signer each time).
const masters = new Map<string, HDKey>();
export function hdMaster(mnemonic: string): HDKey {
  let m = masters.get(mnemonic);
  if (!m) {
    m = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic));
    masters.set(mnemonic, m);
  }
  return m;
}

export function evmXpub(mnemonic: string): string {
  return hdMaster(mnemonic).derive(EVM_ACCOUNT_PATH).publicExtendedKey;
}

export function tronXpub(mnemonic: string): string {
  return hdMaster(mnemonic).derive(TRON_ACCOUNT_PATH).publicExtendedKey;
}

const xpubs = new Map<string, HDKey>();
/** The EVM address at index i of an account-level xpub (no private key involved). */
export function evmAddressAt(xpub: string, index: number | bigint): Address {
  let root = xpubs.get(xpub);
  if (!root) {
    root = HDKey.fromExtendedKey(xpub);
    xpubs.set(xpub, root);
  }
  const child = root.deriveChild(Number(index));
  if (!child.publicKey) throw new Error("xpub derivation produced no public key");
  const uncompressed = secp256k1.Point.fromBytes(child.publicKey).toBytes(false);
  const hash = keccak256(bytesToHex(uncompressed.slice(1)));
  return getAddress(`0x${hash.slice(-40)}`);
}

/** A signing account at index i (worker only: needs the mnemonic). */
export function evmAccountAt(mnemonic: string, index: number | bigint): PrivateKeyAccount {
  const key = hdMaster(mnemonic).derive(`${EVM_ACCOUNT_PATH}/${Number(index)}`).privateKey;
  if (!key) throw new Error("EVM derivation produced no private key");
  return privateKeyToAccount(bytesToHex(key));
}

/** The Tron address (base58check T…) at index i of the Tron account-level xpub. */
export function tronAddressAt(xpub: string, index: number | bigint): string {
  return hexToTron(evmAddressAt(xpub, index));
}

/** The secp256k1 private key of the Tron account at index i (worker only: needs the mnemonic). */
export function tronPrivateKeyAt(mnemonic: string, index: number | bigint): `0x${string}` {
  const key = hdMaster(mnemonic).derive(`${TRON_ACCOUNT_PATH}/${Number(index)}`).privateKey;
  if (!key) throw new Error("Tron derivation produced no private key");
  return bytesToHex(key);
}

/**
 * The Tron account at index i as a viem signer. Its `address` is the account's 20-byte hex form:
 * what Tron's Ethereum-style JSON-RPC shows, and the account on the anvil-backed Tron devnet.
 */
export function tronAccountAt(mnemonic: string, index: number | bigint): PrivateKeyAccount {
  return privateKeyToAccount(tronPrivateKeyAt(mnemonic, index));
}
