// Merchants' refunds of TON checkouts (POST /v1/sessions/{id}/refund, the payments dialect's
// equivalent; lib/checkout/actions writes the pending action): what a checkout left on its
// receiver (paid late, short, in an asset that does not count, after a failed settlement) goes
// back to the address the merchant named, from the receiver itself (wallet v4r2 at m/44'/607'/i',
// deployed by this message when it never sent anything), in the TON forward pass (./forward):
//   TON: the amount asked with its fees on top, or everything (mode 128, the fees out of it: what
//     left is the refund, recorded as the row's amount; the action keeps no amount, as on EVM);
//   a jetton: a TEP-74 transfer of the amount (or the whole jetton balance) to the address, 1
//     nanoton forward so its wallet is notified with `Tollgate refund <checkout id>`, the excess TON
//     to the hot wallet. Its gas is the receiver's: when it holds too little TON the hot wallet sends
//     it first (a gas_funding row of the checkout, comment `gas: <checkout id>`, not income), and
//     the refund waits for it to arrive.
// The signed message is recorded with the action's pending → sent move in one transaction, before
// its broadcast (so a refund is never signed twice); reconcile (./withdrawals) settles the row —
// a jetton refund only once the recipient's jetton wallet took it — and lib/forwarding/refund-actions'
// follow turns the row's outcome into the action's `done` or `failed` with its event.
import { Address, SendMode, internal } from "@ton/core";
import { and, asc, eq, gte, inArray } from "drizzle-orm";
import { checkoutActions, checkouts, outboundTxs, receivers } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { fail, follow } from "@/lib/forwarding/refund-actions";
import { logger } from "@/lib/log/logger";
import { LeaseLostError } from "@/lib/worker/leases";
import { parseTonAddress, tonKey } from "./address";
import {
  FEE_BOUND, JETTON_GAS, KEEP, SWEEP_FUNDING, SWEEP_GAS_PREFIX, SWEEP_NEEDS, broadcast, errorText, hotSender, hotStateOf, inFlight, jettonBalanceOf,
  jettonTransferBody, senderAt, signAndRecord, signAndRecordHot, stateOf, textCell,
} from "./withdrawals";

type Action = typeof checkoutActions.$inferSelect;
type Opts = { mnemonic: string; broadcast?: boolean };

export async function tonRefundsPass(chain: ChainConfig, opts: Opts): Promise<void> {
  const mine = and(eq(checkoutActions.network, chain.network), eq(checkoutActions.livemode, chain.livemode), eq(checkoutActions.kind, "refund"));
  for (const a of await db().select().from(checkoutActions).where(and(mine, eq(checkoutActions.status, "sent"))).limit(100)) await follow(a);
  const pending = await db().select().from(checkoutActions).where(and(mine, eq(checkoutActions.status, "pending"))).orderBy(asc(checkoutActions.createdAt)).limit(20);
  for (const a of pending) {
    try {
      await refundStep(chain, a, opts);
    } catch (err) {
      if (err instanceof LeaseLostError) throw err;
      logger.warn({ network: chain.key, actionId: a.id, err: errorText(err) }, "ton refund step failed; will retry");
    }
  }
}

const refundComment = (checkoutId: string) => textCell(`Tollgate refund ${checkoutId}`);

async function refundStep(chain: ChainConfig, a: Action, opts: Opts): Promise<void> {
  const [receiver] = await db().select().from(receivers).where(eq(receivers.id, a.receiverId!));
  if (!receiver) return fail(a, "the checkout's receiver is not known");
  const from = senderAt(chain, opts.mnemonic, receiver.derivationIndex);
  if (tonKey(from.address) !== tonKey(receiver.address)) return fail(a, `receiver ${receiver.address} does not derive from this instance's mnemonic`);
  // one external message at a time per wallet (a forward or an earlier refund of this receiver, or its gas funding)
  if (await inFlight(chain, from.address) || await fundingInFlight(chain, a)) return;
  const dest = parseTonAddress(a.toAddress!);
  const state = await stateOf(chain, from.wallet.address);
  const broadcastNow = opts.broadcast !== false;
  // the action is taken in the signing transaction (never signed twice), the checkout still finished
  const take = (amount: bigint | null) => async (tx: Tx) => {
    const [c] = await tx.select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, a.checkoutId)).for("update");
    if (!c || !["expired", "succeeded", "bounced"].includes(c.status)) return false;
    const [taken] = await tx.update(checkoutActions).set({ status: "sent", ...(amount === null ? {} : { amount }), updatedAt: new Date() })
      .where(and(eq(checkoutActions.id, a.id), eq(checkoutActions.status, "pending"))).returning({ id: checkoutActions.id });
    return taken !== undefined;
  };
  const record = { merchantId: a.merchantId, withdrawalId: null, checkoutId: a.checkoutId, purpose: "refund" as const, toAddress: a.toAddress!, tokenAddress: a.tokenAddress };
  if (a.tokenAddress === null) {
    let row;
    if (a.amount === null) {
      // everything: mode 128, the fees out of it (what left is recorded when it lands)
      if (state.balance === 0n) return fail(a, `${receiver.address} holds no TON`);
      row = await signAndRecord(chain, from, state, SendMode.CARRY_ALL_REMAINING_BALANCE,
        [internal({ to: dest.address, value: 0n, bounce: dest.bounceable ?? false, body: refundComment(a.checkoutId) })],
        { ...record, amount: state.balance, guard: take(null) });
    } else {
      if (state.balance < a.amount + FEE_BOUND) {
        return fail(a, `${receiver.address} holds ${state.balance} nanotons: the refund of ${a.amount} and its fees do not fit`);
      }
      row = await signAndRecord(chain, from, state, SendMode.PAY_GAS_SEPARATELY,
        [internal({ to: dest.address, value: a.amount, bounce: dest.bounceable ?? false, body: refundComment(a.checkoutId) })],
        { ...record, amount: a.amount, guard: take(a.amount) });
    }
    return sent(chain, a, row, broadcastNow);
  }
  const master = Address.parse(a.tokenAddress);
  const { wallet: fromJetton, units } = await jettonBalanceOf(chain, master, from.wallet.address);
  const amount = a.amount ?? units;
  if (units === 0n || amount > units) return fail(a, `${receiver.address} holds ${units} base units of ${a.assetCode}, less than the ${amount} to refund`);
  if (state.balance < SWEEP_NEEDS) return fundGas(chain, a, opts, from.wallet.address, receiver.address);
  const hot = hotSender(chain, opts.mnemonic);
  const row = await signAndRecord(chain, from, state, SendMode.PAY_GAS_SEPARATELY,
    [internal({ to: fromJetton, value: JETTON_GAS + 1n, bounce: true,
      body: jettonTransferBody(BigInt(`0x${a.id.replace(/-/g, "").slice(0, 16)}`), amount, dest.address, hot.wallet.address, 1n, refundComment(a.checkoutId)) })],
    { ...record, amount, guard: take(amount) });
  return sent(chain, a, row, broadcastNow);
}

async function sent(chain: ChainConfig, a: Action, row: Awaited<ReturnType<typeof signAndRecord>>, broadcastNow: boolean): Promise<void> {
  if (!row) return;
  await db().update(checkoutActions).set({ outboundTxId: row.id }).where(eq(checkoutActions.id, a.id));
  logger.info({ network: chain.key, actionId: a.id, checkoutId: a.checkoutId, to: a.toAddress, amount: row.amount.toString() }, "ton refund signed");
  if (broadcastNow) await broadcast(chain, row);
}

/** Gas fundings of this checkout's receiver since the refund was asked for. */
async function fundingsSince(chain: ChainConfig, a: Action, statuses: ("signed" | "broadcast" | "confirmed")[]) {
  const [receiver] = await db().select({ address: receivers.address }).from(receivers).where(eq(receivers.id, a.receiverId!));
  return db().select().from(outboundTxs).where(and(
    eq(outboundTxs.checkoutId, a.checkoutId), eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode),
    eq(outboundTxs.purpose, "gas_funding"), eq(outboundTxs.toAddress, receiver.address), gte(outboundTxs.createdAt, a.createdAt),
    inArray(outboundTxs.status, statuses)));
}

const fundingInFlight = async (chain: ChainConfig, a: Action) => (await fundingsSince(chain, a, ["signed", "broadcast"])).length > 0;

/** The hot wallet sends the receiver the TON its jetton transfer needs, once per refund. */
async function fundGas(chain: ChainConfig, a: Action, opts: Opts, to: Address, receiverAddress: string): Promise<void> {
  if ((await fundingsSince(chain, a, ["confirmed"])).length) {
    return fail(a, `${receiverAddress} still holds too little TON for the jetton transfer's gas after its funding`);
  }
  const hot = hotSender(chain, opts.mnemonic);
  if (await inFlight(chain, hot.address)) return;
  const hotState = await hotStateOf(chain, hot);
  if (hotState.balance - KEEP - FEE_BOUND < SWEEP_FUNDING) {
    logger.warn({ network: chain.key, actionId: a.id }, `insufficient hot wallet balance to pay a refund's gas: ${hot.address} needs ${SWEEP_FUNDING} nanotons available`);
    return;
  }
  const [row] = await signAndRecordHot(chain, hot, hotState, [{
    message: internal({ to, value: SWEEP_FUNDING, bounce: false, body: textCell(`${SWEEP_GAS_PREFIX}${a.checkoutId}`) }),
    merchantId: a.merchantId, withdrawalId: null, checkoutId: a.checkoutId, purpose: "gas_funding", toAddress: receiverAddress, tokenAddress: null, amount: SWEEP_FUNDING,
    guard: async (tx) => {
      const [still] = await tx.select({ id: checkoutActions.id }).from(checkoutActions).where(and(eq(checkoutActions.id, a.id), eq(checkoutActions.status, "pending"))).for("update");
      return Boolean(still);
    },
  }]) ?? [];
  if (row) logger.info({ network: chain.key, actionId: a.id, to: receiverAddress }, "ton refund gas funding signed");
  if (row && opts.broadcast !== false) await broadcast(chain, row);
}
