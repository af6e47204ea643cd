// The TronGrid sender (mainnet path): Tron-native transactions built and signed offline with
// tronweb, recorded before broadcast, broadcast over HTTP and reconciled to confirmed with the TRX
// they burned. No Tron node can run here, so the other side is a local stand-in answering with
// TronGrid's recorded response shapes (/wallet/getnowblock, /walletsolidity/getnowblock,
// /wallet/broadcasttransaction, /wallet/gettransactionbyid, /wallet/gettransactioninfobyid); like
// a node it checks each transaction's signature. It can lag: answer as a node `lag` blocks behind
// (a load balancer's stale backend), which knows nothing newer than its own head.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { outboundTxs } from "@/db/schema";
import { hexToTron } from "@/lib/addresses";
import { TronGridSender } from "@/lib/chains/tron/sender";
import { recoverTronSigner, type TronTransaction } from "@/lib/chains/tron/tx";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { newMerchant } from "../helpers/api";

const USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
const API_KEY = "test-trongrid-key";
const hex = (s: string) => Buffer.from(s, "utf8").toString("hex");

/** A TronGrid stand-in: a chain head the test moves, transactions the test "mines", blocks every 3 s up to now. */
class FakeTronGrid {
  head = 77_000_000;
  /** blocks this node is behind the network (0: in sync) */
  lag = 0;
  /** blocks between the head and the solidified block */
  solidDepth = 19;
  /** block time: the head's block is "now" at construction */
  genesisMs = Date.now() - this.head * 3000;
  received: TronTransaction[] = [];
  apiKeys: (string | undefined)[] = [];
  mined = new Map<string, { blockNumber: number; fee: number; result: string | null }>();
  server: Server;
  url = "";

  constructor() {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => {
        this.apiKeys.push(req.headers["tron-pro-api-key"] as string | undefined);
        const json = body ? JSON.parse(body) : {};
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(this.answer(req.url ?? "", json)));
      });
    });
  }

  private answer(path: string, body: Record<string, unknown>): unknown {
    const seen = this.head - this.lag; // the newest block this node has
    if (path === "/wallet/getnowblock" || path === "/walletsolidity/getnowblock") {
      const number = path === "/wallet/getnowblock" ? seen : seen - this.solidDepth;
      return {
        blockID: number.toString(16).padStart(16, "0") + "5b3fc1c4d6a1e2f3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d",
        block_header: { raw_data: { number, txTrieRoot: "0".repeat(64), witness_address: "41" + "ab".repeat(20), parentHash: "0".repeat(64), version: 31, timestamp: this.genesisMs + number * 3000 }, witness_signature: "00" },
      };
    }
    if (path === "/wallet/gettransactionbyid") {
      // a lagging node never saw what another node took or mined after its head
      // the node's blocks hold it (a pending transaction, or one evicted at expiry, is no record)
      const m = this.mined.get(String(body.value));
      const tx = this.received.find((r) => r.txID === body.value);
      return tx && m && m.blockNumber <= seen ? tx : {};
    }
    if (path === "/wallet/broadcasttransaction") {
      const tx = body as unknown as TronTransaction;
      let signer: string;
      try { signer = recoverTronSigner(tx); } catch (e) { return { code: "SIGERROR", message: hex(`validate signature error: ${(e as Error).message}`) }; }
      const owner = hexToTron(String(tx.raw_data.contract[0].parameter.value.owner_address));
      if (signer !== owner) return { code: "SIGERROR", message: hex("validate signature error: signer is not the owner") };
      if (this.received.some((r) => r.txID === tx.txID)) return { code: "DUP_TRANSACTION_ERROR", message: hex("dup transaction") };
      this.received.push(tx);
      return { result: true, txid: tx.txID };
    }
    if (path === "/wallet/gettransactioninfobyid") {
      const m = this.mined.get(String(body.value));
      if (!m || m.blockNumber > seen) return {};
      return {
        id: body.value, fee: m.fee, blockNumber: m.blockNumber, blockTimeStamp: 1_763_700_000_000, contractResult: [""],
        contract_address: "41a614f803b6fd780986a42c78ec9c7f77e6ded13c",
        // a TRX transfer's receipt has no result; a contract call's says SUCCESS, REVERT, OUT_OF_ENERGY…
        receipt: m.result === null ? { net_fee: m.fee } : { energy_fee: m.fee - 345_000, energy_usage_total: 64_285, net_fee: 345_000, result: m.result },
      };
    }
    return { Error: `no such path ${path}` };
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

const grid = new FakeTronGrid();
beforeAll(() => grid.start());
afterAll(() => new Promise<void>((r) => grid.server.close(() => r())));

/** Live mode: nothing else in the test stack sends on live Tron, so reconcile sees only this file's rows. */
function chain(): ChainConfig {
  return {
    key: "tron", network: "tron", family: "tron", livemode: true, chainId: null, rpcUrls: ["http://127.0.0.1:9"], publicRpcUrl: null,
    confirmations: 3, maxLagSeconds: 30, enabled: true, assets: { TRX: null, tUSDT: USDT },
    tron: { sender: "trongrid", apiUrl: grid.url, apiKey: API_KEY, stakeSun: 0n },
  };
}

async function rowOf(id: string) {
  const [r] = await db().select().from(outboundTxs).where(eq(outboundTxs.id, id));
  return r;
}

describe("TronGrid sender", () => {
  it("signs offline, records before broadcast, broadcasts with the API key, and confirms at depth with the fee it cost", async () => {
    const m = await newMerchant();
    const sender = new TronGridSender(chain());
    const key = generatePrivateKey();
    const account = privateKeyToAccount(key);
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const row = await sender.signAndRecord({
      chain: chain(), account, privateKey: key, merchantId: m.merchantId, checkoutId: null, purpose: "forward",
      to, token: "0xa614f803b6fd780986a42c78ec9c7f77e6ded13c", amount: 25_000_000n, gas: 65_000n, fees: { maxFeePerGas: 210n, maxPriorityFeePerGas: 0n },
    });
    expect(row).not.toBeNull();
    const signed = JSON.parse(row!.signedTx!) as TronTransaction;
    // recorded in Tron's address form, no nonce, txHash = the txID; signed by the receiver's key
    expect(row).toMatchObject({
      status: "signed", network: "tron", livemode: true, nonce: null, txHash: `0x${signed.txID}`,
      fromAddress: hexToTron(account.address), toAddress: hexToTron(to), tokenAddress: USDT, amount: 25_000_000n,
    });
    expect(recoverTronSigner(signed)).toBe(hexToTron(account.address));
    expect(signed.raw_data.contract[0].type).toBe("TriggerSmartContract");
    expect(signed.raw_data.fee_limit).toBe(65_000 * 210);
    expect(signed.raw_data.ref_block_bytes).toBe((grid.head % 65536).toString(16).padStart(4, "0"));
    expect(grid.received).toHaveLength(0); // nothing left before the broadcast

    expect(await sender.broadcast(row!)).toBe("sent");
    expect(grid.received.map((t) => t.txID)).toEqual([signed.txID]);
    expect(grid.received[0]).toEqual(signed);
    expect(grid.apiKeys.every((k) => k === API_KEY)).toBe(true);
    expect((await rowOf(row!.id)).status).toBe("broadcast");

    // not in a block yet: reconcile sends the same bytes again (the node says it has them)
    await sender.reconcile();
    expect(grid.received).toHaveLength(1);
    expect((await rowOf(row!.id)).status).toBe("broadcast");

    // mined, but not 3 blocks deep yet
    grid.mined.set(signed.txID, { blockNumber: grid.head + 1, fee: 13_845_000, result: "SUCCESS" });
    grid.head += 2;
    await sender.reconcile();
    expect((await rowOf(row!.id)).status).toBe("broadcast");
    grid.head += 1;
    await sender.reconcile();
    expect(await rowOf(row!.id)).toMatchObject({ status: "confirmed", feePaid: 13_845_000n, error: null });
  });

  it("a TRX transfer; a refused signature stays signed with the node's reason; a reverted call fails with its cost", async () => {
    const m = await newMerchant();
    const sender = new TronGridSender(chain());
    const key = generatePrivateKey();
    const account = privateKeyToAccount(key);
    const trx = await sender.signAndRecord({
      chain: chain(), account, privateKey: key, merchantId: m.merchantId, checkoutId: null, purpose: "gas_funding",
      to: privateKeyToAccount(generatePrivateKey()).address, token: null, amount: 15_000_000n,
    });
    const trxTx = JSON.parse(trx!.signedTx!) as TronTransaction;
    expect(trxTx.raw_data.contract[0]).toMatchObject({ type: "TransferContract", parameter: { value: { amount: 15_000_000 } } });
    expect(trxTx.raw_data.fee_limit).toBeUndefined();
    expect(recoverTronSigner(trxTx)).toBe(hexToTron(account.address));

    // signed with another key than the owner's: the node refuses it
    const wrong = generatePrivateKey();
    const forged = await sender.signAndRecord({
      chain: chain(), account, privateKey: wrong, merchantId: m.merchantId, checkoutId: null, purpose: "forward",
      to: privateKeyToAccount(generatePrivateKey()).address, token: "0xa614f803b6fd780986a42c78ec9c7f77e6ded13c", amount: 1n, gas: 1n, fees: { maxFeePerGas: 1n, maxPriorityFeePerGas: 0n },
    });
    expect(recoverTronSigner(JSON.parse(forged!.signedTx!))).toBe(hexToTron(privateKeyToAccount(wrong).address));
    expect(await sender.broadcast(forged!)).toBe("error");
    expect(await rowOf(forged!.id)).toMatchObject({ status: "signed", error: expect.stringMatching(/^broadcast: SIGERROR validate signature error: signer is not the owner/) });

    // the TRX transfer confirms with the bandwidth it burned
    expect(await sender.broadcast(trx!)).toBe("sent");
    grid.mined.set(trxTx.txID, { blockNumber: grid.head - 5, fee: 268_000, result: null });
    // a contract call that reverted on chain still burned energy
    const call = await sender.signAndRecord({
      chain: chain(), account, privateKey: key, merchantId: m.merchantId, checkoutId: null, purpose: "forward",
      to: privateKeyToAccount(generatePrivateKey()).address, token: "0xa614f803b6fd780986a42c78ec9c7f77e6ded13c", amount: 2n, gas: 65_000n, fees: { maxFeePerGas: 210n, maxPriorityFeePerGas: 0n },
    });
    expect(await sender.broadcast(call!)).toBe("sent");
    grid.mined.set(JSON.parse(call!.signedTx!).txID, { blockNumber: grid.head - 5, fee: 1_100_000, result: "REVERT" });
    await sender.reconcile();
    expect(await rowOf(trx!.id)).toMatchObject({ status: "confirmed", feePaid: 268_000n });
    expect(await rowOf(call!.id)).toMatchObject({ status: "failed", feePaid: 1_100_000n, error: expect.stringMatching(/^reverted on chain in block \d+ \(REVERT\)/) });
  });

  it("a lagging node does not expire a transaction it has not seen (no second payout); expiry needs a solidified block past it and no record", async () => {
    const m = await newMerchant();
    const sender = new TronGridSender(chain());
    const key = generatePrivateKey();
    const account = privateKeyToAccount(key);
    const sign = () => sender.signAndRecord({
      chain: chain(), account, privateKey: key, merchantId: m.merchantId, checkoutId: null, purpose: "forward",
      to: privateKeyToAccount(generatePrivateKey()).address, token: "0xa614f803b6fd780986a42c78ec9c7f77e6ded13c", amount: 5_000_000n, gas: 65_000n, fees: { maxFeePerGas: 210n, maxPriorityFeePerGas: 0n },
    });
    grid.genesisMs = Date.now() - grid.head * 3000;
    const paid = await sign();
    const paidTx = JSON.parse(paid!.signedTx!) as TronTransaction;
    expect(await sender.broadcast(paid!)).toBe("sent");
    // mined in the next block; the network moves 20 minutes past its expiration, but the node that
    // answers lags behind the block that holds it: it has no info on it and an old solidified block
    grid.mined.set(paidTx.txID, { blockNumber: grid.head + 1, fee: 13_845_000, result: "SUCCESS" });
    grid.head += 400;
    grid.lag = 400;
    vi.useFakeTimers({ toFake: ["Date"], now: paidTx.raw_data.expiration + 10 * 60_000 });
    try {
      await sender.reconcile();
      await sender.reconcile();
      // not failed: a failed forward or payout would be sent again
      expect(await rowOf(paid!.id)).toMatchObject({ status: "broadcast" });
      grid.lag = 0; // caught up
      await sender.reconcile();
      expect(await rowOf(paid!.id)).toMatchObject({ status: "confirmed", feePaid: 13_845_000n });
      expect(grid.received.filter((t) => t.txID === paidTx.txID)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }

    // a transaction no block took: our clock past its expiration is not enough…
    grid.genesisMs = Date.now() - grid.head * 3000;
    const lost = await sign();
    const lostTx = JSON.parse(lost!.signedTx!) as TronTransaction;
    expect(await sender.broadcast(lost!)).toBe("sent");
    vi.useFakeTimers({ toFake: ["Date"], now: lostTx.raw_data.expiration + 10 * 60_000 });
    try {
      await sender.reconcile();
      expect(await rowOf(lost!.id)).toMatchObject({ status: "broadcast" });
      // …the node's solidified block past it, with no record of it, is
      grid.head += 220 + grid.solidDepth;
      await sender.reconcile();
      expect(await rowOf(lost!.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/^dropped: expired before it was included/) });
    } finally {
      vi.useRealTimers();
    }
  });
});
