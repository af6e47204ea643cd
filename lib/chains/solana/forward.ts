// Forwarding Solana's custodial checkouts (ChainFamily.custodialCheckouts). A seed-004 payment on
// Solana is paid with a plain transfer to a receiver of its own, taken from the key pool
// (m/44'/501'/i'/0') and credited by the deposit scanner. Once the decider says the payment is
// ready (lib/forwarding/ready), each asset the receiver holds for it moves to the merchant in one
// transaction whose fee the hot wallet pays: a token's accounts are emptied into the destination's
// associated token account (created on the way) and closed, so their rent comes back to the hot
// wallet; SOL moves whole. The forward's row is committed before the broadcast, under the
// checkout's row lock (a merchant's block comes first and is seen, or waits and sees the signed
// forward); reconcile (./sender) finalizes it, then the groups are recorded delivered and the
// decider settles the checkout. A forward that failed is never signed again by itself: the note
// says why, and the merchant's retry (POST …/retry) lets the next pass try once more.
import {
  ACCOUNT_SIZE, AccountLayout, createAssociatedTokenAccountIdempotentInstruction, createCloseAccountInstruction,
  createTransferCheckedInstruction, TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { PublicKey, SystemProgram, type Keypair, type TransactionInstruction } from "@solana/web3.js";
import { and, eq } from "drizzle-orm";
import { checkouts, receivers } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { noteBlocked, type BlockedStep } from "@/lib/forwarding/blocked";
import { readyCheckouts, type ReadyCheckout } from "@/lib/forwarding/ready";
import { destinationFor, finishGroups, forwardRows, stillNext } from "@/lib/forwarding/custodial";
import { isDone, tokenState } from "@/lib/forwarding/token-state";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { logger } from "@/lib/log/logger";
import { LeaseLostError } from "@/lib/worker/leases";
import { solanaAssets } from "./assets";
import { solanaConnection } from "./connection";
import { solanaKeypairAt } from "./keys";
import { ata, broadcast, errorText, inFlight, reconcileSolana, reserve, signAndRecord, type OutboundRow, type Pass } from "./sender";

type Group = ReadyCheckout["pending"][number];
type Receiver = typeof receivers.$inferSelect;
/** one receiver's forwarding of one checkout: who signs, what it holds, where notes go */
type Step = { p: Pass; ready: ReadyCheckout; group: Group; receiver: Receiver; key: Keypair };

/** One pass: reconcile what was sent, then the next step of every ready custodial checkout on the chain. */
export async function forwardCustodialCheckouts(chain: ChainConfig, opts: { mnemonic: string; broadcast?: boolean }): Promise<void> {
  const conn = solanaConnection(chain);
  await reconcileSolana(chain, conn);
  const p: Pass = { chain, conn, hot: solanaKeypairAt(opts.mnemonic, HOT_WALLET_INDEX), opts };
  for (const ready of await readyCheckouts(chain)) {
    for (const group of ready.pending) {
      try {
        await advance(p, ready, group);
      } catch (err) {
        if (err instanceof LeaseLostError) throw err; // another worker forwards this network now
        logger.warn({ network: chain.key, sessionId: ready.checkout.id, err: errorText(err) }, "forwarding step failed; will retry");
      }
    }
  }
}

const blocked = (s: Step, mint: string | null, to: string | null, amount: bigint): BlockedStep => ({
  chain: s.p.chain, merchantId: s.ready.checkout.merchantId, checkoutId: s.ready.checkout.id, purpose: "forward",
  from: s.receiver.address, to, token: mint, amount,
});

async function advance(p: Pass, ready: ReadyCheckout, group: Group): Promise<void> {
  const [receiver] = await db().select().from(receivers).where(eq(receivers.id, group.receiverId));
  const key = solanaKeypairAt(p.opts.mnemonic, receiver.derivationIndex);
  const s: Step = { p, ready, group, receiver, key };
  if (key.publicKey.toBase58() !== receiver.address) {
    return noteBlocked(blocked(s, null, null, 0n), `receiver ${receiver.address} does not derive from this instance's mnemonic at index ${receiver.derivationIndex}`);
  }
  const mints = [...new Set(group.deposits.map((d) => d.tokenAddress))];
  const rows = await forwardRows(db(), s);
  const states = mints.map((mint) => ({ mint, state: tokenState(rows.filter((r) => r.tokenAddress === mint)) }));
  for (const { mint, state } of states) {
    if (state.kind !== "forward" && state.kind !== "refund" && state.kind !== "blocked") continue;
    // a failed forward is not signed again until the merchant retries (POST …/retry)
    const failed = rows.find((r) => r.tokenAddress === mint && r.status === "failed");
    if (failed) await noteBlocked(blocked(s, mint, failed.toAddress, failed.amount), `forward ${failed.txHash ?? ""} failed (${failed.error ?? "unknown"}); retry once the cause is fixed`);
    else if (state.kind === "forward") await forwardAsset(s, mint);
    else await noteBlocked(blocked(s, mint, null, 0n), state.kind === "blocked" ? state.reason : "the forward failed; needs manual handling");
  }
  if (states.every((x) => isDone(x.state))) await finishGroups(s, states.map(({ mint, state }) => ({ token: mint, state })));
}

async function forwardAsset(s: Step, mint: string | null): Promise<void> {
  const { p, key } = s;
  const { chain, conn } = p;
  const to = await destinationFor(s, mint);
  if (!to) return noteBlocked(blocked(s, mint, null, 0n), `no settlement address for ${chain.network} (${chain.livemode ? "live" : "test"} mode): add one in Settings; funds stay on the receiver until then`);
  const hot = p.hot.publicKey;
  const dest = new PublicKey(to);
  const instructions: TransactionInstruction[] = [];
  let amount: bigint;
  let need = 10_000n; // two signatures: the hot wallet's and the receiver's
  // what the receiver holds at `finalized`: the deposits counted were confirmed there
  if (mint === null) {
    amount = BigInt(await conn.getBalance(key.publicKey, "finalized"));
    const keep = await reserve(conn);
    if (amount > 0n && amount < keep && (await conn.getAccountInfo(dest, "confirmed")) === null) {
      return noteBlocked(blocked(s, mint, to, amount), `${amount} lamports to the empty account ${to} is below its rent-exempt minimum of ${keep}: the network would refuse it`);
    }
    instructions.push(SystemProgram.transfer({ fromPubkey: key.publicKey, toPubkey: dest, lamports: amount }));
  } else {
    const decimals = solanaAssets(chain).find((a) => a.mint === mint)?.decimals;
    if (decimals === undefined) return noteBlocked(blocked(s, mint, to, 0n), `${mint} is not an asset configured on ${chain.network}`);
    const m = new PublicKey(mint);
    const { value } = await conn.getTokenAccountsByOwner(key.publicKey, { mint: m }, "finalized");
    const accounts = value.filter((a) => a.account.owner.equals(TOKEN_PROGRAM_ID) && a.account.data.length === ACCOUNT_SIZE)
      .map((a) => ({ pubkey: a.pubkey, amount: AccountLayout.decode(a.account.data).amount }));
    amount = accounts.reduce((sum, a) => sum + a.amount, 0n);
    const toAccount = ata(m, dest);
    if ((await conn.getAccountInfo(toAccount, "confirmed")) === null) {
      need += BigInt(await conn.getMinimumBalanceForRentExemption(ACCOUNT_SIZE));
      instructions.push(createAssociatedTokenAccountIdempotentInstruction(hot, toAccount, dest, m));
    }
    for (const a of accounts) {
      if (a.amount > 0n) instructions.push(createTransferCheckedInstruction(a.pubkey, m, toAccount, key.publicKey, a.amount, decimals));
      // emptied and closed: its rent goes to the hot wallet, which paid the fees
      instructions.push(createCloseAccountInstruction(a.pubkey, hot, key.publicKey));
    }
  }
  if (amount === 0n) return noteBlocked(blocked(s, mint, to, 0n), `${s.receiver.address} holds none of it at finalized yet`);
  const [lamports, busy, keep] = await Promise.all([conn.getBalance(hot, "confirmed"), inFlight(chain, hot.toBase58(), null), reserve(conn)]);
  if (BigInt(lamports) - busy.lamports - keep < need) {
    return noteBlocked(blocked(s, mint, to, amount), `insufficient hot wallet balance to pay the forward's fees: ${hot.toBase58()} needs ${need} lamports available`);
  }
  const row = await signAndRecord(p, {
    owner: { merchantId: s.ready.checkout.merchantId, withdrawalId: null, checkoutId: s.ready.checkout.id },
    purpose: "forward", from: s.receiver.address, to, mint, amount, instructions, cosigners: [key],
    guard: (tx) => stillNext(tx, s, mint, ["forward"]),
  });
  if (!row) return;
  logger.info({ network: chain.key, sessionId: s.ready.checkout.id, txHash: row.txHash, to, mint, amount: amount.toString() }, "forward signed");
  if (p.opts.broadcast !== false) await broadcast(chain, conn, row);
}

