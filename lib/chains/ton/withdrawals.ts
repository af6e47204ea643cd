// TON's withdrawal engine (ChainFamily.sender.withdrawals); checkout forwards (./forward) and
// refunds (./refunds) sign and reconcile through the same functions. Two kinds of sender:
//   the hot wallet: a highload wallet v3 of the key at m/44'/607'/0' (./highload), which sends
//     payouts and gas fundings, receives sweeps and the excess of jetton transfers; its messages
//     are named by query ids (a counter per sender, outbound_txs.nonce), not seqnos;
//   deposit wallets and checkout receivers: wallet v4r2 at m/44'/607'/i' (one seqno at a time).
//
//   payouts from the hot wallet: TON with the request's comment (text) or binary_comment (hex in
//     the flip-bit notation, `9fe7_`) as the body; a jetton as a TEP-74 `transfer` to the hot
//     wallet's jetton wallet (query_id = the withdrawal's id) carrying FORWARD_TON so the
//     recipient gets a transfer_notification with the comment as forward payload, the excess back
//     to the hot wallet;
//   sweeps (seed 001 withdrawal/service/ton and /jetton) from a deposit wallet into the hot wallet,
//     with the sweep's memo as comment: TON with mode 128 (the whole balance, fees out of it); a
//     jetton as a transfer of the deposit's whole jetton balance, whose TON for gas the hot wallet
//     sends first when the deposit wallet holds too little (a gas_funding row of the same
//     withdrawal, confirmed before the sweep is signed). A wallet not yet deployed (uninit) — the
//     hot wallet included — is deployed by its first external message, which carries its state init.
//
// Payouts are batched: up to MAX_BATCH pending payouts (as many as the queue hands a pass) leave
// in ONE external message of the hot wallet, one outbound row per withdrawal sharing the signed
// bytes, the first carrying the query id counter as its nonce; the hot wallet has one batch in
// flight at a time (the next is computed from what it holds after this one). As on the other
// chains the signed external message is committed with every withdrawal's pending → processing
// move (fenced by the network's lease) before it is broadcast, so a withdrawal is signed at most
// once; a request is idempotent by its query_id before that (lib/withdrawals/request). A batch's
// rows each record their share of the fees of both hot wallet transactions (the external
// message's and its batch's; the counter's row takes the remainder). Reconcile looks for the
// sender's transaction carrying that message: found, TON is final (a masterchain block is) —
// confirmed when it sent the amount to the destination (a TON sweep records what it actually
// sent), failed otherwise, with its fees either way; a jetton transfer is final once the
// recipient's jetton wallet ran it: confirmed, or failed when the sender's jetton wallet refused
// it or the recipient's bounced it back (the jettons never arrived; the TON attached is counted
// as spent). Not found while the message is still valid, it is sent again (the same bytes: a
// wallet accepts a seqno, and the hot wallet a query id, once); not found once it can no longer
// run (v4r2: valid_until passed with the seqno unused; the hot wallet: created_at + timeout
// passed with the query id unused), it fails with nothing spent.
import { Address, Cell, SendMode, beginCell, external, internal, loadMessage, storeMessage, type MessageRelaxed, type Transaction } from "@ton/core";
import type { KeyPair } from "@ton/crypto";
import type { WalletContractV4 } from "@ton/ton";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { depositAddresses, outboundTxs, receivers, withdrawals } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { fenced, LeaseLostError } from "@/lib/worker/leases";
import { finishProcessing, passQueue } from "@/lib/withdrawals/engines/queue";
import type { WithdrawalEngine } from "@/lib/withdrawals/engines/types";
import type { WithdrawalRow } from "@/lib/withdrawals/serialize";
import { markFailed, markProcessing, notePending } from "@/lib/withdrawals/transitions";
import { parseTonAddress, tonFriendly, tonKey } from "./address";
import { jettonWalletOf, tonApi } from "./client";
import { CREATED_AT_MARGIN, HIGHLOAD_TIMEOUT, MAX_ACTIONS, QUERY_IDS, highloadBatch, highloadBody, highloadInnerOf, highloadWalletOf, isInternalTransfer, type HighloadWallet } from "./highload";
import { tonKeyPairAt, tonWalletOf } from "./keys";

export type OutboundRow = typeof outboundTxs.$inferSelect;

/** kept in the hot wallet beyond payouts: storage and the fees of the next messages */
export const KEEP = 50_000_000n; // 0.05 TON
/** an upper bound of a payout's fees (compute + forward) */
export const FEE_BOUND = 20_000_000n; // 0.02 TON
const VALID_SECONDS = 120;

export const errorText = (err: unknown) => (err instanceof Error ? err.message.split("\n")[0] : String(err)).slice(0, 500);

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

/** valid_until of a wallet v4 external message: signature(512) subwallet(32) valid_until(32) seqno(32) */
function validUntilOf(signed: string): number {
  const s = loadMessage(Cell.fromBase64(signed).beginParse()).body.beginParse();
  s.skip(512 + 32);
  return s.loadUint(32);
}

/** seqno of a wallet v4 external message (what a batch's rows share; only the first row stores it as its nonce) */
function seqnoOf(signed: string): number {
  const s = loadMessage(Cell.fromBase64(signed).beginParse()).body.beginParse();
  s.skip(512 + 32 + 32);
  return s.loadUint(32);
}

/** What cannot be sent in a TON message at all: refused by POST /v1/withdrawal/send before anything is queued (ChainFamily.sender.payoutProblem). */
export function tonPayoutProblem(req: { native: boolean; amount: bigint; binaryComment?: string }): { field: string; message: string } | null {
  // coins are VarUInteger 16: at most 2^120 - 1 (jetton amounts too)
  if (req.amount >= 1n << 120n) return { field: "amount", message: "amount is larger than a TON message can carry (at most 2^120 - 1 base units)." };
  if (req.binaryComment !== undefined) {
    try {
      binaryCommentCell(req.binaryComment);
    } catch {
      return { field: "binary_comment", message: "binary_comment does not fit in one cell: at most 1023 bits (255 hex digits, plus `_` with the flip bit)." };
    }
  }
  return null;
}

export type Sender = { key: KeyPair; wallet: WalletContractV4; address: string };
/** the hot wallet: the highload wallet of m/44'/607'/0' (./highload) */
export type HotSender = { key: KeyPair; wallet: HighloadWallet; address: string };

/** The wallet v4r2 at m/44'/607'/index' (a deposit address or a checkout's receiver) and its stored form (non-bounceable, test-only in test mode). */
export function senderAt(chain: ChainConfig, mnemonic: string, index: number | bigint): Sender {
  const key = tonKeyPairAt(mnemonic, index);
  const wallet = tonWalletOf(key.publicKey);
  return { key, wallet, address: tonFriendly(wallet.address, { testOnly: !chain.livemode }) };
}

/** The hot wallet (payouts, gas fundings; sweeps and the excess of jetton transfers go to it). */
export function hotSender(chain: ChainConfig, mnemonic: string): HotSender {
  const key = tonKeyPairAt(mnemonic, 0);
  const wallet = highloadWalletOf(key.publicKey);
  return { key, wallet, address: tonFriendly(wallet.address, { testOnly: !chain.livemode }) };
}

const OP_JETTON_TRANSFER = 0x0f8a7ea5;
/** TEP-74 internal_transfer: a jetton wallet to the recipient's jetton wallet */
const OP_INTERNAL_TRANSFER = 0x178d4519;
/** TON attached to a jetton transfer for the jetton wallets' gas (the excess comes back to the response address) */
export const JETTON_GAS = 50_000_000n; // 0.05 TON
/** forward TON of a jetton payout: the recipient's transfer_notification (with the comment) */
const FORWARD_TON = 10_000_000n; // 0.01 TON
/** what a deposit wallet needs for a jetton sweep: the attached gas, the forward, its own fees (and deployment) */
export const SWEEP_NEEDS = JETTON_GAS + 1n + 20_000_000n;
/** the comment of a sweep's gas funding: `gas: <the sweep's memo>` (the watcher does not count it as income) */
export const SWEEP_GAS_PREFIX = "gas: ";
/** sent by the hot wallet to a deposit wallet that holds less than SWEEP_NEEDS */
export const SWEEP_FUNDING = SWEEP_NEEDS + 10_000_000n;

/** TEP-74 transfer: `amount` units to `to`'s jetton wallet, the excess TON to `responseTo`, `forward` TON with `payload` to `to`. */
export function jettonTransferBody(queryId: bigint, amount: bigint, to: Address, responseTo: Address, forward: bigint, payload: Cell | undefined): Cell {
  return beginCell()
    .storeUint(OP_JETTON_TRANSFER, 32).storeUint(queryId, 64).storeCoins(amount).storeAddress(to).storeAddress(responseTo)
    .storeBit(0) // no custom payload
    .storeCoins(forward)
    .storeMaybeRef(payload ?? null)
    .endCell();
}

export const textCell = (text: string) => beginCell().storeUint(0, 32).storeStringTail(text).endCell();

async function setOutbound(id: string, from: OutboundRow["status"], set: Partial<typeof outboundTxs.$inferInsert>): Promise<void> {
  await db().update(outboundTxs).set({ ...set, updatedAt: sql`now()` }).where(and(eq(outboundTxs.id, id), eq(outboundTxs.status, from)));
}

export async function broadcast(chain: ChainConfig, row: OutboundRow): Promise<void> {
  try {
    await tonApi(chain).client.sendFile(Buffer.from(row.signedTx!, "base64"));
    // every row of the external message (a batch of payouts shares one)
    if (row.status === "signed") {
      await db().update(outboundTxs).set({ status: "broadcast", error: null, updatedAt: sql`now()` }).where(and(
        eq(outboundTxs.network, row.network), eq(outboundTxs.livemode, row.livemode), eq(outboundTxs.fromAddress, row.fromAddress),
        eq(outboundTxs.txHash, row.txHash!), eq(outboundTxs.status, "signed")));
    }
  } catch (err) {
    // refused now (e.g. already applied, or the wallet state moved): reconcile decides from the chain
    await db().update(outboundTxs).set({ error: `broadcast: ${errorText(err)}`, updatedAt: sql`now()` })
      .where(and(eq(outboundTxs.id, row.id), eq(outboundTxs.status, row.status)));
  }
}

/** The wallet's transaction that ran the external message with this body (signed, so unique; newest 100 looked at). */
async function findRun(chain: ChainConfig, wallet: Address, bodyHash: string): Promise<Transaction | null> {
  const txs = await tonApi(chain).client.getTransactions(wallet, { limit: 100, archival: true });
  return txs.find((t) => t.inMessage?.info.type === "external-in" && t.inMessage.body.hash().toString("hex") === bodyHash) ?? null;
}

export async function stateOf(chain: ChainConfig, wallet: Address): Promise<{ balance: bigint; active: boolean; seqno: number }> {
  const { client } = tonApi(chain);
  const state = await client.getContractState(wallet);
  const active = state.state === "active";
  return { balance: state.balance, active, seqno: active ? (await client.runMethod(wallet, "seqno")).stack.readNumber() : 0 };
}

/** The hot wallet's balance and whether it is deployed (its first external message carries its state init). */
export async function hotStateOf(chain: ChainConfig, hot: HotSender): Promise<{ balance: bigint; active: boolean }> {
  const state = await tonApi(chain).client.getContractState(hot.wallet.address);
  return { balance: state.balance, active: state.state === "active" };
}

/** Whether the hot wallet has run query id `queryId` (its processed? get-method; a wallet not deployed has run nothing). */
async function queryProcessed(chain: ChainConfig, wallet: Address): Promise<(queryId: number) => Promise<boolean>> {
  const { client } = tonApi(chain);
  const active = (await client.getContractState(wallet)).state === "active";
  return async (queryId) => active &&
    (await client.runMethod(wallet, "processed?", [{ type: "int", value: BigInt(queryId) }, { type: "int", value: 0n }])).stack.readBigNumber() !== 0n;
}

/** The units of a jetton `owner` holds (its jetton wallet's balance; none deployed = 0). */
export async function jettonBalanceOf(chain: ChainConfig, master: Address, owner: Address): Promise<{ wallet: Address; units: bigint }> {
  const { client } = tonApi(chain);
  const wallet = await jettonWalletOf(chain, master, owner);
  const state = await client.getContractState(wallet);
  if (state.state !== "active") return { wallet, units: 0n };
  return { wallet, units: (await client.runMethod(wallet, "get_wallet_data")).stack.readBigNumber() };
}

/** The send mode of a wallet v4 external message's first message (signature, subwallet, valid_until, seqno, op, then mode + ^message); null for the hot wallet's. */
function v4SendModeOf(signed: string): number | null {
  const s = loadMessage(Cell.fromBase64(signed).beginParse()).body.beginParse();
  if (s.remainingBits < 512 + 32 + 32 + 32 + 8 + 8) return null;
  s.skip(512 + 32 + 32 + 32 + 8);
  return s.loadUint(8);
}

/** TON sent with mode 128 (everything the wallet holds, fees out of it): a sweep, a checkout receiver's forward, a refund of everything */
const wholeBalance = (row: OutboundRow) => row.tokenAddress === null && row.signedTx !== null && ((v4SendModeOf(row.signedTx) ?? 0) & SendMode.CARRY_ALL_REMAINING_BALANCE) !== 0;

const OUT_TRANSFER = (m: { info: { type: string }; body: Cell }) => {
  const s = m.body.beginParse();
  return m.info.type === "internal" && s.remainingBits >= 32 && s.preloadUint(32) === OP_JETTON_TRANSFER;
};

const queryIdOfTransfer = (body: Cell) => body.beginParse().skip(32).loadUintBig(64);

/** Whether a TEP-74 transfer body moves `amount` units to `to` (its destination owner). */
function transferMatches(body: Cell, to: Address, amount: bigint): boolean {
  try {
    const s = body.beginParse().skip(32 + 64);
    return s.loadCoins() === amount && s.loadAddress().equals(to);
  } catch {
    return false;
  }
}

/** A row whose sender's transaction was found: what became of it. Null: not final yet (the jetton wallet has not run it). */
/** What a transaction cost its account beyond the values it sent: total_fees (storage, compute, the action phase's share of the
 * forwarding fees) and the rest of the forwarding fees, which the outbound messages carry for the next hop. */
export function txCost(t: Transaction): bigint {
  const d = t.description;
  return t.totalFees.coins + (d.type === "generic" ? (d.actionPhase?.totalFwdFees ?? 0n) - (d.actionPhase?.totalActionFees ?? 0n) : 0n);
}

/**
 * A row whose sender's transaction was found: what became of it. `run` is the transaction that
 * sent the row's messages (the hot wallet's: the batch transaction of its self-message), `before`
 * the hot wallet's external transaction that led to it, whose fees the batch pays too.
 */
async function settle(chain: ChainConfig, row: OutboundRow, run: Transaction, before: Transaction | null = null): Promise<Partial<typeof outboundTxs.$inferInsert> | null> {
  const actionFees = txCost(run) - run.totalFees.coins + (before ? txCost(before) : 0n);
  // a batch's rows share the transaction: each pays its share of the fees
  const [{ n }] = await db().select({ n: count() }).from(outboundTxs).where(and(
    eq(outboundTxs.network, row.network), eq(outboundTxs.livemode, row.livemode), eq(outboundTxs.fromAddress, row.fromAddress), eq(outboundTxs.signedTx, row.signedTx!)));
  const total = run.totalFees.coins + actionFees;
  const share = BigInt(Math.max(1, n));
  // (the row carrying the seqno takes the remainder: the shares add up to the transaction's fees)
  const fees = { feePaid: total / share + (row.nonce !== null ? total % share : 0n), txHash: run.hash().toString("hex") };
  const outs = [...run.outMessages.values()];
  if (row.tokenAddress === null) {
    const to = parseTonAddress(row.toAddress).address;
    const out = outs.find((m) => m.info.type === "internal" && m.info.dest.equals(to) && (wholeBalance(row) || m.info.value.coins === row.amount));
    if (!out || out.info.type !== "internal") return { status: "failed", error: "the wallet ran the message but sent nothing (action phase failed)", ...fees };
    // a sweep (or a checkout's forward) sends the whole balance less the fees: what left is what it moved
    return { status: "confirmed", error: null, ...fees, ...(wholeBalance(row) ? { amount: out.info.value.coins } : {}) };
  }
  // the transfer of this row: in a batch, the one whose query_id is the withdrawal's id (and whatever the row, its recipient and amount)
  const to = parseTonAddress(row.toAddress).address;
  const out = outs.find((m) => OUT_TRANSFER(m) && transferMatches(m.body, to, row.amount) &&
    (row.withdrawalId === null || row.purpose !== "withdrawal" || queryIdOfTransfer(m.body) === row.withdrawalId));
  if (!out || out.info.type !== "internal") return { status: "failed", error: "the wallet ran the message but sent nothing (action phase failed)", ...fees };
  const jettonWallet = out.info.dest;
  const sender = parseTonAddress(row.fromAddress).address;
  const bodyHash = out.body.hash();
  const txs = await tonApi(chain).client.getTransactions(jettonWallet, { limit: 50, archival: true });
  const ran = txs.find((t) => t.inMessage?.info.type === "internal" && t.inMessage.info.src.equals(sender) && t.inMessage.body.hash().equals(bodyHash) &&
    t.lt > run.lt);
  if (!ran) return null;
  const rd = ran.description;
  const ok = rd.type === "generic" && !rd.aborted && rd.computePhase.type === "vm" && rd.computePhase.success;
  if (!ok) return { status: "failed", error: "the jetton wallet refused the transfer (it bounced: the jettons never left, the attached TON came back less fees)", ...fees };
  // the sender's jetton wallet passed the jettons on (internal_transfer); they arrived only once the recipient's jetton wallet
  // took them. When that one refuses (its compute or action phase fails), the message bounces back and the sender's jetton
  // wallet puts the jettons back: nothing was delivered, and the TON attached stays with the jetton wallets.
  const spentAttached = { ...fees, feePaid: fees.feePaid + out.info.value.coins };
  const hop = [...ran.outMessages.values()].find((m) => {
    const b = m.body.beginParse();
    return m.info.type === "internal" && b.remainingBits >= 32 && b.preloadUint(32) === OP_INTERNAL_TRANSFER;
  });
  if (!hop || hop.info.type !== "internal") return { status: "failed", error: "the jetton wallet ran the transfer but passed nothing on (its action phase failed)", ...spentAttached };
  const theirs = await tonApi(chain).client.getTransactions(hop.info.dest, { limit: 50, archival: true });
  const took = theirs.find((t) => t.inMessage?.info.type === "internal" && t.inMessage.info.src.equals(jettonWallet) && t.inMessage.body.hash().equals(hop.body.hash()) &&
    t.lt > ran.lt);
  if (!took) return null;
  const td = took.description;
  const delivered = td.type === "generic" && !td.aborted && td.computePhase.type === "vm" && td.computePhase.success && (td.actionPhase?.success ?? true);
  if (!delivered) {
    return { status: "failed", error: "the recipient's jetton wallet refused the transfer (it bounced back: the jettons returned to the sender's jetton wallet, the attached TON was spent)", ...spentAttached };
  }
  // the TON attached for the jetton wallets' gas (and the recipient's forward) is spent too, less the excess that comes back
  const body = out.body.beginParse().skip(32);
  const queryId = body.loadUintBig(64);
  body.loadCoins();
  body.loadAddress();
  const responseTo = body.loadMaybeAddress();
  const excess = responseTo ? await excessBack(chain, responseTo, queryId, took.lt) : 0n;
  if (excess === null && Date.now() / 1000 - took.now < EXCESS_WAIT_SECONDS) return null;
  return { status: "confirmed", error: null, ...fees, feePaid: fees.feePaid + out.info.value.coins - (excess ?? 0n) };
}

/** how long a confirmed jetton transfer waits for its excess before it is recorded with the whole attached TON as spent */
const EXCESS_WAIT_SECONDS = 60;
const OP_EXCESSES = 0xd53276db;

/** The TON a jetton transfer's `excesses` (with its query_id) brought back to `to` after `afterLt`, or null when none has arrived. */
async function excessBack(chain: ChainConfig, to: Address, queryId: bigint, afterLt: bigint): Promise<bigint | null> {
  const txs = await tonApi(chain).client.getTransactions(to, { limit: 50, archival: true });
  for (const t of txs) {
    const m = t.inMessage;
    if (!m || m.info.type !== "internal" || t.lt <= afterLt) continue;
    const b = m.body.beginParse();
    if (b.remainingBits >= 96 && b.loadUint(32) === OP_EXCESSES && b.loadUintBig(64) === queryId) return m.info.value.coins;
  }
  return null;
}

export async function reconcileTon(chain: ChainConfig, mnemonic: string): Promise<void> {
  const rows = await db().select().from(outboundTxs)
    .where(and(eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), inArray(outboundTxs.status, ["signed", "broadcast"])));
  const hot = tonKey(hotSender(chain, mnemonic).address);
  // a batch's rows share one external message: looked up and re-sent once per pass
  const runs = new Map<string, Promise<Transaction | null>>();
  const sent = new Set<string>();
  const resend = async (row: OutboundRow) => {
    if (sent.has(row.txHash!)) return;
    sent.add(row.txHash!);
    await broadcast(chain, row);
  };
  for (const row of rows) {
    const wallet = parseTonAddress(row.fromAddress).address;
    const bodyHash = loadMessage(Cell.fromBase64(row.signedTx!).beginParse()).body.hash().toString("hex");
    const key = `${wallet.toRawString()}|${bodyHash}`;
    if (!runs.has(key)) runs.set(key, findRun(chain, wallet, bodyHash));
    const run = await runs.get(key)!;
    if (tonKey(row.fromAddress) === hot) {
      await reconcileHot(chain, row, wallet, run, resend);
      continue;
    }
    if (run) {
      const set = await settle(chain, row, run);
      if (set) await setOutbound(row.id, row.status, set);
      continue;
    }
    const { seqno } = await stateOf(chain, wallet);
    const expired = Math.floor(Date.now() / 1000) > validUntilOf(row.signedTx!) + 30;
    const own = seqnoOf(row.signedTx!);
    if (seqno === own && expired) {
      // never ran and can no longer run: nothing left the wallet; the seqno is free again
      await setOutbound(row.id, row.status, { status: "failed", error: "expired: its valid_until passed and it never ran", feePaid: 0n, nonce: null });
    } else if (seqno === own) {
      await resend(row);
    } else {
      logger.error({ network: chain.key, outboundId: row.id }, "ton: a wallet's seqno moved past a message not found among its last 100 transactions; left for an operator");
    }
  }
}

/**
 * A row of the hot wallet (highload): its external message ran (`ext`) → the batch transaction
 * of the self-message it sent carries the row's message, settled from there; not found → the
 * query id says whether it ran (then it is older than the transactions looked at: an operator's
 * case), else it is sent again while still valid, and fails with nothing spent once it can no
 * longer run (created_at + timeout passed; the wallet refuses it from then on).
 */
async function reconcileHot(chain: ChainConfig, row: OutboundRow, wallet: Address, ext: Transaction | null, resend: (row: OutboundRow) => Promise<void>): Promise<void> {
  const inner = highloadInnerOf(row.signedTx!);
  if (ext) {
    const self = [...ext.outMessages.values()].find((m) => m.info.type === "internal" && m.info.dest.equals(wallet) && isInternalTransfer(m.body));
    if (!self) return setOutbound(row.id, row.status, { status: "failed", error: "the hot wallet accepted the message but sent nothing (action phase failed)", feePaid: txCost(ext), txHash: ext.hash().toString("hex") });
    const selfHash = self.body.hash();
    const txs = await tonApi(chain).client.getTransactions(wallet, { limit: 100, archival: true });
    const batch = txs.find((t) => t.lt > ext.lt && t.inMessage?.info.type === "internal" && t.inMessage.info.src.equals(wallet) && t.inMessage.body.hash().equals(selfHash));
    if (!batch) return; // in the next block
    const set = await settle(chain, row, batch, ext);
    if (set) await setOutbound(row.id, row.status, set);
    return;
  }
  const processed = await (await queryProcessed(chain, wallet))(inner.queryId);
  const expired = Math.floor(Date.now() / 1000) > inner.createdAt + HIGHLOAD_TIMEOUT + 30;
  if (processed) {
    logger.error({ network: chain.key, outboundId: row.id, queryId: inner.queryId }, "ton: the hot wallet ran a query id whose transaction is not among its last 100; left for an operator");
  } else if (expired) {
    await setOutbound(row.id, row.status, { status: "failed", error: "expired: its created_at + timeout passed and it never ran", feePaid: 0n });
  } else {
    await resend(row);
  }
}

export async function inFlight(chain: ChainConfig, from: string): Promise<boolean> {
  const [row] = await db().select({ id: outboundTxs.id }).from(outboundTxs)
    .where(and(eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), eq(outboundTxs.fromAddress, from),
      inArray(outboundTxs.status, ["signed", "broadcast"]))).limit(1);
  return Boolean(row);
}

export type Record = {
  merchantId: string; withdrawalId: bigint | null; checkoutId?: string | null; purpose: OutboundRow["purpose"]; toAddress: string; tokenAddress: string | null; amount: bigint;
  /** in the same database transaction as the row: false = someone else moved the withdrawal, nothing is recorded */
  guard: (tx: Tx) => Promise<boolean>;
};

/** Signs one external message of `s` (state init when not deployed) and records it with the guard's move, before any broadcast. */
export async function signAndRecord(chain: ChainConfig, s: Sender, state: { active: boolean; seqno: number }, sendMode: SendMode, messages: MessageRelaxed[], r: Record): Promise<OutboundRow | null> {
  const transfer = s.wallet.createTransfer({ seqno: state.seqno, secretKey: s.key.secretKey, sendMode, timeout: Math.floor(Date.now() / 1000) + VALID_SECONDS, messages });
  const ext = external({ to: s.wallet.address, init: state.active ? undefined : s.wallet.init, body: transfer });
  const signed = beginCell().store(storeMessage(ext)).endCell();
  return db().transaction(async (t) => {
    if (!(await fenced<typeof t>(r.guard)(t))) return null;
    const [row] = await t.insert(outboundTxs).values({
      merchantId: r.merchantId, livemode: chain.livemode, network: chain.network, chainId: null, purpose: r.purpose, checkoutId: r.checkoutId ?? null,
      fromAddress: s.address, toAddress: r.toAddress, tokenAddress: r.tokenAddress, amount: r.amount, nonce: BigInt(state.seqno),
      signedTx: signed.toBoc().toString("base64"), txHash: signed.hash().toString("hex"), status: "signed", withdrawalId: r.withdrawalId,
      feeAsset: nativeAssetCode(chain.network), feePayer: s.address,
    }).returning();
    return row;
  });
}

/** The master of a jetton currency on this network (its address as configured), or null. */
function masterOf(chain: ChainConfig, currency: string): Address | null {
  if (currency === nativeAssetCode(chain.network)) return null;
  const m = chain.assets[currency];
  return m ? Address.parse(m) : null;
}

/** payouts per external message of the hot wallet (./highload) */
export const MAX_BATCH = MAX_ACTIONS;

/**
 * Pending payouts from the hot wallet, batched: up to MAX_BATCH of them (each payable now from
 * what the hot wallet holds) as the messages of one external message, recorded as one outbound
 * row each (the same signed bytes; the first carries the query id counter) with every
 * withdrawal's pending → processing move, in one database transaction before the broadcast.
 */
async function payouts(chain: ChainConfig, mnemonic: string, ws: WithdrawalRow[], broadcastNow: boolean): Promise<void> {
  if (ws.length === 0) return;
  const hot = hotSender(chain, mnemonic);
  // one batch at a time: the next is computed from what the hot wallet holds after this one
  if (await inFlight(chain, hot.address)) {
    for (const w of ws) await notePending(db(), w.id, "waiting: the TON hot wallet's previous message is in flight");
    return;
  }
  const state = await hotStateOf(chain, hot);
  let tonLeft = state.balance - KEEP;
  const jettons = new Map<string, { wallet: Address; units: bigint }>();
  const batch: { w: WithdrawalRow; message: MessageRelaxed; master: Address | null }[] = [];
  for (const w of ws) {
    if (batch.length === MAX_BATCH) break;
    const native = w.currency === nativeAssetCode(chain.network);
    const master = native ? null : masterOf(chain, w.currency);
    if (!native && !master) {
      await markFailed(w.id, "pending", `${w.currency} is not configured on ${chain.network}`);
      continue;
    }
    const amount = w.amount!;
    const needTon = (native ? amount : JETTON_GAS + FORWARD_TON) + FEE_BOUND;
    if (tonLeft < needTon) {
      const available = tonLeft - FEE_BOUND;
      await notePending(db(), w.id, `insufficient hot wallet balance: ${hot.address} has ${available < 0n ? 0n : available} nanotons available, ` +
        `the withdrawal needs ${needTon - FEE_BOUND}${native ? "" : " (the jetton transfer's gas and forward)"} plus fees`);
      continue;
    }
    const dest = parseTonAddress(w.destination);
    const comment = w.comment ? textCell(w.comment) : w.binaryComment ? binaryCommentCell(w.binaryComment) : undefined;
    let message: MessageRelaxed;
    if (master) {
      const k = master.toRawString();
      const held = jettons.get(k) ?? await jettonBalanceOf(chain, master, hot.wallet.address);
      jettons.set(k, held);
      if (held.units < amount) {
        await notePending(db(), w.id, `insufficient hot wallet balance: ${hot.address} has ${held.units} base units of ${w.currency} available, the withdrawal needs ${amount}`);
        continue;
      }
      held.units -= amount;
      // query_id: the withdrawal's id, so the transfer names the request it pays
      message = internal({ to: held.wallet, value: JETTON_GAS + FORWARD_TON, bounce: true,
        body: jettonTransferBody(BigInt(w.id), amount, dest.address, hot.wallet.address, FORWARD_TON, comment) });
    } else {
      // to a wallet as it is written: a non-bounceable form is never bounced back (deposits to new wallets work)
      message = internal({ to: dest.address, value: amount, bounce: dest.bounceable ?? false, body: comment });
    }
    tonLeft -= needTon;
    batch.push({ w, message, master });
  }
  if (batch.length === 0) return;
  const rows = await signAndRecordHot(chain, hot, state, batch.map(({ w, message, master }) => ({
    message,
    merchantId: w.merchantId, withdrawalId: w.id, purpose: "withdrawal" as const, toAddress: w.destination,
    tokenAddress: master ? tonFriendly(master, { testOnly: !chain.livemode, bounceable: true }) : null, amount: w.amount!,
    guard: (tx: Tx) => markProcessing(tx, w.id, null),
  })));
  if (!rows) return;
  logger.info({ network: chain.key, withdrawalIds: batch.map((b) => String(b.w.id)), counter: String(rows[0].nonce) }, "ton withdrawals signed (one external message)");
  if (broadcastNow) await broadcast(chain, rows[0]);
}

/** A guard refused inside the batch's transaction: nothing of the batch is recorded. */
class BatchRefused extends Error {}

/**
 * One external message of the hot wallet carrying every entry's message (./highload: a batch
 * of up to MAX_ACTIONS), recorded as a row per entry with the entries' guards (all or none),
 * before any broadcast. Its query id is the sender's next counter value (mod 2^23), taken under a
 * lock on the sender in the same transaction; the first row carries the counter as its nonce,
 * the others name it through the signed bytes.
 */
export async function signAndRecordHot(chain: ChainConfig, s: HotSender, state: { active: boolean }, entries: (Record & { message: MessageRelaxed })[]): Promise<OutboundRow[] | null> {
  try {
    return await db().transaction(async (t) => {
      await t.execute(sql`select pg_advisory_xact_lock(hashtext(${`ton-hot:${chain.network}:${chain.livemode}:${s.address}`}))`);
      const [{ last }] = await t.select({ last: sql<string | null>`max(${outboundTxs.nonce})::text` }).from(outboundTxs)
        .where(and(eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), eq(outboundTxs.fromAddress, s.address)));
      const counter = last === null ? 0n : BigInt(last) + 1n;
      const queryId = Number(counter % BigInt(QUERY_IDS));
      const batch = highloadBatch(s.wallet.address, queryId, entries.map((e) => e.message));
      const body = highloadBody(s.key, { queryId, createdAt: Math.floor(Date.now() / 1000) - CREATED_AT_MARGIN, ...batch });
      const ext = external({ to: s.wallet.address, init: state.active ? undefined : s.wallet.init, body });
      const signed = beginCell().store(storeMessage(ext)).endCell();
      const rows: OutboundRow[] = [];
      for (const [i, r] of entries.entries()) {
        if (!(await fenced<typeof t>(r.guard)(t))) throw new BatchRefused();
        const [row] = await t.insert(outboundTxs).values({
          merchantId: r.merchantId, livemode: chain.livemode, network: chain.network, chainId: null, purpose: r.purpose, checkoutId: r.checkoutId ?? null,
          fromAddress: s.address, toAddress: r.toAddress, tokenAddress: r.tokenAddress, amount: r.amount, nonce: i === 0 ? counter : null,
          signedTx: signed.toBoc().toString("base64"), txHash: signed.hash().toString("hex"), status: "signed", withdrawalId: r.withdrawalId,
          feeAsset: nativeAssetCode(chain.network), feePayer: s.address,
        }).returning();
        rows.push(row);
      }
      return rows;
    });
  } catch (err) {
    if (err instanceof BatchRefused) return null;
    throw err;
  }
}

async function sweep(chain: ChainConfig, mnemonic: string, w: WithdrawalRow, broadcastNow: boolean): Promise<void> {
  const native = w.currency === nativeAssetCode(chain.network);
  const master = native ? null : masterOf(chain, w.currency);
  if (!native && !master) return void await markFailed(w.id, "pending", `${w.currency} is not configured on ${chain.network}`);
  const [source] = await db().select({ index: receivers.derivationIndex }).from(depositAddresses)
    .innerJoin(receivers, eq(receivers.id, depositAddresses.receiverId))
    .where(and(eq(depositAddresses.merchantId, w.merchantId), eq(depositAddresses.address, w.fromAddress!), eq(receivers.family, "ton")));
  if (!source) return void await markFailed(w.id, "pending", `${w.fromAddress} is not a ${chain.network} deposit address of this merchant`);
  const from = senderAt(chain, mnemonic, source.index);
  if (tonKey(from.address) !== tonKey(w.fromAddress!)) return void await markFailed(w.id, "pending", `${w.fromAddress} does not derive from this instance's mnemonic`);
  const hot = hotSender(chain, mnemonic);
  // this sweep's gas funding (or another message of the deposit wallet) still in flight: wait for it
  if (await inFlight(chain, from.address)) return notePending(db(), w.id, "waiting: the deposit wallet sends one message at a time");
  const [funding] = await db().select({ id: outboundTxs.id }).from(outboundTxs)
    .where(and(eq(outboundTxs.withdrawalId, w.id), inArray(outboundTxs.status, ["signed", "broadcast"]))).limit(1);
  if (funding) return notePending(db(), w.id, "waiting for the gas funding of the deposit wallet to confirm");
  const state = await stateOf(chain, from.wallet.address);
  const memo = w.memo ? textCell(w.memo) : undefined;
  if (!master) {
    if (state.balance === 0n) return void await markFailed(w.id, "pending", `${w.fromAddress} holds no ${w.currency}`);
    // mode 128: everything the wallet holds, the fees out of it
    const row = await signAndRecord(chain, from, state, SendMode.CARRY_ALL_REMAINING_BALANCE,
      [internal({ to: hot.wallet.address, value: 0n, bounce: false, body: memo })], {
        merchantId: w.merchantId, withdrawalId: w.id, purpose: "sweep", toAddress: hot.address, tokenAddress: null, amount: state.balance,
        guard: (tx) => markProcessing(tx, w.id, null),
      });
    if (row && broadcastNow) await broadcast(chain, row);
    return;
  }
  const { wallet: fromJetton, units } = await jettonBalanceOf(chain, master, from.wallet.address);
  if (units === 0n) return void await markFailed(w.id, "pending", `${w.fromAddress} holds no ${w.currency}`);
  if (state.balance < SWEEP_NEEDS) {
    // the deposit wallet pays the transfer's gas: the hot wallet sends it first (recorded as this sweep's gas funding)
    if (await inFlight(chain, hot.address)) return notePending(db(), w.id, "waiting: the TON hot wallet sends one message at a time");
    const hotState = await hotStateOf(chain, hot);
    if (hotState.balance - KEEP - FEE_BOUND < SWEEP_FUNDING) {
      return notePending(db(), w.id, `insufficient hot wallet balance to pay the sweep's gas (${hot.address})`);
    }
    const [row] = await signAndRecordHot(chain, hot, hotState, [{
        message: internal({ to: from.wallet.address, value: SWEEP_FUNDING, bounce: false, body: textCell(`${SWEEP_GAS_PREFIX}${w.memo ?? ""}`) }),
        merchantId: w.merchantId, withdrawalId: w.id, purpose: "gas_funding", toAddress: from.address, tokenAddress: null, amount: SWEEP_FUNDING,
        guard: async (tx) => {
          const [still] = await tx.select({ id: withdrawals.id }).from(withdrawals).where(and(eq(withdrawals.id, w.id), eq(withdrawals.status, "pending")));
          const flying = await tx.select({ id: outboundTxs.id }).from(outboundTxs)
            .where(and(eq(outboundTxs.withdrawalId, w.id), inArray(outboundTxs.status, ["signed", "broadcast"])));
          return Boolean(still) && flying.length === 0;
        },
      }]) ?? [];
    if (row) await notePending(db(), w.id, "waiting for the gas funding of the deposit wallet to confirm");
    if (row && broadcastNow) await broadcast(chain, row);
    return;
  }
  // the whole jetton balance to the hot wallet; 1 nanoton forward so the hot wallet's notification carries the memo; the excess TON to the hot wallet
  const row = await signAndRecord(chain, from, state, SendMode.PAY_GAS_SEPARATELY,
    [internal({ to: fromJetton, value: JETTON_GAS + 1n, bounce: true, body: jettonTransferBody(BigInt(w.id), units, hot.wallet.address, hot.wallet.address, 1n, memo) })], {
      merchantId: w.merchantId, withdrawalId: w.id, purpose: "sweep", toAddress: hot.address,
      tokenAddress: tonFriendly(master, { testOnly: !chain.livemode, bounceable: true }), amount: units,
      guard: (tx) => markProcessing(tx, w.id, null),
    });
  if (row && broadcastNow) await broadcast(chain, row);
}

export const tonWithdrawals: WithdrawalEngine = {
  family: "ton",
  async pass(chain, opts) {
    await reconcileTon(chain, opts.mnemonic);
    await finishProcessing(chain);
    const queue = await passQueue(chain);
    // sweeps first, each from its own deposit wallet; then the payouts from the hot wallet, batched
    for (const w of queue.filter((x) => x.kind !== "payout")) {
      try {
        await sweep(chain, opts.mnemonic, w, opts.broadcast !== false);
      } catch (err) {
        if (err instanceof LeaseLostError) throw err;
        logger.warn({ network: chain.key, withdrawalId: String(w.id), err: errorText(err) }, "withdrawal step failed; will retry");
      }
    }
    try {
      await payouts(chain, opts.mnemonic, queue.filter((x) => x.kind === "payout"), opts.broadcast !== false);
    } catch (err) {
      if (err instanceof LeaseLostError) throw err;
      logger.warn({ network: chain.key, err: errorText(err) }, "ton payout batch failed; will retry");
    }
  },
};
