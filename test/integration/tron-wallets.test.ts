// Deposit addresses, withdrawals, sweeps and balances on Tron (issue 6 on the Tron devnet): a
// base58 deposit address credited by the stack's watcher into history, income and events; a
// TRC-20 payout from the Tron hot wallet through the withdrawal engine and the devnet's JSON-RPC
// TronSender, idempotent by (user_id, query_id); native TRX; a visible reason while the hot wallet
// is short; a sweep of a deposit address with its fee funded from the hot wallet; bad addresses.
import { and, eq } from "drizzle-orm";
import {
  createPublicClient, createTestClient, createWalletClient, erc20Abi, http, parseAbiItem, parseEther, type Address, type Hex, type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, inject, it } from "vitest";
import { deposits, merchants, outboundTxs, withdrawals } from "@/db/schema";
import { hexToTron, isTronAddress, tronToHex } from "@/lib/addresses";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { DEVNET_TOKEN_ADDRESSES, mintDevnetToken } from "@/lib/devnet/evm";
import { DEVNET_TRON_CHAIN, DEVNET_TRON_TOKEN_ADDRESSES } from "@/lib/devnet/tron-constants";
import { HOT_WALLET_INDEX, tronAccountAt } from "@/lib/keys/derive";
import { cancelWithdrawal } from "@/lib/withdrawals/cancel";
import { api, envelope, newMerchant } from "../helpers/api";
import { freshAddress, mnemonic, stackConfig } from "./helpers/forwarding-fixtures";
import { fundMerchant } from "./helpers/ledger";

const rpcTron = inject("testEnv").rpcTron;
const tronChain: ChainConfig = stackConfig.networks.find((n) => n.network === "tron" && !n.livemode)!;
const hotHex = tronAccountAt(mnemonic, HOT_WALLET_INDEX).address;
const hot = hexToTron(hotHex);
const USDT_HEX = DEVNET_TOKEN_ADDRESSES.USDT;
const TRANSFER = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");

const tron = createPublicClient({ transport: http(rpcTron), cacheTime: 0 }) as PublicClient;
const usdt = (owner: string) => tron.readContract({ address: USDT_HEX, abi: erc20Abi, functionName: "balanceOf", args: [tronToHex(owner) as Address] });
const freshTron = () => hexToTron(freshAddress());
/** the merchant's own money on Tron: a confirmed deposit to one of its deposit addresses (token minted, or the devnet's coin sent) */
const fund = (key: string, code: "tUSDT" | "tUSDC" | "TRX", amount: bigint) => fundMerchant(key, {
  code, amount, rpcUrl: rpcTron, token: code === "TRX" ? null : code === "tUSDT" ? USDT_HEX : DEVNET_TOKEN_ADDRESSES.USDC,
  wire: (a) => tronToHex(a) as Address,
});

/** A payer on the Tron devnet holding `units` of USDT and some of the coin; returns the transfer's hash. */
async function payUsdt(to: string, units: bigint): Promise<{ hash: Hex; from: string }> {
  const account = privateKeyToAccount(generatePrivateKey());
  await createTestClient({ mode: "anvil", transport: http(rpcTron) }).setBalance({ address: account.address, value: parseEther("10") });
  await mintDevnetToken(rpcTron, USDT_HEX, account.address, units);
  const wallet = createWalletClient({
    account, transport: http(rpcTron),
    chain: { id: DEVNET_TRON_CHAIN.chainId, name: "tron devnet", nativeCurrency: { name: "TRX", symbol: "TRX", decimals: 18 }, rpcUrls: { default: { http: [rpcTron] } } },
  });
  const hash = await wallet.writeContract({ address: USDT_HEX, abi: erc20Abi, functionName: "transfer", args: [tronToHex(to), units] });
  expect((await tron.waitForTransactionReceipt({ hash, pollingInterval: 100 })).status).toBe("success");
  return { hash, from: hexToTron(account.address) };
}

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const v = await f();
    if (v) return v;
    last = v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("Tron deposit addresses", () => {
  it("hand out base58 addresses; a TRC-20 deposit shows up in history, income and events, and a sweep moves it to the hot wallet", async () => {
    const m = await newMerchant();
    const a = api(m.key);
    const created = await a.post("/v1/address/new", { user_id: "tron-1", currency: "tUSDT" });
    expect(created.status, created.text).toBe(200);
    const address = created.json.address as string;
    expect(isTronAddress(address)).toBe(true);
    // seed 000: the same address back for the same customer and currency
    const h = { "x-api-key": m.key };
    const first = await api().post("/wallet/address", { customerId: "c-tron", currency: "tUSDT" }, h);
    expect(first.status, first.text).toBe(200);
    expect(isTronAddress(first.json.data.address)).toBe(true);
    expect((await api().post("/wallet/address", { customerId: "c-tron", currency: "tUSDT" }, h)).json.data.address).toBe(first.json.data.address);
    expect(first.json.data.address).not.toBe(address);

    const { hash, from } = await payUsdt(address, 7_000_000n);
    const history = await until("the deposit confirmed in the history", async () => {
      const r = await a.get("/v1/deposit/history?user_id=tron-1&currency=tUSDT&limit=10&offset=0&sort_order=desc");
      const inc = await a.get("/v1/income?user_id=tron-1");
      return r.json.incomes?.length === 1 && inc.json.total_income?.[0]?.amount === "7000000" ? r.json.incomes : null;
    });
    expect(history[0]).toMatchObject({ deposit_address: address, amount: "7000000", tx_hash: hash, source_address: from });
    expect((await a.get("/v1/income?user_id=tron-1")).json).toEqual({
      counting_side: "deposit", total_income: [{ deposit_address: address, amount: "7000000", currency: "tUSDT" }],
    });
    const byHash = await a.get(`/v1/deposit/income?tx_hash=${hash}`);
    expect(byHash.status, byHash.text).toBe(200);
    expect(byHash.json).toMatchObject({ currency: "tUSDT", income: { deposit_address: address, amount: "7000000", tx_hash: hash } });
    const events = await until("deposit.confirmed", async () => {
      const r = await a.get("/v1/events?type=deposit.confirmed");
      return r.json.data.length === 1 ? r.json.data : null;
    });
    expect(events[0].data.object).toMatchObject({ network: "tron", toAddress: address, fromAddress: from, txHash: hash, amount: "7000000" });
    expect((await a.get("/v1/events?type=deposit.detected")).json.data).toHaveLength(1);
    expect((await a.get(`/v1/balance?currency=tUSDT&address=${address}`)).json.balance).toBe("7000000");

    // sweep: the deposit address holds only USDT, so the Tron hot wallet funds its fee first
    const hotBefore = await usdt(hot);
    const sweep = await a.post("/v1/withdrawal/service", { from: address });
    expect(sweep.status, sweep.text).toBe(200);
    const [w] = await db().select().from(withdrawals).where(eq(withdrawals.memo, sweep.json.memo));
    expect(w).toMatchObject({ kind: "sweep", network: "tron", currency: "tUSDT", fromAddress: address, destination: hot });
    await until("the sweep processed", async () => (await db().select().from(withdrawals).where(eq(withdrawals.id, w.id)))[0].status === "processed");
    expect(await usdt(address)).toBe(0n);
    expect(await usdt(hot) - hotBefore).toBe(7_000_000n);
    const rows = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, w.id)).orderBy(outboundTxs.createdAt);
    expect(rows.map((r) => [r.purpose, r.status, r.fromAddress, r.toAddress])).toEqual([
      ["gas_funding", "confirmed", hot, address], ["sweep", "confirmed", address, hot],
    ]);
    // the hot wallet's fee funding is ours, not a deposit
    expect(await db().select().from(deposits).where(eq(deposits.toAddress, address))).toHaveLength(1);
    // income counted on the hot-wallet side: what the sweep moved
    await db().update(merchants).set({ incomeCountingSide: "hot_wallet" }).where(eq(merchants.id, m.merchantId));
    expect((await a.get("/v1/income?user_id=tron-1")).json).toEqual({
      counting_side: "hot_wallet", total_income: [{ deposit_address: address, amount: "7000000", currency: "tUSDT" }],
    });
  });
});

describe("Tron withdrawals", () => {
  it("pay a TRC-20 withdrawal once from the Tron hot wallet, idempotent by (user_id, query_id); native TRX too", async () => {
    const m = await newMerchant();
    await fund(m.key, "tUSDT", 2_500_000n);
    await fund(m.key, "TRX", 1_000_000n);
    const destination = freshTron();
    const body = { user_id: "u-t", query_id: "q-1", currency: "tUSDT", amount: "2500000", destination };
    const results = await Promise.all(Array.from({ length: 5 }, () => api(m.key).post("/v1/withdrawal/send", body)));
    for (const r of results) expect(r.status, r.text).toBe(200);
    expect(new Set(results.map((r) => r.json.ID)).size).toBe(1);
    const id = results[0].json.ID as number;
    expect((await api(m.key).post("/v1/withdrawal/send", { ...body, amount: "1" })).status).toBe(409);
    const trxTo = freshTron();
    const trx = await api(m.key).post("/v1/withdrawal/send", { user_id: "u-t", query_id: "q-trx", currency: "TRX", amount: "1000000", destination: trxTo });
    expect(trx.status, trx.text).toBe(200);

    const done = await until("processed", async () => {
      const r = await api(m.key).get(`/v1/withdrawal/status?id=${id}`);
      return r.json.status === "processed" ? r.json : null;
    });
    expect(done).toMatchObject({ user_id: "u-t", query_id: "q-1", reason: null, tx_hash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(await usdt(destination)).toBe(2_500_000n);
    // exactly one transfer to the destination on the chain, the one recorded
    const logs = await tron.getLogs({ address: USDT_HEX, event: TRANSFER, args: { to: tronToHex(destination) }, fromBlock: 0n });
    expect(logs.map((l) => l.transactionHash)).toEqual([done.tx_hash]);
    const [row] = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, BigInt(id)));
    expect(row).toMatchObject({ purpose: "withdrawal", status: "confirmed", fromAddress: hot, toAddress: destination, tokenAddress: DEVNET_TRON_TOKEN_ADDRESSES.USDT, txHash: done.tx_hash });
    expect(row.signedTx).toBeTruthy();
    // the same request again is the same withdrawal, nothing new sent
    expect((await api(m.key).post("/v1/withdrawal/send", body)).json.ID).toBe(id);

    await until("TRX processed", async () => (await api(m.key).get(`/v1/withdrawal/status?id=${trx.json.ID}`)).json.status === "processed");
    expect(await tron.getBalance({ address: tronToHex(trxTo) })).toBe(1_000_000n);

    const bal = await api(m.key).get("/v1/balance?currency=tUSDT");
    expect(bal.status, bal.text).toBe(200);
    // the merchant's own balance: everything it owned is paid out
    expect(bal.json).toEqual({ balance: "0", total_pending_amount: "0", total_processing_amount: "0" });
  });

  it("wait with a visible reason while the Tron hot wallet is short", async () => {
    const m = await newMerchant();
    await fund(m.key, "tUSDC", 10n ** 18n); // the merchant owns it (on its deposit address); the hot wallet holds far less
    const r = await api(m.key).post("/v1/withdrawal/send", { user_id: "u", query_id: "big", currency: "tUSDC", amount: (10n ** 18n).toString(), destination: freshTron() });
    expect(r.status, r.text).toBe(200);
    const st = await until("a reason", async () => {
      const s = await api(m.key).get(`/v1/withdrawal/status?id=${r.json.ID}`);
      return s.json.reason ? s.json : null;
    });
    expect(st.status).toBe("pending");
    expect(st.reason).toContain(`insufficient hot wallet balance: ${hot} has`);
    expect((await api(m.key).get("/v1/balance?currency=tUSDC")).json.total_pending_amount).toBe((10n ** 18n).toString());
    expect(await cancelWithdrawal(m.merchantId, BigInt(r.json.ID))).toBe(true);
    expect(await db().select().from(outboundTxs).where(and(eq(outboundTxs.withdrawalId, BigInt(r.json.ID))))).toHaveLength(0);
  });

  it("refuse a bad Tron destination with a 400 naming the field, and write nothing", async () => {
    const m = await newMerchant();
    const send = (destination: string) => api(m.key).post("/v1/withdrawal/send", { user_id: "u", query_id: destination, currency: "tUSDT", amount: "1", destination });
    const typo = await send("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u");
    expect(typo.status).toBe(400);
    expect(envelope(typo)).toMatchObject({ param: "destination", code: "invalid_address" });
    expect(envelope(typo).message).toMatch(/checksum/);
    const evm = await send(freshAddress());
    expect(envelope(evm)).toMatchObject({ param: "destination", code: "invalid_address" });
    expect(envelope(evm).message).toMatch(/Tron/);
    expect(await db().select().from(withdrawals).where(eq(withdrawals.merchantId, m.merchantId))).toHaveLength(0);
    expect(envelope(await api(m.key).get("/v1/balance?currency=tUSDT&address=0x1234")).param).toBe("address");
    // a tron chain is configured in the stack
    expect(tronChain.enabled).toBe(true);
  });
});
