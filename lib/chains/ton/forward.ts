// Forwarding TON's checkouts (ChainFamily.custodialCheckouts): seed-004 payments and sessions paid
// on TON. Each checkout has a receiver of its own (a wallet v4r2 from the key pool, m/44'/607'/i'),
// paid with a plain transfer (no comment needed: the address is the checkout's) and credited by
// the watcher with the checkout set. Once the decider says the checkout is ready
// (lib/forwarding/ready), what the receiver holds moves whole to the merchant: the checkout's
// destination when it was paid in its own asset on TON, else the merchant's TON settlement
// address.
//   TON: one external message from the receiver with mode 128 (everything it holds, the fees out of
//     it), carrying the wallet's state init when it is not deployed yet (a paid receiver is uninit);
//     what really left is recorded as the forward's amount.
//   a jetton: a TEP-74 transfer of the receiver's whole jetton balance from its jetton wallet, the
//     excess TON back to the hot wallet. The receiver pays that message's gas: when it holds too
//     little TON, the hot wallet sends it first (a gas_funding row of the checkout with the comment
//     `gas: <checkout id>`, which the watcher does not count as a payment), and the forward waits
//     until that has arrived.
// Every row is committed before its broadcast, under the checkout's row lock and the network's
// fence (./withdrawals signAndRecord); reconcile (./withdrawals) finds what became of it. A failed
// forward is never signed again by itself: the note says why, and the merchant's retry lets the
// next pass try once more. The groups are recorded delivered with the forward's transaction hash,
// then the decider settles the checkout.
import { Address, SendMode, internal } from "@ton/core";
import { and, eq, inArray } from "drizzle-orm";
import { checkouts, outboundTxs, receivers } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { noteBlocked, type BlockedStep } from "@/lib/forwarding/blocked";
import { readyCheckouts, type ReadyCheckout } from "@/lib/forwarding/ready";
import { currentRows, destinationFor, finishGroups, forwardRows, stillNext } from "@/lib/forwarding/custodial";
import { isDone, tokenState } from "@/lib/forwarding/token-state";
import { logger } from "@/lib/log/logger";
import { LeaseLostError } from "@/lib/worker/leases";
import { parseTonAddress, tonKey } from "./address";
import { tonRefundsPass } from "./refunds";
import {
  FEE_BOUND, JETTON_GAS, KEEP, SWEEP_FUNDING, SWEEP_GAS_PREFIX, SWEEP_NEEDS, broadcast, errorText, hotSender, hotStateOf, inFlight, jettonBalanceOf, jettonTransferBody,
  reconcileTon, senderAt, signAndRecord, signAndRecordHot, stateOf, textCell, type OutboundRow, type Sender,
} from "./withdrawals";

type Group = ReadyCheckout["pending"][number];
type Receiver = typeof receivers.$inferSelect;
type Pass = { chain: ChainConfig; mnemonic: string; broadcast: boolean };
/** one receiver's forwarding of one checkout */
type Step = { p: Pass; ready: ReadyCheckout; group: Group; receiver: Receiver; from: Sender };

/** One pass: reconcile what was sent, then the next step of every ready checkout on the chain. */
export async function forwardTonCheckouts(chain: ChainConfig, opts: { mnemonic: string; broadcast?: boolean }): Promise<void> {
  await reconcileTon(chain, opts.mnemonic);
  const p: Pass = { chain, mnemonic: opts.mnemonic, broadcast: opts.broadcast !== false };
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
  // refunds merchants asked for (POST …/refund) of what finished checkouts left on their receivers
  await tonRefundsPass(chain, p);
}

const blocked = (s: Step, token: string | null, to: string | null, amount: bigint, purpose: BlockedStep["purpose"] = "forward"): BlockedStep => ({
  chain: s.p.chain, merchantId: s.ready.checkout.merchantId, checkoutId: s.ready.checkout.id, purpose,
  from: s.receiver.address, to, token, amount,
});

async function advance(p: Pass, ready: ReadyCheckout, group: Group): Promise<void> {
  const [receiver] = await db().select().from(receivers).where(eq(receivers.id, group.receiverId));
  const from = senderAt(p.chain, p.mnemonic, receiver.derivationIndex);
  const s: Step = { p, ready, group, receiver, from };
  if (tonKey(from.address) !== tonKey(receiver.address)) {
    return noteBlocked(blocked(s, null, null, 0n), `receiver ${receiver.address} does not derive from this instance's mnemonic at index ${receiver.derivationIndex}`);
  }
  const tokens = [...new Set(group.deposits.map((d) => d.tokenAddress))];
  const rows = await forwardRows(db(), s);
  const states = tokens.map((token) => ({ token, state: tokenState(rows.filter((r) => r.tokenAddress === token)) }));
  for (const { token, state } of states) {
    if (state.kind !== "forward" && state.kind !== "refund" && state.kind !== "blocked") continue;
    // a failed forward is not signed again until the merchant retries (POST …/retry)
    const failed = rows.find((r) => r.tokenAddress === token && r.status === "failed");
    if (failed) await noteBlocked(blocked(s, token, failed.toAddress, failed.amount), `forward ${failed.txHash ?? ""} failed (${failed.error ?? "unknown"}); retry once the cause is fixed`);
    else if (state.kind === "forward") await forwardAsset(s, token);
    else await noteBlocked(blocked(s, token, null, 0n), state.kind === "blocked" ? state.reason : "the forward failed; needs manual handling");
  }
  if (states.every((x) => isDone(x.state))) await finishGroups(s, states);
}


/** Gas fundings sent since the merchant's last retry (earlier ones were spent on the forward that failed). */
function sinceRetry(rows: OutboundRow[], s: Step): OutboundRow[] {
  const retried = s.ready.retriedAt?.getTime() ?? -Infinity;
  return rows.filter((r) => r.createdAt.getTime() >= retried);
}

/** A 64-bit query_id naming the checkout in its jetton transfer (the first 8 bytes of its UUID). */
const queryIdOf = (checkoutId: string) => BigInt(`0x${checkoutId.replace(/-/g, "").slice(0, 16)}`);

async function forwardAsset(s: Step, token: string | null): Promise<void> {
  const { p, from } = s;
  const { chain } = p;
  const to = await destinationFor(s, token);
  if (!to) return noteBlocked(blocked(s, token, null, 0n), `no settlement address for ${chain.network} (${chain.livemode ? "live" : "test"} mode): add one in Settings; funds stay on the receiver until then`);
  // one external message at a time per wallet (a gas funding to this receiver is the hot wallet's)
  if (await inFlight(chain, from.address)) return;
  const dest = parseTonAddress(to);
  const state = await stateOf(chain, from.wallet.address);
  const id = s.ready.checkout.id;
  const guard = (tx: Tx) => stillNext(tx, s, token, ["forward", "gas_funding"]);
  if (token === null) {
    if (state.balance === 0n) return noteBlocked(blocked(s, token, to, 0n), `${s.receiver.address} holds no TON yet`);
    // mode 128: everything the receiver holds, the fees out of it; deployed on the way when uninit
    const row = await signAndRecord(chain, from, state, SendMode.CARRY_ALL_REMAINING_BALANCE,
      [internal({ to: dest.address, value: 0n, bounce: dest.bounceable ?? false, body: textCell(`Tollgate ${id}`) })], {
        merchantId: s.ready.checkout.merchantId, withdrawalId: null, checkoutId: id, purpose: "forward", toAddress: to, tokenAddress: null,
        amount: state.balance, guard,
      });
    return sent(s, row, to, token);
  }
  const master = Address.parse(token);
  const { wallet: fromJetton, units } = await jettonBalanceOf(chain, master, from.wallet.address);
  if (units === 0n) return noteBlocked(blocked(s, token, to, 0n), `${s.receiver.address} holds none of ${token} yet`);
  if (state.balance < SWEEP_NEEDS) return fundGas(s, token, to, units);
  // the whole jetton balance to the destination, 1 nanoton forward so its wallet is notified with the checkout's id; the excess TON to the hot wallet
  const hot = hotSender(chain, p.mnemonic);
  const row = await signAndRecord(chain, from, state, SendMode.PAY_GAS_SEPARATELY,
    [internal({ to: fromJetton, value: JETTON_GAS + 1n, bounce: true, body: jettonTransferBody(queryIdOf(id), units, dest.address, hot.wallet.address, 1n, textCell(`Tollgate ${id}`)) })], {
      merchantId: s.ready.checkout.merchantId, withdrawalId: null, checkoutId: id, purpose: "forward", toAddress: to, tokenAddress: token, amount: units, guard,
    });
  return sent(s, row, to, token);
}

/** The hot wallet sends the receiver the TON its jetton transfer needs (once: then the forward waits for it to arrive). */
async function fundGas(s: Step, token: string, to: string, units: bigint): Promise<void> {
  const { p } = s;
  const { chain } = p;
  const fundings = sinceRetry(await db().select().from(outboundTxs).where(and(
    eq(outboundTxs.checkoutId, s.ready.checkout.id), eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode),
    eq(outboundTxs.purpose, "gas_funding"), eq(outboundTxs.toAddress, s.receiver.address), inArray(outboundTxs.status, ["signed", "broadcast", "confirmed"]))), s);
  if (fundings.length) return; // sent (or landed): the receiver's balance shows it once its message is processed
  const hot = hotSender(chain, p.mnemonic);
  if (await inFlight(chain, hot.address)) return; // the hot wallet sends one message at a time
  const hotState = await hotStateOf(chain, hot);
  if (hotState.balance - KEEP - FEE_BOUND < SWEEP_FUNDING) {
    return noteBlocked(blocked(s, token, to, units, "gas_funding"), `insufficient hot wallet balance to pay the forward's gas: ${hot.address} needs ${SWEEP_FUNDING} nanotons available`);
  }
  const id = s.ready.checkout.id;
  const [row] = await signAndRecordHot(chain, hot, hotState, [{
      message: internal({ to: s.from.wallet.address, value: SWEEP_FUNDING, bounce: false, body: textCell(`${SWEEP_GAS_PREFIX}${id}`) }),
      merchantId: s.ready.checkout.merchantId, withdrawalId: null, checkoutId: id, purpose: "gas_funding", toAddress: s.receiver.address, tokenAddress: null,
      amount: SWEEP_FUNDING,
      guard: async (tx) => {
        const [c] = await tx.select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, id)).for("update");
        if (c?.status !== "processing") return false;
        const again = await tx.select().from(outboundTxs).where(and(eq(outboundTxs.checkoutId, id), eq(outboundTxs.purpose, "gas_funding"),
          eq(outboundTxs.toAddress, s.receiver.address), inArray(outboundTxs.status, ["signed", "broadcast", "confirmed"])));
        return sinceRetry(again, s).length === 0;
      },
    }]) ?? [];
  if (row) logger.info({ network: chain.key, sessionId: id, to: s.receiver.address, amount: SWEEP_FUNDING.toString() }, "ton forward gas funding signed");
  if (row && p.broadcast) await broadcast(chain, row);
}

async function sent(s: Step, row: OutboundRow | null, to: string, token: string | null): Promise<void> {
  if (!row) return;
  logger.info({ network: s.p.chain.key, sessionId: s.ready.checkout.id, to, token, amount: row.amount.toString() }, "ton forward signed");
  if (s.p.broadcast) await broadcast(s.p.chain, row);
}

