import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { networkSync } from "@/lib/sync/status";

const chain = loadConfig({}).networks.find((n) => n.key === "ethereum:test")!; // devnet: 10 s allowed lag
const now = Date.parse("2026-11-21T12:00:00Z");

describe("networkSync", () => {
  it("is synced while the processed head is recent and recently checked", () => {
    expect(networkSync(chain, { headTime: new Date(now - 2000), checkedAt: new Date(now - 500) }, now))
      .toEqual({ is_synced: true, last_block_gen_utime: (now - 2000) / 1000, lag_seconds: 2 });
  });
  it("is not synced when the chain head is old (stalled chain or worker behind)", () => {
    expect(networkSync(chain, { headTime: new Date(now - 11_000), checkedAt: new Date(now) }, now).is_synced).toBe(false);
  });
  it("is not synced when the worker stopped checking, even if the last head was fresh then", () => {
    expect(networkSync(chain, { headTime: new Date(now - 1000), checkedAt: new Date(now - 30_000) }, now).is_synced).toBe(false);
  });
  it("is not synced before the worker has seen the network", () => {
    expect(networkSync(chain, undefined, now)).toEqual({ is_synced: false, last_block_gen_utime: null, lag_seconds: null });
  });
});
