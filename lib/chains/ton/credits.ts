// What one TON transaction paid to the account it ran on, read from the transaction itself:
//   TON: the value of its inbound internal message, unless the message is a bounce (money of ours
//     coming back) or the transaction bounced it back (a bounceable message to an account that
//     could not take it); the comment is the body's text (op 0) or, for any other body, its bits
//     in hex with the flip-bit notation (`9fe7_`), as seed 001 writes binary comments;
//   a jetton: a TEP-74 transfer_notification (op 0x7362d09c) to the owner, counted only when its
//     sender is the owner's jetton wallet of an accepted master (the caller checks that against
//     the master's get_wallet_address: anyone can send a notification-shaped message).
import type { Address, Cell, Slice, Transaction } from "@ton/core";

export const OP_TRANSFER_NOTIFICATION = 0x7362d09c;
const OP_TEXT = 0;

export type TonIncoming =
  | { kind: "ton"; from: Address | null; amount: bigint; comment: string | null }
  | { kind: "jetton"; senderWallet: Address; from: Address | null; amount: bigint; comment: string | null };

/** The text of a comment payload (op 0 + snake string), the hex of any other non-empty one, null when empty. */
export function commentOf(s: Slice | null): string | null {
  if (!s || (s.remainingBits === 0 && s.remainingRefs === 0)) return null;
  if (s.remainingBits >= 32 && s.preloadUint(32) === OP_TEXT) {
    try {
      const c = s.clone();
      c.skip(32);
      return c.loadStringTail();
    } catch { /* not a string: shown as binary */ }
  }
  return s.clone().loadBits(s.remainingBits).toString().toLowerCase() || null;
}

/** The forward payload of a transfer_notification: `(Either Cell ^Cell)`. */
function forwardPayload(s: Slice): Slice | null {
  if (s.remainingBits === 0) return null;
  if (s.loadBit()) return s.remainingRefs ? s.loadRef().beginParse() : null;
  return s;
}

export function incomingOf(tx: Transaction): TonIncoming | null {
  const msg = tx.inMessage;
  if (!msg || msg.info.type !== "internal") return null;
  const info = msg.info;
  if (info.bounced) return null;
  const d = tx.description;
  if (d.type !== "generic") return null;
  // a bounce phase: the value went back to the sender (minus fees); nothing stayed
  if (d.bouncePhase) return null;
  const body: Cell = msg.body;
  const s = body.beginParse();
  if (s.remainingBits >= 32 && s.preloadUint(32) === OP_TRANSFER_NOTIFICATION) {
    try {
      s.skip(32 + 64);
      const amount = s.loadCoins();
      const from = s.loadMaybeAddress();
      return { kind: "jetton", senderWallet: info.src, from, amount, comment: commentOf(forwardPayload(s)) };
    } catch {
      return null; // malformed: not a notification
    }
  }
  if (info.value.coins <= 0n) return null;
  return { kind: "ton", from: info.src, amount: info.value.coins, comment: commentOf(body.beginParse()) };
}
