// One registry of chain families (lib/chains/registry) and the checkout's (components/checkout/
// families): every family a network of this build belongs to has both, and each implementation
// is consistent with what it claims (custody needs keys, a sender and balances; codecs accept
// their own examples).
import { describe, expect, it } from "vitest";
import { RECEIVER_FAMILIES, TRANSACTION_FAMILIES } from "@/components/checkout/families";
import { chainFamilies, chainFamily, familyOf, findFamily, sameFamily } from "@/lib/chains/registry";
import { loadConfig } from "@/lib/config";
import { NETWORKS } from "@/lib/config/networks";

const MNEMONIC = "test test test test test test test test test test test junk";

describe("chain family registry", () => {
  it("every network this build can watch has a family in the registry and a checkout component", () => {
    const supported = NETWORKS.filter((n) => n.supported);
    expect(supported.length).toBeGreaterThan(0);
    for (const n of supported) {
      expect(findFamily(n.family), `${n.name}: no ${n.family} family in lib/chains/registry`).toBeDefined();
      expect(Object.keys(RECEIVER_FAMILIES), `${n.name}: no ${n.family} entry in components/checkout/families`).toContain(n.family);
      expect(typeof RECEIVER_FAMILIES[n.family as keyof typeof RECEIVER_FAMILIES].Pay).not.toBe("undefined");
    }
  });

  it("every enabled devnet network resolves to its family", () => {
    const enabled = loadConfig({ TOLLGATE_MODE: "test", TOLLGATE_DEVNET: "1" }).networks.filter((c) => c.enabled);
    expect(enabled.length).toBeGreaterThan(0);
    for (const c of enabled) {
      expect(familyOf(c).id).toBe(c.family);
      expect(familyOf(c.network).id).toBe(c.family);
      expect(RECEIVER_FAMILIES).toHaveProperty(c.family);
    }
  });

  it("the checkout registry names no family the server lacks", () => {
    for (const id of [...Object.keys(RECEIVER_FAMILIES), ...Object.keys(TRANSACTION_FAMILIES)]) expect(findFamily(id), id).toBeDefined();
    expect(chainFamilies().map((f) => f.id).sort()).toEqual(Object.keys(RECEIVER_FAMILIES).sort());
    // a family whose sessions pay on a transaction step has that step in the checkout
    for (const f of chainFamilies()) expect(Object.hasOwn(TRANSACTION_FAMILIES, f.id), f.id).toBe(f.prompt === "transaction");
  });

  it("each family is consistent with its settlement mode and accepts its own addresses", () => {
    for (const f of chainFamilies()) {
      expect(chainFamily(f.id)).toBe(f);
      expect(f.addresses.problem(f.addresses.example), `${f.id} example`).toBeNull();
      expect(f.addresses.problem("not an address"), `${f.id} rejects junk`).not.toBeNull();
      for (const b of f.addresses.burn) expect(f.addresses.problem(b), `${f.id} burn ${b}`).toBeNull();
      // (covered above: a transaction-step family has its step; every family pays a receiver of ours)
      if (f.settlement === "forward") {
        // custody: receivers derived from a public root (or, hardened, from the mnemonic into the key pool), a hot wallet, a sender, balances for solvency
        expect(f.keys?.addressAt ?? f.keys?.derive, `${f.id} derives receivers`).toBeTypeOf("function");
        expect(f.sender, `${f.id} sends`).toBeDefined();
        expect(f.balances, `${f.id} reads balances`).toBeDefined();
        const keys = f.keys!;
        const derived = keys.addressAt ? keys.addressAt(keys.publicRoot(MNEMONIC), 1) : keys.derive!(MNEMONIC, 1);
        const receiver = keys.receiverForm ? keys.receiverForm(derived, false) : derived;
        expect(f.addresses.problem(receiver), `${f.id} receiver ${receiver}`).toBeNull();
        expect(f.addresses.stored(receiver)).toBe(f.addresses.canonical(receiver));
      }
    }
  });

  it("family lookups by chain and by network agree", () => {
    expect(familyOf("ethereum").id).toBe("evm");
    expect(familyOf("tron").id).toBe("tron");
    expect(familyOf("solana").settlement).toBe("direct");
    expect(sameFamily("ethereum", "polygon")).toBe(true);
    expect(sameFamily("ethereum", "tron")).toBe(false);
    // Bitcoin and Litecoin: one UTXO family
    expect(familyOf("bitcoin").id).toBe("bitcoin");
    expect(sameFamily("bitcoin", "litecoin")).toBe(true);
    expect(() => chainFamily("dogecoin")).toThrow(/no chain family/);
    expect(familyOf("ton").id).toBe("ton");
  });

  it("prompts carry what a wallet needs", () => {
    expect(chainFamily("evm").promptUri({ receiver: "0x8ba1f109551bD432803012645Ac136ddd64DBA72", token: "0x55d398326f99059fF775485246999027B3197955", decimals: 18, units: 5n, chainId: 56 }))
      .toBe("ethereum:0x55d398326f99059fF775485246999027B3197955@56/transfer?address=0x8ba1f109551bD432803012645Ac136ddd64DBA72&uint256=5");
    expect(chainFamily("tron").promptUri({ receiver: "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8", token: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", decimals: 6, units: 5n }))
      .toBe("TJRabPrwbZy45sbavfcjinPJC18kjpRTv8");
    expect(chainFamily("solana").promptUri({ receiver: "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM", token: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", decimals: 6, units: 1_500_000n, memo: "11111111111111111111111111111112", label: "Order 1" }))
      .toBe("solana:9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM?amount=1.5&spl-token=EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v&reference=11111111111111111111111111111112&label=Order%201");
  });
});
