// What deposits count for toward a session (lib/checkout/payment-summary): exact across decimals,
// due amounts rounded up, credits rounded down, native coins and reverted deposits never counted.
import { describe, expect, it } from "vitest";
import { countingDecimals, summarizePayment, tokenCounts, type SummaryDeposit } from "@/lib/checkout/payment-summary";
import { rescale } from "@/lib/money/units";
import { exactDecimal } from "@/lib/sessions/schemas";

const USDC_ETH = { status: "waiting_payment" as const, network: "ethereum", tokenAddress: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", tokenSymbol: "USDC", tokenDecimals: 6 };
let n = 0;
const dep = (d: Partial<SummaryDeposit> & Pick<SummaryDeposit, "assetCode" | "amount">): SummaryDeposit => ({
  id: `d${n++}`, network: "ethereum", tokenAddress: "0x0000000000000000000000000000000000000001", status: "seen", late: false, ...d,
});
function paymentProgress(dest: typeof USDC_ETH, amountUnits: bigint, deposits: SummaryDeposit[]) {
  const s = summarizePayment({ ...dest, amountUnits }, 0, deposits);
  return { paid: s.paidUnits, remaining: s.remainingUnits, overpaid: s.overpaidUnits };
}

describe("rescale", () => {
  it("scales up exactly and rounds as asked when scaling down", () => {
    expect(rescale(1_500_000n, 6, 18, "down")).toBe(1_500_000_000_000_000_000n);
    expect(rescale(1_000_000_000_000_000_001n, 18, 6, "down")).toBe(1_000_000n);
    expect(rescale(1_000_000_000_000_000_001n, 18, 6, "up")).toBe(1_000_001n);
    expect(rescale(1_000_000_000_000_000_000n, 18, 6, "up")).toBe(1_000_000n);
    expect(rescale(0n, 18, 6, "up")).toBe(0n);
  });
});

describe("paymentProgress", () => {
  it("counts USD stablecoins on any EVM network 1:1, not native coins, late or reverted deposits", () => {
    const p = paymentProgress(USDC_ETH, 25_000_000n, [
      dep({ assetCode: "eUSDC", tokenAddress: USDC_ETH.tokenAddress, amount: 10_000_000n }),
      dep({ network: "polygon", assetCode: "wpUSDT", amount: 5_000_000n, status: "confirmed" }),
      dep({ assetCode: "ETH", tokenAddress: null, amount: 10n ** 18n }),
      dep({ assetCode: "eUSDC", tokenAddress: USDC_ETH.tokenAddress, amount: 3_000_000n, late: true }),
      dep({ assetCode: "eUSDT", amount: 7_000_000n, status: "reverted" }),
    ]);
    expect(p).toEqual({ paid: 15_000_000n, remaining: 10_000_000n, overpaid: 0n });
  });

  it("sums mixed decimals exactly; what is paid rounds down, what remains rounds up", () => {
    // bUSDT has 18 decimals: 10.5 USDT plus one wei
    const p = paymentProgress(USDC_ETH, 25_000_000n, [dep({ network: "bsc", assetCode: "bUSDT", amount: 10_500_000_000_000_000_001n })]);
    expect(p).toEqual({ paid: 10_500_000n, remaining: 14_500_000n, overpaid: 0n });
    const q = paymentProgress(USDC_ETH, 1_000_000n, [dep({ network: "bsc", assetCode: "bUSDT", amount: 999_999_999_999_999_999n })]);
    expect(q).toEqual({ paid: 999_999n, remaining: 1n, overpaid: 0n });
  });

  it("reports overpayment", () => {
    const p = paymentProgress(USDC_ETH, 25_000_000n, [dep({ assetCode: "eUSDC", amount: 25_500_000n })]);
    expect(p).toEqual({ paid: 25_500_000n, remaining: 0n, overpaid: 500_000n });
  });

  it("counts only the token itself toward a destination that is not a USD stablecoin", () => {
    const eth = { status: "waiting_payment" as const, network: "ethereum", tokenAddress: "0x00000000000000000000000000000000000000e7", tokenSymbol: "WETH", tokenDecimals: 18, amountUnits: 1n };
    expect(tokenCounts(eth, { network: "ethereum", address: eth.tokenAddress.toUpperCase().replace("0X", "0x"), symbol: "WETH" })).toBe(true);
    expect(tokenCounts(eth, { network: "polygon", address: eth.tokenAddress, symbol: "WETH" })).toBe(false);
    expect(countingDecimals(eth, dep({ assetCode: "eUSDC", amount: 1n }))).toBeNull();
  });
});

describe("exactDecimal", () => {
  it("writes JSON numbers as plain decimals", () => {
    expect([12.5, 100, 1e-7, 1.5e21, 0.1, 123.456].map(exactDecimal))
      .toEqual(["12.5", "100", "0.0000001", "1500000000000000000000", "0.1", "123.456"]);
  });
});
