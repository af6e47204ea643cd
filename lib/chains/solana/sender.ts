// Solana's signing and sending, shared by the withdrawal engine (./withdrawals) and the forwarding
// of payments paid to receivers of ours (./forward): the hot wallet (m/44'/501'/0'/0') is the fee
// payer of every transaction; the signed bytes and signature are committed with the step's own
// transition (fenced by the network's lease) before any broadcast, so nothing is signed twice;
// reconcile re-sends the same bytes until they land or their blockhash expires, and a transaction
// is final once `finalized`, with the fee the fee payer spent.
import { ACCOUNT_SIZE, AccountLayout, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey, Transaction, type Connection, type Keypair, type TransactionInstruction } from "@solana/web3.js";
import bs58 from "bs58";
import { and, eq, inArray, sql } from "drizzle-orm";
import { outboundTxs } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { fenced } from "@/lib/worker/leases";
import { solanaAssets, type SolanaAsset } from "./assets";
import { solanaConnection } from "./connection";

export type OutboundRow = typeof outboundTxs.$inferSelect;
/** What a pass signs with: the network, its connection, the hot wallet (every transaction's fee payer) and whether to broadcast. */
export type Pass = { chain: ChainConfig; conn: Connection; hot: Keypair; opts: { mnemonic: string; broadcast?: boolean } };

export const errorText = (err: unknown) => (err instanceof Error ? err.message.split("\n")[0] : String(err)).slice(0, 500);
const ALREADY_PROCESSED = /already been processed|AlreadyProcessed/i;
const BLOCKHASH_GONE = /blockhash not found|BlockhashNotFound/i;

export function assetOf(chain: ChainConfig, code: string): SolanaAsset | null {
  return solanaAssets(chain).find((a) => a.code === code) ?? null;
}

export const ata = (mint: PublicKey, owner: PublicKey) => getAssociatedTokenAddressSync(mint, owner, true);

export async function tokenBalance(conn: Connection, account: PublicKey): Promise<bigint | null> {
  const info = await conn.getAccountInfo(account, "confirmed");
  if (!info || info.data.length !== ACCOUNT_SIZE) return null;
  return AccountLayout.decode(info.data).amount;
}

/** Lamports and token units the hot wallet has signed away in transactions that are not final yet. */
export async function inFlight(chain: ChainConfig, hot: string, mint: string | null): Promise<{ lamports: bigint; units: bigint }> {
  const { rows } = await db().execute<{ lamports: string; units: string }>(sql`
    select coalesce(sum(case when token_address is null and from_address = ${hot} then amount else 0 end), 0)::text as lamports,
           coalesce(sum(case when token_address is not distinct from ${mint} and from_address = ${hot} then amount else 0 end), 0)::text as units
    from outbound_txs where network = ${chain.network} and livemode = ${chain.livemode} and status in ('signed', 'broadcast')`);
  return { lamports: BigInt(rows[0].lamports), units: mint ? BigInt(rows[0].units) : 0n };
}

/** What the hot wallet must keep: a system account is rent-exempt or empty. */
export async function reserve(conn: Connection): Promise<bigint> {
  return BigInt(await conn.getMinimumBalanceForRentExemption(0));
}

export type SignRequest = {
  /** whose transaction it is: the merchant, and the withdrawal or the checkout it moves money for */
  owner: { merchantId: string; withdrawalId: bigint | null; checkoutId: string | null };
  purpose: "withdrawal" | "sweep" | "forward";
  from: string;
  to: string;
  mint: string | null;
  amount: bigint;
  instructions: TransactionInstruction[];
  /** signers besides the hot wallet (the deposit address of a sweep, the receiver of a forward) */
  cosigners: Keypair[];
  guard: (tx: Tx) => Promise<boolean>;
};

/** Signs with the hot wallet as fee payer and commits the row with the guard's transition, before any broadcast. */
export async function signAndRecord(p: Pass, req: SignRequest): Promise<OutboundRow | null> {
  const { context, value } = await p.conn.getLatestBlockhashAndContext("confirmed");
  const tx = new Transaction({ feePayer: p.hot.publicKey, blockhash: value.blockhash, lastValidBlockHeight: value.lastValidBlockHeight })
    .add(...req.instructions);
  tx.sign(p.hot, ...req.cosigners);
  const signature = bs58.encode(tx.signature!);
  return db().transaction(async (t) => {
    if (!(await fenced(req.guard)(t))) return null;
    const [row] = await t.insert(outboundTxs).values({
      merchantId: req.owner.merchantId, livemode: p.chain.livemode, network: p.chain.network, chainId: null,
      purpose: req.purpose, checkoutId: req.owner.checkoutId, fromAddress: req.from, toAddress: req.to, tokenAddress: req.mint, amount: req.amount,
      nonce: null, signedTx: tx.serialize().toString("base64"), txHash: signature, status: "signed", withdrawalId: req.owner.withdrawalId,
      feeAsset: nativeAssetCode(p.chain.network), feePayer: p.hot.publicKey.toBase58(), signedAtBlock: BigInt(context.slot),
    }).returning();
    return row;
  });
}

async function setOutbound(id: string, from: OutboundRow["status"], set: Partial<typeof outboundTxs.$inferInsert>): Promise<void> {
  await db().update(outboundTxs).set({ ...set, updatedAt: sql`now()` }).where(and(eq(outboundTxs.id, id), eq(outboundTxs.status, from)));
}

/** Sends the stored bytes (idempotent: the same signature lands once). Bytes that can never land are failed with the reason. */
export async function broadcast(chain: ChainConfig, conn: Connection, row: OutboundRow): Promise<void> {
  const log = logger.child({ network: chain.key, outboundId: row.id, purpose: row.purpose, txHash: row.txHash });
  try {
    await conn.sendRawTransaction(Buffer.from(row.signedTx!, "base64"), { skipPreflight: false, preflightCommitment: "confirmed", maxRetries: 0 });
  } catch (err) {
    const msg = errorText(err);
    if (!ALREADY_PROCESSED.test(msg)) {
      const { value: [status] } = await conn.getSignatureStatuses([row.txHash!], { searchTransactionHistory: true });
      if (!status && (BLOCKHASH_GONE.test(msg) || /simulation failed/i.test(msg))) {
        // refused by the node: these bytes will never land (nothing left the wallet, no fee was paid)
        log.warn({ err: msg }, "transaction refused: it never lands");
        await setOutbound(row.id, row.status, { status: "failed", error: `broadcast: ${msg}`, feePaid: 0n });
        return;
      }
      log.warn({ err: msg }, "broadcast failed; will retry");
      await db().update(outboundTxs).set({ error: `broadcast: ${msg}`, updatedAt: sql`now()` }).where(and(eq(outboundTxs.id, row.id), eq(outboundTxs.status, row.status)));
      return;
    }
  }
  await setOutbound(row.id, "signed", { status: "broadcast", error: null });
  log.info("transaction broadcast");
}

/**
 * Our transactions in flight: final once finalized (confirmed, or failed when it landed with an
 * error; either way with the fee the fee payer spent), re-sent while their blockhash is valid,
 * failed once it expired without landing.
 */
export async function reconcileSolana(chain: ChainConfig, conn: Connection = solanaConnection(chain)): Promise<void> {
  const rows = await db().select().from(outboundTxs)
    .where(and(eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), inArray(outboundTxs.status, ["signed", "broadcast"])));
  for (let i = 0; i < rows.length; i += 256) {
    const page = rows.slice(i, i + 256);
    const { value } = await conn.getSignatureStatuses(page.map((r) => r.txHash!), { searchTransactionHistory: true });
    for (const [j, row] of page.entries()) {
      const status = value[j];
      if (status?.confirmationStatus === "finalized") {
        const feePaid = await feeOf(conn, row);
        await setOutbound(row.id, row.status, status.err
          ? { status: "failed", error: `transaction failed: ${JSON.stringify(status.err)}`, feePaid }
          : { status: "confirmed", error: null, feePaid });
      } else if (!status) {
        const blockhash = Transaction.from(Buffer.from(row.signedTx!, "base64")).recentBlockhash!;
        const { value: valid } = await conn.isBlockhashValid(blockhash, { commitment: "confirmed" });
        if (valid) await broadcast(chain, conn, row);
        else {
          // one last look: it may have landed after the statuses were read
          const { value: [late] } = await conn.getSignatureStatuses([row.txHash!], { searchTransactionHistory: true });
          if (!late) await setOutbound(row.id, row.status, { status: "failed", error: "expired: its blockhash is no longer valid and it never landed", feePaid: 0n });
        }
      } else if (row.status === "signed") {
        await setOutbound(row.id, "signed", { status: "broadcast", error: null });
      }
    }
  }
}

/** Lamports the fee payer spent on the transaction beyond the SOL it paid out (fees, rent of accounts it created). */
async function feeOf(conn: Connection, row: OutboundRow): Promise<bigint> {
  const tx = await conn.getTransaction(row.txHash!, { commitment: "finalized", maxSupportedTransactionVersion: 0 });
  if (!tx?.meta) return 0n;
  // sweeps and forwards close the accounts they empty: their rent comes back to the hot wallet, about
  // what a token account it creates on the way costs; the fee is the network's
  if (row.purpose === "sweep" || row.purpose === "forward") return BigInt(tx.meta.fee);
  const spent = BigInt(tx.meta.preBalances[0]) - BigInt(tx.meta.postBalances[0]);
  return spent - (row.tokenAddress === null ? row.amount : 0n);
}
