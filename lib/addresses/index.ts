// Every address the API accepts goes through here: one validator per network family, a
// dispatcher by family, and zod inputs that turn a bad address into a 400 naming the field.
import { z } from "zod";
import type { NetworkFamily } from "@/lib/config/networks";
import { canonicalEvmAddress, evmAddressProblem, isEvmAddress } from "./evm";
import { isSolanaAddress, solanaAddressProblem } from "./solana";
import { hexToTron, isTronAddress, tronAddressProblem, tronToHex } from "./tron";

export { canonicalEvmAddress, evmAddressProblem, hexToTron, isEvmAddress, isSolanaAddress, isTronAddress, solanaAddressProblem, tronAddressProblem, tronToHex };

export type AddressFamily = Extract<NetworkFamily, "evm" | "tron" | "solana">;

export const ADDRESS_FAMILIES: readonly AddressFamily[] = ["evm", "tron", "solana"];

export function isAddressFamily(f: string): f is AddressFamily {
  return (ADDRESS_FAMILIES as readonly string[]).includes(f);
}

const PROBLEM: Record<AddressFamily, (s: string) => string | null> = {
  evm: evmAddressProblem,
  tron: tronAddressProblem,
  solana: solanaAddressProblem,
};

export type AddressCheck = { ok: true; address: string } | { ok: false; problem: string };

/** Validates `s` as an address of `family`; `address` is its canonical form (EIP-55 for EVM, as given otherwise). */
export function checkAddress(family: AddressFamily, s: string): AddressCheck {
  const problem = PROBLEM[family](s);
  if (problem) return { ok: false, problem };
  return { ok: true, address: family === "evm" ? canonicalEvmAddress(s) : s };
}

export function isAddressOf(family: AddressFamily, s: string): boolean {
  return PROBLEM[family](s) === null;
}

/** A zod string input for one family's addresses: a bad one fails with the family's message. */
export function addressInput(family: AddressFamily) {
  return z.string().superRefine((s, ctx) => {
    const problem = PROBLEM[family](s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

export const evmAddressInput = addressInput("evm").meta({ example: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045" });
export const tronAddressInput = addressInput("tron").meta({ example: "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8" });
export const solanaAddressInput = addressInput("solana").meta({ example: "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM" });

/**
 * The 0x-prefixed lower-case 20-byte hex form of an EVM or Tron address: what JSON-RPC, the
 * watcher's address sets and EVM-signed transactions use. Tron's base58 form is recognised by shape.
 */
export function wireAddress(address: string): `0x${string}` {
  if (address.startsWith("T") && address.length === 34) return tronToHex(address);
  return address.toLowerCase() as `0x${string}`;
}

/** The stored / API form of a 20-byte hex address on a family: EIP-55 for EVM, base58check for Tron. */
export function displayAddress(family: "evm" | "tron", hex: string): string {
  return family === "tron" ? hexToTron(hex) : canonicalEvmAddress(hex);
}

/** An EVM or Tron address as a viem (EIP-55) address: the account's 20 bytes, whichever form it was stored in. */
export function toEvmAddress(address: string): `0x${string}` {
  return canonicalEvmAddress(wireAddress(address));
}

/** How a network family stores a 20-byte account (Tron: base58check; EVM: EIP-55), from either form. */
export function storedAddress(family: string, address: string): string {
  return family === "tron" ? hexToTron(wireAddress(address)) : canonicalEvmAddress(wireAddress(address));
}
