// Bitcoin and Litecoin deposit addresses (issue 18, first half) on the stack's regtest nodes — bcoin
// and litecoind — driven by the stack's own worker: BIP84 addresses from seed 001 (address/new) and
// seed 000 (/wallet/address) with each chain's regtest prefix; a payment from the node's own wallet
// (sendtoaddress) detected from the mempool, moved into its block, confirmed at the depth (2 in the
// test stack), in history, income and balances; a reorg below the depth (invalidateblock) reverts
// it and its re-mining credits it once; an RBF replacement paying elsewhere, and a double spend mined
// at once, drop the payment from the mempool: the detection is reverted, nothing credited.
// Spending (lib/chains/bitcoin/spend): 20 payouts of 4 merchants and a sweep in one transaction,
// each merchant charged its share of the fee; bad payouts refused up front; a transaction signed
// but not broadcast (the worker killed) sent from its stored bytes, once; a stuck transaction on
// Litecoin Core replaced with a higher fee (RBF), the replacement confirmed; deposit outputs a batch
// spent directly leave the instance's custody account (custody equals what the deposit addresses hold).
// Seed-004 payments: BTC priced in EUR, and LTC paid from the node's wallet on a chain past MWEB's
// activation (an MWEB transaction in the mempool and blocks beside it), forwarded; a stuck forward
// replaced (RBF), the replacement the delivery. The nodes mine a block every 5 s here; the test
// mines the blocks it needs.
import { randomBytes } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { checkouts, depositAddresses, deposits, events, ledgerEntries, networkStatus, outboundTxs, receivers, settlementAddresses, settlementGroups, withdrawals } from "@/db/schema";
import { p2wpkhAddress, scriptOf } from "@/lib/chains/bitcoin/address";
import { bitcoinAddressAt, bitcoinPublicRoot } from "@/lib/chains/bitcoin/keys";
import { utxoRpc, type UtxoRpc } from "@/lib/chains/bitcoin/rpc";
import { loadConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { instanceAccounts } from "@/lib/ledger/accounts";
import { measureSolvency } from "@/lib/ledger/solvency";
import { forwardingLease, forwardingTick } from "@/lib/forwarding/tick";
import { withdrawalLease, withdrawalTick } from "@/lib/withdrawals/tick";
import { Leases } from "@/lib/worker/leases";
import { allocateReceiver } from "@/lib/receivers/allocate";
import { api, envelope, newMerchant } from "../helpers/api";
import { setStandInPrices } from "../setup/rate-stand-in";
import { mnemonic } from "./helpers/forwarding-fixtures";
import { takeUtxoTurn } from "./helpers/utxo-turn";

// the regtest chains are shared with the other files that mine them: one at a time
takeUtxoTurn();

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

    // 2. double-spent by a transaction mined at once (sent and mined back to back; Litecoin Core's generateblock,
    // which would mine it without the mempool, cannot build a block once MWEB is active: it asserts a template of
    // one transaction, and MWEB adds the HogEx): the payment leaves the mempool unmined
    await afterTimerBlock(ltc.node);
    const two = await pay();
    await ltc.node.call("sendrawtransaction", [await conflicting(two.txid)]);
    await ltc.node.call("generatetoaddress", [1, ltc.miner]);
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
  // A receiver committed after its payment was mined and its block processed (issue 19: the
  // simulation found a Litecoin session's payment on the final chain, never recorded). The watcher
  // reads the receivers at the start of each pass; a receiver committed while a pass ran, paid and
  // mined at once, was not in the map that pass used, and the next pass only matched new receivers
  // against the mempool, which no longer held the payment. The receiver is allocated here as a
  // deposit address's is, in a transaction kept open while the payment is mined and the stack's
  // worker processes its block (in this file: no other test of it mines meanwhile).
  it("records a payment whose receiver committed after its block was processed", async () => {
    const m = await newMerchant();
    const processed = async () => Number((await db().select({ head: networkStatus.headNumber }).from(networkStatus)
      .where(and(eq(networkStatus.network, "bitcoin"), eq(networkStatus.livemode, false))))[0]?.head ?? -1);
    let address = "";
    let txid = "";
    await db().transaction(async (tx) => {
      const receiver = await allocateReceiver(tx, { merchantId: m.merchantId, livemode: false, family: "bitcoin", checkoutId: null, watchUntil: null, chainKey: "bitcoin:test" });
      await tx.insert(depositAddresses).values({
        merchantId: m.merchantId, livemode: false, receiverId: receiver.id, address: receiver.address, network: "bitcoin", currency: "BTC", kind: "new", userId: "late",
      });
      address = receiver.address;
      // paid and mined while the receiver is not committed: the worker's watcher cannot know it yet
      txid = await btc.wallet.call<string>("sendtoaddress", [address, 0.0015]);
      const [block] = await btc.node.call<string[]>("generatetoaddress", [1, btc.miner]);
      const { height } = await btc.node.call<{ height: number }>("getblockheader", [block, true]);
      await until("the worker to process the payment's block", async () => (await processed()) >= height);
      // and a mempool pass after it: the payment has left the mempool the watcher reads
      await new Promise((r) => setTimeout(r, 1_500));
    });
    const rowsOfTx = () => db().select().from(deposits).where(and(eq(deposits.network, "bitcoin"), eq(deposits.txHash, txid)));
    const recorded = await until("the payment recorded from its block", async () => (await rowsOfTx())[0], 15_000);
    expect(recorded).toMatchObject({ toAddress: address, amount: 150_000n, assetCode: "BTC", merchantId: m.merchantId });
    expect(recorded.blockHash).not.toBe("");
    await btc.node.call("generatetoaddress", [2, btc.miner]);
    const confirmed = await until("the payment confirmed", async () => { const [d] = await rowsOfTx(); return d?.status === "confirmed" ? d : null; });
    expect(confirmed.id).toBe(recorded.id);
    expect(await rowsOfTx()).toHaveLength(1);
  }, 90_000);
});

const chainOf = (network: string) => loadConfig(JSON.parse(env.childEnvJson)).networks.find((c) => c.network === network && !c.livemode)!;
const withdrawalOf = async (id: bigint) => (await db().select().from(withdrawals).where(eq(withdrawals.id, id)))[0];
const outboundOf = (ids: bigint[]) => db().select().from(outboundTxs).where(inArray(outboundTxs.withdrawalId, ids));
type RawTx = { txid: string; confirmations?: number; vin: { txid: string; vout: number }[]; vout: { value: number; n: number; scriptPubKey: { hex: string } }[] };

/** A merchant with `units` confirmed on a deposit address of `currency` (paid by the node's wallet, mined past the depth). */
async function funded(currency: "BTC" | "LTC", units: bigint) {
  const n = currency === "BTC" ? btc : ltc;
  const m = await newMerchant();
  const a = api(m.key);
  const r = await a.post("/v1/address/new", { user_id: "payer", currency 
});
  expect(r.status, r.text).toBe(200);
  const txid = await n.wallet.call<string>("sendtoaddress", [r.json.address, coins(units)]);
  return { m, a, address: r.json.address as string, txid };
}
/** The operator's fee float: the hot wallet of `chainKey` paid from the node's wallet (fees are the instance's, charged to merchants in the ledger). */
async function float(wallet: UtxoRpc, chainKey: string, amount: number): Promise<void> {
  await wallet.call("sendtoaddress", [bitcoinAddressAt(bitcoinPublicRoot(mnemonic), 0, chainKey), amount]);
}
async function confirmedDeposits(node: UtxoRpc, txids: string[], miner: string) {
  await node.call("generatetoaddress", [2, miner]);
  await until("the deposits confirmed", async () => {
    const rows = await db().select().from(deposits).where(inArray(deposits.txHash, txids));
    return rows.length === txids.length && rows.every((d) => d.status === "confirmed");
  }, 20_000);
}

/**
 * The instance's custody account on `network` (test mode) against the chain: what the deposit
 * addresses still hold, Σ of their confirmed deposits' outputs the node counts unspent in a block.
 * Deposit outputs a batch spent directly (a payout's inputs) left custody for the hot wallet.
 */
async function custodyAgainstChain(node: UtxoRpc, network: string): Promise<{ ledger: bigint; chain: bigint }> {
  const account = (await instanceAccounts(false)).find((a) => a.network === network && a.kind === "custody");
  const held = await db().select().from(deposits).where(and(eq(deposits.network, network), eq(deposits.livemode, false), eq(deposits.status, "confirmed"), isNull(deposits.checkoutId)));
  let chain = 0n;
  for (const d of held) {
    const out = await node.call<{ value: number } | null>("gettxout", [d.txHash, d.logIndex, false]);
    if (out) chain += toUnitsOf(out.value);
  }
  return { ledger: account?.balance ?? 0n, chain };
}

describe("Bitcoin and Litecoin spending", () => {
  it("pays 20 withdrawals of 4 merchants and a sweep in one batched transaction, each its share of the fee; refuses bad ones; sends stored bytes once after a crash", async () => {
    const chain = chainOf("bitcoin");
    await float(btc.wallet, "bitcoin:test", 0.001);
    // four merchants pay out, a fifth sweeps its deposit address
    const [last, ...merchants] = await Promise.all([0, 1, 2, 3, 4].map(() => funded("BTC", 200_000n)));
    await confirmedDeposits(btc.node, [last, ...merchants].map((x) => x.txid), btc.miner);
    const leases = new Leases(); // the stack's worker kept out: this test runs the passes
    await until("the withdrawal lease", () => leases.tryAcquire(withdrawalLease(chain)), 20_000);
    try {
      const [first] = merchants;
      const dest = () => p2wpkhAddress(randomBytes(20), "rb");
      // refused up front, nothing queued: another network's address, dust, more than the balance
      const bad = [
        await first.a.post("/v1/withdrawal/send", { user_id: "u", query_id: "bad-1", currency: "BTC", amount: "10000", destination: p2wpkhAddress(randomBytes(20), "rltc") }),
        await first.a.post("/v1/withdrawal/send", { user_id: "u", query_id: "bad-2", currency: "BTC", amount: "999", destination: dest() }),
        await first.a.post("/v1/withdrawal/send", { user_id: "u", query_id: "bad-3", currency: "BTC", amount: "200001", destination: dest() }),
      ];
      expect(bad.map((r) => r.status)).toEqual([400, 400, 422]);
      expect(envelope(bad[0])).toMatchObject({ code: "invalid_address", param: "destination" });
      expect(envelope(bad[1])).toMatchObject({ param: "amount" });
      expect(envelope(bad[2])).toMatchObject({ code: "insufficient_balance", param: "amount" });
      expect(await db().select().from(withdrawals).where(eq(withdrawals.merchantId, first.m.merchantId))).toEqual([]);

      // 5 payouts each (the fair queue takes 5 per merchant a pass): one pass, one transaction
      const wanted = await Promise.all(merchants.flatMap((x, i) => [0, 1, 2, 3, 4].map(async (k) => {
        const to = dest();
        const r = await x.a.post("/v1/withdrawal/send", { user_id: "u", query_id: `w-${k}`, currency: "BTC", amount: String(10_000 + i * 1000 + k), destination: to });
        expect(r.status, r.text).toBe(200);
        return { id: BigInt(r.json.ID), to, merchant: x.m.merchantId };
      })));
      // and a sweep (seed 001 withdrawal/service): the deposit address's outputs join the same transaction as inputs
      const sw = await last.a.post("/v1/withdrawal/service", { from: last.address, currency: "BTC" });
      expect(sw.status, sw.text).toBe(200);
      const [sweep] = await db().select().from(withdrawals).where(and(eq(withdrawals.merchantId, last.m.merchantId), eq(withdrawals.kind, "sweep")));
      await withdrawalTick(chain, { mnemonic, lease: false });
      const all = await outboundOf([...wanted.map((w) => w.id), sweep.id]);
      const rows = all.filter((o) => o.withdrawalId !== sweep.id);
      expect(rows).toHaveLength(20);
      const txid = rows[0].txHash!;
      expect(all.find((o) => o.withdrawalId === sweep.id)).toMatchObject({ purpose: "sweep", txHash: txid, fromAddress: last.address, amount: 200_000n });
      expect(new Set(rows.map((o) => o.txHash))).toEqual(new Set([txid]));
      expect(rows.every((o) => o.status === "broadcast" && o.purpose === "withdrawal")).toBe(true);
      // bcoin answers sendrawtransaction before its mempool holds the transaction: wait until the node knows it
      const tx = await until("the batch in the node", () => btc.node.call<RawTx>("getrawtransaction", [txid, true]).catch(() => null), 10_000);
      expect(tx.vout).toHaveLength(21); // 20 payouts and the change
      // the fee is the transaction's, split over its withdrawals
      let inputs = 0n;
      for (const i of tx.vin) inputs += toUnitsOf((await btc.node.call<RawTx>("getrawtransaction", [i.txid, true])).vout[i.vout].value);
      const fee = inputs - tx.vout.reduce((s, o) => s + toUnitsOf(o.value), 0n);
      expect(all.reduce((s, o) => s + o.feePaid!, 0n)).toBe(fee);
      expect(tx.vin.some((i) => i.txid === last.txid)).toBe(true);
      expect(fee).toBeGreaterThan(0n);

      await btc.node.call("generatetoaddress", [2, btc.miner]);
      await until("the 20 withdrawals processed", async () => {
        await withdrawalTick(chain, { mnemonic, lease: false });
        return (await Promise.all([...wanted.map((w) => w.id), sweep.id].map(withdrawalOf))).every((w) => w.status === "processed");
      }, 20_000, 150);
      await Promise.all(wanted.map(async (w) => {
        const st = await api(merchants.find((x) => x.m.merchantId === w.merchant)!.m.key).get(`/v1/withdrawal/status?id=${w.id}`);
        expect(st.json).toMatchObject({ status: "processed", tx_hash: txid });
      }));
      // each output pays its withdrawal's destination its amount
      const paid = new Map(tx.vout.map((o) => [o.scriptPubKey.hex, toUnitsOf(o.value)]));
      for (const w of wanted) expect(paid.get(scriptOf(w.to))).toBe((await withdrawalOf(w.id)).amount);
      // each merchant: 200000 less its payouts, its share of the fee on its fees account
      for (const [i, x] of merchants.entries()) {
        const paid = [0, 1, 2, 3, 4].reduce((s, k) => s + 10_000 + i * 1000 + k, 0);
        const share = all.filter((o) => o.merchantId === x.m.merchantId).reduce((s, o) => s + o.feePaid!, 0n);
        const b = (await x.a.get("/v1/balances")).json.data.find((d: { code: string }) => d.code === "BTC");
        expect(b).toMatchObject({ available: String(200_000 - paid), reserved: "0", fees: share.toString() });
      }

      // swept: the deposit address holds nothing now (its value is the hot wallet's change); its merchant owns what it did, less its share of the fee
      expect((await last.a.get(`/v1/balance?currency=BTC&address=${last.address}`)).json.balance).toBe("0");
      expect((await last.a.get("/v1/balances")).json.data.find((d: { code: string }) => d.code === "BTC"))
        .toMatchObject({ available: "200000", fees: all.find((o) => o.withdrawalId === sweep.id)!.feePaid!.toString() });

      // killed between signing and broadcast: the stored bytes are sent by the next pass, once
      const to = dest();
      const r = await first.a.post("/v1/withdrawal/send", { user_id: "u", query_id: "crash", currency: "BTC", amount: "20000", destination: to });
      const id = BigInt(r.json.ID);
      await withdrawalTick(chain, { mnemonic, lease: false, broadcast: false });
      const [signed] = await outboundOf([id]);
      expect(signed).toMatchObject({ status: "signed", signedTx: expect.any(String) });
      expect((await withdrawalOf(id)).status).toBe("processing");
      expect(await btc.node.call<string[]>("getrawmempool")).not.toContain(signed.txHash);
      await withdrawalTick(chain, { mnemonic, lease: false });
      expect(await btc.node.call<string[]>("getrawmempool")).toContain(signed.txHash);
      await btc.node.call("generatetoaddress", [2, btc.miner]);
      await until("the signed payout processed", async () => {
        await withdrawalTick(chain, { mnemonic, lease: false });
        return (await withdrawalOf(id)).status === "processed";
      }, 20_000, 150);
      expect((await outboundOf([id])).map((o) => [o.txHash, o.status, o.signedTx])).toEqual([[signed.txHash, "confirmed", signed.signedTx]]);
      // the change came back to the hot wallet: holdings still cover what merchants are owed
      expect((await measureSolvency(chain))?.shortfalls).toEqual([]);
      // the payouts spent deposit outputs directly (largest first): what they held left custody for the hot wallet in the ledger
      const moved = await db().select().from(ledgerEntries).where(and(eq(ledgerEntries.refType, "utxo_output"), eq(ledgerEntries.reason, "sweep")));
      expect(moved.length).toBeGreaterThan(0);
      const custody = await custodyAgainstChain(btc.node, "bitcoin");
      expect(custody.ledger).toBe(custody.chain);
    } finally {
      await leases.close();
    }
  }, 60_000);

  it("replaces a stuck low-fee transaction (RBF) and the replacement pays, once", async () => {
    const chain = chainOf("litecoin");
    await float(ltc.wallet, "litecoin:test", 0.001);
    const x = await funded("LTC", 50_000_000n);
    await confirmedDeposits(ltc.node, [x.txid], ltc.miner);
    const leases = new Leases();
    await until("the withdrawal lease", () => leases.tryAcquire(withdrawalLease(chain)), 20_000);
    try {
      // the chain's own hot wallet is no destination
      const own = await x.a.post("/v1/withdrawal/send", { user_id: "u", query_id: "own", currency: "LTC", amount: "10000", destination: bitcoinAddressAt(bitcoinPublicRoot(mnemonic), 0, "litecoin:test") });
      expect(envelope(own)).toMatchObject({ code: "destination_invalid", param: "destination" });
      const to = p2wpkhAddress(randomBytes(20), "rltc");
      const r = await x.a.post("/v1/withdrawal/send", { user_id: "u", query_id: "stuck", currency: "LTC", amount: "10000000", destination: to });
      expect(r.status, r.text).toBe(200);
      const id = BigInt(r.json.ID);
      await withdrawalTick(chain, { mnemonic, lease: false, broadcast: false });
      const [stuck] = await outboundOf([id]);
      // broadcast between two timer blocks, then made unattractive to the node's miner (a negative priority)
      await afterTimerBlock(ltc.node);
      await withdrawalTick(chain, { mnemonic, lease: false });
      await ltc.node.call("prioritisetransaction", [stuck.txHash, 0, -100_000_000]);
      await ltc.node.call("generatetoaddress", [2, ltc.miner]);
      expect(await ltc.node.call<string[]>("getrawmempool")).toContain(stuck.txHash);
      // past the devnet's replace-after thresholds (2 blocks, 3 s): replaced with a higher fee
      const replacement = await until("the replacement", async () => {
        await withdrawalTick(chain, { mnemonic, lease: false });
        return (await outboundOf([id])).find((o) => o.replacesId === stuck.id);
      }, 10_000, 200);
      const pool = await ltc.node.call<string[]>("getrawmempool");
      expect(pool).toContain(replacement.txHash);
      expect(pool).not.toContain(stuck.txHash);
      expect(replacement.feePaid!).toBeGreaterThan(stuck.feePaid!);
      await ltc.node.call("generatetoaddress", [1, ltc.miner]);
      await until("the replacement confirmed", async () => {
        await withdrawalTick(chain, { mnemonic, lease: false });
        return (await withdrawalOf(id)).status === "processed";
      }, 10_000, 150);
      expect(await withdrawalOf(id)).toMatchObject({ status: "processed", txHash: replacement.txHash });
      expect((await outboundOf([id])).map((o) => [o.txHash, o.status]).sort()).toEqual([[stuck.txHash, "replaced"], [replacement.txHash, "confirmed"]].sort());
      const fees = (await x.a.get("/v1/balances")).json.data.find((d: { code: string }) => d.code === "LTC");
      expect(fees).toMatchObject({ available: "40000000", fees: replacement.feePaid!.toString() });
      expect((await measureSolvency(chain))?.shortfalls).toEqual([]);
      // the payout spent the deposit's output directly: custody follows the chain
      const custody = await custodyAgainstChain(ltc.node, "litecoin");
      expect(custody.ledger).toBe(custody.chain);
    } finally {
      await leases.close();
    }
  }, 60_000);
});

describe("Bitcoin seed-004 payments", () => {
  it("takes a BTC payment priced in EUR: a receiver of its own, credited, forwarded to the merchant's settlement address, DEPOSITED", async () => {
    const m = await newMerchant();
    const a = api(m.key);
    const wallet = p2wpkhAddress(randomBytes(20), "rb");
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "bitcoin", livemode: false, address: wallet });
    await setStandInPrices(env.ratesUrl, { "BTC-EUR": "50000" });
    const created = await a.post("/v1/payments", { clientPaymentId: `btc-${Date.now()}`, displayCurrency: "EUR", displayAmount: "25.00" });
    expect(created.status, created.text).toBe(201);
    const id = created.json.paymentInfo.paymentId as string;
    const r = await a.patch(`/v1/payments/${id}`, { depositCurrency: "BTC", network: "BTC" });
    expect(r.status, r.text).toBe(200);
    const info = r.json.paymentInfo;
    expect(info).toMatchObject({ status: "PENDING", depositCurrency: "BTC", expectedNetwork: "BTC", expectedDepositAmount: "0.0005" });
    const receiver = info.walletAddress as string;
    expect(receiver).toMatch(/^rb1q/);
    const [row] = await db().select().from(receivers).where(eq(receivers.address, receiver));
    expect(row).toMatchObject({ family: "bitcoin", checkoutId: id });
    expect(bitcoinAddressAt(bitcoinPublicRoot(mnemonic), row.derivationIndex, "bitcoin:test")).toBe(receiver);

    // the payer's page shows the address (and its BIP21 QR)
    const page = await (await fetch(`${env.baseUrl}/checkout/${id}`)).text();
    expect(page).toContain(receiver);

    const txid = await btc.wallet.call<string>("sendtoaddress", [receiver, 0.0005]);
    await until("the payment credited", async () => (await rowsOf(txid)).length > 0, 5_000, 50);
    await btc.node.call("generatetoaddress", [2, btc.miner]);
    const forward = await until("the forward", async () => (await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, id)))[0], 20_000, 200);
    expect(forward).toMatchObject({ purpose: "forward", fromAddress: receiver, toAddress: wallet });
    expect(forward.amount + forward.feePaid!).toBe(50_000n);
    await btc.node.call("generatetoaddress", [2, btc.miner]);
    await until("the payment DEPOSITED", async () => (await a.get(`/v1/payments/${id}`)).json.paymentInfo.status === "DEPOSITED", 20_000, 200);
    const [done] = await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, id));
    expect(done).toMatchObject({ status: "confirmed", txHash: forward.txHash });
    const sent = await btc.node.call<RawTx>("getrawtransaction", [forward.txHash, true]);
    expect(sent.vout.map((o) => [o.scriptPubKey.hex, toUnitsOf(o.value)])).toEqual([[scriptOf(wallet), forward.amount]]);
    const [group] = await db().select().from(settlementGroups).where(eq(settlementGroups.checkoutId, id));
    expect(group).toMatchObject({ mode: "forward", status: "delivered", deliveredUnits: forward.amount, txHash: forward.txHash });
  }, 60_000);
});

/** A seed-004 LTC/LTC payment of 0.25 LTC (25 EUR at 100 EUR/LTC) with a settlement address: its id, receiver and the merchant's wallet. */
async function ltcPayment() {
  const m = await newMerchant();
  const a = api(m.key);
  const wallet = p2wpkhAddress(randomBytes(20), "rltc");
  await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "litecoin", livemode: false, address: wallet });
  await setStandInPrices(env.ratesUrl, { "LTC-EUR": "100" });
  const created = await a.post("/v1/payments", { clientPaymentId: `ltc-${Date.now()}-${randomBytes(3).toString("hex")}`, displayCurrency: "EUR", displayAmount: "25.00" });
  expect(created.status, created.text).toBe(201);
  const id = created.json.paymentInfo.paymentId as string;
  const r = await a.patch(`/v1/payments/${id}`, { depositCurrency: "LTC", network: "LTC" });
  expect(r.status, r.text).toBe(200);
  expect(r.json.paymentInfo).toMatchObject({ status: "PENDING", depositCurrency: "LTC", expectedNetwork: "LTC", expectedDepositAmount: "0.25" });
  const receiver = r.json.paymentInfo.walletAddress as string;
  expect(receiver).toMatch(/^rltc1q/);
  return { m, a, id, receiver, wallet };
}
const statusOf = async (a: ReturnType<typeof api>, id: string) => (await a.get(`/v1/payments/${id}`)).json.paymentInfo.status as string;

describe("Litecoin seed-004 payments", () => {
  it("takes an LTC payment from the node's wallet past MWEB's activation: detected from the mempool, DEPOSITED, forwarded", async () => {
    // the devnet's chain is past MWEB's activation (432 on regtest): its first block pegged in, every block since carries a HogEx
    const info = await ltc.node.call<{ blocks: number; softforks: { mweb?: { active?: boolean; height?: number } } }>("getblockchaininfo");
    expect(info.softforks.mweb).toMatchObject({ active: true, height: 432 });
    expect(info.blocks).toBeGreaterThan(432);
    const first = await ltc.node.call<{ tx: { vout: { scriptPubKey?: { type?: string } }[] }[] }>("getblock", [await ltc.node.call<string>("getblockhash", [432]), 2]);
    expect(first.tx.some((t) => t.vout.some((o) => o.scriptPubKey?.type === "witness_mweb_pegin"))).toBe(true); // the peg-in
    const { a, id, receiver, wallet } = await ltcPayment();
    const mwebWallet = utxoRpc(`${env.rpcLitecoin}wallet/devnet-mweb`);
    await ltc.node.call("loadwallet", ["devnet-mweb"]).catch(() => {});
    const mwebAddress = await mwebWallet.call<string>("getnewaddress", ["", "mweb"]);
    // between two timer blocks: an MWEB transaction (its outputs have no script) enters the mempool with the payment;
    // it is nobody's payment and keeps nothing from being detected from the mempool
    await afterTimerBlock(ltc.node);
    const mwebTx = await mwebWallet.call<string>("sendtoaddress", [mwebAddress, 0.01]);
    const txid = await ltc.wallet.call<string>("sendtoaddress", [receiver, 0.25]);
    const [seen] = await until("the payment detected in the mempool", async () => { const r = await rowsOf(txid); return r.length ? r : null; }, 3_000, 50);
    expect(seen).toMatchObject({ status: "seen", blockHash: "", toAddress: receiver, assetCode: "LTC", amount: 25_000_000n, checkoutId: id });
    expect((await ltc.node.call<{ vout: { ismweb?: boolean; scriptPubKey?: unknown }[] }>("getrawtransaction", [mwebTx, true])).vout.some((o) => o.ismweb && !o.scriptPubKey)).toBe(true);
    await ltc.node.call("generatetoaddress", [2, ltc.miner]);
    const forward = await until("the forward", async () => (await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, id)))[0], 20_000, 200);
    expect(forward).toMatchObject({ purpose: "forward", fromAddress: receiver, toAddress: wallet, feeAsset: "LTC" });
    expect(forward.amount + forward.feePaid!).toBe(25_000_000n);
    await until("the forward in the node", () => ltc.node.call<RawTx>("getrawtransaction", [forward.txHash, true]).catch(() => null), 10_000);
    await ltc.node.call("generatetoaddress", [2, ltc.miner]);
    await until("the payment DEPOSITED", async () => (await statusOf(a, id)) === "DEPOSITED", 20_000, 200);
    const sent = await ltc.node.call<RawTx>("getrawtransaction", [forward.txHash, true]);
    expect(sent.vout.map((o) => [o.scriptPubKey.hex, toUnitsOf(o.value)])).toEqual([[scriptOf(wallet), forward.amount]]);
    const [group] = await db().select().from(settlementGroups).where(eq(settlementGroups.checkoutId, id));
    expect(group).toMatchObject({ mode: "forward", status: "delivered", deliveredUnits: forward.amount, txHash: forward.txHash });
    // the MWEB transaction was mined meanwhile, and the watcher is at the node's head
    expect(await ltc.node.call<string[]>("getrawmempool")).not.toContain(mwebTx);
    const top = BigInt(await ltc.node.call<number>("getblockcount"));
    await until("the watcher at the head", async () => ((await db().select().from(networkStatus)
      .where(and(eq(networkStatus.network, "litecoin"), eq(networkStatus.livemode, false))))[0]?.headNumber ?? 0n) >= top, 10_000, 100);
  }, 60_000);

  it("replaces a stuck forward (RBF) with a higher fee out of the payment; the one mined is the delivery", async () => {
    const chain = chainOf("litecoin");
    const leases = new Leases(); // the stack's worker kept out: this test runs the forwarding passes
    await until("the forwarding lease", () => leases.tryAcquire(forwardingLease(chain)), 30_000, 200);
    try {
      const { a, id, receiver, wallet } = await ltcPayment();
      const txid = await ltc.wallet.call<string>("sendtoaddress", [receiver, 0.25]);
      await until("the payment credited", async () => (await rowsOf(txid)).length > 0, 5_000, 50);
      await ltc.node.call("generatetoaddress", [2, ltc.miner]);
      const forwards = () => db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, id)).orderBy(outboundTxs.createdAt);
      // signed and recorded, not broadcast; then sent between two timer blocks and made unattractive to the node's miner
      const [stuck] = await until("the forward signed", async () => {
        await forwardingTick(chain, { mnemonic, lease: false, broadcast: false });
        return (await forwards()).length ? forwards() : null;
      }, 20_000, 200);
      expect(stuck).toMatchObject({ purpose: "forward", status: "signed", fromAddress: receiver, toAddress: wallet });
      await afterTimerBlock(ltc.node);
      await forwardingTick(chain, { mnemonic, lease: false });
      expect(await ltc.node.call<string[]>("getrawmempool")).toContain(stuck.txHash);
      await ltc.node.call("prioritisetransaction", [stuck.txHash, 0, -100_000_000]);
      await ltc.node.call("generatetoaddress", [2, ltc.miner]);
      expect(await ltc.node.call<string[]>("getrawmempool")).toContain(stuck.txHash);
      // past the devnet's replace-after thresholds (2 blocks, 3 s): replaced, recorded before its broadcast
      const replacement = await until("the replacement", async () => {
        await forwardingTick(chain, { mnemonic, lease: false, broadcast: false });
        return (await forwards()).find((o) => o.replacesId === stuck.id);
      }, 10_000, 200);
      expect(replacement).toMatchObject({ status: "signed", purpose: "forward", fromAddress: receiver, toAddress: wallet, checkoutId: id });
      expect((await forwards()).find((o) => o.id === stuck.id)!.status).toBe("replaced");
      expect(await ltc.node.call<string[]>("getrawmempool")).not.toContain(replacement.txHash);
      // the higher fee comes out of the payment: what it forwards plus its fee is still what was paid
      expect(replacement.feePaid!).toBeGreaterThan(stuck.feePaid!);
      expect(replacement.amount + replacement.feePaid!).toBe(25_000_000n);
      await forwardingTick(chain, { mnemonic, lease: false });
      const pool = await ltc.node.call<string[]>("getrawmempool");
      expect(pool).toContain(replacement.txHash);
      expect(pool).not.toContain(stuck.txHash);
      await ltc.node.call("generatetoaddress", [2, ltc.miner]);
      await until("the payment DEPOSITED", async () => {
        await forwardingTick(chain, { mnemonic, lease: false });
        return (await statusOf(a, id)) === "DEPOSITED";
      }, 20_000, 200);
      // exactly one of the chain mined: the replacement; the stuck one is gone from the node
      expect((await forwards()).map((o) => [o.txHash, o.status]).sort()).toEqual([[stuck.txHash, "replaced"], [replacement.txHash, "confirmed"]].sort());
      expect(await ltc.node.call<RawTx>("getrawtransaction", [stuck.txHash, true]).catch(() => null)).toBeNull();
      const mined = await ltc.node.call<RawTx>("getrawtransaction", [replacement.txHash, true]);
      expect(mined.confirmations).toBeGreaterThanOrEqual(2);
      expect(mined.vout.map((o) => [o.scriptPubKey.hex, toUnitsOf(o.value)])).toEqual([[scriptOf(wallet), replacement.amount]]);
      const [group] = await db().select().from(settlementGroups).where(eq(settlementGroups.checkoutId, id));
      expect(group).toMatchObject({ mode: "forward", status: "delivered", deliveredUnits: replacement.amount, txHash: replacement.txHash });
      expect((await db().select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, id)))[0].status).toBe("succeeded");
    } finally {
      await leases.close();
    }
  }, 90_000);
});

function toUnitsOf(value: number): bigint {
  return BigInt(Math.round(value * 1e8));
}
