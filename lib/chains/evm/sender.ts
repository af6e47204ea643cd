// Sending EVM transactions we are responsible for (forwarding, gas funding, refunds, later
// withdrawals), also on the anvil-backed Tron devnet (TRON_TEST_SENDER=jsonrpc; addresses stored
// in Tron's form there). The signed bytes and nonce are committed to outbound_txs BEFORE broadcast, so a
// crash between the two re-broadcasts the same transaction and never produces a second,
// different payment. reconcile() drives every recorded transaction to confirmed or failed.
import { and, eq, inArray, sql } from "drizzle-orm";
import {
  BaseError, encodeFunctionData, erc20Abi, ExecutionRevertedError, getAddress, keccak256,
  TransactionNotFoundError, TransactionReceiptNotFoundError,
  type Address, type Hex, type LocalAccount, type PublicClient, type TransactionReceipt,
} from "viem";
import { outboundTxs } from "@/db/schema";
import { storedAddress, toEvmAddress } from "@/lib/addresses";
import type { ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
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
      feeAsset: nativeAssetCode(chain.network),
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

const ALREADY_KNOWN = /already known|already imported|known transaction/i;
const NONCE_TOO_LOW = /nonce too low|nonce has already been used|invalid nonce/i;

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

/**
 * Drives every `signed`/`broadcast` transaction of the chain one step: broadcast what the chain
 * does not know, mark `confirmed` once the receipt is `confirmations` deep, `failed` when it
 * reverted or its nonce was taken by another transaction.
 */
export async function reconcile(chain: ChainConfig): Promise<void> {
  const rows = await db().select().from(outboundTxs).where(and(
    eq(outboundTxs.network, chain.network),
    eq(outboundTxs.livemode, chain.livemode),
    inArray(outboundTxs.status, ["signed", "broadcast"]),
  )).orderBy(outboundTxs.fromAddress, outboundTxs.nonce);
  if (rows.length === 0) return;
  const client = evmClient(chain);
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const depth = BigInt(Math.max(1, chain.confirmations));
  for (const row of rows) {
    const log = logger.child({ network: chain.key, outboundId: row.id, purpose: row.purpose, txHash: row.txHash });
    try {
      const hash = row.txHash as Hex;
      let receipt = await receiptOrNull(client, hash);
      if (!receipt && !(await isPending(client, hash))) {
        const sent = await broadcast(chain, row);
        if (sent === "nonce_too_low") {
          // either ours was mined meanwhile, or another transaction took the nonce
          receipt = await receiptOrNull(client, hash);
          if (!receipt) {
            const settledAt = head >= depth ? head - depth + 1n : 0n;
            const settledNonce = await client.getTransactionCount({ address: toEvmAddress(row.fromAddress), blockNumber: settledAt });
            if (BigInt(settledNonce) > (row.nonce ?? 0n)) {
              await settle(row.id, { status: "failed", error: `${DROPPED}: nonce ${row.nonce} was used by another transaction` });
              log.error({ nonce: row.nonce?.toString() }, "transaction dropped: its nonce was used by another transaction");
            }
            continue;
          }
        } else continue;
      }
      if (!receipt) {
        await markBroadcast(row.id);
        continue;
      }
      if (head - receipt.blockNumber + 1n < depth) {
        await markBroadcast(row.id);
        continue;
      }
      const feePaid = receipt.gasUsed * receipt.effectiveGasPrice;
      if (receipt.status === "success") {
        await settle(row.id, { status: "confirmed", feePaid, error: null });
        log.info({ block: receipt.blockNumber.toString() }, "transaction confirmed");
      } else {
        await settle(row.id, { status: "failed", feePaid, error: `${REVERTED} on chain in block ${receipt.blockNumber}` });
        log.warn({ block: receipt.blockNumber.toString() }, "transaction reverted");
      }
    } catch (err) {
      log.warn({ err: errorMessage(err) }, "reconcile failed; will retry");
    }
  }
}
