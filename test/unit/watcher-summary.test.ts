// Pure parts of the watcher and of evaluate(): the compact address set, and what deposits add up
// to in the destination token (stablecoins 1:1 with decimals scaled exactly, tolerance, overpay).
import { describe, expect, it } from "vitest";
import { AddressSet } from "@/lib/chains/evm/address-set";
import { isReadyToForward, summarizePayment, type SummaryCheckout, type SummaryDeposit } from "@/lib/checkout/payment-summary";
import { randomHex } from "./watcher-fakes";

describe("AddressSet", () => {
  it("holds exactly what was added, in any letter case, and grows", () => {
    const set = new AddressSet(4);
    const added = Array.from({ length: 5000 }, () => randomHex(20));
    for (const a of added) set.add(a);
    for (const a of added.slice(0, 100)) set.add(a.toUpperCase().replace("0X", "0x")); // duplicates
    expect(set.size).toBe(5000);
    for (const a of added) expect(set.has(a)).toBe(true);
    expect(set.has(added[0].toUpperCase().replace("0X", "0x"))).toBe(true);
    for (let i = 0; i < 5000; i++) expect(set.has(randomHex(20))).toBe(false);
    expect(set.has("0x1234")).toBe(false);
    expect(set.has("not an address at all, not even close to forty")).toBe(false);
  });

  it("never holds the zero address (it marks empty slots)", () => {
    const set = new AddressSet();
    set.add(`0x${"0".repeat(40)}`);
    expect(set.size).toBe(0);
    expect(set.has(`0x${"0".repeat(40)}`)).toBe(false);
  });
});

const USDC_ETH = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";
const checkout = (amount: bigint, status: SummaryCheckout["status"] = "waiting_payment"): SummaryCheckout => ({
  status, network: "ethereum", tokenAddress: USDC_ETH, tokenSymbol: "USDC", tokenDecimals: 6, amountUnits: amount,
});
let n = 0;
const dep = (network: string, assetCode: string, amount: bigint, extra: Partial<SummaryDeposit> = {}): SummaryDeposit => ({
  id: String(++n), network, assetCode, amount, tokenAddress: assetCode === "ETH" || assetCode === "BNB" ? null : USDC_ETH.toLowerCase(),
  status: "seen", late: false, ...extra,
});

describe("summarizePayment", () => {
  it("counts USDC and USDT on any chain 1:1, scaling 18-decimal bUSDT exactly", () => {
    const s = summarizePayment(checkout(10_000_000n), 0, [
      dep("ethereum", "eUSDC", 4_000_000n),
      dep("polygon", "wpUSDT", 3_000_000n),
      dep("bsc", "bUSDT", 3_000_000_000_000_000_000n),
    ]);
    expect(s).toMatchObject({ paidUnits: 10_000_000n, remainingUnits: 0n, overpaidUnits: 0n, sufficient: true });
  });

  it("compares before rounding: 18-decimal dust below one destination unit does not make a payment whole", () => {
    const s = summarizePayment(checkout(1_000_000n), 0, [dep("bsc", "bUSDT", 999_999_999_999_999_999n)]);
    expect(s.sufficient).toBe(false);
    expect(s.paidUnits).toBe(999_999n); // rounded down for display
    expect(s.remainingUnits).toBe(1n); // rounded up
  });

  it("applies the merchant's tolerance so the requirement rounds up", () => {
    // 1 % of 9.999999 is 0.09999999: tolerance rounds down to 0.099999, threshold up to 9.9
    const s = summarizePayment(checkout(9_999_999n), 100, [dep("ethereum", "eUSDC", 9_900_000n)]);
    expect(s.thresholdUnits).toBe(9_900_000n);
    expect(s.sufficient).toBe(true);
    expect(summarizePayment(checkout(9_999_999n), 100, [dep("ethereum", "eUSDC", 9_899_999n)]).sufficient).toBe(false);
  });

  it("reports overpayment", () => {
    const s = summarizePayment(checkout(10_000_000n), 0, [dep("ethereum", "eUSDC", 12_500_000n)]);
    expect(s).toMatchObject({ paidUnits: 12_500_000n, overpaidUnits: 2_500_000n, remainingUnits: 0n });
  });

  it("never counts reverted, late or native-coin deposits", () => {
    const s = summarizePayment(checkout(1_000_000n), 0, [
      dep("ethereum", "eUSDC", 1_000_000n, { status: "reverted" }),
      dep("ethereum", "eUSDC", 1_000_000n, { late: true }),
      dep("ethereum", "ETH", 10n ** 18n),
    ]);
    expect(s).toMatchObject({ paidUnits: 0n, sufficient: false });
    expect([s.reverted.length, s.late.length, s.uncounted.length]).toEqual([1, 1, 1]);
  });

  it("a non-stablecoin destination counts only its own token", () => {
    const c = { ...checkout(100n), tokenSymbol: "XYZ" };
    expect(summarizePayment(c, 0, [dep("polygon", "wpUSDT", 100n)]).sufficient).toBe(false);
    expect(summarizePayment(c, 0, [dep("ethereum", "eUSDC", 100n)]).sufficient).toBe(true); // same chain and contract
  });

  it("ready to forward: processing, every counted deposit confirmed, confirmed total covers the threshold", () => {
    const confirmed = dep("ethereum", "eUSDC", 10_000_000n, { status: "confirmed" });
    const topUp = dep("polygon", "wpUSDT", 1n);
    expect(isReadyToForward(checkout(10_000_000n, "processing"), summarizePayment(checkout(10_000_000n), 0, [confirmed]))).toBe(true);
    expect(isReadyToForward(checkout(10_000_000n, "processing"), summarizePayment(checkout(10_000_000n), 0, [confirmed, topUp]))).toBe(false);
    expect(isReadyToForward(checkout(10_000_000n, "waiting_payment"), summarizePayment(checkout(10_000_000n), 0, [confirmed]))).toBe(false);
  });
});
