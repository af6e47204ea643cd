// Forwarding Bitcoin/Litecoin custodial checkouts (ChainFamily.custodialCheckouts): a seed-004
// payment in BTC or LTC is paid to a receiver of its own (derived from the account xpub, index i)
// and credited by the watcher with the checkout set. Once the decider says a payment is ready
// (lib/forwarding/ready), its receiver's confirmed outputs are forwarded to the merchant — the
// payment's destination (its settlement address) — and every ready payment of the pass goes in
// ONE transaction: the receivers' outputs are its inputs, one output per payment, the fee (the
// node's estimate or the fallback rate, ./spend) split evenly and taken out of each forwarded
// amount. One outbound_txs row per payment (same txid and bytes) is committed under each
// checkout's row lock before the broadcast; ./spend's reconcile follows it — and replaces it (RBF)
// when it stays unmined past the network's replace-after thresholds, the raise of the fee taken out
// of each payment's output; once one transaction of that chain is confirmed the groups are
// recorded delivered (with its txid) and the decider settles the checkout. A failed forward is not
// signed again until the merchant retries (POST …/retry).
import { hex } from "@scure/base";
import { and, eq } from "drizzle-orm";
import { checkouts, outboundTxs, receivers, settlementAddresses, settlementGroups } from "@/db/schema";
import { evaluateCheckout } from "@/lib/checkout/evaluate";
import type { ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import type { Executor, Tx } from "@/lib/events/emit";
import { clearBlocked, noteBlocked, type BlockedStep } from "@/lib/forwarding/blocked";
import { readyCheckouts, type ReadyCheckout } from "@/lib/forwarding/ready";
import { tokenState } from "@/lib/forwarding/token-state";
import { logger } from "@/lib/log/logger";
import { checkFence, LeaseLostError } from "@/lib/worker/leases";
import { scriptOf } from "./address";
import { build, DUST, feeRate, reconcileUtxo } from "./spend";
import { utxoRpc, type UtxoRpc } from "./rpc";

type OutboundRow = typeof outboundTxs.$inferSelect;
type Group = ReadyCheckout["pending"][number];
type Receiver = typeof receivers.$inferSelect;
type Step = { chain: ChainConfig; ready: ReadyCheckout; group: Group; receiver: Receiver };
type Item = Step & { to: string; inputs: { txid: string; vout: number; address: string; derivationIndex: bigint; amount: bigint }[] };

const INPUT_VB = 68;
const OVERHEAD_VB = 11;

const blocked = (s: Step, to: string | null, amount: bigint): BlockedStep => ({
  chain: s.chain, merchantId: s.ready.checkout.merchantId, checkoutId: s.ready.checkout.id, purpose: "forward",
  from: s.receiver.address, to, token: null, amount,
});

/** The checkout's forwards from this receiver (failed ones signed before the merchant's last retry are history). */
async function forwardRows(exec: Executor, s: Step): Promise<OutboundRow[]> {
  const rows = await exec.select().from(outboundTxs).where(and(
    eq(outboundTxs.checkoutId, s.ready.checkout.id), eq(outboundTxs.network, s.chain.network), eq(outboundTxs.livemode, s.chain.livemode),
    eq(outboundTxs.purpose, "forward"), eq(outboundTxs.fromAddress, s.receiver.address),
  ));
  const retried = s.ready.retriedAt?.getTime() ?? -Infinity;
  return rows.filter((r) => r.status !== "created" && !(r.status === "failed" && r.createdAt.getTime() < retried));
}

async function destinationFor(s: Step): Promise<string | null> {
  const { checkout } = s.ready;
  if (checkout.network === s.chain.network) return checkout.destinationAddress;
  const [row] = await db().select({ address: settlementAddresses.address }).from(settlementAddresses).where(and(
    eq(settlementAddresses.merchantId, checkout.merchantId), eq(settlementAddresses.network, s.chain.network), eq(settlementAddresses.livemode, s.chain.livemode)));
  return row?.address ?? null;
}

/** Under the checkout's row lock: still processing, and a forward from this receiver is still the next step. */
async function stillNext(tx: Tx, s: Step): Promise<boolean> {
  const [c] = await tx.select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, s.ready.checkout.id)).for("update");
  if (c?.status !== "processing") return false;
  const rows = await forwardRows(tx, s);
  if (tokenState(rows).kind !== "forward" || rows.some((r) => r.status === "failed")) return false;
  await clearBlocked(tx, s.chain, s.ready.checkout.id, { purposes: ["forward"], token: null });
  return true;
}

/** The forward confirmed: the group is recorded delivered, and the decider settles the checkout when it was its last. */
async function finish(s: Step, row: OutboundRow): Promise<void> {
  const { chain } = s;
  const { checkout } = s.ready;
  const result = await db().transaction(async (tx) => {
    await checkFence(tx);
    await clearBlocked(tx, chain, checkout.id);
    await tx.insert(settlementGroups).values({
      checkoutId: checkout.id, merchantId: checkout.merchantId, livemode: chain.livemode, network: chain.network, chainId: null,
      receiverId: s.receiver.id, assetCode: s.group.deposits[0].assetCode, tokenAddress: null, mode: "forward", status: "delivered",
      depositedUnits: s.group.deposits.reduce((sum, d) => sum + d.amount, 0n), deliveredUnits: row.amount, toAddress: row.toAddress, txHash: row.txHash!,
    }).onConflictDoNothing();
    return evaluateCheckout(checkout.id, { tx });
  });
  logger.info({ network: chain.key, sessionId: checkout.id, txHash: row.txHash, units: row.amount.toString(), status: result?.checkout.status }, "settlement group delivered");
}

/** One pass: reconcile the forwards sent, then one transaction forwarding every ready payment. */
export async function forwardUtxoCheckouts(chain: ChainConfig, opts: { mnemonic: string; broadcast?: boolean }): Promise<void> {
  await reconcileUtxo(chain, { ...opts, purposes: ["forward"] });
  const rpc = utxoRpc(chain.rpcUrls[0]);
  const items: Item[] = [];
  for (const ready of await readyCheckouts(chain)) {
    for (const group of ready.pending) {
      try {
        const item = await prepare(chain, rpc, ready, group);
        if (item) items.push(item);
      } catch (err) {
        if (err instanceof LeaseLostError) throw err;
        logger.warn({ network: chain.key, sessionId: ready.checkout.id, err: err instanceof Error ? err.message : String(err) }, "forwarding step failed; will retry");
      }
    }
  }
  if (items.length) await forwardBatch(chain, rpc, opts, items);
}

/** A ready group's next step: finished, waiting, blocked, or an item of this pass's transaction. */
async function prepare(chain: ChainConfig, rpc: UtxoRpc, ready: ReadyCheckout, group: Group): Promise<Item | null> {
  const [receiver] = await db().select().from(receivers).where(eq(receivers.id, group.receiverId));
  const s: Step = { chain, ready, group, receiver };
  const rows = await forwardRows(db(), s);
  const state = tokenState(rows);
  if (state.kind === "forwarded") { await finish(s, state.row); return null; }
  if (state.kind === "wait") return null;
  const failed = rows.find((r) => r.status === "failed");
  if (failed) { await noteBlocked(blocked(s, failed.toAddress, failed.amount), `forward ${failed.txHash ?? ""} failed (${failed.error ?? "unknown"}); retry once the cause is fixed`); return null; }
  if (state.kind !== "forward") { await noteBlocked(blocked(s, null, 0n), state.kind === "blocked" ? state.reason : "the forward failed; needs manual handling"); return null; }
  const to = await destinationFor(s);
  if (!to) { await noteBlocked(blocked(s, null, 0n), `no settlement address for ${chain.network} (${chain.livemode ? "live" : "test"} mode): add one in Settings; funds stay on the receiver until then`); return null; }
  const inputs: Item["inputs"] = [];
  for (const d of group.deposits) {
    if (d.status !== "confirmed" || d.toAddress !== receiver.address) continue;
    if ((await rpc.call<unknown>("gettxout", [d.txHash, d.logIndex, true])) === null) continue;
    inputs.push({ txid: d.txHash, vout: d.logIndex, address: receiver.address, derivationIndex: receiver.derivationIndex, amount: d.amount });
  }
  if (inputs.length === 0) { await noteBlocked(blocked(s, to, 0n), `${receiver.address} has no unspent confirmed output to forward`); return null; }
  return { ...s, to, inputs };
}

async function forwardBatch(chain: ChainConfig, rpc: UtxoRpc, opts: { mnemonic: string; broadcast?: boolean }, all: Item[]): Promise<void> {
  const rate = BigInt(await feeRate(chain, rpc));
  const sum = (xs: readonly { amount: bigint }[]) => xs.reduce((a, x) => a + x.amount, 0n);
  let items = all;
  let fee = 0n;
  let each: bigint[] = [];
  // each payment's output is what its receiver held less its share of the fee; one below dust waits (blocked) and the rest go
  for (;;) {
    const vb = BigInt(OVERHEAD_VB) + BigInt(items.reduce((n, i) => n + i.inputs.length, 0) * INPUT_VB) +
      items.reduce((n, i) => n + BigInt(9 + hex.decode(scriptOf(i.to)).length), 0n);
    fee = vb * rate;
    const share = fee / BigInt(items.length);
    const rest = fee - share * BigInt(items.length);
    each = items.map((i, k) => sum(i.inputs) - share - (k === 0 ? rest : 0n));
    const small = items.filter((_, k) => each[k] < DUST);
    if (small.length === 0) break;
    for (const i of small) await noteBlocked(blocked(i, i.to, sum(i.inputs)), `${sum(i.inputs)} base units cannot pay their own forward at ${rate} sat/vB`);
    items = items.filter((_, k) => each[k] >= DUST);
    if (items.length === 0) return;
  }
  const inputs = items.flatMap((i) => i.inputs);
  const built = build(opts.mnemonic, chain, inputs, items.map((i, k) => ({ script: hex.decode(scriptOf(i.to)), amount: each[k] })));
  const head = BigInt(await rpc.call<number>("getblockcount"));
  const asset = nativeAssetCode(chain.network)!;
  const recorded = await db().transaction(async (tx) => {
    await checkFence(tx);
    for (const i of items) if (!(await stillNext(tx, i))) throw new Skip();
    return tx.insert(outboundTxs).values(items.map((i, k) => ({
      merchantId: i.ready.checkout.merchantId, livemode: chain.livemode, network: chain.network, chainId: null, purpose: "forward" as const,
      checkoutId: i.ready.checkout.id, fromAddress: i.receiver.address, toAddress: i.to, tokenAddress: null, amount: each[k], nonce: null,
      signedTx: built.signed, txHash: built.txid, status: "signed" as const, withdrawalId: null, feeAsset: asset,
      // the payment bears its forward's fee: the merchant gets what the receiver held less it (no account of the instance pays)
      feePaid: sum(i.inputs) - each[k], feeFromAmount: true, signedAtBlock: head,
    }))).returning();
  }).catch((err) => { if (err instanceof Skip) return null; throw err; });
  if (!recorded) return;
  logger.info({ network: chain.key, txid: built.txid, payments: items.length, vsize: built.vsize, fee: built.fee.toString() }, "utxo forwards signed");
  if (opts.broadcast === false) return;
  try {
    await rpc.call("sendrawtransaction", [built.signed]);
    await db().update(outboundTxs).set({ status: "broadcast" }).where(and(eq(outboundTxs.txHash, built.txid), eq(outboundTxs.status, "signed")));
  } catch (err) {
    logger.warn({ network: chain.key, txid: built.txid, err: err instanceof Error ? err.message : String(err) }, "forward broadcast refused; reconcile retries");
  }
}

class Skip extends Error {}
