// What deposits count for toward a session (lib/checkout/payment-summary): exact across decimals,
// due amounts rounded up, credits rounded down, native coins and reverted deposits never counted.
import { describe, expect, it } from "vitest";
import { countingDecimals, quoteDue, summarizePayment, tokenCounts, type SummaryDeposit } from "@/lib/checkout/payment-summary";
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

describe("a session paid in a coin at a quoted price (BTC, LTC)", () => {
  // 25 USDC quoted at 60000 USD/BTC: 41667 sat (rounded up)
  const quoted = { ...USDC_ETH, kind: "session" as const, amountUnits: 25_000_000n, quoteNetwork: "bitcoin", quoteAsset: "BTC", quoteUnits: 41_667n };
  // what remains, in sat, from the exact remainder: ceil(remaining × quote / due)
  const sat = (c: typeof quoted, s: ReturnType<typeof summarizePayment>) => (s.remaining.num * c.quoteUnits + s.remaining.den * c.amountUnits - 1n) / (s.remaining.den * c.amountUnits);
  const btc = (amount: bigint, status: SummaryDeposit["status"] = "seen") => dep({ network: "bitcoin", tokenAddress: null, assetCode: "BTC", amount, status });

  it("counts the quoted coin pro rata: the quote pays the amount exactly, halves add up exactly", () => {
    expect(summarizePayment(quoted, 0, [btc(41_667n)])).toMatchObject({ paidUnits: 25_000_000n, remainingUnits: 0n, overpaidUnits: 0n, sufficient: true });
    // two parts that each round down add up to the whole (sums are exact, rounding only when reporting)
    const halves = summarizePayment(quoted, 0, [btc(20_000n), btc(21_667n, "confirmed")]);
    expect(halves).toMatchObject({ paidUnits: 25_000_000n, sufficient: true, confirmedSufficient: false, allConfirmed: false });
    expect(quoteDue(quoted, halves)).toBe(0n);
  });

  it("asks for what remains, pro rata and rounded up; the tolerance and overpayment apply as for stablecoins", () => {
    const under = summarizePayment(quoted, 0, [btc(30_000n)]);
    expect(under).toMatchObject({ sufficient: false, paidUnits: 17_999_856n, remainingUnits: 7_000_144n });
    expect(quoteDue(quoted, under)).toBe(11_667n);
    expect(quoteDue(quoted, summarizePayment(quoted, 0, []))).toBe(41_667n);
    expect(summarizePayment(quoted, 100, [btc(41_251n)]).sufficient).toBe(true); // 1% tolerance
    expect(summarizePayment(quoted, 100, [btc(41_250n)]).sufficient).toBe(false);
    expect(summarizePayment(quoted, 0, [btc(50_000n)]).overpaidUnits).toBe(4_999_760n);
    // what it asks for is exact in the coin: paying it is never an overpayment
    expect(summarizePayment(quoted, 0, [btc(30_000n), btc(11_667n)])).toMatchObject({ remainingUnits: 0n, overpaidUnits: 0n });
  });

  it("counts only the quoted coin on its network, and never for a payment or a session without a quote", () => {
    const ltc = dep({ network: "litecoin", tokenAddress: null, assetCode: "LTC", amount: 100_000_000n });
    expect(summarizePayment(quoted, 0, [ltc]).uncounted).toHaveLength(1);
    expect(summarizePayment({ ...quoted, quoteUnits: null }, 0, [btc(41_667n)]).uncounted).toHaveLength(1);
    expect(summarizePayment({ ...quoted, kind: "payment" }, 0, [btc(41_667n)]).uncounted).toHaveLength(1);
    // a stablecoin beside it still counts 1:1
    const mixed = summarizePayment(quoted, 0, [btc(20_000n), dep({ assetCode: "eUSDC", tokenAddress: USDC_ETH.tokenAddress, amount: 13_000_000n })]);
    expect(mixed).toMatchObject({ paidUnits: 24_999_904n, sufficient: false });
    expect(quoteDue(quoted, mixed)).toBe(sat(quoted, mixed));
    expect(countingDecimals(quoted, btc(1n))).toBe(8);
  });
});
