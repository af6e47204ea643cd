// Spending on the UTXO chains (Bitcoin, Litecoin): the family's withdrawal engine
// (ChainFamily.sender.withdrawals) and its reconcile (sender.reconcile).
//
// What we may spend is utxo_outputs (db/schema): confirmed deposits to permanent deposit addresses
// (copied from deposits each pass) and the change of our own transactions (to the hot wallet,
// index 0). A pass takes the fair queue's pending rows (lib/withdrawals/engines/queue) and pays
// them all in ONE transaction: every payout is an output; every sweep (seed 001
// withdrawal/service) brings all of its deposit address's spendable outputs as inputs, moved to
// the hot wallet with the change; more inputs are picked largest first (each checked against the
// node's UTXO set) until the outputs and the fee are covered. The fee rate is the node's estimate
// (estimatesmartfee), else the network's fallback (<NET>_FALLBACK_FEE_RATE; regtest never has an
// estimate), never below the node's relay minimum; inputs signal BIP125 replaceability.
//
// One outbound_txs row per withdrawal carries the transaction (the same txid and signed bytes),
// with the withdrawal's equal share of the fee as fee_paid (the ledger charges each merchant its
// share once the transaction is final). The rows, the withdrawals' pending → processing moves
// and the inputs' spent_by are committed in one database transaction before anything is
// broadcast: a withdrawal is signed at most once, and a worker killed before the broadcast has
// its stored bytes sent by the next pass's reconcile.
//
// Reconcile follows each transaction of ours (and the ones it replaced): mined at the depth →
// confirmed (its inputs spent, its change spendable), whichever of a replacement chain was mined;
// unknown to the node → the stored bytes broadcast again; refused because an input is gone → failed
// (nothing paid, the inputs given back); unmined past the network's replace-after thresholds →
// replaced (RBF): the same inputs and outputs, the fee raised by at least the node's incremental
// relay fee per vbyte (BIP125) and at least to the current estimate, taken out of the change — or,
// for a forward of seed-004 payments (./forward: no change), out of each payment's output, split
// evenly; signed and recorded (old rows `replaced`, new ones pointing at them by replaces_id)
// before broadcast. Whichever transaction of the chain is mined is the one confirmed (for a
// forward: the payment's delivery).
import { Transaction } from "@scure/btc-signer";
import { hex } from "@scure/base";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { deposits, outboundTxs, receivers, utxoOutputs } from "@/db/schema";
import { replaceAfter, type ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { logger } from "@/lib/log/logger";
import { LeaseLostError } from "@/lib/worker/leases";
import { finishProcessing, passQueue } from "@/lib/withdrawals/engines/queue";
import type { EngineOptions, WithdrawalEngine } from "@/lib/withdrawals/engines/types";
import type { WithdrawalRow } from "@/lib/withdrawals/serialize";
import { markFailed, markProcessing, notePending } from "@/lib/withdrawals/transitions";
import { scriptOf } from "./address";
import { bitcoinSignerAt } from "./keys";
import { utxoRpc, type UtxoRpc } from "./rpc";

type OutboundRow = typeof outboundTxs.$inferSelect;
type Output = typeof utxoOutputs.$inferSelect;

/** payouts below this are refused up front; change below it is left to the fee */
export const DUST = 1000n;
/** vbytes of a P2WPKH input (outpoint, sequence, witness of signature and key) and of a transaction's fixed part (with the segwit marker) */
const INPUT_VB = 68;
const OVERHEAD_VB = 11;
/** at most this many inputs in one transaction (standardness keeps a transaction under 100 kvB) */
const MAX_INPUTS = 500;
const RBF_SEQUENCE = 0xfffffffd;

const errorText = (err: unknown) => (err instanceof Error ? err.message.split("\n")[0] : String(err)).slice(0, 500);
const outputVb = (script: Uint8Array) => 9 + script.length;
const satPerVb = (btcPerKvB: number) => Math.ceil(btcPerKvB * 1e5);

/** Why a payout cannot be sent on these chains at all (ChainFamily.sender.payoutProblem). */
export function utxoPayoutProblem(req: { amount: bigint; comment?: string; binaryComment?: string }): { field: string; message: string } | null {
  if (req.amount < DUST) return { field: "amount", message: `amount is below the dust limit: at least ${DUST} base units (satoshi/litoshi).` };
  if (req.comment || req.binaryComment) return { field: req.comment ? "comment" : "binary_comment", message: "Bitcoin and Litecoin payouts carry no comment." };
  return null;
}

/** The fee rate (sat/vB) of a new transaction: the node's estimate, else the network's fallback, never below the relay minimum. */
export async function feeRate(chain: ChainConfig, rpc: UtxoRpc): Promise<number> {
  let rate = chain.fallbackFeeRate ?? 10;
  try {
    const e = await rpc.call<{ feerate?: number; fee?: number }>("estimatesmartfee", [6]);
    const v = e.feerate ?? e.fee;
    if (typeof v === "number" && v > 0) rate = satPerVb(v);
  } catch { /* no estimator: the fallback */ }
  return Math.max(rate, await relayMinimum(rpc));
}

async function relayMinimum(rpc: UtxoRpc): Promise<number> {
  try {
    const m = await rpc.call<{ minrelaytxfee?: number; mempoolminfee?: number }>("getmempoolinfo");
    return Math.max(satPerVb(m.minrelaytxfee ?? 0), satPerVb(m.mempoolminfee ?? 0), 1);
  } catch {
    return 1;
  }
}

/** BIP125's least raise of a replacement's fee per vbyte (the node's incremental relay fee; 1 sat/vB by default). */
async function incrementalRate(rpc: UtxoRpc): Promise<number> {
  try {
    const n = await rpc.call<{ incrementalfee?: number }>("getnetworkinfo");
    return Math.max(satPerVb(n.incrementalfee ?? 0), 1);
  } catch {
    return 1;
  }
}

/** Confirmed deposits to permanent deposit addresses of this chain that are not spendable outputs yet. */
async function importDeposits(chain: ChainConfig): Promise<void> {
  await db().execute(sql`
    insert into utxo_outputs (network, livemode, txid, vout, address, derivation_index, amount, origin)
    select d.network, d.livemode, d.tx_hash, d.log_index, d.to_address, r.derivation_index, d.amount, 'deposit'
    from deposits d join receivers r on r.id = d.receiver_id
    where d.network = ${chain.network} and d.livemode = ${chain.livemode} and d.status = 'confirmed'
      and r.family = 'bitcoin' and r.checkout_id is null
    on conflict do nothing`);
}

async function spendable(chain: ChainConfig): Promise<Output[]> {
  return db().select().from(utxoOutputs).where(and(
    eq(utxoOutputs.network, chain.network), eq(utxoOutputs.livemode, chain.livemode), isNull(utxoOutputs.spentBy), isNull(utxoOutputs.spentAt),
  )).orderBy(desc(utxoOutputs.amount), utxoOutputs.createdAt);
}

/** Whether the node still counts the output as unspent (mempool included). */
async function unspent(rpc: UtxoRpc, o: { txid: string; vout: number }): Promise<boolean> {
  return (await rpc.call<unknown>("gettxout", [o.txid, o.vout, true])) !== null;
}

type Built = { txid: string; signed: string; vsize: number; fee: bigint };
type Spend = Pick<Output, "txid" | "vout" | "address" | "derivationIndex" | "amount">;

/** Signs a transaction spending `inputs` (each with the key at its index on `chain`) to `outputs` (bench/utxo.ts measures it). */
export function build(mnemonic: string, chain: Pick<ChainConfig, "key">, inputs: readonly Spend[], outputs: readonly { script: Uint8Array; amount: bigint }[]): Built {
  const tx = new Transaction();
  for (const i of inputs) {
    tx.addInput({ txid: i.txid, index: i.vout, witnessUtxo: { script: hex.decode(scriptOf(i.address)), amount: i.amount }, sequence: RBF_SEQUENCE });
  }
  for (const o of outputs) tx.addOutput({ script: o.script, amount: o.amount });
  inputs.forEach((i, idx) => {
    const key = bitcoinSignerAt(mnemonic, i.derivationIndex, chain.key);
    if (key.address !== i.address) throw new Error(`${i.address} does not derive from this instance's mnemonic at index ${i.derivationIndex}`);
    tx.signIdx(key.privateKey, idx);
  });
  tx.finalize();
  const fee = inputs.reduce((s, i) => s + i.amount, 0n) - outputs.reduce((s, o) => s + o.amount, 0n);
  return { txid: tx.id, signed: tx.hex, vsize: tx.vsize, fee };
}

/** `fee` split evenly over `n` rows (the remainder to the first ones). */
function shares(fee: bigint, n: number): bigint[] {
  const each = fee / BigInt(n);
  const rest = Number(fee - each * BigInt(n));
  return Array.from({ length: n }, (_, i) => each + (i < rest ? 1n : 0n));
}

class Abandoned extends Error {}

type Pass = { chain: ChainConfig; rpc: UtxoRpc; opts: EngineOptions; hot: string };

/** Pays the pass's payouts and sweeps in one transaction. */
async function payBatch(p: Pass, queue: readonly WithdrawalRow[]): Promise<void> {
  const { chain, rpc } = p;
  const asset = nativeAssetCode(chain.network)!;
  const pool = await spendable(chain);
  const used = new Set<string>();
  const inputs: Output[] = [];
  const take = (o: Output) => { used.add(o.id); inputs.push(o); };
  const rows: { w: WithdrawalRow; inputs: Output[] }[] = [];
  for (const w of queue) {
    if (w.currency !== asset) { await markFailed(w.id, "pending", `${w.currency} is not the native coin of ${chain.network}`); continue; }
    if (w.kind !== "sweep") continue;
    const mine = pool.filter((o) => o.address === w.fromAddress && !used.has(o.id));
    const live: Output[] = [];
    for (const o of mine) if (await unspent(rpc, o)) live.push(o);
    if (live.length === 0) { await markFailed(w.id, "pending", `${w.fromAddress} holds no confirmed ${asset} to sweep`); continue; }
    live.forEach(take);
    rows.push({ w, inputs: live });
  }
  const rate = BigInt(await feeRate(chain, rpc));
  const changeScript = hex.decode(scriptOf(p.hot));
  const payouts: { w: WithdrawalRow; script: Uint8Array; amount: bigint }[] = [];
  const vbytes = (nIn: number, outs: readonly { script: Uint8Array }[]) =>
    BigInt(OVERHEAD_VB + nIn * INPUT_VB + outs.reduce((s, o) => s + outputVb(o.script), 0) + outputVb(changeScript));
  const sum = (xs: readonly { amount: bigint }[]) => xs.reduce((s, x) => s + x.amount, 0n);
  let cursor = 0;
  for (const w of queue) {
    if (w.kind !== "payout" || w.currency !== asset) continue;
    const outs = [...payouts, { w, script: hex.decode(scriptOf(w.destination)), amount: w.amount! }];
    const need = () => sum(outs) + vbytes(inputs.length, outs) * rate + DUST;
    while (sum(inputs) < need() && inputs.length < MAX_INPUTS && cursor < pool.length) {
      const o = pool[cursor++];
      if (used.has(o.id)) continue;
      if (await unspent(rpc, o)) take(o);
      else logger.warn({ network: chain.key, outpoint: `${o.txid}:${o.vout}` }, "a spendable output of ours is not in the node's UTXO set: skipped");
    }
    if (sum(inputs) < need()) {
      await notePending(db(), w.id, `insufficient hot wallet balance: ${sum(inputs) - sum(payouts)} base units of ${asset} spendable, the withdrawal needs ${w.amount} and its share of the fee`);
      continue;
    }
    payouts.push(outs[outs.length - 1]);
  }
  for (const x of payouts) rows.push({ w: x.w, inputs: [] });
  if (rows.length === 0) return;

  // the change (to the hot wallet) takes what is left after the fee; below dust it is left to the fee
  const outputs: { script: Uint8Array; amount: bigint }[] = payouts.map((x) => ({ script: x.script, amount: x.amount }));
  const fee = vbytes(inputs.length, outputs) * rate;
  const change = sum(inputs) - sum(outputs) - fee;
  if (change >= DUST) outputs.push({ script: changeScript, amount: change });
  else if (payouts.length === 0) {
    for (const r of rows) await markFailed(r.w.id, "pending", `${r.w.fromAddress} holds too little ${asset} to pay for its own transfer`);
    return;
  }
  const head = BigInt(await rpc.call<number>("getblockcount"));
  const built = build(p.opts.mnemonic, chain, inputs, outputs);
  const fees = shares(built.fee, rows.length);
  const recorded = await db().transaction(async (tx) => {
    for (const r of rows) if (!(await markProcessing(tx, r.w.id, null))) throw new Abandoned();
    const locked = await tx.update(utxoOutputs).set({ spentBy: built.txid })
      .where(and(inArray(utxoOutputs.id, inputs.map((i) => i.id)), isNull(utxoOutputs.spentBy))).returning({ id: utxoOutputs.id });
    if (locked.length !== inputs.length) throw new Abandoned();
    return tx.insert(outboundTxs).values(rows.map((r, i) => ({
      merchantId: r.w.merchantId, livemode: chain.livemode, network: chain.network, chainId: null,
      purpose: r.w.kind === "sweep" ? "sweep" as const : "withdrawal" as const, checkoutId: null,
      fromAddress: r.w.kind === "sweep" ? r.w.fromAddress! : p.hot, toAddress: r.w.kind === "sweep" ? p.hot : r.w.destination, tokenAddress: null,
      // a sweep moves everything its inputs held out of custody (its fee share is the hot wallet's)
      amount: r.w.kind === "sweep" ? sum(r.inputs) : r.w.amount!,
      nonce: null, signedTx: built.signed, txHash: built.txid, status: "signed" as const, withdrawalId: r.w.id,
      feeAsset: asset, feePayer: p.hot, feePaid: fees[i], signedAtBlock: head,
    }))).returning();
  }).catch((err) => {
    if (err instanceof Abandoned) return null; // a row moved meanwhile (cancelled): the next pass builds again
    throw err;
  });
  if (!recorded) return;
  logger.info({ network: chain.key, txid: built.txid, withdrawals: rows.length, inputs: inputs.length, vsize: built.vsize, fee: built.fee.toString() }, "utxo batch signed");
  if (p.opts.broadcast !== false) await broadcast(rpc, recorded);
}

/** Sends the rows' signed transaction; the node's refusal is kept on the rows (reconcile decides). */
async function broadcast(rpc: UtxoRpc, rows: readonly OutboundRow[]): Promise<string | null> {
  const ids = rows.map((r) => r.id);
  try {
    await rpc.call("sendrawtransaction", [rows[0].signedTx]);
    await db().update(outboundTxs).set({ status: "broadcast", error: null, updatedAt: sql`now()` })
      .where(and(inArray(outboundTxs.id, ids), eq(outboundTxs.status, "signed")));
    return null;
  } catch (err) {
    const message = errorText(err);
    await db().update(outboundTxs).set({ error: `broadcast: ${message}`, updatedAt: sql`now()` })
      .where(and(inArray(outboundTxs.id, ids), inArray(outboundTxs.status, ["signed", "broadcast"])));
    return message;
  }
}

/** What the node knows of a transaction: its confirmations (0: in the mempool), or null (unknown). */
async function txState(rpc: UtxoRpc, txid: string): Promise<number | null> {
  try {
    const t = await rpc.call<{ confirmations?: number } | string | null>("getrawtransaction", [txid, true]);
    if (!t || typeof t === "string") return null;
    return t.confirmations ?? 0;
  } catch {
    return null;
  }
}

/** The rows a group's rows replaced, by txid, newest first (any of them may be the one mined). */
async function ancestors(rows: readonly OutboundRow[]): Promise<{ txid: string; rows: OutboundRow[] }[]> {
  const out: { txid: string; rows: OutboundRow[] }[] = [];
  let ids = rows.map((r) => r.replacesId).filter((x): x is string => x !== null);
  while (ids.length) {
    const found = await db().select().from(outboundTxs).where(inArray(outboundTxs.id, ids));
    if (found.length === 0) break;
    out.push({ txid: found[0].txHash!, rows: found });
    ids = found.map((r) => r.replacesId).filter((x): x is string => x !== null);
  }
  return out;
}

/** The group `mined` of a replacement chain was mined at the depth: it is confirmed, the rest replaced; its inputs spent, its change ours. */
async function settleMined(chain: ChainConfig, hot: string, head: { txid: string; rows: OutboundRow[] }, mined: { txid: string; rows: OutboundRow[] }, chainTxids: string[]): Promise<void> {
  await db().transaction(async (tx) => {
    if (mined.txid !== head.txid) {
      const moved = await tx.update(outboundTxs).set({ status: "replaced", updatedAt: sql`now()` })
        .where(and(inArray(outboundTxs.id, head.rows.map((r) => r.id)), inArray(outboundTxs.status, ["signed", "broadcast"]))).returning({ id: outboundTxs.id });
      if (moved.length === 0) return;
    }
    const done = await tx.update(outboundTxs).set({ status: "confirmed", error: null, updatedAt: sql`now()` })
      .where(and(inArray(outboundTxs.id, mined.rows.map((r) => r.id)), inArray(outboundTxs.status, ["signed", "broadcast", "replaced"]))).returning({ id: outboundTxs.id });
    if (done.length === 0) return;
    await tx.update(utxoOutputs).set({ spentBy: mined.txid, spentAt: sql`now()` })
      .where(and(eq(utxoOutputs.network, chain.network), eq(utxoOutputs.livemode, chain.livemode), inArray(utxoOutputs.spentBy, chainTxids)));
    const t = Transaction.fromRaw(hex.decode(mined.rows[0].signedTx!));
    const change = hex.encode(hex.decode(scriptOf(hot)));
    for (let i = 0; i < t.outputsLength; i++) {
      const o = t.getOutput(i);
      if (o.script && hex.encode(o.script) === change && o.amount !== undefined) {
        await tx.insert(utxoOutputs).values({
          network: chain.network, livemode: chain.livemode, txid: mined.txid, vout: i, address: hot, derivationIndex: BigInt(HOT_WALLET_INDEX),
          amount: o.amount, origin: "change",
        }).onConflictDoNothing();
      }
    }
  });
}

/** The least fee a replacement of `old` (paying `oldFee`) may pay: the current estimate, and at least BIP125's raise. */
async function replacementFee(p: Pass, old: Transaction, oldFee: bigint): Promise<bigint> {
  const vsize = BigInt(old.vsize);
  const wanted = BigInt(await feeRate(p.chain, p.rpc)) * vsize;
  const least = oldFee + BigInt(await incrementalRate(p.rpc)) * vsize;
  return wanted > least ? wanted : least;
}

/** Replaces a stuck transaction: the same inputs and outputs, a higher fee out of the change (BIP125). */
async function bump(p: Pass, group: { txid: string; rows: OutboundRow[] }, head: bigint): Promise<void> {
  if (group.rows[0].purpose === "forward") return bumpForward(p, group, head);
  const { chain, rpc } = p;
  const log = logger.child({ network: chain.key, txid: group.txid });
  const inputs = await db().select().from(utxoOutputs).where(and(eq(utxoOutputs.network, chain.network), eq(utxoOutputs.livemode, chain.livemode), eq(utxoOutputs.spentBy, group.txid)));
  const old = Transaction.fromRaw(hex.decode(group.rows[0].signedTx!));
  // the inputs in the old transaction's order (the outpoints are what conflict)
  const ordered: Output[] = [];
  for (let i = 0; i < old.inputsLength; i++) {
    const inp = old.getInput(i);
    const o = inputs.find((x) => x.txid === hex.encode(inp.txid!) && x.vout === inp.index);
    if (!o) return void log.error("stuck transaction: an input is not a recorded output of ours; not replaced");
    ordered.push(o);
  }
  const changeHex = hex.encode(hex.decode(scriptOf(p.hot)));
  const outputs = Array.from({ length: old.outputsLength }, (_, i) => { const o = old.getOutput(i); return { script: o.script!, amount: o.amount! }; });
  const oldFee = ordered.reduce((s, o) => s + o.amount, 0n) - outputs.reduce((s, o) => s + o.amount, 0n);
  const least = oldFee + BigInt(await incrementalRate(rpc)) * BigInt(old.vsize);
  const newFee = await replacementFee(p, old, oldFee);
  const c = outputs.findIndex((o) => hex.encode(o.script) === changeHex);
  if (c < 0 || outputs[c].amount - (newFee - oldFee) < DUST) {
    // the change goes to the fee entirely, when that is enough for BIP125 (and something is still paid)
    if (c < 0 || outputs.length === 1 || oldFee + outputs[c].amount < least) {
      return void log.error({ fee: oldFee.toString() }, "stuck transaction: too little change to pay a higher fee from; not replaced");
    }
    outputs.splice(c, 1);
  } else outputs[c] = { ...outputs[c], amount: outputs[c].amount - (newFee - oldFee) };
  const built = build(p.opts.mnemonic, chain, ordered, outputs);
  const fees = shares(built.fee, group.rows.length);
  await replace(p, group, head, built, group.rows.map((r, i) => ({ amount: r.amount, feePaid: fees[i] })), oldFee);
}

/**
 * Replaces a stuck forward of seed-004 payments: the same inputs (the receivers' outputs) and
 * outputs, the raise of the fee split evenly and taken out of each payment's output (a forward has
 * no change; its fee always came out of the forwarded amounts). Not replaced when a payment's
 * output would fall below dust.
 */
async function bumpForward(p: Pass, group: { txid: string; rows: OutboundRow[] }, head: bigint): Promise<void> {
  const { chain } = p;
  const log = logger.child({ network: chain.key, txid: group.txid });
  const old = Transaction.fromRaw(hex.decode(group.rows[0].signedTx!));
  const outpoints = Array.from({ length: old.inputsLength }, (_, i) => { const inp = old.getInput(i); return { txid: hex.encode(inp.txid!), vout: inp.index! }; });
  // what each input spends: a confirmed deposit to a receiver of the forwarded checkouts
  const paid = await db().select({ txid: deposits.txHash, vout: deposits.logIndex, address: deposits.toAddress, amount: deposits.amount, derivationIndex: receivers.derivationIndex })
    .from(deposits).innerJoin(receivers, eq(receivers.id, deposits.receiverId))
    .where(and(eq(deposits.network, chain.network), eq(deposits.livemode, chain.livemode), inArray(deposits.txHash, [...new Set(outpoints.map((o) => o.txid))]),
      inArray(deposits.checkoutId, group.rows.map((r) => r.checkoutId!))));
  const inputs: Spend[] = [];
  for (const o of outpoints) {
    const d = paid.find((x) => x.txid === o.txid && x.vout === o.vout);
    if (!d) return void log.error("stuck forward: an input is not a deposit of its payments; not replaced");
    inputs.push(d);
  }
  const outputs = Array.from({ length: old.outputsLength }, (_, i) => { const o = old.getOutput(i); return { script: o.script!, amount: o.amount! }; });
  const oldFee = inputs.reduce((s, o) => s + o.amount, 0n) - outputs.reduce((s, o) => s + o.amount, 0n);
  const raise = shares((await replacementFee(p, old, oldFee)) - oldFee, group.rows.length);
  // each payment's output (payments to the same address for the same amount are interchangeable)
  const taken = new Set<number>();
  const values: { amount: bigint; feePaid: bigint }[] = [];
  for (const [k, r] of group.rows.entries()) {
    const script = scriptOf(r.toAddress);
    const i = outputs.findIndex((o, n) => !taken.has(n) && hex.encode(o.script) === script && o.amount === r.amount);
    if (i < 0) return void log.error({ payment: r.checkoutId }, "stuck forward: a payment's output is not in the transaction; not replaced");
    taken.add(i);
    if (r.amount - raise[k] < DUST) return void log.error({ payment: r.checkoutId }, "stuck forward: a payment's output would fall below dust with a higher fee; not replaced");
    outputs[i] = { ...outputs[i], amount: r.amount - raise[k] };
    values.push({ amount: r.amount - raise[k], feePaid: (r.feePaid ?? 0n) + raise[k] });
  }
  if (taken.size !== outputs.length) return void log.error("stuck forward: an output pays none of its payments; not replaced");
  await replace(p, group, head, build(p.opts.mnemonic, chain, inputs, outputs), values, oldFee);
}

/** Records a replacement (the old rows `replaced`, new ones pointing at them by replaces_id), then broadcasts it. */
async function replace(p: Pass, group: { txid: string; rows: OutboundRow[] }, head: bigint, built: Built, values: { amount: bigint; feePaid: bigint }[], oldFee: bigint): Promise<void> {
  const { chain, rpc } = p;
  const created = await db().transaction(async (tx) => {
    const moved = await tx.update(outboundTxs).set({ status: "replaced", updatedAt: sql`now()` })
      .where(and(inArray(outboundTxs.id, group.rows.map((r) => r.id)), inArray(outboundTxs.status, ["signed", "broadcast"]))).returning({ id: outboundTxs.id });
    if (moved.length !== group.rows.length) throw new Abandoned();
    await tx.update(utxoOutputs).set({ spentBy: built.txid }).where(and(eq(utxoOutputs.network, chain.network), eq(utxoOutputs.livemode, chain.livemode), eq(utxoOutputs.spentBy, group.txid)));
    return tx.insert(outboundTxs).values(group.rows.map((r, i) => ({
      merchantId: r.merchantId, livemode: r.livemode, network: r.network, chainId: null, purpose: r.purpose, checkoutId: r.checkoutId,
      fromAddress: r.fromAddress, toAddress: r.toAddress, tokenAddress: null, amount: values[i].amount, nonce: null,
      signedTx: built.signed, txHash: built.txid, status: "signed" as const, withdrawalId: r.withdrawalId, feeAsset: r.feeAsset, feePayer: r.feePayer,
      feePaid: values[i].feePaid, feeFromAmount: r.feeFromAmount, replacesId: r.id, signedAtBlock: head,
    }))).returning();
  }).catch((err) => { if (err instanceof Abandoned) return null; throw err; });
  if (!created) return;
  logger.warn({ network: chain.key, txid: group.txid, purpose: group.rows[0].purpose, replacement: built.txid, fee: built.fee.toString(), was: oldFee.toString(), vsize: built.vsize },
    "stuck transaction replaced with a higher fee (RBF)");
  if (p.opts.broadcast !== false) await broadcast(rpc, created);
}

function waitedTooLong(chain: ChainConfig, row: OutboundRow, head: bigint): boolean {
  const limit = replaceAfter(chain);
  const blocks = row.signedAtBlock === null ? BigInt(limit.blocks) : head - row.signedAtBlock;
  return blocks >= BigInt(limit.blocks) && Date.now() - row.createdAt.getTime() >= limit.seconds * 1000;
}

/** Whether the node refused a transaction because one of its inputs is spent or unknown. */
const MISSING_INPUTS = /missing.?inputs|missingorspent|inputs-spent|txn-mempool-conflict|conflict/i;

/** Drives every transaction of ours on the chain one step (see the file's head). With the mnemonic, stuck ones are replaced. */
export async function reconcileUtxo(chain: ChainConfig, opts: { mnemonic?: string; broadcast?: boolean; purposes?: OutboundRow["purpose"][] } = {}): Promise<void> {
  const rows = await db().select().from(outboundTxs).where(and(
    eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), inArray(outboundTxs.status, ["signed", "broadcast"]),
    ...(opts.purposes ? [inArray(outboundTxs.purpose, opts.purposes)] : []),
  )).orderBy(outboundTxs.createdAt);
  if (rows.length === 0) return;
  const rpc = utxoRpc(chain.rpcUrls[0]);
  const head = BigInt(await rpc.call<number>("getblockcount"));
  const depth = Math.max(1, chain.confirmations);
  const groups = new Map<string, OutboundRow[]>();
  for (const r of rows) groups.set(r.txHash!, [...(groups.get(r.txHash!) ?? []), r]);
  for (const [txid, group] of groups) {
    const log = logger.child({ network: chain.key, txid });
    try {
      // the change's owner: the hot wallet (payouts, sweeps); a forward has no change
      const hot = group[0].feePayer ?? group[0].fromAddress;
      const headGroup = { txid, rows: group };
      const chainGroups = [headGroup, ...(await ancestors(group))];
      const txids = chainGroups.map((g) => g.txid);
      let inPool: string | null = null;
      let settled = false;
      for (const g of chainGroups) {
        const confirmations = await txState(rpc, g.txid);
        if (confirmations === null) continue;
        if (confirmations === 0) { inPool ??= g.txid; continue; }
        if (confirmations >= depth) {
          await settleMined(chain, hot, headGroup, g, txids);
          log.info({ mined: g.txid, withdrawals: g.rows.length }, "utxo transaction confirmed");
        } else if (g.txid === txid) {
          await db().update(outboundTxs).set({ status: "broadcast", updatedAt: sql`now()` }).where(and(inArray(outboundTxs.id, group.map((r) => r.id)), eq(outboundTxs.status, "signed")));
        }
        settled = true;
        break;
      }
      if (settled) continue;
      if (inPool === txid) {
        await db().update(outboundTxs).set({ status: "broadcast", updatedAt: sql`now()` }).where(and(inArray(outboundTxs.id, group.map((r) => r.id)), eq(outboundTxs.status, "signed")));
        // payouts and sweeps raise the fee out of the change; forwards (no change) out of each payment's output
        if (opts.mnemonic && waitedTooLong(chain, group[0], head)) {
          await bump({ chain, rpc, opts: { mnemonic: opts.mnemonic, broadcast: opts.broadcast }, hot }, headGroup, head);
        }
        continue;
      }
      // not in the mempool: sent again (when an earlier transaction of the chain is there, the node may refuse this one: it waits)
      const refused = await broadcast(rpc, group);
      if (!refused || inPool || !MISSING_INPUTS.test(refused)) continue;
      const t = Transaction.fromRaw(hex.decode(group[0].signedTx!));
      let gone = false;
      for (let i = 0; i < t.inputsLength && !gone; i++) {
        const inp = t.getInput(i);
        gone = !(await unspent(rpc, { txid: hex.encode(inp.txid!), vout: inp.index! }));
      }
      if (!gone) continue;
      // an input was spent by a transaction that is none of ours: this can never be mined; nothing was paid
      await db().transaction(async (tx) => {
        await tx.update(outboundTxs).set({ status: "failed", feePaid: 0n, error: `dropped: ${refused}`, updatedAt: sql`now()` })
          .where(and(inArray(outboundTxs.id, group.map((r) => r.id)), inArray(outboundTxs.status, ["signed", "broadcast"])));
        await tx.update(utxoOutputs).set({ spentBy: null })
          .where(and(eq(utxoOutputs.network, chain.network), eq(utxoOutputs.livemode, chain.livemode), inArray(utxoOutputs.spentBy, txids), isNull(utxoOutputs.spentAt)));
      });
      log.error({ error: refused }, "utxo transaction dropped: an input was spent elsewhere");
    } catch (err) {
      if (err instanceof LeaseLostError) throw err;
      log.warn({ err: errorText(err) }, "utxo reconcile failed; will retry");
    }
  }
}

export const utxoWithdrawals: WithdrawalEngine = {
  family: "bitcoin",
  async pass(chain, opts) {
    await reconcileUtxo(chain, { ...opts, purposes: ["withdrawal", "sweep"] });
    await finishProcessing(chain);
    const queue = await passQueue(chain);
    if (queue.length === 0) return;
    await importDeposits(chain);
    const hot = bitcoinSignerAt(opts.mnemonic, HOT_WALLET_INDEX, chain.key).address;
    try {
      await payBatch({ chain, rpc: utxoRpc(chain.rpcUrls[0]), opts, hot }, queue);
    } catch (err) {
      if (err instanceof LeaseLostError) throw err;
      logger.warn({ network: chain.key, err: errorText(err) }, "utxo batch failed; will retry");
    }
  },
};
