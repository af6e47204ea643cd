// Solana's withdrawal engine (ChainFamily.sender.withdrawals): payouts from the hot wallet
// (m/44'/501'/0'/0') and sweeps of deposit addresses into it. The hot wallet is the fee payer of
// every transaction, so a deposit address never needs SOL of its own: a token sweep moves every
// token account the address owns of the mint into the hot wallet's associated token account
// (created in the same transaction when missing) and closes them, so their rent comes back to the
// hot wallet; a SOL sweep moves the address's whole balance. A payout to a wallet without a token
// account of the mint creates it (its rent is part of the payout's fee).
//
// Like the account rails: the signed transaction and its signature are committed in one insert
// with the withdrawal's pending → processing move (fenced by the network's lease) before it is
// broadcast, so a withdrawal is signed at most once; reconcile re-sends the same bytes until they
// land or their blockhash expires (then they can never land: the withdrawal fails and its amount is
// released, nothing was sent). A transaction is final once `finalized`; its fee (lamports the fee
// payer spent beyond the amount) goes to the ledger with it.
import {
  ACCOUNT_SIZE, AccountLayout, createAssociatedTokenAccountIdempotentInstruction, createCloseAccountInstruction,
  createTransferCheckedInstruction, getAssociatedTokenAddressSync, TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { PublicKey, SystemProgram, Transaction, type Connection, type Keypair, type TransactionInstruction } from "@solana/web3.js";
import bs58 from "bs58";
import { and, eq, inArray, sql } from "drizzle-orm";
import { depositAddresses, outboundTxs, receivers } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { logger } from "@/lib/log/logger";
import { fenced, LeaseLostError } from "@/lib/worker/leases";
import { finishProcessing, passQueue } from "@/lib/withdrawals/engines/queue";
import type { EngineOptions, WithdrawalEngine } from "@/lib/withdrawals/engines/types";
import type { WithdrawalRow } from "@/lib/withdrawals/serialize";
import { markFailed, markProcessing, notePending } from "@/lib/withdrawals/transitions";
import { solanaAssets, type SolanaAsset } from "./assets";
import { solanaConnection } from "./connection";
import { solanaKeypairAt } from "./keys";

type OutboundRow = typeof outboundTxs.$inferSelect;
type Pass = { chain: ChainConfig; conn: Connection; hot: Keypair; opts: EngineOptions };

const errorText = (err: unknown) => (err instanceof Error ? err.message.split("\n")[0] : String(err)).slice(0, 500);
const ALREADY_PROCESSED = /already been processed|AlreadyProcessed/i;
const BLOCKHASH_GONE = /blockhash not found|BlockhashNotFound/i;

function assetOf(chain: ChainConfig, code: string): SolanaAsset | null {
  return solanaAssets(chain).find((a) => a.code === code) ?? null;
}

const ata = (mint: PublicKey, owner: PublicKey) => getAssociatedTokenAddressSync(mint, owner, true);

async function tokenBalance(conn: Connection, account: PublicKey): Promise<bigint | null> {
  const info = await conn.getAccountInfo(account, "confirmed");
  if (!info || info.data.length !== ACCOUNT_SIZE) return null;
  return AccountLayout.decode(info.data).amount;
}

/** Lamports and token units the hot wallet has signed away in transactions that are not final yet. */
async function inFlight(chain: ChainConfig, hot: string, mint: string | null): Promise<{ lamports: bigint; units: bigint }> {
  const { rows } = await db().execute<{ lamports: string; units: string }>(sql`
    select coalesce(sum(case when token_address is null and from_address = ${hot} then amount else 0 end), 0)::text as lamports,
           coalesce(sum(case when token_address is not distinct from ${mint} and from_address = ${hot} then amount else 0 end), 0)::text as units
    from outbound_txs where network = ${chain.network} and livemode = ${chain.livemode} and status in ('signed', 'broadcast')`);
  return { lamports: BigInt(rows[0].lamports), units: mint ? BigInt(rows[0].units) : 0n };
}

/** What the hot wallet must keep: a system account is rent-exempt or empty. */
async function reserve(conn: Connection): Promise<bigint> {
  return BigInt(await conn.getMinimumBalanceForRentExemption(0));
}

type SignRequest = {
  w: WithdrawalRow;
  purpose: "withdrawal" | "sweep";
  from: string;
  to: string;
  mint: string | null;
  amount: bigint;
  instructions: TransactionInstruction[];
  /** signers besides the hot wallet (the deposit address of a sweep) */
  cosigners: Keypair[];
  guard: (tx: Tx) => Promise<boolean>;
};

/** Signs with the hot wallet as fee payer and commits the row with the guard's transition, before any broadcast. */
async function signAndRecord(p: Pass, req: SignRequest): Promise<OutboundRow | null> {
  const { context, value } = await p.conn.getLatestBlockhashAndContext("confirmed");
  const tx = new Transaction({ feePayer: p.hot.publicKey, blockhash: value.blockhash, lastValidBlockHeight: value.lastValidBlockHeight })
    .add(...req.instructions);
  tx.sign(p.hot, ...req.cosigners);
  const signature = bs58.encode(tx.signature!);
  return db().transaction(async (t) => {
    if (!(await fenced(req.guard)(t))) return null;
    const [row] = await t.insert(outboundTxs).values({
      merchantId: req.w.merchantId, livemode: p.chain.livemode, network: p.chain.network, chainId: null,
      purpose: req.purpose, checkoutId: null, fromAddress: req.from, toAddress: req.to, tokenAddress: req.mint, amount: req.amount,
      nonce: null, signedTx: tx.serialize().toString("base64"), txHash: signature, status: "signed", withdrawalId: req.w.id,
      feeAsset: nativeAssetCode(p.chain.network), feePayer: p.hot.publicKey.toBase58(), signedAtBlock: BigInt(context.slot),
    }).returning();
    return row;
  });
}

async function setOutbound(id: string, from: OutboundRow["status"], set: Partial<typeof outboundTxs.$inferInsert>): Promise<void> {
  await db().update(outboundTxs).set({ ...set, updatedAt: sql`now()` }).where(and(eq(outboundTxs.id, id), eq(outboundTxs.status, from)));
}

/** Sends the stored bytes (idempotent: the same signature lands once). Bytes that can never land are failed with the reason. */
async function broadcast(chain: ChainConfig, conn: Connection, row: OutboundRow): Promise<void> {
  const log = logger.child({ network: chain.key, outboundId: row.id, purpose: row.purpose, txHash: row.txHash });
  try {
    await conn.sendRawTransaction(Buffer.from(row.signedTx!, "base64"), { skipPreflight: false, preflightCommitment: "confirmed", maxRetries: 0 });
  } catch (err) {
    const msg = errorText(err);
    if (!ALREADY_PROCESSED.test(msg)) {
      const { value: [status] } = await conn.getSignatureStatuses([row.txHash!], { searchTransactionHistory: true });
      if (!status && (BLOCKHASH_GONE.test(msg) || /simulation failed/i.test(msg))) {
        // refused by the node: these bytes will never land (nothing left the wallet, no fee was paid)
        log.warn({ err: msg }, "transaction refused; its withdrawal fails");
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
  if (row.purpose === "sweep") return BigInt(tx.meta.fee); // rent of the hot wallet's own token account stays the hot wallet's; closed accounts' rent comes back
  const spent = BigInt(tx.meta.preBalances[0]) - BigInt(tx.meta.postBalances[0]);
  return spent - (row.tokenAddress === null ? row.amount : 0n);
}

async function payout(p: Pass, w: WithdrawalRow): Promise<void> {
  const { chain, conn } = p;
  const asset = assetOf(chain, w.currency);
  if (!asset) return void await markFailed(w.id, "pending", `${w.currency} is not configured on ${chain.network}`);
  const hot = p.hot.publicKey;
  const hotAddress = hot.toBase58();
  const dest = new PublicKey(w.destination);
  const amount = w.amount!;
  const [lamports, busy, keep] = await Promise.all([conn.getBalance(hot, "confirmed"), inFlight(chain, hotAddress, asset.mint), reserve(conn)]);
  const fee = 5000n; // one signature
  const instructions: TransactionInstruction[] = [];
  let need: bigint;
  if (asset.mint === null) {
    const destInfo = await conn.getAccountInfo(dest, "confirmed");
    if (!destInfo && amount < keep) {
      return void await markFailed(w.id, "pending", `${amount} lamports to an empty account is below its rent-exempt minimum of ${keep}: the network would refuse it`);
    }
    instructions.push(SystemProgram.transfer({ fromPubkey: hot, toPubkey: dest, lamports: amount }));
    need = amount + fee;
  } else {
    const mint = new PublicKey(asset.mint);
    const from = ata(mint, hot);
    const to = ata(mint, dest);
    const have = (await tokenBalance(conn, from)) ?? 0n;
    if (have - busy.units < amount) {
      return notePending(db(), w.id, `insufficient hot wallet balance: ${hotAddress} has ${have - busy.units} base units of ${asset.code} available, the withdrawal needs ${amount}`);
    }
    const toExists = (await conn.getAccountInfo(to, "confirmed")) !== null;
    const rent = toExists ? 0n : BigInt(await conn.getMinimumBalanceForRentExemption(ACCOUNT_SIZE));
    if (!toExists) instructions.push(createAssociatedTokenAccountIdempotentInstruction(hot, to, dest, mint));
    instructions.push(createTransferCheckedInstruction(from, mint, to, hot, amount, asset.decimals));
    need = fee + rent;
  }
  const available = BigInt(lamports) - busy.lamports - keep;
  if (available < need) {
    return notePending(db(), w.id, `insufficient hot wallet balance: ${hotAddress} has ${available < 0n ? 0n : available} lamports available, ` +
      `the withdrawal needs ${need}${asset.mint ? " for fees and the destination's token account" : " including fees"}`);
  }
  const row = await signAndRecord(p, {
    w, purpose: "withdrawal", from: hotAddress, to: w.destination, mint: asset.mint, amount, instructions, cosigners: [],
    guard: (tx) => markProcessing(tx, w.id, null),
  });
  if (row) logger.info({ network: chain.key, withdrawalId: String(w.id), txHash: row.txHash }, "withdrawal signed");
  if (row && p.opts.broadcast !== false) await broadcast(chain, conn, row);
}

async function sweep(p: Pass, w: WithdrawalRow): Promise<void> {
  const { chain, conn } = p;
  const asset = assetOf(chain, w.currency);
  if (!asset) return void await markFailed(w.id, "pending", `${w.currency} is not configured on ${chain.network}`);
  const [source] = await db().select({ index: receivers.derivationIndex }).from(depositAddresses)
    .innerJoin(receivers, eq(receivers.id, depositAddresses.receiverId))
    .where(and(eq(depositAddresses.merchantId, w.merchantId), eq(depositAddresses.address, w.fromAddress!), eq(receivers.family, "solana")));
  if (!source) return void await markFailed(w.id, "pending", `${w.fromAddress} is not a ${chain.network} deposit address of this merchant`);
  const key = solanaKeypairAt(p.opts.mnemonic, source.index);
  if (key.publicKey.toBase58() !== w.fromAddress) return void await markFailed(w.id, "pending", `${w.fromAddress} does not derive from this instance's mnemonic`);
  const hot = p.hot.publicKey;
  const [lamports, busy, keep] = await Promise.all([conn.getBalance(hot, "confirmed"), inFlight(chain, hot.toBase58(), null), reserve(conn)]);
  const instructions: TransactionInstruction[] = [];
  let amount: bigint;
  let need = 10_000n; // two signatures: the hot wallet's and the address's
  if (asset.mint === null) {
    amount = BigInt(await conn.getBalance(key.publicKey, "confirmed"));
    if (amount === 0n) return void await markFailed(w.id, "pending", `${w.fromAddress} holds no ${asset.code}`);
    instructions.push(SystemProgram.transfer({ fromPubkey: key.publicKey, toPubkey: hot, lamports: amount }));
  } else {
    const mint = new PublicKey(asset.mint);
    const { value } = await conn.getTokenAccountsByOwner(key.publicKey, { mint }, "confirmed");
    const accounts = value.filter((a) => a.account.owner.equals(TOKEN_PROGRAM_ID) && a.account.data.length === ACCOUNT_SIZE)
      .map((a) => ({ pubkey: a.pubkey, amount: AccountLayout.decode(a.account.data).amount }));
    amount = accounts.reduce((s, a) => s + a.amount, 0n);
    if (amount === 0n) return void await markFailed(w.id, "pending", `${w.fromAddress} holds no ${asset.code}`);
    const to = ata(mint, hot);
    if ((await conn.getAccountInfo(to, "confirmed")) === null) {
      need += BigInt(await conn.getMinimumBalanceForRentExemption(ACCOUNT_SIZE));
      instructions.push(createAssociatedTokenAccountIdempotentInstruction(hot, to, hot, mint));
    }
    for (const a of accounts) {
      if (a.amount > 0n) instructions.push(createTransferCheckedInstruction(a.pubkey, mint, to, key.publicKey, a.amount, asset.decimals));
      // emptied and closed: its rent goes to the hot wallet, which pays the fees
      instructions.push(createCloseAccountInstruction(a.pubkey, hot, key.publicKey));
    }
  }
  if (BigInt(lamports) - busy.lamports - keep < need) {
    return notePending(db(), w.id, `insufficient hot wallet balance to pay the sweep's fees (${hot.toBase58()})`);
  }
  const row = await signAndRecord(p, {
    w, purpose: "sweep", from: w.fromAddress!, to: hot.toBase58(), mint: asset.mint, amount, instructions, cosigners: [key],
    guard: (tx) => markProcessing(tx, w.id, null),
  });
  if (row && p.opts.broadcast !== false) await broadcast(chain, conn, row);
}

export const solanaWithdrawals: WithdrawalEngine = {
  family: "solana",
  async pass(chain, opts) {
    const conn = solanaConnection(chain);
    await reconcileSolana(chain, conn);
    await finishProcessing(chain);
    const p: Pass = { chain, conn, hot: solanaKeypairAt(opts.mnemonic, HOT_WALLET_INDEX), opts };
    for (const w of await passQueue(chain)) {
      try {
        if (w.kind === "payout") await payout(p, w);
        else await sweep(p, w);
      } catch (err) {
        if (err instanceof LeaseLostError) throw err; // another worker pays this network now
        logger.warn({ network: chain.key, withdrawalId: String(w.id), err: errorText(err) }, "withdrawal step failed; will retry");
      }
    }
    // what this pass signed and sent may already be final on a fast chain: settled next pass
  },
};
