// Forwarding a Tron payment through the TronGrid sender (the live-mode path) end to end: the
// forwarding engine funds the receiver's energy with a TRX TransferContract from the Tron hot
// wallet, then forwards with a TriggerSmartContract — both built and signed offline with tronweb —
// and the session succeeds with the fees recorded. The "Tron network" is a TronGrid stand-in in
// front of a Tron devnet of this file's own: it checks each broadcast's signature, executes it on
// the anvil chain as its owner, and answers /wallet/* and /jsonrpc from that chain, mapping Tron
// txIDs to the anvil transactions. Own database, so the stack's worker never sees these rows.
// The withdrawal engine's Tron payouts and sweeps go through the same stand-in.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { erc20Abi, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkouts, depositAddresses, deposits, outboundTxs, receivers, settlementAddresses, withdrawals } from "@/db/schema";
import { hexToTron, tronToHex } from "@/lib/addresses";
import { evmClient } from "@/lib/chains/evm/client";
import { tronSender } from "@/lib/chains/tron/sender";
import { recoverTronSigner, type TronTransaction } from "@/lib/chains/tron/tx";
import { transition } from "@/lib/checkout/state-machine";
import { loadConfig, type ChainConfig } from "@/lib/config";
import { closeDb, db } from "@/lib/db/client";
import { DEVNET_TOKEN_ADDRESSES, freePort, mintDevnetToken } from "@/lib/devnet/evm";
import { startTronDevnet, type TronDevnet } from "@/lib/devnet/tron";
import { advanceCheckout } from "@/lib/forwarding/forward";
import { fundDevnetHotWallet } from "@/lib/forwarding/fund-devnet-hot-wallet";
import { readyCheckouts } from "@/lib/forwarding/ready";
import { HOT_WALLET_INDEX, tronAccountAt } from "@/lib/keys/derive";
import { sessionEvent } from "@/lib/sessions/events";
import { tronRail } from "@/lib/chains/tron/rail";
import { hotWalletEngine } from "@/lib/withdrawals/engines/hot-wallet";
import { rpcCall } from "./helpers/watcher";
import { useOwnDatabase } from "./helpers/own-database";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const USDT_HEX = DEVNET_TOKEN_ADDRESSES.USDT;

/** TronGrid in front of an anvil chain. */
class TronGridOnAnvil {
  server: Server;
  url = "";
  /** Tron txID → the anvil transaction that executed it */
  executed = new Map<string, Hex>();
  kinds = new Map<string, "TriggerSmartContract" | "TransferContract">();
  constructor(readonly rpc: string) {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => {
        this.handle(req.url ?? "", body ? JSON.parse(body) : {})
          .then((a) => { res.setHeader("content-type", "application/json"); res.end(JSON.stringify(a)); })
          .catch((e: unknown) => { res.statusCode = 500; res.end(String(e)); });
      });
    });
  }

  async start() {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private anvilHash(txid: string): Hex | undefined {
    return this.executed.get(txid.replace(/^0x/, ""));
  }

  private async handle(path: string, parsed: unknown): Promise<unknown> {
    const body = parsed as Record<string, unknown>;
    if (path === "/jsonrpc") {
      // a Tron node's JSON-RPC knows transactions by their txID
      const calls = (Array.isArray(parsed) ? parsed : [parsed]) as { id: number; method: string; params: unknown[] }[];
      const out = await Promise.all(calls.map(async (c) => {
        const params = (c.method === "eth_getTransactionReceipt" || c.method === "eth_getTransactionByHash")
          ? [this.anvilHash(String(c.params[0])) ?? c.params[0]] : c.params;
        const r = await fetch(this.rpc, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: c.id, method: c.method, params }) });
        return r.json();
      }));
      return Array.isArray(parsed) ? out : out[0];
    }
    if (path === "/wallet/getnowblock" || path === "/walletsolidity/getnowblock") {
      // anvil blocks are final at once: the solidified block is the latest
      const b = await rpcCall<{ number: Hex; hash: Hex; timestamp: Hex }>(this.rpc, "eth_getBlockByNumber", ["latest", false]);
      const number = Number.parseInt(b.number, 16);
      // Tron block ids start with the height
      const blockID = number.toString(16).padStart(16, "0") + b.hash.slice(18);
      return { blockID, block_header: { raw_data: { number, timestamp: Number.parseInt(b.timestamp, 16) * 1000 } } };
    }
    if (path === "/wallet/broadcasttransaction") {
      const tx = parsed as TronTransaction;
      const c = tx.raw_data.contract[0];
      const owner = hexToTron(String(c.parameter.value.owner_address));
      if (recoverTronSigner(tx) !== owner) return { code: "SIGERROR", message: Buffer.from("validate signature error").toString("hex") };
      if (this.executed.has(tx.txID)) return { code: "DUP_TRANSACTION_ERROR", message: "" };
      const from = tronToHex(owner);
      await rpcCall(this.rpc, "anvil_impersonateAccount", [from]);
      const gasPrice = await rpcCall<Hex>(this.rpc, "eth_gasPrice");
      const call = c.type === "TransferContract"
        ? { from, to: tronToHex(hexToTron(String(c.parameter.value.to_address))), value: `0x${BigInt(c.parameter.value.amount ?? 0).toString(16)}`, gas: "0x5208" }
        // energy is bought with at most fee_limit: the same cap in gas at the current price
        : { from, to: tronToHex(hexToTron(String(c.parameter.value.contract_address))), data: `0x${c.parameter.value.data}`, gas: `0x${(BigInt(tx.raw_data.fee_limit ?? 0) / BigInt(gasPrice)).toString(16)}` };
      const hash = await rpcCall<Hex>(this.rpc, "eth_sendTransaction", [{ ...call, gasPrice }]);
      await rpcCall(this.rpc, "anvil_stopImpersonatingAccount", [from]);
      this.executed.set(tx.txID, hash);
      this.kinds.set(tx.txID, c.type);
      return { result: true, txid: tx.txID };
    }
    if (path === "/wallet/gettransactionbyid") {
      return this.anvilHash(String(body.value)) ? { txID: body.value } : {};
    }
    if (path === "/wallet/gettransactioninfobyid") {
      const hash = this.anvilHash(String(body.value));
      const r = hash && await rpcCall<{ blockNumber: Hex; gasUsed: Hex; effectiveGasPrice: Hex; status: Hex } | null>(this.rpc, "eth_getTransactionReceipt", [hash]);
      if (!r) return {};
      const fee = Number(BigInt(r.gasUsed) * BigInt(r.effectiveGasPrice));
      const receipt = this.kinds.get(String(body.value)) === "TransferContract" ? { net_fee: fee } : { energy_fee: fee, result: r.status === "0x1" ? "SUCCESS" : "REVERT" };
      return { id: body.value, blockNumber: Number.parseInt(r.blockNumber, 16), fee, receipt };
    }
    return { Error: `no such path ${path}` };
  }
}

let devnet: TronDevnet;
let grid: TronGridOnAnvil;
let dbName = "";
let chain: ChainConfig;

beforeAll(async () => {
  const own = await useOwnDatabase("tron_grid");
  dbName = own.dbName;

  devnet = await startTronDevnet({ port: await freePort(), blockTimeSeconds: 0.5 });
  grid = new TronGridOnAnvil(devnet.rpcUrl);
  await grid.start();
  chain = loadConfig({ TRON_TEST_RPC_URL: `${grid.url}/jsonrpc`, TRON_TEST_SENDER: "trongrid", TRON_TEST_API_URL: grid.url, TRON_TEST_CONFIRMATIONS: "1" })
    .networks.find((n) => n.key === "tron:test")!;
  chain = { ...chain, assets: { ...chain.assets, tUSDT: devnet.tokens.USDT, tUSDC: devnet.tokens.USDC } };
  await fundDevnetHotWallet(devnet.rpcUrl, tronAccountAt(MNEMONIC, HOT_WALLET_INDEX).address);
}, 60_000);

afterAll(async () => {
  await closeDb();
  await new Promise<void>((r) => grid?.server.close(() => r()));
  await devnet?.stop();
  const admin = new pg.Client({ connectionString: inject("testEnv").adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
});

describe("forwarding on Tron through the TronGrid sender", () => {
  it("funds the receiver's energy with TRX, forwards the TRC-20 to the settlement address, and records both costs", async () => {
    expect(chain).toMatchObject({ enabled: true, tron: { sender: "trongrid" } });
    expect(tronSender(chain).kind).toBe("trongrid");
    const [merchant] = await db().execute<{ id: string }>(sql`insert into merchants (name) values ('Tron Grid Shop') returning id`).then((r) => r.rows);
    const settlement = hexToTron(privateKeyToAccount(generatePrivateKey()).address);
    await db().insert(settlementAddresses).values({ merchantId: merchant.id, network: "tron", livemode: false, address: settlement });
    const [checkout] = await db().insert(checkouts).values({
      merchantId: merchant.id, livemode: false, kind: "session", network: "ethereum", chainId: 31337,
      tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, tokenSymbol: "USDC", tokenDecimals: 6, amountUnits: 7_000_000n,
      destinationAddress: "0x000000000000000000000000000000000000bEEF", displayTitle: "Order", clientSecret: crypto.randomUUID(),
      expiresAt: sql`now() + interval '1 hour'`,
    }).returning();
    const index = 41n;
    const receiver = hexToTron(tronAccountAt(MNEMONIC, index).address);
    const [rrow] = await db().insert(receivers).values({ merchantId: merchant.id, livemode: false, family: "tron", address: receiver, derivationIndex: index, checkoutId: checkout.id }).returning();
    await db().transaction((tx) => transition(tx, checkout.id, "requires_payment_method", "waiting_payment", [], {
      paymentMethodType: "tron", paymentMethodReceiverAddress: receiver, paymentMethodChosenAt: new Date(),
    }));
    // the payment: 7 USDT on the receiver, confirmed
    const hash = await mintDevnetToken(devnet.rpcUrl, USDT_HEX, tronToHex(receiver), 7_000_000n);
    const r = await evmClient(chain).getTransactionReceipt({ hash });
    await db().insert(deposits).values({
      merchantId: merchant.id, livemode: false, network: "tron", chainId: null, txHash: hash, logIndex: 0, blockNumber: r.blockNumber, blockHash: r.blockHash,
      fromAddress: null, toAddress: receiver, tokenAddress: devnet.tokens.USDT, assetCode: "tUSDT", amount: 7_000_000n,
      status: "confirmed", receiverId: rrow.id, checkoutId: checkout.id, confirmedAt: new Date(),
    });
    await db().transaction((tx) => transition(tx, checkout.id, "waiting_payment", "processing", [sessionEvent("session.processing")]));

    // forwarding passes (what forwardingTick does once the network is synced)
    const deadline = Date.now() + 40_000;
    for (;;) {
      await tronSender(chain).reconcile();
      for (const ready of await readyCheckouts(chain)) await advanceCheckout(chain, ready, { mnemonic: MNEMONIC });
      const [c] = await db().select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, checkout.id));
      if (c.status === "succeeded") break;
      if (Date.now() > deadline) throw new Error(`still ${c.status}: ${JSON.stringify(await db().select().from(outboundTxs), (_k, v) => typeof v === "bigint" ? v.toString() : v)}`);
      await new Promise((res) => setTimeout(res, 300));
    }

    const usdt = (owner: string) => evmClient(chain).readContract({ address: USDT_HEX, abi: erc20Abi, functionName: "balanceOf", args: [tronToHex(owner)] });
    expect(await usdt(settlement)).toBe(7_000_000n);
    expect(await usdt(receiver)).toBe(0n);
    const rows = await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, checkout.id)).orderBy(outboundTxs.createdAt);
    expect(rows.map((x) => [x.purpose, x.status])).toEqual([["gas_funding", "confirmed"], ["forward", "confirmed"]]);
    const [funding, forward] = rows;
    const hot = hexToTron(tronAccountAt(MNEMONIC, HOT_WALLET_INDEX).address);
    expect(funding).toMatchObject({ fromAddress: hot, toAddress: receiver, tokenAddress: null, nonce: null });
    expect(forward).toMatchObject({ fromAddress: receiver, toAddress: settlement, tokenAddress: devnet.tokens.USDT, amount: 7_000_000n, nonce: null });
    // Tron-native transactions, signed by the hot wallet and by the receiver
    const fundingTx = JSON.parse(funding.signedTx!) as TronTransaction;
    const forwardTx = JSON.parse(forward.signedTx!) as TronTransaction;
    expect(fundingTx.raw_data.contract[0].type).toBe("TransferContract");
    expect(recoverTronSigner(fundingTx)).toBe(hot);
    expect(forwardTx.raw_data.contract[0].type).toBe("TriggerSmartContract");
    expect(recoverTronSigner(forwardTx)).toBe(receiver);
    expect(forward.txHash).toBe(`0x${forwardTx.txID}`);
    // what each cost, as the network reported it; the funding covered the forward's fee
    for (const row of rows) {
      const receipt = await evmClient(chain).getTransactionReceipt({ hash: row.txHash as Hex });
      expect(row.feePaid).toBe(receipt.gasUsed * receipt.effectiveGasPrice);
    }
    expect(funding.amount).toBeGreaterThanOrEqual(forward.feePaid!);
    expect(BigInt(forwardTx.raw_data.fee_limit!)).toBeLessThanOrEqual(funding.amount);
    const [done] = await db().select().from(checkouts).where(eq(checkouts.id, checkout.id));
    expect(done).toMatchObject({ status: "succeeded", deliveryTxHash: forward.txHash, deliveryReceivedUnits: 7_000_000n });
  });
});

describe("withdrawals on Tron through the TronGrid sender", () => {
  it("pays a TRC-20 payout from the Tron hot wallet and sweeps a deposit address (TRX fee funding first), all Tron-native", async () => {
    const [merchant] = await db().execute<{ id: string }>(sql`insert into merchants (name) values ('Tron Grid Payouts') returning id`).then((r) => r.rows);
    const hot = hexToTron(tronAccountAt(MNEMONIC, HOT_WALLET_INDEX).address);
    const destination = hexToTron(privateKeyToAccount(generatePrivateKey()).address);
    // a deposit address holding 4 USDT and no TRX
    const index = 42n;
    const address = hexToTron(tronAccountAt(MNEMONIC, index).address);
    const [rrow] = await db().insert(receivers).values({ merchantId: merchant.id, livemode: false, family: "tron", address, derivationIndex: index, checkoutId: null }).returning();
    await db().insert(depositAddresses).values({ merchantId: merchant.id, livemode: false, receiverId: rrow.id, address, network: "tron", currency: "tUSDT", kind: "new", userId: "u" });
    const minted = await mintDevnetToken(devnet.rpcUrl, USDT_HEX, tronToHex(address), 4_000_000n);
    // no watcher runs here: the credit is recorded as the watcher would, from the real transaction, and confirmed —
    // the merchant's 4 USDT (its ledger's available balance) that the payout below draws on
    const receipt = await evmClient(chain).getTransactionReceipt({ hash: minted as Hex });
    const [dep] = await db().insert(deposits).values({
      merchantId: merchant.id, livemode: false, network: "tron", chainId: null, txHash: minted, logIndex: 0, blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash, fromAddress: null, toAddress: address, tokenAddress: devnet.tokens.USDT, assetCode: "tUSDT",
      amount: 4_000_000n, receiverId: rrow.id, checkoutId: null,
    }).returning();
    await db().update(deposits).set({ status: "confirmed", confirmedAt: new Date() }).where(eq(deposits.id, dep.id));
    const [payout] = await db().insert(withdrawals).values({
      merchantId: merchant.id, livemode: false, kind: "payout", userId: "u", queryId: "q", requestHash: "h", network: "tron", currency: "tUSDT", amount: 2_000_000n, destination,
    }).returning();
    const [sweep] = await db().insert(withdrawals).values({
      merchantId: merchant.id, livemode: false, kind: "sweep", network: "tron", currency: "tUSDT", amount: null, fromAddress: address, destination: hot, memo: crypto.randomUUID(),
    }).returning();

    // a pass that dies right after its commits: the signed transactions are stored, nothing reached the network
    const executedBefore = grid.executed.size;
    await hotWalletEngine(tronRail).pass(chain, { mnemonic: MNEMONIC, broadcast: false });
    const [stored] = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, payout.id));
    expect(stored).toMatchObject({ purpose: "withdrawal", status: "signed" });
    expect((await db().select().from(withdrawals).where(eq(withdrawals.id, payout.id)))[0].status).toBe("processing");
    expect(grid.executed.size).toBe(executedBefore);

    // withdrawal passes and reconciles (what the worker's withdrawal and forwarding ticks do once synced):
    // reconcile broadcasts the stored bytes, the next passes sign nothing new for the payout
    const deadline = Date.now() + 40_000;
    for (;;) {
      await tronSender(chain).reconcile();
      await hotWalletEngine(tronRail).pass(chain, { mnemonic: MNEMONIC });
      const rows = await db().select({ status: withdrawals.status }).from(withdrawals).where(eq(withdrawals.merchantId, merchant.id));
      if (rows.every((w) => w.status === "processed")) break;
      if (Date.now() > deadline) {
        const dump = { withdrawals: await db().select().from(withdrawals), outbound: await db().select().from(outboundTxs).where(eq(outboundTxs.merchantId, merchant.id)) };
        throw new Error(`withdrawals not processed: ${JSON.stringify(dump, (_k, v) => typeof v === "bigint" ? v.toString() : v)}`);
      }
      await new Promise((res) => setTimeout(res, 300));
    }

    const usdt = (owner: string) => evmClient(chain).readContract({ address: USDT_HEX, abi: erc20Abi, functionName: "balanceOf", args: [tronToHex(owner)] });
    expect(await usdt(destination)).toBe(2_000_000n);
    expect(await usdt(address)).toBe(0n);
    const [paid] = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, payout.id));
    expect(paid).toMatchObject({ purpose: "withdrawal", status: "confirmed", fromAddress: hot, toAddress: destination, tokenAddress: devnet.tokens.USDT, amount: 2_000_000n, nonce: null });
    const paidTx = JSON.parse(paid.signedTx!) as TronTransaction;
    expect(paidTx.raw_data.contract[0].type).toBe("TriggerSmartContract");
    expect(recoverTronSigner(paidTx)).toBe(hot);
    expect(paid.txHash).toBe(`0x${paidTx.txID}`);
    expect(paid.id).toBe(stored.id);
    expect(grid.kinds.get(paidTx.txID)).toBe("TriggerSmartContract");
    const transfers = await evmClient(chain).getContractEvents({ address: USDT_HEX, abi: erc20Abi, eventName: "Transfer", args: { to: tronToHex(destination) }, fromBlock: 0n });
    expect(transfers).toHaveLength(1);
    const [w] = await db().select().from(withdrawals).where(eq(withdrawals.id, payout.id));
    expect(w.txHash).toBe(paid.txHash);

    const swept = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, sweep.id)).orderBy(outboundTxs.createdAt);
    expect(swept.map((r) => [r.purpose, r.status, r.fromAddress, r.toAddress])).toEqual([["gas_funding", "confirmed", hot, address], ["sweep", "confirmed", address, hot]]);
    const [fundingTx, sweepTx] = swept.map((r) => JSON.parse(r.signedTx!) as TronTransaction);
    expect(fundingTx.raw_data.contract[0].type).toBe("TransferContract");
    expect(recoverTronSigner(fundingTx)).toBe(hot);
    expect(sweepTx.raw_data.contract[0].type).toBe("TriggerSmartContract");
    expect(recoverTronSigner(sweepTx)).toBe(address);
    // the TRX sent covered the most the sweep could burn
    expect(BigInt(sweepTx.raw_data.fee_limit!)).toBeLessThanOrEqual(swept[0].amount);
    expect(swept[1].amount).toBe(4_000_000n);
  });
});
