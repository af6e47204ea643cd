// EIP-7702 batch sweeps (issue 21): token forwards of many receivers in ONE transaction of the hot
// wallet, with no gas funding. Each receiver delegates (an authorization the worker signs with the
// receiver's key, included the first time only) to TollgateSweeper (./TollgateSweeper.sol), whose
// deployment — at a CREATE2 address that follows from the hot wallet, the operator baked into it —
// calls `sweep` on each receiver; the receiver's own code then transfers its tokens.
//
// A pass collects the forwards that are ready (SweepBatch.add, from lib/forwarding/forward) and
// flushes them at its end: under the hot wallet's sender lock each item's guard is run again (the
// checkout still processing, the forward still its token's next step), then the type-4 transaction
// is signed and committed as one outbound_txs row per item — from the receiver, fee_payer the hot
// wallet, payer_nonce its nonce, all with the same tx_hash and signed bytes — before it is
// broadcast. reconcileBatches settles them from the receipt: an item with a `Failed` event failed
// (a reverted forward: its token is refunded next), the others are confirmed; each pays an equal
// share of the transaction's fee, which the ledger charges to its merchant (fee_payer ≠ from: from
// the hot wallet). A batch that reverted as a whole, or whose nonce went elsewhere, fails its rows
// without a revert verdict: their forwards are taken again, one by one (the classic path).
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import {
  concat, encodeDeployData, encodeFunctionData, getAddress, getContractAddress, keccak256, numberToHex, pad, parseEventLogs, parseTransaction,
  type Abi, type Address, type Hex, type LocalAccount, type SignedAuthorization, type TransactionReceipt,
} from "viem";
import { outboundTxs } from "@/db/schema";
import { storedAddress, toEvmAddress } from "@/lib/addresses";
import type { ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { logger, type Logger } from "@/lib/log/logger";
import { checkFence } from "@/lib/worker/leases";
import artifact from "./sweeper.json" with { type: "json" };
import { evmClient } from "../client";
import { lockSender, nextNonce } from "../nonce";
import { ALREADY_KNOWN, bump, errorMessage, estimateFees, markBroadcast, maxOf, NONCE_TOO_LOW, REVERTED, waitedTooLong, type OutboundRow } from "../sender";
import { evmAccountAt, HOT_WALLET_INDEX } from "@/lib/keys/derive";

export const sweeperAbi = artifact.abi as Abi;
const sweeperBytecode = artifact.bytecode as Hex;

/** The deterministic deployment proxy (CREATE2, salt ++ init code): on anvil and most EVM chains. */
export const CREATE2_PROXY: Address = "0x4e59b44847b379578588920cA78FbF26c0B4956C";
const SALT = pad("0x00", { size: 32 });
/** An item's amount travels in 96 bits; larger ones go the classic way. */
export const MAX_BATCH_AMOUNT = 2n ** 96n - 1n;
/** At most this many forwards in one transaction (≈ 30,000 gas each: well inside a block). */
export const MAX_BATCH_ITEMS = 200;
/** The error of a batch's rows when the batch as a whole did not go through: the forwards are taken again, one by one. */
export const BATCH_FAILED = "batch failed";

/** The sweeper the operator (the hot wallet) deploys: its CREATE2 address. */
export function sweeperAddress(operator: Address): Address {
  return getContractAddress({ opcode: "CREATE2", from: CREATE2_PROXY, salt: SALT, bytecode: initCode(operator) });
}

const initCode = (operator: Address): Hex => encodeDeployData({ abi: sweeperAbi, bytecode: sweeperBytecode, args: [operator] });

/** The code of an account that delegated to `target` (EIP-7702: 0xef0100 ++ address). */
export const delegationCode = (target: Address): Hex => `0xef0100${target.slice(2).toLowerCase()}`;

/**
 * A batch's transaction type: type 4 with the authorizations of receivers that have not delegated
 * yet; a plain EIP-1559 transaction when every receiver already has (a type-4 transaction with an
 * empty authorization list is invalid: a batch of addresses swept before, such as reused checkout
 * addresses, would never go through).
 */
function delegating(authorizationList: SignedAuthorization[]): { type: "eip7702"; authorizationList: SignedAuthorization[] } | { type: "eip1559" } {
  return authorizationList.length > 0 ? { type: "eip7702", authorizationList } : { type: "eip1559" };
}

const ready = new Set<string>();
const unavailable = new Set<string>();

/** The chain has no way to deploy the sweeper (found by an earlier flush): its forwards go one by one. */
export function sweeperUnavailable(chain: ChainConfig, operator: Address): boolean {
  return unavailable.has(`${chain.key}:${sweeperAddress(operator)}`);
}

export type SweeperState = "ready" | "deploying" | "unavailable";

/**
 * Whether the sweeper is deployed on `chain`: `deploying` while it is not (this call sends its
 * deployment — the hot wallet, under its sender lock, to the CREATE2 proxy — unless one is
 * pending), `unavailable` when it cannot be (no proxy on the chain: forwards stay one by one).
 */
export async function ensureSweeper(chain: ChainConfig, hot: LocalAccount, log: Logger): Promise<SweeperState> {
  const address = sweeperAddress(hot.address);
  const key = `${chain.key}:${address}`;
  if (ready.has(key)) return "ready";
  const client = evmClient(chain);
  const code = await client.getCode({ address });
  if (code && code !== "0x") {
    ready.add(key);
    return "ready";
  }
  const proxy = await client.getCode({ address: CREATE2_PROXY });
  if (!proxy || proxy === "0x") {
    log.warn({ network: chain.key }, "no CREATE2 deployment proxy on this chain: token forwards stay one by one (set <NET>_DELEGATED_SWEEPS=0 to silence)");
    unavailable.add(key);
    return "unavailable";
  }
  const hotNow = getAddress(hot.address);
  const [latest, pendingCount] = await Promise.all([
    client.getTransactionCount({ address: hotNow, blockTag: "latest" }), client.getTransactionCount({ address: hotNow, blockTag: "pending" }),
  ]);
  // a deployment (or another transaction of the hot wallet) is still pending: look again next pass
  if (deploySent.get(key) !== undefined && pendingCount > latest) return "deploying";
  const data = concat([SALT, initCode(hot.address)]);
  const gas = await client.estimateGas({ account: hot.address, to: CREATE2_PROXY, data });
  const fees = await estimateFees(chain);
  const chainId = chain.chainId ?? await client.getChainId();
  // one-off and idempotent (a second deployment at the same address reverts): not an outbound row
  // of any merchant; the nonce is taken under the hot wallet's lock and the node has it before the lock ends
  await db().transaction(async (tx) => {
    await checkFence(tx);
    await lockSender(tx, chain, getAddress(hot.address));
    const nonce = await nextNonce(tx, chain, getAddress(hot.address));
    const signed = await hot.signTransaction({ type: "eip1559", chainId, nonce: Number(nonce), to: CREATE2_PROXY, data, gas: gas + gas / 5n, value: 0n, ...fees });
    await client.sendRawTransaction({ serializedTransaction: signed });
    log.info({ network: chain.key, sweeper: address, txHash: keccak256(signed) }, "sweeper deployment sent");
  });
  deploySent.set(key, Date.now());
  return "deploying";
}

const deploySent = new Map<string, number>();

export type SweepItem = {
  merchantId: string;
  checkoutId: string;
  receiver: LocalAccount;
  token: Address;
  to: Address;
  amount: bigint;
  /** run under the sender locks inside the signing transaction: false = this item is no longer to be sent */
  guard: (tx: Tx) => Promise<boolean>;
};

type Group = { token: Address; to: Address; items: Hex[] };

function groupsOf(items: readonly SweepItem[]): Group[] {
  const by = new Map<string, Group>();
  for (const it of items) {
    const k = `${it.token}:${it.to}`;
    let g = by.get(k);
    if (!g) by.set(k, g = { token: it.token, to: it.to, items: [] });
    g.items.push(concat([it.receiver.address, pad(numberToHex(it.amount), { size: 12 })]));
  }
  return [...by.values()];
}

/** The forwards of one pass on one chain, sent as one batch sweep at the end of the pass. */
export class SweepBatch {
  readonly items: SweepItem[] = [];
  constructor(readonly chain: ChainConfig, readonly hot: LocalAccount, readonly broadcast: boolean) {}

  add(item: SweepItem): void {
    this.items.push(item);
  }

  /** How many forwards the batch holds: a mark rollbackTo returns to. */
  mark(): number {
    return this.items.length;
  }

  /** Drops the forwards added since `mark` (they wait for a later pass, together). */
  rollbackTo(mark: number): void {
    if (mark < this.items.length) this.items.length = mark;
  }

  /**
   * Signs, records and sends the collected forwards (up to MAX_BATCH_ITEMS per transaction) once
   * the sweeper is deployed; until then (its deployment is sent here) they wait for a later pass.
   */
  async flush(): Promise<void> {
    if (this.items.length === 0) return;
    const log = logger.child({ network: this.chain.key });
    let state: SweeperState;
    try {
      state = await ensureSweeper(this.chain, this.hot, log);
    } catch (err) {
      log.warn({ err: errorMessage(err) }, "could not deploy the sweeper; the forwards wait for the next pass");
      return;
    }
    if (state !== "ready") return;
    for (let i = 0; i < this.items.length; i += MAX_BATCH_ITEMS) await this.send(this.items.slice(i, i + MAX_BATCH_ITEMS));
    this.items.length = 0;
  }

  private async send(batchItems: SweepItem[]): Promise<void> {
    let items = batchItems;
    const { chain, hot } = this;
    const log = logger.child({ network: chain.key, purpose: "forward", batch: true });
    const sweeper = sweeperAddress(hot.address);
    const client = evmClient(chain);
    const chainId = chain.chainId ?? await client.getChainId();
    // authorizations for receivers that have not delegated to the sweeper yet (signed with their own nonce)
    const delegated = delegationCode(sweeper);
    const authorizations = new Map<Address, SignedAuthorization>();
    const busy = new Set<Address>();
    for (const r of new Map(items.map((it) => [it.receiver.address, it.receiver])).values()) {
      const [latest, pending] = await Promise.all([
        client.getTransactionCount({ address: r.address, blockTag: "latest" }), client.getTransactionCount({ address: r.address, blockTag: "pending" }),
      ]);
      // a transaction of the receiver's own is pending (a native-coin forward): its nonce is not settled yet, next pass
      if (pending !== latest) { busy.add(r.address); continue; }
      const code = await client.getCode({ address: r.address });
      if (code?.toLowerCase() === delegated) continue;
      authorizations.set(r.address, await r.signAuthorization!({ chainId, address: sweeper, nonce: latest }));
    }
    items = items.filter((it) => !busy.has(it.receiver.address));
    if (items.length === 0) return;
    const fees = await estimateFees(chain);
    const signedAtBlock = await client.getBlockNumber({ cacheTime: 0 });
    const callData = (list: SweepItem[]) => encodeFunctionData({ abi: sweeperAbi, functionName: "sweepMany", args: [groupsOf(list)] });
    const authsOf = (list: SweepItem[]) => [...new Set(list.map((it) => it.receiver.address))].flatMap((a) => authorizations.get(a) ?? []);
    let gas: bigint;
    try {
      gas = await client.estimateGas({ account: hot.address, to: sweeper, data: callData(items), ...delegating(authsOf(items)) });
    } catch (err) {
      log.warn({ err: errorMessage(err), items: items.length }, "batch sweep would not go through; its forwards wait for the next pass");
      return;
    }
    const rows = await db().transaction(async (tx) => {
      await checkFence(tx);
      await lockSender(tx, chain, getAddress(hot.address));
      const kept: SweepItem[] = [];
      for (const it of items) {
        await lockSender(tx, chain, it.receiver.address);
        if (await it.guard(tx)) kept.push(it);
      }
      if (kept.length === 0) return [];
      const nonce = await nextNonce(tx, chain, getAddress(hot.address));
      const signedTx = await hot.signTransaction({
        chainId, nonce: Number(nonce), to: sweeper, data: callData(kept), value: 0n, gas: gas + gas / 5n, ...fees, ...delegating(authsOf(kept)),
      });
      const store = (a: string) => storedAddress(chain.family, a);
      return tx.insert(outboundTxs).values(kept.map((it) => ({
        merchantId: it.merchantId, livemode: chain.livemode, network: chain.network, chainId: chain.chainId,
        purpose: "forward" as const, checkoutId: it.checkoutId, fromAddress: store(it.receiver.address), toAddress: store(it.to),
        tokenAddress: store(it.token), amount: it.amount, signedTx, txHash: keccak256(signedTx), status: "signed" as const,
        feeAsset: nativeAssetCode(chain.network), feePayer: store(hot.address), payerNonce: nonce, signedAtBlock,
      }))).returning();
    });
    if (rows.length === 0) return;
    log.info({ txHash: rows[0].txHash, items: rows.length, authorizations: authsOf(items).length }, "batch sweep signed");
    if (this.broadcast) await sendBatch(chain, rows);
  }
}

async function sendBatch(chain: ChainConfig, rows: OutboundRow[]): Promise<"sent" | "nonce_too_low" | "error"> {
  try {
    await evmClient(chain).sendRawTransaction({ serializedTransaction: rows[0].signedTx as Hex });
  } catch (err) {
    const msg = errorMessage(err);
    if (NONCE_TOO_LOW.test(msg)) return "nonce_too_low";
    if (!ALREADY_KNOWN.test(msg)) {
      logger.warn({ network: chain.key, txHash: rows[0].txHash, err: msg }, "batch broadcast failed; will retry");
      return "error";
    }
  }
  for (const r of rows) await markBroadcast(r.id);
  return "sent";
}

/** Equal shares of `fee` over `n` rows, the remainder on the first. */
export function feeShares(fee: bigint, n: number): bigint[] {
  const each = fee / BigInt(n);
  return Array.from({ length: n }, (_, i) => (i === 0 ? each + (fee - each * BigInt(n)) : each));
}

/** The (receiver, token) pairs of a mined batch the sweeper reported as `Failed` or `Skipped`. */
function reported(receipt: TransactionReceipt, sweeper: Address, eventName: "Failed" | "Skipped"): Set<string> {
  const logs = parseEventLogs({ abi: sweeperAbi, eventName, logs: receipt.logs.filter((l) => getAddress(l.address) === sweeper) });
  return new Set(logs.map((l) => {
    const a = l.args as { receiver: Address; token: Address };
    return `${getAddress(a.receiver)}:${getAddress(a.token)}`;
  }));
}

/**
 * Follows the batch sweeps of `chain` (rows with a payer_nonce still signed or broadcast): sends
 * the stored bytes while the node does not have them, settles each batch's rows once its receipt
 * (or that of a batch it replaced) is `confirmations` deep, and — with the mnemonic — replaces a
 * batch stuck past the network's thresholds while its nonce is the hot wallet's next: the same
 * call and authorizations, fees raised ≥ 12.5 %, recorded (old rows `replaced`, new ones pointing
 * at them) before it is broadcast. Whichever transaction of the chain is mined is the one.
 */
export async function reconcileBatches(chain: ChainConfig, opts: { mnemonic?: string } = {}): Promise<void> {
  const rows = await db().select().from(outboundTxs).where(and(
    eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode),
    inArray(outboundTxs.status, ["signed", "broadcast"]), isNotNull(outboundTxs.payerNonce),
  ));
  const batches = new Map<string, OutboundRow[]>();
  for (const r of rows) if (r.txHash) batches.set(r.txHash, [...(batches.get(r.txHash) ?? []), r]);
  if (batches.size === 0) return;
  const client = evmClient(chain);
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const depth = BigInt(Math.max(1, chain.confirmations));
  for (const [hash, batch] of batches) {
    const log = logger.child({ network: chain.key, txHash: hash, purpose: "forward", batch: true });
    try {
      const payer = toEvmAddress(batch[0].feePayer!);
      const nonce = batch[0].payerNonce!;
      // the batches this one replaced (same payer and nonce): any of them may be the one mined
      const earlier = await db().select().from(outboundTxs).where(and(
        eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), eq(outboundTxs.feePayer, batch[0].feePayer!),
        eq(outboundTxs.payerNonce, nonce), eq(outboundTxs.status, "replaced"),
      ));
      const findMined = async (): Promise<{ rows: OutboundRow[]; receipt: TransactionReceipt } | null> => {
        for (const h of [hash, ...new Set(earlier.map((r) => r.txHash!))]) {
          const receipt = await client.getTransactionReceipt({ hash: h as Hex }).catch(() => null);
          if (receipt) return { rows: h === hash ? batch : earlier.filter((r) => r.txHash === h), receipt };
        }
        return null;
      };
      let mined = await findMined();
      if (!mined) {
        const sent = await sendBatch(chain, batch);
        if (sent === "nonce_too_low") {
          mined = await findMined();
          if (!mined) {
            // the payer's nonce was used by another transaction
            const settledAt = head >= depth ? head - depth + 1n : 0n;
            if (BigInt(await client.getTransactionCount({ address: payer, blockNumber: settledAt })) > nonce) {
              await settleRows(batch.map((r) => [r.id, { status: "failed", error: `${BATCH_FAILED}: nonce ${nonce} of ${payer} was used by another transaction` }]));
              log.error("batch sweep dropped: its nonce was used by another transaction; its forwards are taken again");
            }
            continue;
          }
        } else {
          if (opts.mnemonic && waitedTooLong(chain, batch[0], head)
            && BigInt(await client.getTransactionCount({ address: payer, blockTag: "latest" })) === nonce) {
            const hot = evmAccountAt(opts.mnemonic, HOT_WALLET_INDEX);
            if (getAddress(hot.address) === payer) await replaceBatch(chain, batch, hot, head);
          }
          continue;
        }
      }
      const { receipt } = mined;
      if (head - receipt.blockNumber + 1n < depth) {
        for (const r of batch) await markBroadcast(r.id);
        continue;
      }
      const outcome = outcomes(mined.rows, receipt, mined.receipt.transactionHash);
      if (mined.rows === batch) await settleRows(outcome);
      else {
        // an earlier transaction of the chain was mined: it is the one, this one ends replaced
        await db().transaction(async (tx) => {
          const moved = await tx.update(outboundTxs).set({ status: "replaced", updatedAt: sql`now()` })
            .where(and(inArray(outboundTxs.id, batch.map((r) => r.id)), inArray(outboundTxs.status, ["signed", "broadcast"]))).returning({ id: outboundTxs.id });
          if (moved.length === 0) return;
          for (const [id, set] of outcome) {
            await tx.update(outboundTxs).set({ ...set, updatedAt: sql`now()` }).where(and(eq(outboundTxs.id, id), eq(outboundTxs.status, "replaced")));
          }
        });
      }
      const failed = outcome.filter(([, set]) => set.status === "failed").length;
      log.info({ block: receipt.blockNumber.toString(), minedTx: receipt.transactionHash, items: outcome.length, failed, gasUsed: receipt.gasUsed.toString() }, "batch sweep final");
    } catch (err) {
      log.warn({ err: errorMessage(err) }, "batch reconcile failed; will retry");
    }
  }
}

/** What each row of a mined batch came to, with its share of the fee. */
function outcomes(rows: OutboundRow[], receipt: TransactionReceipt, hash: string): [string, Partial<typeof outboundTxs.$inferInsert>][] {
  const shares = feeShares(receipt.gasUsed * receipt.effectiveGasPrice, rows.length);
  if (receipt.status !== "success") {
    return rows.map((r, i) => [r.id, { status: "failed", feePaid: shares[i], error: `${BATCH_FAILED}: reverted on chain in block ${receipt.blockNumber}` }]);
  }
  const sweeper = getAddress(receipt.to!);
  const failed = reported(receipt, sweeper, "Failed");
  const skipped = reported(receipt, sweeper, "Skipped");
  return rows.map((r, i) => {
    const key = `${toEvmAddress(r.fromAddress)}:${toEvmAddress(r.tokenAddress!)}`;
    if (failed.has(key)) return [r.id, { status: "failed", feePaid: shares[i], error: `${REVERTED} in batch sweep ${hash}: the receiver's transfer failed` }];
    if (skipped.has(key)) return [r.id, { status: "failed", feePaid: shares[i], error: `${BATCH_FAILED}: the receiver's authorization did not apply; taken again` }];
    return [r.id, { status: "confirmed", feePaid: shares[i], error: null }];
  });
}

/** Re-signs a stuck batch with higher fees (see reconcileBatches); null when nothing was replaced. */
export async function replaceBatch(chain: ChainConfig, batch: OutboundRow[], hot: LocalAccount, head: bigint): Promise<OutboundRow[] | null> {
  const log = logger.child({ network: chain.key, txHash: batch[0].txHash, purpose: "forward", batch: true });
  const old = parseTransaction(batch[0].signedTx as Hex);
  if ((old.type !== "eip7702" && old.type !== "eip1559") || old.maxFeePerGas === undefined || old.maxPriorityFeePerGas === undefined || old.gas === undefined || old.chainId === undefined) return null;
  const est = await estimateFees(chain);
  const priority = maxOf(bump(old.maxPriorityFeePerGas), est.maxPriorityFeePerGas);
  let maxFee = maxOf(bump(old.maxFeePerGas), est.maxFeePerGas, priority);
  const affordable = (await evmClient(chain).getBalance({ address: getAddress(hot.address) })) / old.gas;
  if (affordable < maxFee) maxFee = affordable;
  if (maxFee < bump(old.maxFeePerGas) || maxFee < priority) {
    log.error({ nonce: batch[0].payerNonce?.toString() }, "stuck batch sweep: the hot wallet cannot pay for a replacement with higher fees");
    return null;
  }
  const signedTx = await hot.signTransaction({
    chainId: old.chainId, nonce: old.nonce!, gas: old.gas, maxFeePerGas: maxFee, maxPriorityFeePerGas: priority,
    to: old.to!, data: old.data, value: 0n, ...delegating([...(old.authorizationList ?? [])]),
  });
  const created = await db().transaction(async (tx) => {
    await checkFence(tx);
    await lockSender(tx, chain, getAddress(hot.address));
    const moved = await tx.update(outboundTxs).set({ status: "replaced", updatedAt: sql`now()` })
      .where(and(inArray(outboundTxs.id, batch.map((r) => r.id)), inArray(outboundTxs.status, ["signed", "broadcast"]))).returning({ id: outboundTxs.id });
    if (moved.length !== batch.length) throw new Error("the batch changed while it was being replaced");
    return tx.insert(outboundTxs).values(batch.map((r) => ({
      merchantId: r.merchantId, livemode: r.livemode, network: r.network, chainId: r.chainId, purpose: r.purpose, checkoutId: r.checkoutId,
      fromAddress: r.fromAddress, toAddress: r.toAddress, tokenAddress: r.tokenAddress, amount: r.amount, signedTx, txHash: keccak256(signedTx),
      status: "signed" as const, feeAsset: r.feeAsset, feePayer: r.feePayer, payerNonce: r.payerNonce, replacesId: r.id, signedAtBlock: head,
    }))).returning();
  }).catch((err: unknown) => {
    log.warn({ err: errorMessage(err) }, "batch replacement not recorded");
    return null;
  });
  if (!created) return null;
  log.warn({ replacement: created[0].txHash, maxFeePerGas: maxFee.toString(), maxPriorityFeePerGas: priority.toString() }, "stuck batch sweep replaced with higher fees");
  await sendBatch(chain, created);
  return created;
}

/** Settles a batch's rows in one transaction (each only if still signed/broadcast). */
async function settleRows(updates: [string, Partial<typeof outboundTxs.$inferInsert>][]): Promise<void> {
  await db().transaction(async (tx) => {
    for (const [id, set] of updates) {
      await tx.update(outboundTxs).set({ ...set, updatedAt: sql`now()` })
        .where(and(eq(outboundTxs.id, id), inArray(outboundTxs.status, ["signed", "broadcast"])));
    }
  });
}
