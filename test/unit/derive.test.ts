import { describe, expect, it } from "vitest";
import { mnemonicToAccount } from "viem/accounts";
import { evmAccountAt, evmAddressAt, evmXpub } from "@/lib/keys/derive";

const MNEMONIC = "test test test test test test test test test test test junk";

describe("EVM derivation", () => {
  it("xpub-derived addresses equal the mnemonic's accounts at m/44'/60'/0'/0/i", () => {
    const xpub = evmXpub(MNEMONIC);
    expect(xpub.startsWith("xpub")).toBe(true);
    for (const i of [0, 1, 2, 9, 1000]) {
      expect(evmAddressAt(xpub, i)).toBe(mnemonicToAccount(MNEMONIC, { addressIndex: i }).address);
      expect(evmAccountAt(MNEMONIC, i).address).toBe(evmAddressAt(xpub, i));
    }
    // anvil's well-known first account
    expect(evmAddressAt(xpub, 0)).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  });
  it("different indexes give different addresses", () => {
    const xpub = evmXpub(MNEMONIC);
    const set = new Set(Array.from({ length: 50 }, (_, i) => evmAddressAt(xpub, i)));
    expect(set.size).toBe(50);
  });
});

describe("Solana derivation", () => {
  it("m/44'/501'/i'/0' gives the addresses Phantom and Solflare show for the mnemonic", async () => {
    const { solanaAddressAt } = await import("@/lib/chains/solana/keys");
    const abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    // the widely published first account of this mnemonic in Solana wallets
    expect(solanaAddressAt(abandon, 0)).toBe("HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk");
    const set = new Set(Array.from({ length: 20 }, (_, i) => solanaAddressAt(MNEMONIC, i)));
    expect(set.size).toBe(20);
  });
});
