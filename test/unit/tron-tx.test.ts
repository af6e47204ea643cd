// Tron keys and offline-signed Tron transactions (tronweb, no network): receivers derive from the
// xpub exactly as the worker's signing keys do, and every signed transaction's signer is recovered
// from the transaction alone.
import { describe, expect, it } from "vitest";
import { hexToTron, isTronAddress } from "@/lib/addresses";
import { stakeForEnergy } from "@/lib/chains/tron/energy";
import { tronFeeLimit } from "@/lib/chains/tron/sender";
import { buildResourceTx, buildTransfer, recoverTronSigner, signTronTransaction, type RefBlock } from "@/lib/chains/tron/tx";
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

describe("Stake 2.0 transactions and the energy math", () => {
  const key = tronPrivateKeyAt(MNEMONIC, 0);
  const owner = tronAddressAt(tronXpub(MNEMONIC), 0);
  const receiver = tronAddressAt(tronXpub(MNEMONIC), 5);

  it("stake, delegate and undelegate ENERGY are signed by the hot wallet, with the contract fields a node reads", () => {
    const cases = [
      ["stake", "FreezeBalanceV2Contract", { frozen_balance: 7_000_000 }],
      ["delegate", "DelegateResourceContract", { balance: 7_000_000, lock: false }],
      ["undelegate", "UnDelegateResourceContract", { balance: 7_000_000 }],
    ] as const;
    for (const [kind, type, fields] of cases) {
      const tx = signTronTransaction(buildResourceTx({ kind, owner, receiver, balance: 7_000_000n, ref: REF }), key);
      expect(tx.raw_data.contract[0].type).toBe(type);
      expect(tx.raw_data.contract[0].parameter.value).toMatchObject({ resource: "ENERGY", ...fields });
      expect(recoverTronSigner(tx)).toBe(owner);
    }
    expect(() => buildResourceTx({ kind: "delegate", owner, balance: 7_000_000n, ref: REF })).toThrow(/receiver/);
    expect(() => buildResourceTx({ kind: "stake", owner, balance: 0n, ref: REF })).toThrow(/positive/);
  });

  it("the fee limit is the energy at the chain's energy price, never zero", () => {
    expect(tronFeeLimit(65_000n, 420n)).toBe(27_300_000n); // 27.3 TRX for a transfer to a holder at mainnet's price
    expect(tronFeeLimit(130_000n, 210n)).toBe(27_300_000n);
    expect(() => tronFeeLimit(0n, 420n)).toThrow();
    expect(() => tronFeeLimit(65_000n, 0n)).toThrow();
  });

  it("lends whole TRX of stake for the energy at the network's ratio, rounded up", () => {
    // mainnet-like totals: 180 bn energy a day for 18 bn TRX staked → 10 energy per TRX
    const totals = { totalEnergyLimit: 180_000_000_000n, totalEnergyWeight: 18_000_000_000n };
    expect(stakeForEnergy(65_000n, totals)).toBe(6_500n * 1_000_000n);
    expect(stakeForEnergy(65_001n, totals)).toBe(6_501n * 1_000_000n);
    expect(stakeForEnergy(1n, totals)).toBe(1_000_000n);
    expect(stakeForEnergy(0n, totals)).toBe(0n);
    // a less crowded network: more energy per TRX
    expect(stakeForEnergy(65_000n, { totalEnergyLimit: 180_000_000_000n, totalEnergyWeight: 9_000_000_000n })).toBe(3_250n * 1_000_000n);
    expect(() => stakeForEnergy(65_000n, { totalEnergyLimit: 0n, totalEnergyWeight: 1n })).toThrow(/totals/);
  });
});
