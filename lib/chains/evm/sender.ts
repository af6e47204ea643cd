// Sending EVM transactions we are responsible for (forwarding, gas funding, refunds, later
// withdrawals), also on the anvil-backed Tron devnet (TRON_TEST_SENDER=jsonrpc; addresses stored
// in Tron's form there). The signed bytes and nonce are committed to outbound_txs BEFORE broadcast, so a
// crash between the two re-broadcasts the same transaction and never produces a second,
// different payment. reconcile() drives every recorded transaction to confirmed or failed.
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  BaseError, encodeFunctionData, erc20Abi, ExecutionRevertedError, getAddress, keccak256, parseTransaction,
  TransactionNotFoundError, TransactionReceiptNotFoundError,
  type Address, type Hex, type LocalAccount, type PublicClient, type TransactionReceipt,
} from "viem";
import { outboundTxs, receivers } from "@/db/schema";
import { storedAddress, toEvmAddress } from "@/lib/addresses";
import { replaceAfter, type ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { familyOf } from "@/lib/chains/registry";
import { logger } from "@/lib/log/logger";
import { evmClient } from "./client";
import { lockSender, nextNonce } from "./nonce";

export type OutboundRow = typeof outboundTxs.$inferSelect;
export type OutboundPurpose = OutboundRow["purpose"];
export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
export type Call = { to: Address; data?: Hex; value: bigint };

/** Errors stored on failed rows start with one of these, so callers can tell why a transaction failed. */
export const REVERTED = "reverted";
export const DROPPED = "dropped";

/** The call that moves `amount` of `token` (null = native coin) to `to`. */
export function transferCall(to: Address, token: Address | null, amount: bigint): Call {
  if (token === null) return { to, value: amount };
  return { to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to, amount] }), value: 0n };
}

/** The call would revert (as opposed to a transport or node error). */
export function isRevert(err: unknown): boolean {
  return err instanceof BaseError && err.walk((e) => e instanceof ExecutionRevertedError) !== null;
}

export function errorMessage(err: unknown): string {
  const msg = err instanceof BaseError ? (err.details || err.shortMessage) : err instanceof Error ? err.message : String(err);
  return msg.split("\n")[0].slice(0, 500);
}

/** Gas for `call` from `from`, plus 20 %. Throws when it would revert (see isRevert). */
export async function estimateGasLimit(chain: ChainConfig, from: Address, call: Call): Promise<bigint> {
  const gas = await evmClient(chain).estimateGas({ account: from, ...call });
  return gas + gas / 5n;
}

export async function estimateFees(chain: ChainConfig): Promise<Fees> {
  const { maxFeePerGas, maxPriorityFeePerGas } = await evmClient(chain).estimateFeesPerGas();
  return { maxFeePerGas, maxPriorityFeePerGas };
}

export type SendRequest = {
  chain: ChainConfig;
  account: LocalAccount;
  merchantId: string;
  checkoutId: string | null;
  purpose: OutboundPurpose;
  /** who receives the value (for a token: the token recipient, not the contract) */
  to: Address;
  /** token contract; null for the native coin */
  token: Address | null;
  amount: bigint;
  /** gas limit; estimated (+20 %) when omitted */
  gas?: bigint;
  /** EIP-1559 fees; from the chain when omitted */
  fees?: Fees;
  /** the withdrawal this pays: stored on the row in the same insert */
  withdrawalId?: bigint;
  /**
   * The fee comes out of the amount sent: a receiver sending on a payment in the native coin pays
   * the transfer's fee from the payment itself, not from gas the instance funded, so the ledger
   * posts no fee against the instance (outbound_txs.fee_from_amount; the fee stays on the row).
   */
  feeFromAmount?: boolean;
  /** Runs inside the transaction once the sender is locked: false = send nothing (already done elsewhere). */
  guard?: (tx: Tx) => Promise<boolean>;
};

/**
 * Signs the transaction and commits it as an outbound_txs row (status `signed`) without
 * broadcasting it. Returns null when the guard declined.
 */
export async function signAndRecord(req: SendRequest): Promise<OutboundRow | null> {
  const { chain, account } = req;
  const chainId = chain.chainId ?? await nodeChainId(chain);
  const from = getAddress(account.address);
  const call = transferCall(req.to, req.token, req.amount);
  // RPC round trips before the lock: the lock covers only nonce choice, signing and the insert
  const gas = req.gas ?? await estimateGasLimit(chain, from, call);
  const fees = req.fees ?? await estimateFees(chain);
  const signedAtBlock = await evmClient(chain).getBlockNumber({ cacheTime: 0 });
  return db().transaction(async (tx) => {
    await lockSender(tx, chain, from);
    if (req.guard && !(await req.guard(tx))) return null;
    const nonce = await nextNonce(tx, chain, from);
    const signedTx = await account.signTransaction({
      type: "eip1559", chainId, nonce: Number(nonce), gas, ...fees, ...call,
    });
    const store = (a: string) => storedAddress(chain.family, a);
    const [row] = await tx.insert(outboundTxs).values({
      merchantId: req.merchantId, livemode: chain.livemode, network: chain.network, chainId: chain.chainId,
      purpose: req.purpose, checkoutId: req.checkoutId, fromAddress: store(from), toAddress: store(req.to),
      tokenAddress: req.token && store(req.token), amount: req.amount,
      nonce, signedTx, txHash: keccak256(signedTx), status: "signed", withdrawalId: req.withdrawalId ?? null,
      feeAsset: nativeAssetCode(chain.network), feeFromAmount: req.feeFromAmount ?? false, signedAtBlock,
    }).returning();
    return row;
  });
}

/** signAndRecord, then broadcast. A failed broadcast leaves the row `signed` for reconcile() to retry. */
const nodeChainIds = new Map<string, number>();
/** The chain id the node signs for, for networks without one in the catalogue (the anvil-backed Tron devnet). */
async function nodeChainId(chain: ChainConfig): Promise<number> {
  let id = nodeChainIds.get(chain.key);
  if (id === undefined) {
    id = await evmClient(chain).getChainId();
    nodeChainIds.set(chain.key, id);
  }
  return id;
}

export async function sendAndRecord(req: SendRequest): Promise<OutboundRow | null> {
  const row = await signAndRecord(req);
  if (row) await broadcast(req.chain, row);
  return row;
}

export const ALREADY_KNOWN = /already known|already imported|known transaction/i;
export const NONCE_TOO_LOW = /nonce too low|nonce has already been used|invalid nonce/i;

type BroadcastResult = "sent" | "nonce_too_low" | "error";

/** Sends the stored bytes. Idempotent: a node that already has them answers "already known". */
export async function broadcast(chain: ChainConfig, row: OutboundRow): Promise<BroadcastResult> {
  if (!row.signedTx) throw new Error(`outbound tx ${row.id} has no signed transaction`);
  const log = logger.child({ network: chain.key, outboundId: row.id, purpose: row.purpose, txHash: row.txHash });
  try {
    await evmClient(chain).sendRawTransaction({ serializedTransaction: row.signedTx as Hex });
  } catch (err) {
    const msg = errorMessage(err);
    if (NONCE_TOO_LOW.test(msg)) return "nonce_too_low";
    if (!ALREADY_KNOWN.test(msg)) {
      log.warn({ err: msg }, "broadcast failed; will retry");
      await db().update(outboundTxs).set({ error: `broadcast: ${msg}`, updatedAt: sql`now()` })
        .where(and(eq(outboundTxs.id, row.id), eq(outboundTxs.status, row.status)));
      return "error";
    }
  }
  await markBroadcast(row.id);
  log.info({ nonce: row.nonce?.toString() }, "transaction broadcast");
  return "sent";
}

export async function markBroadcast(id: string): Promise<void> {
  await db().update(outboundTxs).set({ status: "broadcast", error: null, updatedAt: sql`now()` })
    .where(and(eq(outboundTxs.id, id), eq(outboundTxs.status, "signed")));
}

async function receiptOrNull(client: PublicClient, hash: Hex): Promise<TransactionReceipt | null> {
  try {
    return await client.getTransactionReceipt({ hash });
  } catch (err) {
    if (err instanceof TransactionReceiptNotFoundError) return null;
    throw err;
  }
}

async function isPending(client: PublicClient, hash: Hex): Promise<boolean> {
  try {
    await client.getTransaction({ hash });
    return true;
  } catch (err) {
    if (err instanceof TransactionNotFoundError) return false;
    throw err;
  }
}

/** Moves a row out of signed/broadcast; a no-op if someone else already did. */
export async function settle(id: string, set: Partial<typeof outboundTxs.$inferInsert>): Promise<void> {
  await db().update(outboundTxs).set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(outboundTxs.id, id), inArray(outboundTxs.status, ["signed", "broadcast"])));
}

/** What reconcile may do besides following transactions: with the mnemonic it replaces stuck ones. */
export type ReconcileOptions = { mnemonic?: string };

/** 12.5 %, rounded up: the least raise a node takes as a replacement (geth wants 10 %). */
export const bump = (v: bigint) => v + (v + 7n) / 8n;
export const maxOf = (...v: bigint[]) => v.reduce((a, b) => (a > b ? a : b));

/**
 * The rows `row` replaced (same sender and nonce, status `replaced`), newest first: any of them
 * may still be the one the chain mines.
 */
async function replacedBy(row: OutboundRow): Promise<OutboundRow[]> {
  if (row.nonce === null || row.replacesId === null) return [];
  return db().select().from(outboundTxs).where(and(
    eq(outboundTxs.network, row.network), eq(outboundTxs.livemode, row.livemode),
    eq(outboundTxs.fromAddress, row.fromAddress), eq(outboundTxs.nonce, row.nonce), eq(outboundTxs.status, "replaced"),
  )).orderBy(desc(outboundTxs.createdAt));
}

/**
 * An earlier transaction of the replacement chain was mined instead of `head`: it becomes the
 * one (confirmed or failed, with its fee) and `head` becomes `replaced`, in one transaction (the
 * per-nonce unique index allows one live row). A no-op if someone else already settled `head`.
 */
async function settleMinedAncestor(head: OutboundRow, mined: OutboundRow, set: Partial<typeof outboundTxs.$inferInsert>): Promise<void> {
  await db().transaction(async (tx) => {
    const moved = await tx.update(outboundTxs).set({ status: "replaced", updatedAt: sql`now()` })
      .where(and(eq(outboundTxs.id, head.id), inArray(outboundTxs.status, ["signed", "broadcast"]))).returning({ id: outboundTxs.id });
    if (moved.length === 0) return;
    await tx.update(outboundTxs).set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(outboundTxs.id, mined.id), eq(outboundTxs.status, "replaced")));
  });
}

/** The key of a sender of ours: the hot wallet (index 0) or a receiver / deposit address of this family. */
async function signerOf(chain: ChainConfig, mnemonic: string, storedFrom: string): Promise<LocalAccount | null> {
  // the chain's family derives its keys (Tron: m/44'/195'; EVM: m/44'/60')
  const rail = familyOf(chain).sender?.rail;
  if (!rail) return null;
  const family = rail.family;
  const at = (i: number | bigint): LocalAccount => rail.signerAt(mnemonic, i).account;
  const from = toEvmAddress(storedFrom);
  const hot = at(HOT_WALLET_INDEX);
  if (getAddress(hot.address) === from) return hot;
  const [r] = await db().select({ index: receivers.derivationIndex }).from(receivers)
    .where(and(eq(receivers.family, family), eq(receivers.address, storedFrom)));
  if (!r) return null;
  const account = at(r.index);
  return getAddress(account.address) === from ? account : null;
}

/**
 * Replaces a transaction that has waited too long with the same call at the same nonce and fees
 * raised by at least 12.5 % (and at least to the chain's current estimate). The replacement is
 * signed and committed (the old row `replaced`, the new one pointing at it by replaces_id)
 * before it is broadcast. Returns the new row, or null when nothing was replaced.
 */
export async function replaceTransaction(chain: ChainConfig, row: OutboundRow, account: LocalAccount, head: bigint): Promise<OutboundRow | null> {
  const log = logger.child({ network: chain.key, outboundId: row.id, purpose: row.purpose, txHash: row.txHash });
  if (!row.signedTx || row.nonce === null) return null;
  const old = parseTransaction(row.signedTx as Hex);
  if (old.type !== "eip1559" || old.maxFeePerGas === undefined || old.maxPriorityFeePerGas === undefined || old.gas === undefined || old.chainId === undefined) return null;
  if (getAddress(account.address) !== toEvmAddress(row.fromAddress)) throw new Error(`outbound tx ${row.id}: the signer is not its sender`);
  const est = await estimateFees(chain);
  const priority = maxOf(bump(old.maxPriorityFeePerGas), est.maxPriorityFeePerGas);
  let maxFee = maxOf(bump(old.maxFeePerGas), est.maxFeePerGas, priority);
  const value = old.value ?? 0n;
  // what the sender can pay: a node refuses a transaction whose gas × fee cap exceeds the balance
  const balance = await evmClient(chain).getBalance({ address: getAddress(account.address) });
  const affordable = balance > value ? (balance - value) / old.gas : 0n;
  if (affordable < maxFee) maxFee = affordable;
  if (maxFee < bump(old.maxFeePerGas) || maxFee < priority) {
    log.error({ nonce: row.nonce.toString() }, "stuck transaction: its sender cannot pay for a replacement with higher fees");
    return null;
  }
  const signedTx = await account.signTransaction({
    type: "eip1559", chainId: old.chainId, nonce: old.nonce, gas: old.gas, maxFeePerGas: maxFee, maxPriorityFeePerGas: priority,
    to: old.to, value, data: old.data,
  });
  const created = await db().transaction(async (tx) => {
    await lockSender(tx, chain, getAddress(account.address));
    const moved = await tx.update(outboundTxs).set({ status: "replaced", updatedAt: sql`now()` })
      .where(and(eq(outboundTxs.id, row.id), inArray(outboundTxs.status, ["signed", "broadcast"]))).returning({ id: outboundTxs.id });
    if (moved.length === 0) return null;
    const [next] = await tx.insert(outboundTxs).values({
      merchantId: row.merchantId, livemode: row.livemode, network: row.network, chainId: row.chainId, purpose: row.purpose,
      checkoutId: row.checkoutId, fromAddress: row.fromAddress, toAddress: row.toAddress, tokenAddress: row.tokenAddress, amount: row.amount,
      nonce: row.nonce, signedTx, txHash: keccak256(signedTx), status: "signed", withdrawalId: row.withdrawalId, feeAsset: row.feeAsset,
      feeFromAmount: row.feeFromAmount, replacesId: row.id, signedAtBlock: head,
    }).returning();
    return next;
  });
  if (!created) return null;
  log.warn({
    nonce: row.nonce.toString(), replacement: created.txHash, maxFeePerGas: maxFee.toString(), maxPriorityFeePerGas: priority.toString(),
  }, "stuck transaction replaced with higher fees");
  await broadcast(chain, created);
  return created;
}

/** The row has waited past the network's replace-after thresholds (blocks and seconds since it was signed). */
export function waitedTooLong(chain: ChainConfig, row: OutboundRow, head: bigint): boolean {
  const limit = replaceAfter(chain);
  const blocks = row.signedAtBlock === null ? BigInt(limit.blocks) : head - row.signedAtBlock;
  return blocks >= BigInt(limit.blocks) && Date.now() - row.createdAt.getTime() >= limit.seconds * 1000;
}

/**
 * Drives every `signed`/`broadcast` transaction of the chain one step: broadcast what the chain
 * does not know, mark `confirmed` once the receipt is `confirmations` deep, `failed` when it
 * reverted or its nonce was taken by a transaction that is not ours. Whichever transaction of a
 * replacement chain is mined is the one; the others end `replaced`. With the mnemonic, a
 * transaction unmined past the network's thresholds whose nonce is its sender's next is replaced
 * with higher fees (replaceTransaction).
 */
export async function reconcile(chain: ChainConfig, opts: ReconcileOptions = {}): Promise<void> {
  const rows = await db().select().from(outboundTxs).where(and(
    eq(outboundTxs.network, chain.network),
    eq(outboundTxs.livemode, chain.livemode),
    inArray(outboundTxs.status, ["signed", "broadcast"]),
    // batch sweeps (a payer's transaction for many rows) are followed by ./sweeper reconcileBatches
    isNull(outboundTxs.payerNonce),
  )).orderBy(outboundTxs.fromAddress, outboundTxs.nonce);
  if (rows.length === 0) return;
  const client = evmClient(chain);
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const depth = BigInt(Math.max(1, chain.confirmations));
  const minedNonce = new Map<string, bigint>();
  /** the sender's next nonce as of the newest block: a pending row with it is what holds up the rest */
  const nextMined = async (from: string) => {
    let n = minedNonce.get(from);
    if (n === undefined) {
      n = BigInt(await client.getTransactionCount({ address: toEvmAddress(from), blockTag: "latest" }));
      minedNonce.set(from, n);
    }
    return n;
  };
  for (const row of rows) {
    const log = logger.child({ network: chain.key, outboundId: row.id, purpose: row.purpose, txHash: row.txHash });
    try {
      const earlier = await replacedBy(row);
      /** the receipt of whichever transaction of the chain was mined, if any */
      const findMined = async (): Promise<{ row: OutboundRow; receipt: TransactionReceipt } | null> => {
        for (const r of [row, ...earlier]) {
          const receipt = r.txHash ? await receiptOrNull(client, r.txHash as Hex) : null;
          if (receipt) return { row: r, receipt };
        }
        return null;
      };
      let mined = await findMined();
      if (!mined) {
        const pending = await isPending(client, row.txHash as Hex);
        if (pending) await markBroadcast(row.id);
        const sent = pending ? "sent" : await broadcast(chain, row);
        if (sent === "nonce_too_low") {
          // either one of ours was mined meanwhile, or another transaction took the nonce
          mined = await findMined();
          if (!mined) {
            const settledAt = head >= depth ? head - depth + 1n : 0n;
            const settledNonce = await client.getTransactionCount({ address: toEvmAddress(row.fromAddress), blockNumber: settledAt });
            if (BigInt(settledNonce) > (row.nonce ?? 0n)) {
              await settle(row.id, { status: "failed", error: `${DROPPED}: nonce ${row.nonce} was used by another transaction` });
              log.error({ nonce: row.nonce?.toString() }, "transaction dropped: its nonce was used by another transaction");
            }
            continue;
          }
        } else {
          if (opts.mnemonic && row.nonce !== null && waitedTooLong(chain, row, head) && (await nextMined(row.fromAddress)) === row.nonce) {
            const account = await signerOf(chain, opts.mnemonic, row.fromAddress);
            if (account) await replaceTransaction(chain, row, account, head);
            else log.error({ nonce: row.nonce.toString() }, "stuck transaction: no key of this instance signs for its sender");
          }
          continue;
        }
      }
      const { receipt } = mined;
      if (head - receipt.blockNumber + 1n < depth) {
        await markBroadcast(row.id);
        continue;
      }
      const feePaid = receipt.gasUsed * receipt.effectiveGasPrice;
      const set: Partial<typeof outboundTxs.$inferInsert> = receipt.status === "success"
        ? { status: "confirmed", feePaid, error: null }
        : { status: "failed", feePaid, error: `${REVERTED} on chain in block ${receipt.blockNumber}` };
      if (mined.row.id === row.id) await settle(row.id, set);
      else await settleMinedAncestor(row, mined.row, set);
      if (receipt.status === "success") log.info({ block: receipt.blockNumber.toString(), minedTx: mined.row.txHash }, "transaction confirmed");
      else log.warn({ block: receipt.blockNumber.toString(), minedTx: mined.row.txHash }, "transaction reverted");
    } catch (err) {
      log.warn({ err: errorMessage(err) }, "reconcile failed; will retry");
    }
  }
}
