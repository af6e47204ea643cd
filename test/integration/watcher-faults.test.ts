// The watcher against a real anvil through the fault-injecting JSON-RPC proxy
// (test/helpers/fault-proxy.ts), with a worker and a database of its own (3 confirmations, blocks
// mined by the test): a node answering [] for the newest blocks' logs does not lose a deposit, and
// a receiver the worker loads late is credited for a deposit made before it was loaded.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xpubOf } from "@/lib/keys/roots";
import { startFaultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { newMerchant } from "../helpers/api";
import { startIsolated, type Isolated } from "./helpers/isolated";
import { USDC, attachReceiver, depositsOf, insertSession, newPayer, publicClient, reserveReceiver, waitFor, waitPaid } from "./helpers/watcher";

const CONFIRMATIONS = 3;
const TEN = 10_000_000n;
let iso: Isolated;
let proxy: FaultProxy;
let rpc: string;

beforeAll(async () => {
  iso = await startIsolated({ confirmations: CONFIRMATIONS, name: "faults" });
  rpc = iso.rpc.ethereum;
  proxy = await startFaultProxy({ upstream: rpc, seed: 15 });
  // the worker reads Ethereum through the proxy; a short receiver-set rebuild for the late-receiver case
  iso.startWorker("worker", { ETHEREUM_TEST_RPC_URL: proxy.url, TOLLGATE_RECEIVERS_REBUILD_SECONDS: "8" });
  await waitFor("the worker to record the key roots", () => xpubOf("evm"), 60_000);
  await iso.mine(1);
  await iso.synced("ethereum", 60_000);
}, 120_000);

afterAll(async () => {
  await iso?.stop();
  await proxy?.stop();
});

async function status(): Promise<{ head: number; lastError: string | null }> {
  const c = new pg.Client({ connectionString: iso.databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query("select head_number, last_error from network_status where network = 'ethereum' and livemode = false");
    return { head: Number(rows[0].head_number), lastError: rows[0].last_error };
  } finally {
    await c.end();
  }
}

/** A payer holding TEN USDC, its mint block already processed (the faults come after). */
async function fundedPayer() {
  const payer = await newPayer(rpc, 31337, [{ token: USDC, amount: TEN }], { mine: true });
  await iso.synced();
  return payer;
}

async function pay(payer: Awaited<ReturnType<typeof fundedPayer>>, receiver: `0x${string}`) {
  const hash = await payer.send(USDC, receiver, TEN);
  await iso.mine(1);
  const receipt = await publicClient(rpc).waitForTransactionReceipt({ hash, pollingInterval: 50 });
  return { hash, block: Number(receipt.blockNumber) };
}

describe("the watcher behind a faulty RPC", () => {
  it("eth_getLogs answering [] for the newest blocks, receipts unknown: the checkpoint stays before the payment; credited once the node catches up", async () => {
    const m = await newMerchant();
    const c = await insertSession(m.merchantId, TEN);
    const { receiver } = await attachReceiver(c.id);
    const payer = await fundedPayer();
    // a node behind the load balancer: logs of the newest 3 blocks are [], their receipts unknown
    const rules = [
      proxy.rule({ kind: "emptyLogs", blocks: CONFIRMATIONS, methods: ["eth_getLogs"] }),
      proxy.rule({ kind: "behind", blocks: CONFIRMATIONS, methods: ["eth_getBlockReceipts"] }),
    ];
    try {
      const { hash, block } = await pay(payer, receiver);
      await waitFor("the watcher to doubt the block", async () => /logsBloom/.test((await status()).lastError ?? ""), 30_000);
      await new Promise((r) => setTimeout(r, 3000));
      const s = await status();
      expect(s.head).toBeLessThan(block); // never advanced past the payment
      expect(await depositsOf(c.id)).toHaveLength(0);
      expect(proxy.stats.faults.emptyLogs).toBeGreaterThan(0);

      // the chain moves on: the payment's block is no longer among the node's newest
      await iso.mine(CONFIRMATIONS);
      await waitPaid(c.id, 60_000);
      const [d] = await depositsOf(c.id);
      expect(d).toMatchObject({ txHash: hash, blockNumber: BigInt(block), amount: TEN });
    } finally {
      for (const r of rules) r.remove();
    }
    await iso.synced();
  }, 120_000);

  it("eth_getLogs answering [] while the node still has the receipts: credited at once from them", async () => {
    const m = await newMerchant();
    const c = await insertSession(m.merchantId, TEN);
    const { receiver } = await attachReceiver(c.id);
    const payer = await fundedPayer();
    const rule = proxy.rule({ kind: "emptyLogs", blocks: CONFIRMATIONS, methods: ["eth_getLogs"] });
    try {
      const { hash } = await pay(payer, receiver);
      await waitPaid(c.id, 30_000);
      expect((await depositsOf(c.id)).map((d) => d.txHash)).toEqual([hash]);
    } finally {
      rule.remove();
    }
  }, 120_000);

  it("a receiver whose row the worker loads late is credited for a deposit made before it was loaded", async () => {
    const m = await newMerchant();
    // its derivation index is taken now, the row commits later, after a higher index was seen long
    // enough ago that the incremental refresh no longer looks below it (a slow commit)
    const late = await reserveReceiver();
    const other = await insertSession(m.merchantId, TEN);
    await attachReceiver(other.id);
    await new Promise((r) => setTimeout(r, 14_000));
    const payer = await fundedPayer();
    const c = await insertSession(m.merchantId, TEN);
    await attachReceiver(c.id, 31337, late);
    // paid and mined at once: the watcher scans the block before its next receiver-set rebuild
    const { hash } = await pay(payer, late.address);
    await iso.synced();
    await waitPaid(c.id, 30_000);
    expect((await depositsOf(c.id)).map((d) => d.txHash)).toEqual([hash]);
  }, 120_000);
});
