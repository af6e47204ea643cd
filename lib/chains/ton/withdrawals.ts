// TON's withdrawal engine (ChainFamily.sender.withdrawals): TON payouts from the hot wallet (the
// wallet v4r2 at m/44'/607'/0'), with the request's comment (text) or binary_comment (hex in the
// flip-bit notation, `9fe7_`) as the message body. Jetton payouts and sweeps are not implemented
// yet: they fail at once with that reason (their amount is released).
//
// A wallet v4r2 takes one external message per seqno, so one payout is in flight at a time. As on
// the other chains the signed external message is committed with the withdrawal's pending →
// processing move (fenced by the network's lease; nonce = the seqno, unique per sender) before it
// is broadcast, so a withdrawal is signed at most once. Reconcile looks for the hot wallet's
// transaction carrying that message: found, the payout is final (a masterchain block is) —
// confirmed when it sent the amount to the destination, failed otherwise, with its fees either
// way; not found while the message is still valid, it is sent again (the same bytes: a wallet
// accepts a seqno once); not found once its valid_until passed and the seqno was not used, it can
// never land and fails with nothing spent.
import { Address, Cell, SendMode, beginCell, external, internal, loadMessage, storeMessage, type Transaction } from "@ton/core";
import { and, eq, inArray, sql } from "drizzle-orm";
import { outboundTxs } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { logger } from "@/lib/log/logger";
import { fenced, LeaseLostError } from "@/lib/worker/leases";
import { finishProcessing, passQueue } from "@/lib/withdrawals/engines/queue";
import type { WithdrawalEngine } from "@/lib/withdrawals/engines/types";
import type { WithdrawalRow } from "@/lib/withdrawals/serialize";
import { markFailed, markProcessing, notePending } from "@/lib/withdrawals/transitions";
import { parseTonAddress, tonFriendly } from "./address";
import { tonApi } from "./client";
import { tonKeyPairAt, tonWalletOf } from "./keys";

type OutboundRow = typeof outboundTxs.$inferSelect;

/** kept in the hot wallet beyond payouts: storage and the fees of the next messages */
const KEEP = 50_000_000n; // 0.05 TON
/** an upper bound of a payout's fees (compute + forward) */
const FEE_BOUND = 20_000_000n; // 0.02 TON
const VALID_SECONDS = 120;

const errorText = (err: unknown) => (err instanceof Error ? err.message.split("\n")[0] : String(err)).slice(0, 500);

/** seed 001's binary comment: hex digits, a trailing `_` meaning the bits end before the last 1 (flip bit). */
export function binaryCommentCell(hex: string): Cell {
  const b = beginCell();
  const padded = hex.endsWith("_");
  const digits = padded ? hex.slice(0, -1) : hex;
  let bits = digits.split("").flatMap((d) => parseInt(d, 16).toString(2).padStart(4, "0").split("").map((c) => c === "1"));
  if (padded) {
    const last = bits.lastIndexOf(true);
    bits = last < 0 ? [] : bits.slice(0, last);
  }
  for (const bit of bits) b.storeBit(bit);
  return b.endCell();
}

function bodyOf(w: WithdrawalRow): Cell | undefined {
  if (w.comment) return beginCell().storeUint(0, 32).storeStringTail(w.comment).endCell();
  if (w.binaryComment) return binaryCommentCell(w.binaryComment);
  return undefined;
}

/** valid_until of a wallet v4 external message: signature(512) subwallet(32) valid_until(32) seqno(32) */
function validUntilOf(signed: string): number {
  const s = loadMessage(Cell.fromBase64(signed).beginParse()).body.beginParse();
  s.skip(512 + 32);
  return s.loadUint(32);
}

function hotOf(chain: ChainConfig, mnemonic: string) {
  const key = tonKeyPairAt(mnemonic, HOT_WALLET_INDEX);
  const wallet = tonWalletOf(key.publicKey);
  return { key, wallet, address: tonFriendly(wallet.address, { testOnly: !chain.livemode }) };
}

async function setOutbound(id: string, from: OutboundRow["status"], set: Partial<typeof outboundTxs.$inferInsert>): Promise<void> {
  await db().update(outboundTxs).set({ ...set, updatedAt: sql`now()` }).where(and(eq(outboundTxs.id, id), eq(outboundTxs.status, from)));
}

async function broadcast(chain: ChainConfig, row: OutboundRow): Promise<void> {
  try {
    await tonApi(chain).client.sendFile(Buffer.from(row.signedTx!, "base64"));
    if (row.status === "signed") await setOutbound(row.id, "signed", { status: "broadcast", error: null });
  } catch (err) {
    // refused now (e.g. already applied, or the wallet state moved): reconcile decides from the chain
    await db().update(outboundTxs).set({ error: `broadcast: ${errorText(err)}`, updatedAt: sql`now()` })
      .where(and(eq(outboundTxs.id, row.id), eq(outboundTxs.status, row.status)));
  }
}

/** The hot wallet's transaction that ran the external message with this body (signed, so unique; newest 100 looked at). */
async function findRun(chain: ChainConfig, wallet: Address, bodyHash: string): Promise<Transaction | null> {
  const txs = await tonApi(chain).client.getTransactions(wallet, { limit: 100, archival: true });
  return txs.find((t) => t.inMessage?.info.type === "external-in" && t.inMessage.body.hash().toString("hex") === bodyHash) ?? null;
}

async function seqnoOf(chain: ChainConfig, wallet: Address): Promise<number> {
  const { client } = tonApi(chain);
  const state = await client.getContractState(wallet);
  if (state.state !== "active") return 0;
  return (await client.runMethod(wallet, "seqno")).stack.readNumber();
}

export async function reconcileTon(chain: ChainConfig, mnemonic: string): Promise<void> {
  const hot = hotOf(chain, mnemonic);
  const rows = await db().select().from(outboundTxs)
    .where(and(eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), inArray(outboundTxs.status, ["signed", "broadcast"])));
  for (const row of rows) {
    const bodyHash = loadMessage(Cell.fromBase64(row.signedTx!).beginParse()).body.hash().toString("hex");
    const run = await findRun(chain, hot.wallet.address, bodyHash);
    if (run) {
      const d = run.description;
      const sent = [...run.outMessages.values()].some((m) => m.info.type === "internal" && m.info.value.coins === row.amount &&
        m.info.dest.equals(parseTonAddress(row.toAddress).address));
      const actionFees = d.type === "generic" ? (d.actionPhase?.totalFwdFees ?? 0n) : 0n;
      const feePaid = run.totalFees.coins + actionFees;
      const txHash = run.hash().toString("hex");
      await setOutbound(row.id, row.status, sent
        ? { status: "confirmed", error: null, feePaid, txHash }
        : { status: "failed", error: "the hot wallet ran the message but sent nothing (action phase failed)", feePaid, txHash });
      continue;
    }
    const seqno = await seqnoOf(chain, hot.wallet.address);
    const expired = Math.floor(Date.now() / 1000) > validUntilOf(row.signedTx!) + 30;
    if (seqno === Number(row.nonce) && expired) {
      // never ran and can no longer run: nothing left the wallet; the seqno is free again
      await setOutbound(row.id, row.status, { status: "failed", error: "expired: its valid_until passed and it never ran", feePaid: 0n, nonce: null });
    } else if (seqno === Number(row.nonce)) {
      await broadcast(chain, row);
    } else {
      logger.error({ network: chain.key, outboundId: row.id }, "ton: the hot wallet's seqno moved past a payout not found among its last 100 transactions; left for an operator");
    }
  }
}

async function payout(chain: ChainConfig, mnemonic: string, w: WithdrawalRow, broadcastNow: boolean): Promise<void> {
  if (w.currency !== nativeAssetCode(chain.network)) {
    return void await markFailed(w.id, "pending", `${w.currency} payouts on TON are not implemented yet`);
  }
  const hot = hotOf(chain, mnemonic);
  const { client } = tonApi(chain);
  const [inflight] = await db().select({ id: outboundTxs.id }).from(outboundTxs)
    .where(and(eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), eq(outboundTxs.fromAddress, hot.address),
      inArray(outboundTxs.status, ["signed", "broadcast"]))).limit(1);
  if (inflight) return notePending(db(), w.id, "waiting: the TON hot wallet sends one message at a time");
  const amount = w.amount!;
  const state = await client.getContractState(hot.wallet.address);
  const available = state.balance - KEEP - FEE_BOUND;
  if (available < amount) {
    return notePending(db(), w.id, `insufficient hot wallet balance: ${hot.address} has ${available < 0n ? 0n : available} nanotons available, the withdrawal needs ${amount} plus fees`);
  }
  const seqno = state.state === "active" ? (await client.runMethod(hot.wallet.address, "seqno")).stack.readNumber() : 0;
  const dest = parseTonAddress(w.destination);
  const body = w.binaryComment || w.comment ? bodyOf(w) : undefined;
  const transfer = hot.wallet.createTransfer({
    seqno, secretKey: hot.key.secretKey, sendMode: SendMode.PAY_GAS_SEPARATELY,
    timeout: Math.floor(Date.now() / 1000) + VALID_SECONDS,
    // to a wallet as it is written: a non-bounceable form is never bounced back (deposits to new wallets work)
    messages: [internal({ to: dest.address, value: amount, bounce: dest.bounceable ?? false, body })],
  });
  const ext = external({ to: hot.wallet.address, init: seqno === 0 && state.state !== "active" ? hot.wallet.init : undefined, body: transfer });
  const signed = beginCell().store(storeMessage(ext)).endCell();
  const row = await db().transaction(async (t) => {
    if (!(await fenced<typeof t>((tx) => markProcessing(tx, w.id, null))(t))) return null;
    const [r] = await t.insert(outboundTxs).values({
      merchantId: w.merchantId, livemode: chain.livemode, network: chain.network, chainId: null, purpose: "withdrawal", checkoutId: null,
      fromAddress: hot.address, toAddress: w.destination, tokenAddress: null, amount, nonce: BigInt(seqno),
      signedTx: signed.toBoc().toString("base64"), txHash: signed.hash().toString("hex"), status: "signed", withdrawalId: w.id,
      feeAsset: nativeAssetCode(chain.network), feePayer: hot.address,
    }).returning();
    return r;
  });
  if (row) logger.info({ network: chain.key, withdrawalId: String(w.id), seqno }, "ton withdrawal signed");
  if (row && broadcastNow) await broadcast(chain, row);
}

export const tonWithdrawals: WithdrawalEngine = {
  family: "ton",
  async pass(chain, opts) {
    await reconcileTon(chain, opts.mnemonic);
    await finishProcessing(chain);
    for (const w of await passQueue(chain)) {
      try {
        if (w.kind === "payout") await payout(chain, opts.mnemonic, w, opts.broadcast !== false);
        else await markFailed(w.id, "pending", "sweeps (service withdrawals) on TON are not implemented yet");
      } catch (err) {
        if (err instanceof LeaseLostError) throw err;
        logger.warn({ network: chain.key, withdrawalId: String(w.id), err: errorText(err) }, "withdrawal step failed; will retry");
      }
    }
  },
};
