import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm-constants";

describe("configuration", () => {
  it("test mode defaults to the devnet chains", () => {
    const cfg = loadConfig({});
    expect(cfg.mode).toBe("test");
    const eth = cfg.networks.find((n) => n.key === "ethereum:test")!;
    expect(eth).toMatchObject({ enabled: true, chainId: 31337, rpcUrls: ["http://127.0.0.1:8545"], confirmations: 1, maxLagSeconds: 10 });
    expect(eth.assets).toMatchObject({ ETH: null, eUSDC: DEVNET_TOKEN_ADDRESSES.USDC, eUSDT: DEVNET_TOKEN_ADDRESSES.USDT });
    const pol = cfg.networks.find((n) => n.key === "polygon:test")!;
    expect(pol).toMatchObject({ enabled: true, chainId: 31338 });
    expect(pol.assets.wpUSDC).toBeUndefined(); // no devnet contract for bridged USDC
    expect(cfg.networks.filter((n) => n.livemode && n.enabled)).toEqual([]);
  });
  it("reads per-network RPC URLs, confirmations and enabled flags", () => {
    const cfg = loadConfig({
      TOLLGATE_MODE: "live", ETHEREUM_RPC_URL: "https://a.example, https://b.example", ETHEREUM_CONFIRMATIONS: "20",
      POLYGON_RPC_URL: "https://p.example", POLYGON_ENABLED: "false", DEVNET_ETHEREUM_PORT: "9999",
    });
    const eth = cfg.networks.find((n) => n.key === "ethereum")!;
    expect(eth).toMatchObject({ enabled: true, chainId: 1, rpcUrls: ["https://a.example", "https://b.example"], confirmations: 20 });
    expect(cfg.networks.find((n) => n.key === "polygon")!.enabled).toBe(false);
    expect(cfg.devnet).toBe(false); // live mode does not run the devnet by default
    expect(cfg.networks.find((n) => n.key === "ethereum:test")!.enabled).toBe(false);
  });
  it("rejects bad values with the variable's name", () => {
    expect(() => loadConfig({ TOLLGATE_MODE: "prod" })).toThrow(/TOLLGATE_MODE/);
    expect(() => loadConfig({ ETHEREUM_TEST_CONFIRMATIONS: "-1" })).toThrow(/ETHEREUM_TEST_CONFIRMATIONS/);
  });
});
