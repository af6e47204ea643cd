// Tron keys and offline-signed Tron transactions (tronweb, no network): receivers derive from the
// xpub exactly as the worker's signing keys do, and every signed transaction's signer is recovered
// from the transaction alone.
import { describe, expect, it } from "vitest";
import { hexToTron, isTronAddress } from "@/lib/addresses";
import { buildTransfer, recoverTronSigner, signTronTransaction, type RefBlock } from "@/lib/chains/tron/tx";
import { evmAddressAt, evmXpub, tronAccountAt, tronAddressAt, tronPrivateKeyAt, tronXpub } from "@/lib/keys/derive";

const MNEMONIC = "test test test test test test test test test test test junk";
const USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
const REF: RefBlock = { number: 77_123_456, hash: "0x000000000498cf80aabbccddeeff00112233445566778899aabbccddeeff0011", timestamp: 1_763_700_000 };

describe("Tron keys", () => {
  it("derives receivers from the Tron xpub (m/44'/195'/0'/0) that match the worker's signing keys", () => {
    const xpub = tronXpub(MNEMONIC);
    for (const i of [0, 1, 7, 1000]) {
      const address = tronAddressAt(xpub, i);
      expect(isTronAddress(address)).toBe(true);
      expect(address).toBe(hexToTron(tronAccountAt(MNEMONIC, i).address));
    }
    // a different coin type: never the EVM account at the same index
    expect(tronAddressAt(xpub, 1)).not.toBe(hexToTron(evmAddressAt(evmXpub(MNEMONIC), 1)));
  });
});

describe("offline-signed Tron transactions", () => {
  const key = tronPrivateKeyAt(MNEMONIC, 3);
  const from = tronAddressAt(tronXpub(MNEMONIC), 3);
  const to = tronAddressAt(tronXpub(MNEMONIC), 4);

  it("a TRC-20 transfer (TriggerSmartContract) is signed by the receiver's key", () => {
    const tx = buildTransfer({ from, to, token: USDT, amount: 25_000_000n, feeLimit: 30_000_000n, ref: REF, now: 1_763_700_003_000 });
    expect(tx.raw_data.contract[0].type).toBe("TriggerSmartContract");
    expect(tx.raw_data.contract[0].parameter.value).toMatchObject({
      owner_address: "41" + tronAccountAt(MNEMONIC, 3).address.slice(2).toLowerCase(),
      contract_address: "41a614f803b6fd780986a42c78ec9c7f77e6ded13c",
    });
    // transfer(address,uint256) selector, then the recipient and amount
    expect(String(tx.raw_data.contract[0].parameter.value.data)).toMatch(/^a9059cbb0{24}[0-9a-f]{40}0{56}017d7840$/);
    expect(tx.raw_data).toMatchObject({ ref_block_bytes: "cf80", ref_block_hash: "aabbccddeeff0011", fee_limit: 30_000_000, timestamp: 1_763_700_003_000 });
    expect(tx.raw_data.expiration).toBeGreaterThan(tx.raw_data.timestamp);
    const signed = signTronTransaction(tx, key);
    expect(signed.signature).toHaveLength(1);
    expect(recoverTronSigner(signed)).toBe(from);
  });

  it("a TRX transfer (TransferContract) likewise", () => {
    const signed = signTronTransaction(buildTransfer({ from, to, token: null, amount: 1_500_000n, ref: REF }), key);
    expect(signed.raw_data.contract[0]).toMatchObject({ type: "TransferContract", parameter: { value: { amount: 1_500_000 } } });
    expect(recoverTronSigner(signed)).toBe(from);
  });

  it("another key recovers to another signer; a tampered transaction is refused", () => {
    const tx = buildTransfer({ from, to, token: USDT, amount: 1n, feeLimit: 1n, ref: REF });
    expect(recoverTronSigner(signTronTransaction(tx, tronPrivateKeyAt(MNEMONIC, 4)))).toBe(to);
    const signed = signTronTransaction(tx, key);
    const tampered = structuredClone(signed);
    tampered.raw_data.contract[0].parameter.value.data = String(tampered.raw_data.contract[0].parameter.value.data).replace(/1$/, "2");
    expect(() => recoverTronSigner(tampered)).toThrow(/txID/);
    expect(() => buildTransfer({ from, to, token: USDT, amount: 1n, ref: REF })).toThrow(/fee limit/);
  });
});
