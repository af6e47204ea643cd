// Tron addresses: base58check of 21 bytes, 0x41 followed by the same 20-byte account hash as
// an EVM address (Tron keys are secp256k1 and hash like Ethereum's), so "T…" and 34 characters.
// On Tron's Ethereum-style JSON-RPC the same account appears as a 0x-prefixed 20-byte hex
// address: these codecs convert at that edge.
import bs58 from "bs58";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { canonicalEvmAddress } from "../evm/address";

export const TRON_ADDRESS_PREFIX = 0x41;

function checksum(payload: Uint8Array): Uint8Array {
  return sha256(sha256(payload)).slice(0, 4);
}

/** The 21 bytes (0x41 + 20) of a base58check Tron address, or null with why not. */
function decode(s: string): { bytes: Uint8Array } | { problem: string } {
  if (!/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(s)) return { problem: "must be a base58 Tron address: 34 characters starting with T" };
  let raw: Uint8Array;
  try {
    raw = bs58.decode(s);
  } catch {
    return { problem: "must be a base58 Tron address: 34 characters starting with T" };
  }
  if (raw.length !== 25 || raw[0] !== TRON_ADDRESS_PREFIX) return { problem: "must be a base58 Tron address (0x41 + 20 bytes)" };
  const payload = raw.slice(0, 21);
  const sum = checksum(payload);
  for (let i = 0; i < 4; i++) if (raw[21 + i] !== sum[i]) return { problem: "has an invalid base58check checksum (a typo?)" };
  return { bytes: payload };
}

export function isTronAddress(s: string): boolean {
  return "bytes" in decode(s);
}

/** Why `s` is not a Tron address, or null when it is one. */
export function tronAddressProblem(s: string): string | null {
  const d = decode(s);
  return "problem" in d ? d.problem : null;
}

/** Base58check T… address → the 0x-prefixed lower-case 20-byte hex that Tron's JSON-RPC uses. Throws on an invalid address. */
export function tronToHex(s: string): `0x${string}` {
  const d = decode(s);
  if ("problem" in d) throw new Error(`not a Tron address: ${s} (${d.problem})`);
  return `0x${bytesToHex(d.bytes.slice(1))}`;
}

/** 20-byte hex (0x…, or Tron's 41… 21-byte hex) → the base58check T… address. */
export function hexToTron(hex: string): string {
  let h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (h.length === 42 && h.slice(0, 2) === "41") h = h.slice(2);
  if (!/^[0-9a-fA-F]{40}$/.test(h)) throw new Error(`not a 20-byte hex address: ${hex}`);
  const payload = new Uint8Array(21);
  payload[0] = TRON_ADDRESS_PREFIX;
  payload.set(hexToBytes(h.toLowerCase()), 1);
  const out = new Uint8Array(25);
  out.set(payload);
  out.set(checksum(payload), 21);
  return bs58.encode(out);
}

/**
 * The 0x-prefixed lower-case 20-byte hex form of an EVM or Tron account: what JSON-RPC, the
 * watcher's address sets and EVM-signed transactions use. Tron's base58 form is recognised by shape.
 */
export function wireAddress(address: string): `0x${string}` {
  if (address.startsWith("T") && address.length === 34) return tronToHex(address);
  return address.toLowerCase() as `0x${string}`;
}

/** An EVM or Tron address as a viem (EIP-55) address: the account's 20 bytes, whichever form it was stored in. */
export function toEvmAddress(address: string): `0x${string}` {
  return canonicalEvmAddress(wireAddress(address));
}
