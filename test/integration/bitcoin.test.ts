// Bitcoin and Litecoin deposit addresses (issue 18, first half) on the stack's regtest nodes — bcoin
// and litecoind — driven by the stack's own worker: BIP84 addresses from seed 001 (address/new) and
// seed 000 (/wallet/address) with each chain's regtest prefix; a payment from the node's own wallet
// (sendtoaddress) detected from the mempool, moved into its block, confirmed at the depth (2 in the
// test stack), in history, income and balances; a reorg below the depth (invalidateblock) reverts
// it and its re-mining credits it once; an RBF replacement paying elsewhere, and a double spend mined
// by someone else, drop the payment from the mempool: the detection is reverted, nothing credited. The nodes mine a block every 5 s here; the test mines the blocks it needs.
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { deposits, events, networkStatus, receivers } from "@/db/schema";
import { p2wpkhAddress } from "@/lib/chains/bitcoin/address";
import { bitcoinAddressAt, bitcoinPublicRoot } from "@/lib/chains/bitcoin/keys";
import { utxoRpc, type UtxoRpc } from "@/lib/chains/bitcoin/rpc";
import { db } from "@/lib/db/client";
import { api, envelope, newMerchant } from "../helpers/api";
import { mnemonic } from "./helpers/forwarding-fixtures";

const env = inject("testEnv");
// blocks the test mines pay a key nobody holds (the timer's blocks fund the wallets)
const btc = { node: utxoRpc(env.rpcBitcoin), wallet: utxoRpc(env.walletBitcoin), miner: p2wpkhAddress(new Uint8Array(20).fill(7), "rb") };
const ltc = { node: utxoRpc(env.rpcLitecoin), wallet: utxoRpc(env.walletLitecoin), miner: p2wpkhAddress(new Uint8Array(20).fill(7), "rltc") };

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Right after the node's timer mined a block: the next one is ~5 s away, room for what must happen between blocks. */
async function afterTimerBlock(node: UtxoRpc): Promise<void> {
  const h = await node.call<number>("getblockcount");
  await until("the timer's next block", async () => (await node.call<number>("getblockcount")) > h, 10_000, 50);
}

const rowsOf = (txid: string) => db().select().from(deposits).where(eq(deposits.txHash, txid));
const typesOf = async (id: string) => (await db().select({ type: events.type }).from(events)
  .where(and(eq(events.objectType, "deposit"), eq(events.objectId, id))).orderBy(events.createdAt)).map((e) => e.type);
const coins = (units: bigint) => Number(units) / 1e8;

describe("Bitcoin and Litecoin deposit addresses", () => {
  it("hand out BIP84 addresses, detect a payment from the mempool, confirm it at the depth, and revert it in a reorg", async () => {
    const m = await newMerchant();
    const a = api(m.key);
    // seed 001: BTC and LTC addresses, regtest prefixes of bcoin and litecoind
    const r1 = await a.post("/v1/address/new", { user_id: "btc-1", currency: "BTC" });
    expect(r1.status, r1.text).toBe(200);
    const A = r1.json.address as string;
    expect(A).toMatch(/^rb1q[0-9a-z]{38}$/);
    const r2 = await a.post("/v1/address/new", { user_id: "btc-1", currency: "LTC" });
    expect(r2.status, r2.text).toBe(200);
    expect(r2.json.address).toMatch(/^rltc1q[0-9a-z]{38}$/);
    // seed 000: the customer's address, the same on every call
    const c1 = await api().post("/wallet/address", { customerId: "cust-1", currency: "BTC" }, { "x-api-key": m.key });
    expect(c1.status, c1.text).toBe(200);
    expect(c1.json.data).toMatchObject({ currency: "BTC", customerId: "cust-1", address: expect.stringMatching(/^rb1q/) });
    expect((await api().post("/wallet/address", { customerId: "cust-1", currency: "BTC" }, { "x-api-key": m.key })).json.data.address).toBe(c1.json.data.address);
    // each is the mnemonic's m/84'/1'/0'/0/i (test networks' coin type) at its receiver's index, derived from public keys alone
    const root = bitcoinPublicRoot(mnemonic);
    const rows = await db().select().from(receivers).where(inArray(receivers.address, [A, r2.json.address, c1.json.data.address]));
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(bitcoinAddressAt(root, r.derivationIndex, r.address.startsWith("rltc") ? "litecoin:test" : "bitcoin:test")).toBe(r.address);
    // bad input: a Bitcoin address is no Litecoin one
    expect(envelope(await a.get(`/v1/balance?currency=LTC&address=${A}`))).toMatchObject({ code: "invalid_address", param: "address" });
    // nothing pays withdrawals on these chains yet: refused, nothing queued
    const w = await a.post("/v1/withdrawal/send", { user_id: "btc-1", query_id: "w-1", currency: "BTC", amount: "1000", destination: A });
    expect(envelope(w)).toMatchObject({ code: "currency_not_supported", param: "currency" });

    // pay A from the node's wallet, between two timer blocks: detected from the mempool within about a second
    await afterTimerBlock(btc.node);
    const asked = Date.now();
    const txid = await btc.wallet.call<string>("sendtoaddress", [A, 0.015]);
    const sent = Date.now(); // broadcast: bcoin's wallet answers once the node's mempool took it
    const [pending] = await until("the payment detected in the mempool", async () => {
      const r = await rowsOf(txid);
      return r.length ? r : null;
    }, 4_000, 50);
    const latency = Date.now() - sent;
    console.log(`bitcoin: broadcast-to-detected ${latency} ms (sendtoaddress took ${sent - asked} ms)`);
    expect(pending).toMatchObject({ status: "seen", blockHash: "", toAddress: A, assetCode: "BTC", amount: 1_500_000n, checkoutId: null });
    expect(latency).toBeLessThan(2_000);

    // mined: into its block, still below the depth (2)
    const raw = await btc.node.call<string>("getrawtransaction", [txid]);
    const [b1] = await btc.node.call<string[]>("generatetoaddress", [1, btc.miner]);
    const inBlock = await until("the payment in its block", async () => { const [r] = await rowsOf(txid); return r?.blockHash === b1 ? r : null; }, 5_000, 50);
    expect(inBlock.status).toBe("seen");
    // a reorg below the depth: the block is invalidated, the deposit reverted
    await btc.node.call("invalidateblock", [b1]);
    await until("the deposit reverted by the reorg", async () => (await typesOf(inBlock.id)).includes("deposit.reverted"), 5_000, 50);
    expect((await rowsOf(txid))[0]).toMatchObject({ status: "reverted" });
    // bcoin drops a disconnected block's transactions: the payer's wallet broadcasts it again; detected again,
    // mined in another block and one on top: confirmed, once
    if (!(await btc.node.call<string[]>("getrawmempool")).includes(txid)) await btc.node.call("sendrawtransaction", [raw]);
    await until("the payment detected again", async () => (await rowsOf(txid))[0]?.status === "seen", 5_000, 50);
    await btc.node.call("generatetoaddress", [2, btc.miner]);
    const confirmed = await until("the deposit confirmed", async () => { const [r] = await rowsOf(txid); return r?.status === "confirmed" ? r : null; }, 10_000);
    expect(confirmed.blockHash).not.toBe(b1);
    expect(await rowsOf(txid)).toHaveLength(1);
    expect(await typesOf(inBlock.id)).toEqual(["deposit.detected", "deposit.reverted", "deposit.detected", "deposit.confirmed"]);

    // seed 001 history, income and balances, in satoshi
    const history = await a.get("/v1/deposit/history?user_id=btc-1&currency=BTC&limit=10&offset=0&sort_order=desc");
    expect(history.status, history.text).toBe(200);
    expect(history.json.incomes).toEqual([expect.objectContaining({ deposit_address: A, amount: "1500000", tx_hash: txid })]);
    const income = await a.get(`/v1/deposit/income?tx_hash=${txid}`);
    expect(income.json).toMatchObject({ currency: "BTC", income: { deposit_address: A, amount: "1500000", tx_hash: txid } });
    expect((await a.get("/v1/income?user_id=btc-1")).json.total_income).toEqual([
      { deposit_address: A, amount: "1500000", currency: "BTC" }, { deposit_address: r2.json.address, amount: "0", currency: "LTC" },
    ]);
    expect((await a.get("/v1/balance?currency=BTC")).json.balance).toBe("1500000");
    // the address's balance is the node's: its unspent output
    const onChain = await a.get(`/v1/balance?currency=BTC&address=${A}`);
    expect(onChain.status, onChain.text).toBe(200);
    expect(onChain.json.balance).toBe("1500000");
  }, 60_000);

  it("reverts a payment replaced (RBF) or double-spent by a transaction paying elsewhere, and credits nothing", async () => {
    const m = await newMerchant();
    const a = api(m.key);
    const r = await a.post("/v1/address/new", { user_id: "ltc-1", currency: "LTC" });
    expect(r.status, r.text).toBe(200);
    const L = r.json.address as string;

    /** pays L from the node's wallet (BIP125-replaceable); resolves once the payment is detected */
    const pay = async () => {
      const txid = await ltc.wallet.call<string>("sendtoaddress", [L, 0.25]);
      const sent = Date.now();
      const [row] = await until("the payment detected in the mempool", async () => { const x = await rowsOf(txid); return x.length ? x : null; }, 4_000, 50);
      console.log(`litecoin: broadcast-to-detected ${Date.now() - sent} ms`);
      expect(row).toMatchObject({ status: "seen", blockHash: "", toAddress: L, assetCode: "LTC", amount: 25_000_000n });
      return { txid, row };
    };
    /** the same inputs, a higher fee, everything to the payer's own new address: signed, not sent */
    const conflicting = async (txid: string) => {
      const tx = await ltc.node.call<{ vin: { txid: string; vout: number }[] }>("getrawtransaction", [txid, true]);
      let total = 0n;
      for (const i of tx.vin) {
        const prev = await ltc.node.call<{ vout: { n: number; value: number }[] }>("getrawtransaction", [i.txid, true]);
        total += BigInt(Math.round(prev.vout.find((o) => o.n === i.vout)!.value * 1e8));
      }
      const elsewhere = await ltc.wallet.call<string>("getnewaddress", ["", "bech32"]);
      const raw = await ltc.wallet.call<string>("createrawtransaction", [
        tx.vin.map((i) => ({ txid: i.txid, vout: i.vout, sequence: 0xfffffffd })), { [elsewhere]: coins(total - 1_000_000n) },
      ]);
      const signed = await ltc.wallet.call<{ hex: string; complete: boolean }>("signrawtransactionwithwallet", [raw]);
      expect(signed.complete).toBe(true);
      return signed.hex;
    };

    // 1. replaced in the mempool (RBF): reverted while the replacement is still unconfirmed
    await afterTimerBlock(ltc.node);
    const one = await pay();
    const replacement = await ltc.node.call<string>("sendrawtransaction", [await conflicting(one.txid)]);
    expect(await ltc.node.call<string[]>("getrawmempool")).not.toContain(one.txid);
    await until("the replaced payment reverted", async () => (await rowsOf(one.txid))[0]?.status === "reverted", 5_000, 50);
    expect(await ltc.node.call<string[]>("getrawmempool")).toContain(replacement);

    // 2. double-spent by a transaction a miner includes (generateblock): the payment leaves the mempool unmined
    await afterTimerBlock(ltc.node);
    const two = await pay();
    await ltc.node.call("generateblock", [ltc.miner, [await conflicting(two.txid)]]);
    expect(await ltc.node.call<string[]>("getrawmempool")).not.toContain(two.txid);
    await until("the double-spent payment reverted", async () => (await rowsOf(two.txid))[0]?.status === "reverted", 5_000, 50);

    // blocks past the depth: nothing credited, nothing confirmed
    await ltc.node.call("generatetoaddress", [3, ltc.miner]);
    const top = BigInt(await ltc.node.call<number>("getblockcount"));
    expect(await ltc.node.call<string[]>("getrawmempool")).not.toContain(replacement);
    await until("the watcher past those blocks", async () => ((await db().select().from(networkStatus)
      .where(and(eq(networkStatus.network, "litecoin"), eq(networkStatus.livemode, false))))[0]?.headNumber ?? 0n) >= top, 5_000, 50);
    for (const p of [one, two]) {
      expect((await rowsOf(p.txid)).map((d) => d.status)).toEqual(["reverted"]);
      expect(await typesOf(p.row.id)).toEqual(["deposit.detected", "deposit.reverted"]);
    }
    expect(await rowsOf(replacement)).toEqual([]);
    expect((await a.get("/v1/balance?currency=LTC")).json.balance).toBe("0");
    expect((await a.get("/v1/income?user_id=ltc-1")).json.total_income).toEqual([{ deposit_address: L, amount: "0", currency: "LTC" }]);
  }, 60_000);
});
