// Tron end to end on the devnet (issue 5): a session paid with TRC-20 USDT through the Tron
// payment method is seen by the stack's worker (the EVM log scanner over the anvil-backed Tron
// JSON-RPC), confirmed, and forwarded to the merchant's Tron settlement address — gas funded from
// the Tron hot wallet, costs recorded. Native TRX and underpayment; receivers never shared.
import { and, eq } from "drizzle-orm";
import {
  createPublicClient, createTestClient, createWalletClient, erc20Abi, http, parseEther, type Address, type Hex, type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, inject, it } from "vitest";
import { deposits, events, outboundTxs, receivers, settlementAddresses } from "@/db/schema";
import { hexToTron, isTronAddress, tronToHex } from "@/lib/addresses";
import { loadConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { DEVNET_TOKEN_ADDRESSES, mintDevnetToken } from "@/lib/devnet/evm";
import { DEVNET_TRON_CHAIN, DEVNET_TRON_TOKEN_ADDRESSES } from "@/lib/devnet/tron-constants";
import { HOT_WALLET_INDEX, tronAccountAt } from "@/lib/keys/derive";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { api, envelope, newMerchant, type ApiResponse } from "../helpers/api";

const rpcTron = inject("testEnv").rpcTron;
const childEnv = JSON.parse(inject("testEnv").childEnvJson) as Record<string, string | undefined>;
const mnemonic = loadMnemonic(loadConfig(childEnv), { env: childEnv });
const tronHotWallet = hexToTron(tronAccountAt(mnemonic, HOT_WALLET_INDEX).address);
// the mock tokens share their 20 bytes with the EVM devnet's; on Tron they are TRC-20 contracts
const USDT_HEX = DEVNET_TOKEN_ADDRESSES.USDT;
const USDT = DEVNET_TRON_TOKEN_ADDRESSES.USDT;

const tron: PublicClient = createPublicClient({ transport: http(rpcTron), cacheTime: 0 }) as PublicClient;

/** A payer on the Tron devnet holding `usdt` base units and some TRX (anvil's native coin). */
async function payer(usdt: bigint) {
  const account = privateKeyToAccount(generatePrivateKey());
  await createTestClient({ mode: "anvil", transport: http(rpcTron) }).setBalance({ address: account.address, value: parseEther("10") });
  if (usdt > 0n) await mintDevnetToken(rpcTron, USDT_HEX, account.address, usdt);
  const wallet = createWalletClient({ account, transport: http(rpcTron), chain: { id: DEVNET_TRON_CHAIN.chainId, name: "tron devnet", nativeCurrency: { name: "TRX", symbol: "TRX", decimals: 18 }, rpcUrls: { default: { http: [rpcTron] } } } });
  return {
    address: hexToTron(account.address),
    async sendUsdt(to: string, units: bigint): Promise<Hex> {
      const hash = await wallet.writeContract({ address: USDT_HEX, abi: erc20Abi, functionName: "transfer", args: [tronToHex(to), units] });
      expect((await tron.waitForTransactionReceipt({ hash, pollingInterval: 100 })).status).toBe("success");
      return hash;
    },
    async sendTrx(to: string, value: bigint): Promise<Hex> {
      const hash = await wallet.sendTransaction({ to: tronToHex(to), value });
      expect((await tron.waitForTransactionReceipt({ hash, pollingInterval: 100 })).status).toBe("success");
      return hash;
    },
  };
}

const usdtBalance = (owner: string) => tron.readContract({ address: USDT_HEX, abi: erc20Abi, functionName: "balanceOf", args: [tronToHex(owner) as Address] });

async function createSession(key: string, amountUnits = "25") {
  const r = await api(key).post("/v1/sessions", {
    destination: { type: "evm", address: privateKeyToAccount(generatePrivateKey()).address, chainId: 31337, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, amountUnits },
  });
  expect(r.status, r.text).toBe(201);
  return r.json.session as { sessionId: string; clientSecret: string; expiresAt: number };
}

async function chooseTron(s: { sessionId: string; clientSecret: string }) {
  const r = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod: { type: "tron" } });
  expect(r.status, r.text).toBe(200);
  return r.json as { session: { status: string; paymentMethod: { type: string; receiverAddress: string } }; tron: { receiverAddress: string; expiresAt: number } };
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const getSession = async (key: string, id: string) => (await api(key).get(`/v1/sessions/${id}`)).json.session;

describe("Tron payment method", () => {
  it("answers a unique base58 receiver with its expiry; choosing again keeps it; two sessions never share one", async () => {
    const m = await newMerchant();
    const a = await createSession(m.key);
    const b = await createSession(m.key);
    const ra = await chooseTron(a);
    expect(isTronAddress(ra.tron.receiverAddress)).toBe(true);
    expect(ra.tron.expiresAt).toBe(a.expiresAt);
    expect(ra.session.status).toBe("waiting_payment");
    expect(ra.session.paymentMethod).toMatchObject({ type: "tron", receiverAddress: ra.tron.receiverAddress });
    expect((await chooseTron(a)).tron.receiverAddress).toBe(ra.tron.receiverAddress);
    const rb = await chooseTron(b);
    expect(rb.tron.receiverAddress).not.toBe(ra.tron.receiverAddress);
    // the receiver derives from the instance's Tron key (m/44'/195'/0'/0/i)
    const [row] = await db().select().from(receivers).where(and(eq(receivers.checkoutId, a.sessionId), eq(receivers.family, "tron")));
    expect(row.address).toBe(ra.tron.receiverAddress);
    expect(hexToTron(tronAccountAt(mnemonic, row.derivationIndex).address)).toBe(row.address);
    // switching to EVM gets an EVM receiver of its own; the Tron one stays watched
    const evm = await api().post(`/v1/sessions/${a.sessionId}/paymentMethods`, { clientSecret: a.clientSecret, paymentMethod: { type: "evm" } });
    expect(evm.status, evm.text).toBe(200);
    expect(evm.json.session.paymentMethod.receiverAddress).toMatch(/^0x/);
    expect(await db().select().from(receivers).where(eq(receivers.checkoutId, a.sessionId))).toHaveLength(2);
  });

  it("a TRC-20 USDT payment is seen, confirmed and forwarded to the Tron settlement address → succeeded", async () => {
    const m = await newMerchant();
    const settlement = hexToTron(privateKeyToAccount(generatePrivateKey()).address);
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "tron", livemode: false, address: settlement });
    const s = await createSession(m.key, "25");
    const { tron: { receiverAddress } } = await chooseTron(s);
    const p = await payer(25_000_000n);
    const hash = await p.sendUsdt(receiverAddress, 25_000_000n);

    const done = await until("succeeded", () => getSession(m.key, s.sessionId), (x) => x.status === "succeeded", 60_000);
    expect(await usdtBalance(settlement)).toBe(25_000_000n);
    expect(await usdtBalance(receiverAddress)).toBe(0n);
    expect(done.paymentMethod.source).toMatchObject({ address: p.address, chainName: "tron", tokenAddress: USDT, tokenSymbol: "USDT", sentUnits: "25", txHash: hash });

    // one deposit: the hot wallet's fee funding to the receiver is ours, not a payment
    const deps = await db().select().from(deposits).where(eq(deposits.checkoutId, s.sessionId));
    expect(deps).toHaveLength(1);
    const [dep] = deps;
    expect(dep).toMatchObject({ network: "tron", toAddress: receiverAddress, fromAddress: p.address, tokenAddress: USDT, assetCode: "tUSDT", amount: 25_000_000n, status: "confirmed" });

    // the hot wallet funded the receiver's fee, then the receiver forwarded; both in Tron's address form, costs recorded
    const rows = await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, s.sessionId)).orderBy(outboundTxs.createdAt);
    expect(rows.map((r) => [r.purpose, r.status])).toEqual([["gas_funding", "confirmed"], ["forward", "confirmed"]]);
    const [funding, forward] = rows;
    expect(funding).toMatchObject({ network: "tron", fromAddress: tronHotWallet, toAddress: receiverAddress, tokenAddress: null });
    expect(forward).toMatchObject({ network: "tron", fromAddress: receiverAddress, toAddress: settlement, tokenAddress: USDT, amount: 25_000_000n });
    for (const r of rows) {
      const receipt = await tron.getTransactionReceipt({ hash: r.txHash as Hex });
      expect(r.feePaid).toBe(receipt.gasUsed * receipt.effectiveGasPrice);
    }
    expect(funding.amount).toBeGreaterThanOrEqual(forward.feePaid!);
    expect(done.destination.delivery).toEqual({ txHash: forward.txHash, receivedUnits: "25", chainId: null, chainName: "tron", tokenAddress: USDT, tokenSymbol: "USDT", status: "delivered" });
    const types = (await db().select({ type: events.type }).from(events).where(eq(events.objectId, s.sessionId)).orderBy(events.createdAt)).map((e) => e.type);
    expect(types).toEqual(["session.processing", "session.succeeded"]);
  });

  it("an underpayment leaves the session waiting with what remains; native TRX is recorded but does not pay it", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key, "25");
    const { tron: { receiverAddress } } = await chooseTron(s);
    const p = await payer(10_000_000n);
    await p.sendTrx(receiverAddress, 1_500_000n); // 1.5 TRX in sun
    await p.sendUsdt(receiverAddress, 10_000_000n);

    const seen = await until("two deposits", () => db().select().from(deposits).where(eq(deposits.checkoutId, s.sessionId)), (d) => d.length === 2);
    const trx = seen.find((d) => d.tokenAddress === null)!;
    expect(trx).toMatchObject({ network: "tron", assetCode: "TRX", amount: 1_500_000n, toAddress: receiverAddress, fromAddress: p.address, logIndex: -1 });
    const session = await until("underpaid", () => getSession(m.key, s.sessionId), (x) => x.paidUnits === "10");
    expect(session).toMatchObject({ status: "waiting_payment", paidUnits: "10", remainingUnits: "15" });
    await until("session.underpaid", async () => (await db().select({ type: events.type }).from(events).where(eq(events.objectId, s.sessionId))).map((e) => e.type),
      (t) => t.includes("session.underpaid"));
    // still waiting a little later: the native coin never counts towards a stablecoin session
    await new Promise((r) => setTimeout(r, 1500));
    expect((await getSession(m.key, s.sessionId)).status).toBe("waiting_payment");
  });
});

describe("address validation at the API", () => {
  const USDT_MAINNET = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
  const TYPO = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"; // last character changed: the checksum no longer matches
  const SOLANA = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";
  const expect400 = (r: ApiResponse, param: string, message: RegExp) => {
    expect(r.status, r.text).toBe(400);
    const e = envelope(r);
    expect(e).toMatchObject({ type: "validation_error", param });
    expect(e.message).toMatch(message);
  };

  it("refuses addresses of the wrong family or with a bad checksum, naming the field", async () => {
    const m = await newMerchant();
    const destination = { type: "evm", address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", chainId: 31337, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, amountUnits: "5" };
    expect400(await api(m.key).post("/v1/sessions", { destination: { ...destination, address: USDT_MAINNET } }), "destination.address", /0x-prefixed 20-byte hex/);
    expect400(await api(m.key).post("/v1/sessions", { destination: { ...destination, address: "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed" } }), "destination.address", /EIP-55/);
    expect400(await api(m.key).post("/v1/sessions", { destination, refundAddress: USDT_MAINNET }), "refundAddress", /EVM address/);
    expect400(await api(m.key).post("/v1/sessions", { destination: { ...destination, tokenAddress: SOLANA } }), "destination.tokenAddress", /EVM address/);

    const s = await createSession(m.key);
    const choose = (paymentMethod: object) => api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod });
    expect400(await choose({ type: "solana", walletAddress: USDT_MAINNET, inputTokenMint: SOLANA }), "paymentMethod.walletAddress", /Solana address/);
    expect400(await choose({ type: "solana", walletAddress: SOLANA, inputTokenMint: SOLANA.slice(0, 40) }), "paymentMethod.inputTokenMint", /32 bytes/);
    expect400(await choose({ type: "evm", tokenAddress: TYPO }), "paymentMethod.tokenAddress", /EVM address/);
    const options = (q: string) => api().get(`/v1/sessions/${s.sessionId}/tokenOptions?clientSecret=${encodeURIComponent(s.clientSecret)}&${q}`);
    expect400(await options(`solanaAddress=${USDT_MAINNET}`), "solanaAddress", /Solana address/);
    expect400(await options(`evmAddress=${USDT_MAINNET}`), "evmAddress", /EVM address/);
    // nothing was written by the refused requests
    expect((await getSession(m.key, s.sessionId)).status).toBe("requires_payment_method");
  });

  it("PUT check with a Tron transaction hash records the payment at once", async () => {
    const m = await newMerchant();
    const s = await createSession(m.key, "3");
    const { tron: { receiverAddress } } = await chooseTron(s);
    const p = await payer(3_000_000n);
    const hash = await p.sendUsdt(receiverAddress, 3_000_000n);
    const r = await api().put(`/v1/sessions/${s.sessionId}/check`, { clientSecret: s.clientSecret, txHash: hash });
    expect(r.status, r.text).toBe(200);
    expect(["processing", "succeeded"]).toContain(r.json.session.status);
    expect(r.json.session.paymentMethod.source).toMatchObject({ address: p.address, chainName: "tron", tokenSymbol: "USDT", txHash: hash });
  });
});
