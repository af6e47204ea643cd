// Settings: a Solana settlement field takes a base58 32-byte address, EVM fields keep theirs.
import { describe, expect, it } from "vitest";
import { settingsSchema } from "@/lib/merchants/settings-schema";

const base = { name: "Shop", logoUrl: "", accentColor: "#4f46e5", expiryMinutes: "60", tolerancePercent: "0" };
const schema = settingsSchema([{ key: "ethereum.test", family: "evm" }, { key: "solana.test", family: "solana" }]);

describe("settlement addresses by family", () => {
  it("accepts a Solana wallet for solana and an EVM address for ethereum", () => {
    const r = schema.safeParse({ ...base, settlement: { "ethereum.test": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "solana.test": " 9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM " } });
    expect(r.success).toBe(true);
    expect(r.data?.settlement).toEqual({ "ethereum.test": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "solana.test": "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM" });
  });

  it("refuses an EVM address for solana, a short or non-base58 key, and keeps empty as removal", () => {
    for (const bad of ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "11111111111111111111111111111111111", "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAW0M"]) {
      const r = schema.safeParse({ ...base, settlement: { "ethereum.test": "", "solana.test": bad } });
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0].message).toMatch(/valid Solana address/);
    }
    const empty = schema.safeParse({ ...base, settlement: { "ethereum.test": "", "solana.test": "" } });
    expect(empty.data?.settlement).toEqual({ "ethereum.test": null, "solana.test": null });
  });
});
