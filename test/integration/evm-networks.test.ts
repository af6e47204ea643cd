// The EVM networks beyond Ethereum and Polygon (issue 16 item 3): BNB Smart Chain (BNB, and
// Binance-peg USDT/USDC with 18 decimals) and Bahamut (FTN) run as anvil chains of the devnet,
// bridged USDC.e on Polygon and LINK on Ethereum are enabled. Seed 000's codes get addresses; real
// deposits are credited exactly (18-decimal amounts to the last wei) and paid out again.
import { createPublicClient, getAddress, http, type Address } from "viem";
import { describe, expect, it } from "vitest";
import { api, newMerchant } from "../helpers/api";
import { balanceOf, freshAddress, stackConfig } from "./helpers/forwarding-fixtures";
import { availableOf, fundMerchant } from "./helpers/ledger";
import { waitFor } from "./helpers/watcher";

const chainOf = (network: string) => {
  const c = stackConfig.networks.find((n) => n.network === network && !n.livemode);
  if (!c?.enabled) throw new Error(`${network} (test) is not enabled in the test stack`);
  return c;
};
const bsc = chainOf("bsc");
const bahamut = chainOf("bahamut");

describe("seed 000 codes on the devnet's chains", () => {
  it("every code of the seed on a network with a node here gets an address; the currency table lists them enabled", async () => {
    const m = await newMerchant();
    const table = (await api(m.key).get("/v1/currencies")).json.data as { code: string; enabled: boolean; chainId: number | null; decimals: number }[];
    for (const code of ["BNB", "bUSDT", "ETH", "eUSDC", "eUSDT", "FTN", "POL", "pUSDC", "SOL", "sUSDT", "tUSDC", "tUSDT", "wpUSDC", "wpUSDT"]) {
      const r = await api().post("/wallet/address", { customerId: "c-1", currency: code }, { "x-api-key": m.key });
      expect(r.status, `${code}: ${r.text}`).toBe(200);
      expect(r.json.data).toMatchObject({ currency: code, customerId: "c-1" });
      expect(table.find((t) => t.code === code)?.enabled, code).toBe(true);
    }
    expect(table.find((t) => t.code === "bUSDT")).toMatchObject({ chainId: 31340, decimals: 18 });
    expect(table.find((t) => t.code === "FTN")).toMatchObject({ chainId: 31341, decimals: 18 });
    // Bitcoin runs on bcoin's regtest here (issue 18): its regtest prefix
    const btc = await api().post("/wallet/address", { customerId: "c-1", currency: "BTC" }, { "x-api-key": m.key });
    expect(btc.status, btc.text).toBe(200);
    expect(btc.json.data.address).toMatch(/^rb1q/);
    // the L2s are defined with mainnet contracts but have no devnet chain: off until configured
    expect(table.find((t) => t.code === "baseUSDC")).toMatchObject({ enabled: false });
    // seed 002 names the same rows by pair
    const v2 = await api().post("/v2/deposit_address/create", { currency: "usdt", network: "bep20" }, { "Api-key": m.key });
    expect(v2.status, v2.text).toBe(200);
    expect(v2.json.data).toMatchObject({ currency: "usdt", network: "bep20" });
    // a pair that names no row is refused, naming the field
    const bad = await api().post("/wallet/address", { customerId: "c-1", currency: "bUSDX" }, { "x-api-key": m.key });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain("bUSDX");
  });

  it("an 18-decimal bUSDT deposit and an FTN deposit are credited to the last wei and paid out", async () => {
    const m = await newMerchant();
    const usdt = getAddress(bsc.assets.bUSDT!);
    const units = 12_345_678_901_234_567_891n; // 12.345678901234567891 USDT
    const address = await fundMerchant(m.key, { code: "bUSDT", amount: units, rpcUrl: bsc.rpcUrls[0], token: usdt });
    const history = (await api(m.key).get("/v1/deposit/history?user_id=funding&currency=bUSDT&limit=10&offset=0&sort_order=asc")).json.incomes;
    expect(history).toMatchObject([{ deposit_address: address, amount: units.toString() }]);
    expect(await availableOf(m.key, "bUSDT")).toBe(units);

    const ftn = 3_000_000_000_000_000_001n;
    await fundMerchant(m.key, { code: "FTN", amount: ftn, rpcUrl: bahamut.rpcUrls[0], token: null });
    expect(await availableOf(m.key, "FTN")).toBe(ftn);

    // withdrawals on both: the hot wallet pays, the ledger takes the amount
    const [toUsdt, toFtn] = [freshAddress(), freshAddress()];
    const w1 = await api(m.key).post("/v1/withdrawal/send", { user_id: "u", query_id: "b-1", currency: "bUSDT", amount: "10000000000000000001", destination: toUsdt });
    const w2 = await api(m.key).post("/v1/withdrawal/send", { user_id: "u", query_id: "f-1", currency: "FTN", amount: "2000000000000000000", destination: toFtn });
    expect(w1.status, w1.text).toBe(200);
    expect(w2.status, w2.text).toBe(200);
    for (const id of [w1.json.ID, w2.json.ID]) {
      await waitFor(`withdrawal ${id} processed`, async () => (await api(m.key).get(`/v1/withdrawal/status?id=${id}`)).json.status === "processed", 45_000, 250);
    }
    expect(await balanceOf(bsc, usdt, toUsdt as Address)).toBe(10_000_000_000_000_000_001n);
    expect(await createPublicClient({ transport: http(bahamut.rpcUrls[0]) }).getBalance({ address: toFtn })).toBe(2_000_000_000_000_000_000n);
    expect(await availableOf(m.key, "bUSDT")).toBe(units - 10_000_000_000_000_000_001n);
    // more than is available: refused, nothing queued
    const over = await api(m.key).post("/v1/withdrawal/send", { user_id: "u", query_id: "f-2", currency: "FTN", amount: ftn.toString(), destination: toFtn });
    expect(over.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(over.json)).toContain("insufficient_balance");
  });
});
