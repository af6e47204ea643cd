// EVM addresses: 0x + 40 hex digits; all lower (or upper) case is accepted as is, mixed case
// must carry a valid EIP-55 checksum (a typo in a checksummed address is caught, not paid to).
import { getAddress, isAddress } from "viem";

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function isEvmAddress(s: string): boolean {
  if (!HEX_ADDRESS.test(s)) return false;
  const hex = s.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  return isAddress(s, { strict: true });
}

/** Why `s` is not an EVM address, or null when it is one. */
export function evmAddressProblem(s: string): string | null {
  if (!HEX_ADDRESS.test(s)) return "must be a 0x-prefixed 20-byte hex EVM address";
  if (!isEvmAddress(s)) return "has an invalid EIP-55 checksum (mixed-case addresses must be checksummed; lower case is accepted)";
  return null;
}

/** The EIP-55 form of a valid address. */
export function canonicalEvmAddress(s: string): `0x${string}` {
  return getAddress(s);
}
