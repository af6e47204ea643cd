// The Bitcoin family's pure parts: BIP84 receivers from the public root alone (the BIP's own test
// vector), per-chain prefixes, address validation by network, output scripts, coin amounts.
import { describe, expect, it } from "vitest";
import { addressOfScript, bitcoinAddressProblem, scriptOf } from "@/lib/chains/bitcoin/address";
import { bitcoinAddressAt, bitcoinPublicRoot, bitcoinSignerAt } from "@/lib/chains/bitcoin/keys";
import { build, utxoPayoutProblem } from "@/lib/chains/bitcoin/spend";
import { Transaction } from "@scure/btc-signer";
import { settingsSchema } from "@/lib/merchants/settings-schema";
import { hex } from "@scure/base";
import { bip21Uri } from "@/lib/chains/bitcoin/prompt";
import { toUnits } from "@/lib/chains/bitcoin/watcher";

const BIP84_MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

describe("Bitcoin family", () => {
  const root = bitcoinPublicRoot(BIP84_MNEMONIC);

  it("derives BIP84 receivers from the account xpubs (BIP84 test vectors)", () => {
    // m/84'/0'/0' zpub of the BIP, in xpub form
    expect(root).toContain("bitcoin=xpub6CatWdiZiodmUeTDp8LT5or8nmbKNcuyvz7WyksVFkKB4RHwCD3XyuvPEbvqAQY3rAPshWcMLoP2fMFMKHPJ4ZeZXYVUhLv1VMrjPC7PW6V");
    expect(bitcoinAddressAt(root, 0, "bitcoin")).toBe("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu");
    expect(bitcoinAddressAt(root, 1, "bitcoin")).toBe("bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g");
  });

  it("gives each chain its account and prefix", () => {
    const ltc = bitcoinAddressAt(root, 1, "litecoin");
    expect(ltc).toMatch(/^ltc1q/);
    // test networks share coin type 1; on the devnet the regtest prefixes of bcoin and litecoind
    const btcTest = bitcoinAddressAt(root, 1, "bitcoin:test");
    const ltcTest = bitcoinAddressAt(root, 1, "litecoin:test");
    expect(btcTest).toMatch(/^rb1q/);
    expect(ltcTest).toMatch(/^rltc1q/);
    expect(scriptOf(btcTest)).toBe(scriptOf(ltcTest));
    expect(scriptOf(btcTest)).not.toBe(scriptOf(bitcoinAddressAt(root, 1, "bitcoin")));
  });

  it("validates addresses per network and reads output scripts back", () => {
    expect(bitcoinAddressProblem("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", "bitcoin")).toBeNull();
    expect(bitcoinAddressProblem("BC1QCR8TE4KR609GCAWUTMRZA0J4XV80JY8Z306FYU", "bitcoin")).toBeNull();
    expect(bitcoinAddressProblem("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", "litecoin")).toMatch(/ltc1/);
    expect(bitcoinAddressProblem("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyv", "bitcoin")).not.toBeNull(); // checksum
    expect(bitcoinAddressProblem("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "bitcoin")).not.toBeNull(); // legacy: not native segwit
    expect(bitcoinAddressProblem("rb1q6u02th7mr2dj6m2jgdmwmhav0avxj7xzzea7zw", "bitcoin:test")).toBeNull();
    expect(bitcoinAddressProblem("rb1q6u02th7mr2dj6m2jgdmwmhav0avxj7xzzea7zw", "bitcoin")).toBeNull(); // both modes of the network
    const s = scriptOf("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu");
    expect(s).toBe("0014c0cebcd6c3d3ca8c75dc5ec62ebe55330ef910e2");
    expect(addressOfScript(s, "bc")).toBe("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu");
    expect(addressOfScript("76a914c0cebcd6c3d3ca8c75dc5ec62ebe55330ef910e288ac", "bc")).toBeNull(); // P2PKH: not ours
  });

  it("reads coin amounts exactly and writes BIP21 URIs", () => {
    expect(toUnits(0.1)).toBe(10_000_000n);
    expect(toUnits(20999999.97690000)).toBe(2_099_999_997_690_000n);
    expect(toUnits(0.00000001)).toBe(1n);
    expect(toUnits("1.5")).toBe(150_000_000n);
    expect(bip21Uri({ receiver: "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", token: null, decimals: 8, units: 150_000n }))
      .toBe("bitcoin:bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu?amount=0.0015");
    expect(bip21Uri({ receiver: "ltc1qabc", token: null, decimals: 8, units: 100_000_000n })).toBe("litecoin:ltc1qabc?amount=1");
  });

  it("signs a spend with each input's key (BIP84, mnemonic side), RBF-signalled, its size what the fee estimate assumes", () => {
    const key = bitcoinSignerAt(BIP84_MNEMONIC, 0, "bitcoin");
    expect(key.address).toBe("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"); // the BIP's first receiving address
    const inputs = [0, 1].map((i) => ({ txid: "aa".repeat(32), vout: i, address: bitcoinAddressAt(root, i, "bitcoin"), derivationIndex: BigInt(i), amount: 100_000n }));
    const outputs = Array.from({ length: 3 }, (_, i) => ({ script: hex.decode(scriptOf(bitcoinAddressAt(root, 10 + i, "bitcoin"))), amount: 50_000n }));
    const built = build(BIP84_MNEMONIC, { key: "bitcoin" }, inputs, outputs);
    expect(built.fee).toBe(50_000n);
    // 11 + 68 per input + 31 per P2WPKH output, an upper bound within a few vbytes
    expect(built.vsize).toBeLessThanOrEqual(11 + 2 * 68 + 3 * 31);
    expect(built.vsize).toBeGreaterThan(11 + 2 * 68 + 3 * 31 - 4);
    const tx = Transaction.fromRaw(hex.decode(built.signed));
    expect(tx.id).toBe(built.txid);
    expect(tx.getInput(0).sequence).toBe(0xfffffffd);
    // a key that is not the input's: refused before anything is signed
    expect(() => build(BIP84_MNEMONIC, { key: "bitcoin" }, [{ ...inputs[0], derivationIndex: 5n }], outputs)).toThrow(/does not derive/);
  });

  it("refuses dust and comments in payouts up front", () => {
    expect(utxoPayoutProblem({ amount: 999n })).toMatchObject({ field: "amount" });
    expect(utxoPayoutProblem({ amount: 1000n })).toBeNull();
    expect(utxoPayoutProblem({ amount: 5000n, comment: "hi" })).toMatchObject({ field: "comment" });
  });

  it("takes a settlement address of the row's own chain only (Settings)", () => {
    const schema = settingsSchema([{ key: "bitcoin.live", family: "bitcoin", network: "bitcoin", livemode: true }, { key: "litecoin.live", family: "bitcoin", network: "litecoin", livemode: true }]);
    const base = { name: "Shop", logoUrl: "", accentColor: "#4f46e5", expiryMinutes: "30", tolerancePercent: "0" };
    const btc = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu";
    const ltc = bitcoinAddressAt(root, 0, "litecoin");
    expect(schema.safeParse({ ...base, settlement: { "bitcoin.live": btc, "litecoin.live": ltc } }).success).toBe(true);
    const swapped = schema.safeParse({ ...base, settlement: { "bitcoin.live": ltc, "litecoin.live": btc } });
    expect(swapped.success).toBe(false);
    expect(swapped.error?.issues.map((i) => i.path.join(".")).sort()).toEqual(["settlement.bitcoin.live", "settlement.litecoin.live"]);
  });
});
