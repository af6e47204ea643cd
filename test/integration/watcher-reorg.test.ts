// Reorgs on a real anvil chain of our own (mined by the test, 5 confirmations), watched by a
// worker process of our own against a database of our own: a reorg before confirmation reverts
// the deposit and sends the session back to waiting_payment; re-inclusion brings it back; a
// confirmed deposit is never reverted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { paymentState } from "@/lib/checkout/evaluate";
import { db } from "@/lib/db/client";
import { syncReport } from "@/lib/sync/status";
import { checkCheckout } from "@/lib/deposits/check-transaction";
import { xpubOf } from "@/lib/keys/roots";
import { newMerchant } from "../helpers/api";
import { startIsolated, type Isolated } from "./helpers/isolated";
import {
  USDC, attachReceiver, checkoutRow, count, depositEventTypes, depositsOf, eventTypes, insertSession, newPayer, publicClient, reserveReceiver,
  rpcCall, waitFor, waitForStatus, waitPaid, watcherEvents,
} from "./helpers/watcher";

const CONFIRMATIONS = 5;
const TEN = 10_000_000n;
let iso: Isolated;
let rpc: string;

beforeAll(async () => {
  iso = await startIsolated({ confirmations: CONFIRMATIONS, name: "reorg" });
  rpc = iso.rpc.ethereum;
  iso.startWorker();
  await waitFor("the worker to record the key roots", () => xpubOf("evm"), 60_000);
  await iso.mine(1);
  await iso.synced("ethereum", 60_000);
}, 120_000);

afterAll(async () => { await iso?.stop(); });

async function networkRow(): Promise<{ head_hash: string; watch_paused_reason: string | null }> {
  const { rows } = await db().execute<{ head_hash: string; watch_paused_reason: string | null }>(
    sql`select head_hash, watch_paused_reason from network_status where network = 'ethereum' and livemode = false`);
  return rows[0];
}

async function paidSession() {
  const m = await newMerchant();
  const c = await insertSession(m.merchantId, TEN);
  const { receiver } = await attachReceiver(c.id);
  const payer = await newPayer(rpc, 31337, [{ token: USDC, amount: TEN }], { mine: true });
  const raw = await payer.sign(USDC, receiver, TEN, 0);
  const hash = await rpcCall<`0x${string}`>(rpc, "eth_sendRawTransaction", [raw]);
  await iso.mine(1);
  const receipt = await publicClient(rpc).waitForTransactionReceipt({ hash, pollingInterval: 50 });
  return { id: c.id, raw, hash, receipt };
}

describe("reorgs (anvil_reorg) with 5 confirmations", () => {
  it("before confirmation: deposit reverted, session back to waiting_payment; re-included: processing again", async () => {
    const s = await paidSession();
    await waitForStatus(s.id, "processing");
    await iso.mine(2);
    await iso.synced();
    expect((await depositsOf(s.id)).map((d) => d.status)).toEqual(["seen"]); // head = B + 2 < B + 4

    // replace the last 3 blocks, the payment's among them, with blocks without it
    await rpcCall(rpc, "anvil_reorg", [3, []]);
    await waitForStatus(s.id, "waiting_payment");
    let [d] = await depositsOf(s.id);
    expect(d.status).toBe("reverted");
    expect(d.revertedAt).not.toBeNull();
    expect(await depositEventTypes(s.id)).toEqual(["deposit.detected", "deposit.reverted"]);
    expect(await eventTypes(s.id)).toEqual(["session.processing", "session.underpaid"]);

    // the same signed transaction mined again, in a new block
    await rpcCall(rpc, "anvil_reorg", [1, [[s.raw, 0]]]);
    const again = await publicClient(rpc).getTransactionReceipt({ hash: s.hash });
    expect(again.blockHash).not.toBe(s.receipt.blockHash);
    await waitForStatus(s.id, "processing");
    [d] = await depositsOf(s.id);
    expect(d).toMatchObject({ status: "seen", blockHash: again.blockHash, blockNumber: again.blockNumber, revertedAt: null });
    expect(await depositsOf(s.id)).toHaveLength(1);

    await iso.mine(CONFIRMATIONS - 1);
    await waitFor("the deposit to be confirmed", async () => (await depositsOf(s.id))[0].status === "confirmed");
    const st = (await paymentState(s.id))!;
    if (st.checkout.status === "processing") expect(st.readyToForward).toBe(true);
    else expect(st.checkout.status).toBe("succeeded"); // a forwarder got there first
    expect(await watcherEvents(s.id)).toEqual(["session.processing", "session.underpaid", "session.processing"]);
  });

  it("exactly at the confirmation depth: confirmed once head ≥ B + N − 1", async () => {
    const s = await paidSession();
    const B = Number(s.receipt.blockNumber);
    await waitPaid(s.id);
    await iso.mine(CONFIRMATIONS - 2); // head = B + N − 2
    await iso.synced();
    expect((await depositsOf(s.id))[0].status).toBe("seen");
    expect(await iso.headNumber()).toBe(B + CONFIRMATIONS - 2);
    await iso.mine(1); // head = B + N − 1
    await iso.synced();
    expect((await depositsOf(s.id))[0].status).toBe("confirmed");
  });

  it("a reorg deeper than the confirmation depth pauses the network (not synced, alert) until an operator resumes it; the confirmed deposit stays", async () => {
    const s = await paidSession();
    await waitPaid(s.id);
    await iso.mine(CONFIRMATIONS);
    await waitFor("the deposit to be confirmed", async () => (await depositsOf(s.id))[0].status === "confirmed");
    await iso.synced();
    const before = await networkRow();
    await rpcCall(rpc, "anvil_reorg", [CONFIRMATIONS + 3, []]);
    await iso.mine(1);
    const paused = await waitFor("the network to be paused", async () => {
      const r = await networkRow();
      return r.watch_paused_reason ? r : undefined;
    });
    expect(paused.watch_paused_reason).toMatch(/reorg deeper than/);
    // the watcher does not go on: same checkpoint, and /v1/system/sync reports the network not synced
    await new Promise((r) => setTimeout(r, 2500));
    expect((await networkRow()).head_hash).toBe(before.head_hash);
    const report = await syncReport(false);
    expect(report.networks.ethereum.is_synced).toBe(false);
    expect(report.is_synced).toBe(false);

    // the operator's go-ahead (README "Deep reorgs"): the watcher goes on from below its oldest kept block
    await db().execute(sql`update network_status set watch_resume = true where network = 'ethereum' and livemode = false`);
    await iso.synced();
    expect((await networkRow()).watch_paused_reason).toBeNull();
    const [d] = await depositsOf(s.id);
    expect(d.status).toBe("confirmed");
    expect(count(await depositEventTypes(s.id), "deposit.reverted")).toBe(0);
    expect(await watcherEvents(s.id)).toEqual(["session.processing"]);
  });

  it("check records what the watcher passed before the receiver was watched, confirming a block already N deep", async () => {
    const m = await newMerchant();
    const reserved = await reserveReceiver();
    const payer = await newPayer(rpc, 31337, [{ token: USDC, amount: TEN }], { mine: true });
    const hash = await payer.send(USDC, reserved.address, TEN);
    await iso.mine(1);
    await iso.mine(CONFIRMATIONS);
    await iso.synced();
    // a payment before its receiver's row exists (blocks older than the row's created_at are not
    // rescanned when the watcher learns of the receiver; check() records it)
    await new Promise((r) => setTimeout(r, 4000));
    // the receiver appears only now: the watcher is past the payment's block for good
    const c = await insertSession(m.merchantId, TEN);
    await attachReceiver(c.id, 31337, reserved);
    await iso.mine(1);
    await iso.synced();
    expect(await depositsOf(c.id)).toHaveLength(0);

    const after = await checkCheckout(await checkoutRow(c.id), hash);
    expect(["processing", "succeeded"]).toContain(after.status);
    const [d] = await depositsOf(c.id);
    expect(d).toMatchObject({ txHash: hash, status: "confirmed" });
    expect(await depositEventTypes(c.id)).toEqual(["deposit.detected", "deposit.confirmed"]);
    // idempotent
    await checkCheckout(await checkoutRow(c.id), hash);
    expect(await depositsOf(c.id)).toHaveLength(1);
  });
});
