import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm-constants";
import { DEVNET_TRON_TOKEN_ADDRESSES } from "@/lib/devnet/tron-constants";
import { tronToHex } from "@/lib/addresses";

describe("configuration", () => {
  it("test mode defaults to the devnet chains", () => {
    const cfg = loadConfig({});
    expect(cfg.mode).toBe("test");
    const eth = cfg.networks.find((n) => n.key === "ethereum:test")!;
    expect(eth).toMatchObject({ enabled: true, chainId: 31337, rpcUrls: ["http://127.0.0.1:8545"], confirmations: 1, maxLagSeconds: 10 });
    expect(eth.assets).toMatchObject({ ETH: null, eUSDC: DEVNET_TOKEN_ADDRESSES.USDC, eUSDT: DEVNET_TOKEN_ADDRESSES.USDT });
    const pol = cfg.networks.find((n) => n.key === "polygon:test")!;
    expect(pol).toMatchObject({ enabled: true, chainId: 31338 });
    expect(pol.assets.wpUSDC).toBe("0xd906e98505323EB1465A452A5C841Db4a9CA807D"); // bridged USDC: the devnet's USDC.e
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
  it("Tron: the devnet's JSON-RPC and base58 token contracts in test mode; TronGrid in live mode", () => {
    const test = loadConfig({ DEVNET_TRON_PORT: "9547" }).networks.find((n) => n.key === "tron:test")!;
    expect(test).toMatchObject({
      enabled: true, family: "tron", chainId: null, rpcUrls: ["http://127.0.0.1:9547"], confirmations: 1,
      assets: { TRX: null, tUSDT: DEVNET_TRON_TOKEN_ADDRESSES.USDT, tUSDC: DEVNET_TRON_TOKEN_ADDRESSES.USDC },
      tron: { sender: "jsonrpc", apiKey: undefined },
    });
    // the same 20 bytes as the EVM devnet's mock tokens
    expect(tronToHex(DEVNET_TRON_TOKEN_ADDRESSES.USDT)).toBe(DEVNET_TOKEN_ADDRESSES.USDT.toLowerCase());

    const live = loadConfig({ TOLLGATE_MODE: "live", TRON_RPC_URL: "https://api.trongrid.io/jsonrpc", TRON_API_KEY: "k" }).networks.find((n) => n.key === "tron")!;
    expect(live).toMatchObject({
      enabled: true, chainId: null, confirmations: 19, rpcUrls: ["https://api.trongrid.io/jsonrpc"],
      assets: { TRX: null, tUSDT: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", tUSDC: "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8" },
      tron: { sender: "trongrid", apiUrl: "https://api.trongrid.io", apiKey: "k", stakeSun: 0n },
    });
    expect(loadConfig({ TOLLGATE_MODE: "live" }).networks.find((n) => n.key === "tron")!.enabled).toBe(false); // no RPC URL
    // a test network that is not the devnet (Nile) goes through TronGrid too
    const nile = loadConfig({ TRON_TEST_RPC_URL: "https://nile.trongrid.io/jsonrpc" }).networks.find((n) => n.key === "tron:test")!;
    expect(nile.tron).toEqual({ sender: "trongrid", apiUrl: "https://nile.trongrid.io", apiKey: undefined, stakeSun: 0n });
    expect(() => loadConfig({ TRON_TEST_SENDER: "grpc" })).toThrow(/TRON_TEST_SENDER/);
    // TRON_STAKE_TRX: TRX (up to 6 decimals) the hot wallet keeps staked for energy, in sun
    const staked = (v: string) => loadConfig({ TOLLGATE_MODE: "live", TRON_RPC_URL: "https://api.trongrid.io/jsonrpc", TRON_STAKE_TRX: v }).networks.find((n) => n.key === "tron")!.tron!.stakeSun;
    expect(staked("50000")).toBe(50_000_000_000n);
    expect(staked("1.5")).toBe(1_500_000n);
    for (const bad of ["-1", "1e6", "0.0000001", "lots"]) expect(() => staked(bad)).toThrow(/TRON_STAKE_TRX/);
  });
});
