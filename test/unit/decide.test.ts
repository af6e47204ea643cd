// The decider (lib/checkout/decide): status and exception from a checkout's facts, pure.
import { describe, expect, it } from "vitest";
import { decide, settlementGroups, type CheckoutFacts, type FinalGroup, type GroupDeposit } from "@/lib/checkout/decide";
import { summarizePayment } from "@/lib/checkout/payment-summary";
import type { CheckoutStatus } from "@/lib/checkout/state-machine";

const USDC_ETH = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const checkout = {
  status: "processing" as CheckoutStatus, kind: "session" as const, network: "ethereum", tokenAddress: USDC_ETH,
  tokenSymbol: "USDC", tokenDecimals: 6, amountUnits: 25_000_000n,
};
let n = 0;
function dep(network: string, assetCode: string, tokenAddress: string, amount: bigint, more: Partial<GroupDeposit> = {}): GroupDeposit {
  return { id: `d${++n}`, network, assetCode, tokenAddress, amount, status: "confirmed", late: false, receiverId: network === "tron" ? "r-tron" : "r-evm", ...more };
}
const eth10 = () => dep("ethereum", "eUSDC", USDC_ETH, 10_000_000n);
const tron15 = () => dep("tron", "tUSDT", "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf", 15_000_000n);

function facts(status: CheckoutStatus, deposits: GroupDeposit[], more: Partial<CheckoutFacts> = {}): CheckoutFacts {
  return {
    status, summary: summarizePayment({ ...checkout, status }, 0, deposits), finalGroups: [],
    accepted: false, blocked: false, expireNow: false, ...more,
  };
}
const final = (d: GroupDeposit, status: FinalGroup["status"] = "delivered"): FinalGroup => ({ network: d.network, receiverId: d.receiverId, assetCode: d.assetCode, status });

describe("decide", () => {
  it("a payment split across networks forms one group per network and succeeds only when both are delivered, exception mixed", () => {
    const a = eth10(), b = tron15();
    const f = facts("processing", [a, b]);
    expect(settlementGroups(f.summary, []).map((g) => [g.network, g.state])).toEqual([["ethereum", "pending"], ["tron", "pending"]]);
    expect(decide(f)).toEqual({ status: "processing", exception: "mixed" });
    expect(decide({ ...f, finalGroups: [final(a)] }).status).toBe("processing");
    expect(decide({ ...f, finalGroups: [final(a), final(b)] })).toEqual({ status: "succeeded", exception: "mixed" });
    expect(decide({ ...f, finalGroups: [final(a), final(b, "refunded")] }).status).toBe("bounced");
  });

  it("a group assigned to the merchant's settlement batch counts as settled: succeeded, never bounced", () => {
    const a = eth10(), b = tron15();
    const f = facts("processing", [a, b]);
    expect(decide({ ...f, finalGroups: [final(a, "batched")] }).status).toBe("processing");
    expect(decide({ ...f, finalGroups: [final(a, "batched"), final(b)] })).toEqual({ status: "succeeded", exception: "mixed" });
  });

  it("waits for every counted deposit to confirm before anything settles", () => {
    const a = eth10(), b = dep("tron", "tUSDT", "T", 15_000_000n, { status: "seen" });
    expect(decide({ ...facts("processing", [a, b]), finalGroups: [final(a), final(b)] }).status).toBe("processing");
  });

  it("underpaid: stays waiting; accepted → processing with exception underpaid; expired short → exception underpaid", () => {
    const a = eth10();
    expect(decide(facts("waiting_payment", [a]))).toEqual({ status: "waiting_payment", exception: null });
    expect(decide(facts("waiting_payment", [a], { accepted: true }))).toEqual({ status: "processing", exception: "underpaid" });
    expect(decide(facts("waiting_payment", [a], { expireNow: true }))).toEqual({ status: "expired", exception: "underpaid" });
    expect(decide({ ...facts("processing", [a], { accepted: true }), finalGroups: [final(a)] })).toEqual({ status: "succeeded", exception: "underpaid" });
  });

  it("a reorg that takes back what made it enough returns it to waiting_payment", () => {
    const a = dep("ethereum", "eUSDC", USDC_ETH, 25_000_000n, { status: "reverted" });
    expect(decide(facts("processing", [a])).status).toBe("waiting_payment");
  });

  it("overpaid, paid late and blocked are exceptions, not statuses", () => {
    const over = dep("ethereum", "eUSDC", USDC_ETH, 30_000_000n);
    expect(decide({ ...facts("processing", [over]), finalGroups: [final(over)] })).toEqual({ status: "succeeded", exception: "overpaid" });
    const late = dep("ethereum", "eUSDC", USDC_ETH, 25_000_000n, { late: true });
    expect(decide(facts("expired", [late]))).toEqual({ status: "expired", exception: "paid_late" });
    expect(decide(facts("waiting_payment", [], { blocked: true }))).toEqual({ status: "bounced", exception: "blocked" });
    // a payment blocked before its currency was chosen (payments dialect NEW → BLOCKED)
    expect(decide(facts("requires_payment_method", [], { blocked: true }))).toEqual({ status: "bounced", exception: "blocked" });
  });

  it("terminal statuses never change; nothing happens without facts", () => {
    for (const s of ["succeeded", "bounced", "expired"] as const) expect(decide(facts(s, [eth10()], { expireNow: true, accepted: true })).status).toBe(s);
    expect(decide(facts("requires_payment_method", [])).status).toBe("requires_payment_method");
    expect(decide(facts("requires_payment_method", [], { expireNow: true })).status).toBe("expired");
    expect(decide(facts("requires_payment_method", [], { methodChosen: true })).status).toBe("waiting_payment");
  });
});

describe("one place for transitions", () => {
  it("only lib/checkout/evaluate.ts takes a checkout transition; a payment's stage changes there too (or at submit, where its checkout is born)", async () => {
    const { readFileSync, readdirSync, statSync } = await import("node:fs");
    const path = await import("node:path");
    const root = path.resolve(import.meta.dirname, "../..");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(name)) files.push(path.relative(root, p));
      }
    };
    for (const d of ["app", "lib", "workers", "components"]) walk(path.join(root, d));
    const calls = files.filter((f) => /\btransition\(tx\b|\bawait transition\(/.test(readFileSync(path.join(root, f), "utf8")));
    expect(calls).toEqual(["lib/checkout/evaluate.ts"]);
    const stageWrites = files.filter((f) => /stage: "(new|expired|blocked)"/.test(readFileSync(path.join(root, f), "utf8")));
    expect(stageWrites).toEqual([]);
  });
});
