// The TON hot wallet (m/44'/607'/0'): a highload wallet speaking Highload Wallet v3's interface
// (./contracts/highload-wallet-v3.fc, compiled by lib/devnet/compile-ton into
// ./contracts/highload-wallet-v3.json). One external message carries up to MAX_ACTIONS messages:
// its message_to_send is an internal message to the wallet itself (mode 128: the whole balance)
// with internal_transfer + an out-action list, which the wallet's second transaction installs, so
// every payout of a batch leaves in that transaction, all or none (each action pays its fees on
// top, without IGNORE_ERRORS: one that cannot be paid fails the whole action phase and nothing leaves).
//
// Replay protection is the v3 query id (13-bit shift, 10-bit bit number: 2^23 ids): an id runs
// once, and a message is only valid within TIMEOUT of its created_at, while the wallet remembers
// a spent id at least that long, so re-sending the same signed bytes never pays twice. Ours come
// from a counter per sender (outbound_txs.nonce, never reused: query id = counter mod 2^23, which
// comes round again only after 8 million external messages, long after it was forgotten).
import { Address, Cell, beginCell, contractAddress, internal, loadMessage, storeMessageRelaxed, storeOutList, type MessageRelaxed, type OutActionSendMsg, type StateInit } from "@ton/core";
import { sign, type KeyPair } from "@ton/crypto";
import artifact from "./contracts/highload-wallet-v3.json" with { type: "json" };

export const HIGHLOAD_CODE = Cell.fromBase64(artifact.code);
/** the subwallet id of our hot wallet (v3's customary 0x10ad) */
export const HIGHLOAD_SUBWALLET = 0x10ad;
/** seconds a signed message stays valid (and a spent query id is remembered at least as long) */
export const HIGHLOAD_TIMEOUT = 600;
/** created_at is set this far in the past: a node's clock may lag ours */
export const CREATED_AT_MARGIN = 30;
/** out actions per external message (an out list holds 255; ours stay well under the external message's size limits) */
export const MAX_ACTIONS = 200;
export const QUERY_IDS = 1 << 23;
const OP_INTERNAL_TRANSFER = 0xae42e5a4;
/** the batch's self-message and each action: pay fees on top (1); the self-message carries everything (128) */
const MODE_CARRY_ALL = 128;
const MODE_PAY_FEES_SEPARATELY = 1;

export type HighloadWallet = { address: Address; init: StateInit; publicKey: Buffer };

export function highloadWalletOf(publicKey: Buffer): HighloadWallet {
  const data = beginCell()
    .storeBuffer(publicKey, 32).storeUint(HIGHLOAD_SUBWALLET, 32)
    .storeBit(0).storeBit(0) // old_queries, queries: empty
    .storeUint(0, 64).storeUint(HIGHLOAD_TIMEOUT, 22)
    .endCell();
  const init = { code: HIGHLOAD_CODE, data };
  return { address: contractAddress(0, init), init, publicKey };
}

/** The external message's body: signature over msg_inner, msg_inner as its ref. */
export function highloadBody(key: KeyPair, opts: { queryId: number; createdAt: number; message: MessageRelaxed; mode: number }): Cell {
  const inner = beginCell()
    .storeUint(HIGHLOAD_SUBWALLET, 32)
    .storeRef(beginCell().store(storeMessageRelaxed(opts.message)).endCell())
    .storeUint(opts.mode, 8)
    .storeUint(opts.queryId >> 10, 13).storeUint(opts.queryId & 1023, 10)
    .storeUint(opts.createdAt, 64).storeUint(HIGHLOAD_TIMEOUT, 22)
    .endCell();
  return beginCell().storeBuffer(sign(inner.hash(), key.secretKey)).storeRef(inner).endCell();
}

/** msg_inner of a signed external message of the highload wallet: its query id and created_at. */
export function highloadInnerOf(signedExternal: string): { queryId: number; createdAt: number; message: Cell } {
  const body = loadMessage(Cell.fromBase64(signedExternal).beginParse()).body.beginParse();
  const s = body.loadRef().beginParse();
  s.skip(32);
  const message = s.loadRef();
  s.skip(8);
  const shift = s.loadUint(13);
  const bit = s.loadUint(10);
  return { queryId: shift * 1024 + bit, createdAt: Number(s.loadUintBig(64)), message };
}

/**
 * The batch: one internal message to the wallet itself carrying every message as a send action
 * (each paying its fees on top), sent with the whole balance (mode 128) so the second transaction
 * has the funds; the query id of the inner internal_transfer repeats the external's.
 */
export function highloadBatch(wallet: Address, queryId: number, messages: MessageRelaxed[]): { message: MessageRelaxed; mode: number } {
  if (messages.length === 0 || messages.length > MAX_ACTIONS) throw new Error(`a highload batch carries 1 to ${MAX_ACTIONS} messages, not ${messages.length}`);
  const actions: OutActionSendMsg[] = messages.map((outMsg) => ({ type: "sendMsg", mode: MODE_PAY_FEES_SEPARATELY, outMsg }));
  const list = beginCell().store(storeOutList(actions)).endCell();
  const body = beginCell().storeUint(OP_INTERNAL_TRANSFER, 32).storeUint(queryId, 64).storeRef(list).endCell();
  return { message: internal({ to: wallet, value: 0n, bounce: false, body }), mode: MODE_CARRY_ALL };
}

/** Whether the body of an internal message is our batch's internal_transfer. */
export function isInternalTransfer(body: Cell): boolean {
  const s = body.beginParse();
  return s.remainingBits === 96 && s.remainingRefs === 1 && s.preloadUint(32) === OP_INTERNAL_TRANSFER;
}
