// Solana's withdrawal engine (ChainFamily.sender.withdrawals): payouts from the hot wallet
// (m/44'/501'/0'/0') and sweeps of deposit addresses into it. The hot wallet is the fee payer of
// every transaction, so a deposit address never needs SOL of its own: a token sweep moves every
// token account the address owns of the mint into the hot wallet's associated token account
// (created in the same transaction when missing) and closes them, so their rent comes back to the
// hot wallet; a SOL sweep moves the address's whole balance. A payout to a wallet without a token
// account of the mint creates it (its rent is part of the payout's fee).
//
// Signing, recording before broadcast and reconciling are the family's (./sender): a withdrawal's
// row and its pending → processing move are committed together, so it is signed at most once; one
// whose blockhash expired without landing fails and its amount is released (nothing was sent).
import {
  ACCOUNT_SIZE, AccountLayout, createAssociatedTokenAccountIdempotentInstruction, createCloseAccountInstruction,
  createTransferCheckedInstruction, TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { and, eq } from "drizzle-orm";
import { depositAddresses, receivers } from "@/db/schema";
import { db } from "@/lib/db/client";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { logger } from "@/lib/log/logger";
import { LeaseLostError } from "@/lib/worker/leases";
import { finishProcessing, passQueue } from "@/lib/withdrawals/engines/queue";
import type { WithdrawalEngine } from "@/lib/withdrawals/engines/types";
import type { WithdrawalRow } from "@/lib/withdrawals/serialize";
import { markFailed, markProcessing, notePending } from "@/lib/withdrawals/transitions";
import { solanaConnection } from "./connection";
import { solanaKeypairAt } from "./keys";
import { assetOf, ata, broadcast, errorText, inFlight, reconcileSolana, reserve, signAndRecord, tokenBalance, type Pass } from "./sender";

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
    owner: { merchantId: w.merchantId, withdrawalId: w.id, checkoutId: null }, purpose: "withdrawal", from: hotAddress, to: w.destination, mint: asset.mint, amount, instructions, cosigners: [],
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
    owner: { merchantId: w.merchantId, withdrawalId: w.id, checkoutId: null }, purpose: "sweep", from: w.fromAddress!, to: hot.toBase58(), mint: asset.mint, amount, instructions, cosigners: [key],
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
