// Batch settlement's pure parts (issue 21 item 3): when a merchant's batch is due, the settings
// form's fields, and the decider treating a batched group as settled.
import { describe, expect, it } from "vitest";
import { batchDue } from "@/lib/settlement/policy";
import { centsToDollars, dollarsToCents, settingsSchema } from "@/lib/merchants/settings-schema";

const now = new Date("2026-12-07T12:00:00Z");
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe("batchDue", () => {
  const policy = { minCents: 10_000, maxWaitMinutes: 60 };
  it("waits below the threshold and the longest wait", () => {
    expect(batchDue(policy, [{ cents: 2_000n, since: ago(5) }, { cents: 4_000n, since: ago(1) }], now)).toEqual({ due: false, why: "$60.00 of $100.00 waiting" });
  });
  it("is due when what waits reaches the threshold", () => {
    expect(batchDue(policy, [{ cents: 6_000n, since: ago(5) }, { cents: 4_000n, since: ago(1) }], now).due).toBe(true);
  });
  it("is due when the oldest part has waited the longest wait, whatever the amount", () => {
    expect(batchDue(policy, [{ cents: 100n, since: ago(60) }], now)).toEqual({ due: true, why: "the oldest part has waited 60 min" });
    expect(batchDue(policy, [{ cents: 100n, since: ago(59) }], now).due).toBe(false);
  });
  it("counts a part without a price by its age only", () => {
    expect(batchDue(policy, [{ cents: null, since: ago(10) }], now).due).toBe(false);
    expect(batchDue(policy, [{ cents: null, since: ago(61) }], now).due).toBe(true);
  });
  it("forwards at once once the policy is gone, and never for nothing", () => {
    expect(batchDue(null, [{ cents: 1n, since: now }], now).due).toBe(true);
    expect(batchDue(null, [], now).due).toBe(false);
    expect(batchDue(policy, [], now).due).toBe(false);
  });
});

describe("settings: batch policy fields", () => {
  const targets = [
    { key: "ethereum.test", family: "evm" as const, network: "ethereum", livemode: false, batchable: true },
    { key: "solana.test", family: "solana" as const, network: "solana", livemode: false, batchable: false },
  ];
  const base = { name: "Shop", logoUrl: "", accentColor: "#4f46e5", expiryMinutes: "60", tolerancePercent: "0", embedOrigins: "", settlement: { "ethereum.test": "", "solana.test": "" } };
  const parse = (batch: Record<string, unknown>) => settingsSchema(targets).safeParse({ ...base, batch });

  it("dollars ↔ cents without floating point", () => {
    expect(dollarsToCents("12.5")).toBe(1250);
    expect(dollarsToCents("$1,000")).toBe(100_000);
    expect(dollarsToCents("0.001")).toBeNull();
    expect(dollarsToCents("-5")).toBeNull();
    expect(centsToDollars(1250)).toBe("12.50");
    expect(centsToDollars(5000)).toBe("50");
  });
  it("takes a batch policy, or null for at once", () => {
    const ok = parse({ "ethereum.test": { mode: "batch", min: "250", wait: "1440" } });
    expect(ok.success && ok.data.batch).toEqual({ "ethereum.test": { minCents: 25_000, maxWaitMinutes: 1440 } });
    const instant = parse({ "ethereum.test": { mode: "instant", min: "", wait: "" } });
    expect(instant.success && instant.data.batch).toEqual({ "ethereum.test": null });
  });
  it("refuses a bad amount or wait with a message on the field", () => {
    const bad = parse({ "ethereum.test": { mode: "batch", min: "ten", wait: "0" } });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(["batch.ethereum.test.min", "batch.ethereum.test.wait"]);
  });
  it("has no policy fields for a network that cannot batch", () => {
    const r = parse({ "solana.test": { mode: "batch", min: "1", wait: "1" } });
    expect(r.success && r.data.batch).toEqual({});
  });  it("address reuse is on only when its checkbox is ticked", () => {
    const reuse = (v: unknown) => { const r = settingsSchema(targets).safeParse({ ...base, reuseAddresses: v }); return r.success && r.data.reuseAddresses; };
    expect(reuse("on")).toBe(true);
    expect(reuse(undefined)).toBe(false); // an unticked checkbox is not sent
    expect(reuse("")).toBe(false);
  });
});
