// Every address the API accepts goes through here: a family-agnostic façade over each chain
// family's address codec (lib/chains/<family>/address.ts, looked up in the registry), and zod
// inputs that turn a bad address into a 400 naming the field.
import { z } from "zod";
import { canonicalEvmAddress, evmAddressProblem, isEvmAddress } from "@/lib/chains/evm/address";
import type { FamilyId } from "@/lib/chains/family";
import { chainFamilies, chainFamily, isFamilyId } from "@/lib/chains/registry";
import { isSolanaAddress, solanaAddressProblem } from "@/lib/chains/solana/address";
import { hexToTron, isTronAddress, toEvmAddress, tronAddressProblem, tronToHex, wireAddress } from "@/lib/chains/tron/address";

export { canonicalEvmAddress, evmAddressProblem, hexToTron, isEvmAddress, isSolanaAddress, isTronAddress, solanaAddressProblem, toEvmAddress, tronAddressProblem, tronToHex, wireAddress };

/** A family whose addresses this build can check: every family in the registry. */
export type AddressFamily = FamilyId;

export function addressFamilies(): AddressFamily[] {
  return chainFamilies().map((f) => f.id);
}

export function isAddressFamily(f: string): f is AddressFamily {
  return isFamilyId(f);
}

export type AddressCheck = { ok: true; address: string } | { ok: false; problem: string };

/** Validates `s` as an address of `family`; `address` is its canonical form (EIP-55 for EVM, as given otherwise). */
/** `network`: a chain key ("litecoin:test") for families whose address form depends on it (Bitcoin's prefixes). */
export function checkAddress(family: AddressFamily, s: string, network?: string): AddressCheck {
  const codec = chainFamily(family).addresses;
  const problem = codec.problem(s, network);
  if (problem) return { ok: false, problem };
  return { ok: true, address: codec.canonical(s) };
}

export function isAddressOf(family: AddressFamily, s: string): boolean {
  return chainFamily(family).addresses.problem(s) === null;
}

/** A zod string input for one family's addresses: a bad one fails with the family's message. */
export function addressInput(family: AddressFamily) {
  // the codec is looked up when a value is parsed, not when the schema is built (module load)
  return z.string().superRefine((s, ctx) => {
    const problem = chainFamily(family).addresses.problem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

export const evmAddressInput = addressInput("evm").meta({ example: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045" });
export const tronAddressInput = addressInput("tron").meta({ example: "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8" });
export const solanaAddressInput = addressInput("solana").meta({ example: "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM" });

/** The stored / API form of an account of a family given in any form its nodes use (Tron: base58check from 0x hex). */
export function displayAddress(family: AddressFamily, address: string): string {
  return chainFamily(family).addresses.stored(address);
}

/** How a network family stores an account (Tron: base58check; EVM: EIP-55), from any form its nodes use. */
export function storedAddress(family: string, address: string): string {
  return chainFamily(family).addresses.stored(address);
}
