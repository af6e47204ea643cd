// The simulation's invariants (issue 19 item 3), checked after every trial against the final
// chain (anvil, read directly) and the product's database (read only):
//  1. every transfer to a watched address is recorded exactly once, with the right amount, and
//     confirmed or reverted according to the final chain; no credit without its transfer;
//  2. no on-chain transfer out of a receiver, to a withdrawal's destination or to a refund address
//     without its outbound_txs row (confirmed, same hash); a withdrawal paid at most once and exactly
//     once when processed; nothing delivered beyond what was deposited;
//  3. every checkout ends terminal or with an explicit exception the merchant can act on;
//  4. ledger: the merchant's (available + reserved) plus what it withdrew equals what its deposit
//     addresses received on chain; the global ledger checks (ledgerProblems) and solvency;
//  5. every event reaches the (recovered) endpoint at least once, every delivery correctly signed;
//  6. seed-004 payments: none left NEW or PENDING past its expiry; a blocked payment ends BLOCKED
//     (exception `blocked`) and its funds never reach a merchant's settlement address; a refused
//     block leaves the payment to proceed (never BLOCKED); a succeeded payment delivered at least
//     its amount to the merchant's settlement address; a reusable payment's follow-ups are swept.
//     (Transfers to a payment's address are checked by 1, transfers out of it by 2.)
import { and, eq, inArray } from "drizzle-orm";
import { getAddress } from "viem";
import { checkoutActions, checkouts, deposits, events, networkStatus, outboundTxs, payments, settlementNotes, withdrawals } from "@/db/schema";
import { db } from "@/lib/db/client";
import { loadConfig } from "@/lib/config";
import { ledgerProblems } from "@/lib/ledger/invariants";
import { measureSolvency } from "@/lib/ledger/solvency";
import { headOf, rpc, transferLogs, type Receipt } from "./chain";
import { api, retrying, type PaymentRecord, type SimContext, type TrialRecord } from "./trial";
import { utxoChecks, utxoHeads, utxoUnsettled } from "./utxo";
import { CONFIRMATIONS, EXPIRY_GRACE_MS } from "./world";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** the worker expires due checkouts every second: this much slack past expiresAt before an open one counts */
const EXPIRY_SLACK_MS = 30_000;


/** What a payment's receiver still holds of the token on the final chain (transfers in − out). */
async function held(ctx: SimContext, p: PaymentRecord): Promise<bigint> {
  const chain = ctx.world.chains.find((c) => c.network === p.network)!;
  const token = getAddress(chain.usdc);
  const inflow = (await transferLogs(chain.rpcUrl, { to: p.receiver! })).filter((l) => l.token === token).reduce((a, l) => a + l.amount, 0n);
  const outflow = (await transferLogs(chain.rpcUrl, { from: p.receiver! })).filter((l) => l.token === token).reduce((a, l) => a + l.amount, 0n);
  return inflow - outflow;
}

/** A reusable payment, not blocked, finished (succeeded, or expired and paid late): its follow-ups must be swept to the merchant. */
const sweeps = (p: PaymentRecord, status: string | undefined) =>
  p.type === "REUSABLE" && p.receiver !== null && p.blockAnswer !== "blocked" && (status === "succeeded" || status === "expired");

/** What still moves for this trial (empty: quiescent). `heads`: the chains' heads when quiescence began. */
async function unsettled(ctx: SimContext, rec: TrialRecord, heads: number[], utxoStart: number[]): Promise<string[]> {
  const out: string[] = await utxoUnsettled(ctx.world.utxo, rec.utxoSessions, utxoStart, rec.merchants.map((m) => m.merchantId));
  const ids = rec.merchants.map((m) => m.merchantId);
  // every transfer deep on the chain and recorded (a worker that was down catches up), none recorded that is not on it
  const deps = await db().select({ txHash: deposits.txHash, network: deposits.network, status: deposits.status }).from(deposits).where(inArray(deposits.merchantId, ids));
  const tops = new Map<string, number>(await Promise.all(ctx.world.chains.map(async (c) => [c.network, await headOf(c.rpcUrl)] as const)));
  for (const t of rec.transfers) {
    const chain = ctx.world.chains.find((c) => c.network === t.network)!;
    const r = await rpc<Receipt | null>(chain.rpcUrl, "eth_getTransactionReceipt", [t.hash]);
    if (r && tops.get(t.network)! - Number.parseInt(r.blockNumber, 16) < CONFIRMATIONS + 1) out.push(`transfer ${t.hash} not deep yet`);
    const live = deps.filter((d) => d.network === t.network && d.txHash.toLowerCase() === t.hash.toLowerCase() && d.status !== "reverted").length;
    if ((r?.status === "0x1") !== (live > 0)) out.push(`transfer ${t.hash} ${live ? "recorded, not on chain" : "on chain, not recorded"}`);
  }
  for (const [i, c] of ctx.world.chains.entries()) {
    const [st] = await db().select({ head: networkStatus.headNumber }).from(networkStatus).where(and(eq(networkStatus.network, c.network), eq(networkStatus.livemode, false)));
    if (!st?.head || Number(st.head) < heads[i]) out.push(`the ${c.network} watcher behind block ${heads[i]}`);
  }
  const q = async (what: string, rows: Promise<unknown[]>) => { const n = (await rows).length; if (n) out.push(`${n} ${what}`); };
  await q("deposits seen, not final", db().select({ id: deposits.id }).from(deposits).where(and(inArray(deposits.merchantId, ids), eq(deposits.status, "seen"))));
  const noted = (await db().select({ id: settlementNotes.checkoutId }).from(settlementNotes).where(inArray(settlementNotes.merchantId, ids))).map((n) => n.id);
  await q("checkouts processing", db().select({ id: checkouts.id }).from(checkouts).where(and(inArray(checkouts.merchantId, ids), eq(checkouts.status, "processing")))
    .then((rows) => rows.filter((r) => !noted.includes(r.id))));
  await q("outbound transactions in flight", db().select({ id: outboundTxs.id }).from(outboundTxs).where(and(inArray(outboundTxs.merchantId, ids), inArray(outboundTxs.status, ["created", "signed", "broadcast"]))));
  // a merchant's refund or retry runs in steps (gas funding, then the transfer): between them nothing is in flight
  await q("merchant actions under way", db().select({ id: checkoutActions.id }).from(checkoutActions)
    .where(and(inArray(checkoutActions.merchantId, ids), inArray(checkoutActions.status, ["pending", "sent"]))));
  await q("withdrawals pending or processing", db().select({ id: withdrawals.id }).from(withdrawals).where(and(inArray(withdrawals.merchantId, ids), inArray(withdrawals.status, ["pending", "processing"]))));
  if (rec.payments.length) {
    const rows = await db().select({ id: payments.id, stage: payments.stage, expiresAt: payments.expiresAt, status: checkouts.status }).from(payments)
      .leftJoin(checkouts, eq(checkouts.id, payments.id)).where(inArray(payments.id, rec.payments.map((p) => p.id)));
    const now = Date.now();
    const open = rows.filter((r) => (r.status ?? r.stage) === "new" || r.status === "requires_payment_method" || r.status === "waiting_payment")
      .filter((r) => r.expiresAt.getTime() < now - EXPIRY_SLACK_MS);
    if (open.length) out.push(`${open.length} payments open past their expiry`);
    for (const p of rec.payments) {
      if (!sweeps(p, rows.find((r) => r.id === p.id)?.status ?? undefined)) continue;
      const h = await held(ctx, p);
      if (h > 0n) out.push(`reusable payment ${p.id}: ${h} not swept yet`);
    }
  }
  const evs = await db().select({ id: events.id, merchantId: events.merchantId }).from(events).where(and(inArray(events.merchantId, ids), eq(events.livemode, false)));
  const missing = evs.filter((e) => !rec.merchants.find((m) => m.merchantId === e.merchantId)!.endpoint.deliveries.some((d) => d.eventId === e.id && d.ok));
  if (missing.length) out.push(`${missing.length} events not yet delivered`);
  return out;
}

/** Drives the trial to quiescence (the miner keeps mining; the endpoints recover); returns what never settled. */
export async function quiesce(ctx: SimContext, rec: TrialRecord): Promise<string[]> {
  for (const m of rec.merchants) m.endpoint.recovered = true;
  const deadline = Date.now() + ctx.settleMs;
  const heads = await Promise.all(ctx.world.chains.map((c) => headOf(c.rpcUrl)));
  const utxoStart = await utxoHeads(ctx.world.utxo);
  for (;;) {
    const left = await retrying(() => unsettled(ctx, rec, heads, utxoStart));
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(500);
  }
}

export function checkTrial(ctx: SimContext, rec: TrialRecord, left: string[]): Promise<string[]> {
  return retrying(() => checks(ctx, rec, left));
}

async function checks(ctx: SimContext, rec: TrialRecord, left: string[]): Promise<string[]> {
  const v: string[] = [];
  const ids = rec.merchants.map((m) => m.merchantId);
  for (const l of left) v.push(`not settled after ${ctx.settleMs / 1000} s: ${l}`);
  const chainOf = (network: string) => ctx.world.chains.find((c) => c.network === network)!;

  // 1. transfers ↔ deposits
  const deps = await db().select().from(deposits).where(inArray(deposits.merchantId, ids));
  for (const t of rec.transfers) {
    const r = await rpc<Receipt | null>(chainOf(t.network).rpcUrl, "eth_getTransactionReceipt", [t.hash]);
    const rows = deps.filter((d) => d.network === t.network && d.txHash.toLowerCase() === t.hash.toLowerCase());
    const live = rows.filter((d) => d.status !== "reverted");
    if (r?.status === "0x1") {
      if (live.length !== 1) v.push(`transfer ${t.hash} (${t.amount} to ${t.to} on ${t.network}) is on the final chain and recorded ${live.length} times (${rows.map((d) => d.status).join(",") || "never"})`);
      else if (live[0].amount !== t.amount || getAddress(live[0].toAddress) !== t.to) v.push(`transfer ${t.hash}: recorded ${live[0].amount} to ${live[0].toAddress}, the chain says ${t.amount} to ${t.to}`);
      else if (live[0].status !== "confirmed") v.push(`transfer ${t.hash} is final on chain, its deposit is ${live[0].status}`);
    } else if (live.length) {
      v.push(`transfer ${t.hash} is not on the final chain${r ? " (reverted)" : ""} but its deposit is ${live.map((d) => d.status).join(",")}`);
    }
  }
  // no credit without its transfer (e.g. a second credit for one transfer); BTC/LTC outputs: ./utxo
  for (const d of deps.filter((x) => x.status === "confirmed" && ctx.world.chains.some((c) => c.network === x.network))) {
    const r = await rpc<Receipt | null>(chainOf(d.network).rpcUrl, "eth_getTransactionReceipt", [d.txHash]);
    const log = r?.status === "0x1" ? r.logs.find((l) => Number.parseInt(l.logIndex, 16) === d.logIndex) : undefined;
    const ok = log && d.tokenAddress && getAddress(log.address) === getAddress(d.tokenAddress) &&
      getAddress(`0x${log.topics[2]?.slice(26)}`) === getAddress(d.toAddress) && BigInt(log.data) === d.amount;
    if (!ok && d.tokenAddress) v.push(`deposit ${d.id} (${d.amount} ${d.assetCode}, tx ${d.txHash} log ${d.logIndex}) is confirmed without that transfer on the final chain`);
  }

  // 2. outbound: every token transfer leaving a receiver, reaching a withdrawal destination or a refund address has its confirmed row
  // Rows are committed before their transaction is broadcast: a row is looked up again after the
  // chain was read, so one signed meanwhile is found. A trial that settled has every row confirmed;
  // one that did not (already reported above) may still have it signed or broadcast.
  let outbound = await db().select().from(outboundTxs).where(inArray(outboundTxs.merchantId, ids));
  const accepted = left.length === 0 ? ["confirmed"] : ["confirmed", "signed", "broadcast", "replaced"];
  const findRow = (hash: string) => outbound.find((o) => o.txHash?.toLowerCase() === hash.toLowerCase() && accepted.includes(o.status));
  const rowFor = async (hash: string) => {
    if (!findRow(hash)) outbound = await db().select().from(outboundTxs).where(inArray(outboundTxs.merchantId, ids));
    return findRow(hash);
  };
  const receivers = [
    ...rec.sessions.map((s) => ({ what: `session ${s.id}`, ...s })),
    // a payment's destination is its merchant's settlement address
    ...rec.payments.filter((p) => p.receiver && p.settlement).map((p) => ({ what: `payment ${p.id}`, receiver: p.receiver, destination: p.settlement!, refundTo: p.refundTo })),
  ];
  for (const s of receivers) {
    for (const c of ctx.world.chains) {
      const all = [
        ...(s.receiver ? await transferLogs(c.rpcUrl, { from: s.receiver }) : []),
        ...(await transferLogs(c.rpcUrl, { to: s.destination })),
        ...(await Promise.all(s.refundTo.map((a) => transferLogs(c.rpcUrl, { to: a })))).flat(),
      ].filter((l) => !rec.transfers.some((t) => t.hash.toLowerCase() === l.hash.toLowerCase()));
      const outs = [...new Map(all.map((l) => [`${l.hash}:${l.logIndex}`, l])).values()];
      for (const l of outs) {
        if (!(await rowFor(l.hash))) v.push(`${s.what}: ${l.amount} of ${l.token} moved ${l.from} → ${l.to} on ${c.network} (tx ${l.hash}) without a confirmed outbound row`);
      }
      // nothing delivered or refunded beyond what was deposited (per token)
      if (s.receiver) {
        const inflow = await transferLogs(c.rpcUrl, { to: s.receiver });
        const out = outs.filter((l) => l.from === s.receiver);
        for (const token of new Set(out.map((l) => l.token))) {
          const i = inflow.filter((l) => l.token === token).reduce((a, l) => a + l.amount, 0n);
          const o = out.filter((l) => l.token === token).reduce((a, l) => a + l.amount, 0n);
          if (o > i) v.push(`${s.what}: ${o} of ${token} left its receiver on ${c.network}, ${i} came in`);
        }
      }
    }
  }
  for (const a of rec.settlementAddresses) {
    for (const c of ctx.world.chains) {
      for (const l of await transferLogs(c.rpcUrl, { to: a })) {
        if (!(await rowFor(l.hash))) v.push(`settlement address ${a}: ${l.amount} of ${l.token} from ${l.from} on ${c.network} (tx ${l.hash}) without a confirmed outbound row`);
      }
    }
  }
  for (const w of rec.withdrawals) {
    const c = chainOf(w.network);
    const paid = await transferLogs(c.rpcUrl, { to: w.destination });
    const [row] = w.id ? await db().select().from(withdrawals).where(eq(withdrawals.id, BigInt(w.id))) : [];
    if (w.refused) {
      const queued = await db().select({ id: withdrawals.id }).from(withdrawals).where(and(eq(withdrawals.merchantId, rec.merchants[w.merchant].merchantId), eq(withdrawals.queryId, w.queryId)));
      if (queued.length) v.push(`withdrawal ${w.queryId} was refused but queued`);
      if (paid.length) v.push(`withdrawal ${w.queryId} was refused but paid on chain`);
      continue;
    }
    if (!row) { v.push(`withdrawal ${w.queryId} (ID ${w.id}) has no row`); continue; }
    for (const l of paid) if ((await rowFor(l.hash))?.withdrawalId !== row.id) v.push(`withdrawal ${w.id}: a transfer ${l.hash} to its destination without its outbound row`);
    if (paid.length > 1) v.push(`withdrawal ${w.id} paid ${paid.length} times on chain`);
    if (row.status === "processed") {
      if (paid.length !== 1 || paid[0].amount !== w.amount || paid[0].hash.toLowerCase() !== row.txHash?.toLowerCase()) {
        v.push(`withdrawal ${w.id} is processed (${row.txHash}) but the chain shows ${paid.map((p) => `${p.amount} in ${p.hash}`).join(", ") || "no transfer"}`);
      }
    } else if (row.status === "failed" && paid.length) v.push(`withdrawal ${w.id} failed but was paid on chain`);
    else if (row.status === "pending" || row.status === "processing") v.push(`withdrawal ${w.id} ends ${row.status} (${row.reason ?? ""})`);
  }

  v.push(...await utxoChecks(ctx.world.utxo, rec.utxoSessions, accepted));

  // 3. checkouts end terminal, or with an exception the merchant can act on
  const cos = await db().select().from(checkouts).where(inArray(checkouts.merchantId, ids));
  const notes = await db().select().from(settlementNotes).where(inArray(settlementNotes.merchantId, ids));
  for (const c of cos) {
    if (["succeeded", "expired", "bounced"].includes(c.status) || c.exception) continue;
    // a settlement step that cannot go ahead says why (Settings, the dashboard): the merchant can act on it
    if (c.status === "processing" && notes.some((n) => n.checkoutId === c.id)) continue;
    const paid = deps.some((d) => d.checkoutId === c.id && d.status === "confirmed");
    // short of the amount: the payer may still top up until it expires (DOMAIN.md), the merchant may accept it
    const paidUnits = deps.filter((d) => d.checkoutId === c.id && d.status === "confirmed").reduce((a, d) => a + d.amount, 0n);
    // (a session quoted in BTC/LTC counts the coin's base units against its quote)
    if ((c.status === "waiting_payment" || c.status === "requires_payment_method") && paidUnits < (c.quoteUnits ?? c.amountUnits) && c.expiresAt > new Date()) continue;
    v.push(`checkout ${c.id} ends ${c.status} without an exception${paid ? " with confirmed deposits" : ""}`);
  }

  // a succeeded checkout delivered at least its amount on chain (to its destination or the merchant's settlement addresses)
  for (const s of rec.sessions) {
    const c = cos.find((x) => x.id === s.id);
    if (c?.status !== "succeeded" || !s.receiver) continue;
    let delivered = 0n;
    for (const chain of ctx.world.chains) {
      const outs = await transferLogs(chain.rpcUrl, { from: s.receiver });
      delivered += outs.filter((l) => l.to === s.destination || rec.settlementAddresses.includes(l.to)).reduce((a, l) => a + l.amount, 0n);
    }
    if (delivered < c.amountUnits) v.push(`checkout ${c.id} succeeded but its receiver delivered ${delivered} of ${c.amountUnits} on chain`);
  }

  // 6. seed-004 payments
  const pays = rec.payments.length ? await db().select().from(payments).where(inArray(payments.id, rec.payments.map((p) => p.id))) : [];
  for (const p of rec.payments) {
    const row = pays.find((x) => x.id === p.id);
    if (!row) { v.push(`payment ${p.id} has no row`); continue; }
    const c = cos.find((x) => x.id === p.id);
    // NEW ones here (a submitted one's checkout is checked with the others above)
    if (!c && row.stage === "new" && row.expiresAt.getTime() < Date.now() - EXPIRY_SLACK_MS) v.push(`payment ${p.id} is still NEW past its expiry`);
    if (c && (c.status === "waiting_payment" || c.status === "requires_payment_method") && c.expiresAt.getTime() < Date.now() - EXPIRY_GRACE_MS - EXPIRY_SLACK_MS) {
      v.push(`payment ${p.id} is still ${c.status} past its expiry`);
    }
    const toMerchant = async () => {
      if (!p.receiver) return [];
      const chain = chainOf(p.network!);
      return (await transferLogs(chain.rpcUrl, { from: p.receiver })).filter((l) => rec.settlementAddresses.includes(l.to));
    };
    if (p.blockAnswer === "blocked") {
      if (c ? c.status !== "bounced" || c.exception !== "blocked" : row.stage !== "blocked") {
        v.push(`payment ${p.id} was blocked (${p.block}) but ends ${c ? `${c.status} (exception ${c.exception ?? "none"})` : row.stage}`);
      }
      for (const l of await toMerchant()) v.push(`payment ${p.id} was blocked (${p.block}) but ${l.amount} went from its address to the settlement address ${l.to} (tx ${l.hash})`);
    } else if (p.blockAnswer === "refused" && (row.stage === "blocked" || row.blockedAt || c?.status === "bounced")) {
      v.push(`payment ${p.id}: the block (${p.block}) was refused (payment_not_blockable) but it ends ${c?.status ?? row.stage}${row.blockedAt ? " with blockedAt set" : ""}`);
    }
    if (c?.status === "succeeded") {
      const delivered = (await toMerchant()).filter((l) => l.to === p.settlement).reduce((a, l) => a + l.amount, 0n);
      if (delivered < c.amountUnits) v.push(`payment ${p.id} succeeded but its address delivered ${delivered} of ${c.amountUnits} to the merchant's settlement address`);
    }
    if (sweeps(p, c?.status)) {
      const h = await held(ctx, p);
      if (h !== 0n) v.push(`reusable payment ${p.id} (${c?.status}) still holds ${h} on its address: follow-ups not swept`);
    }
  }

  // 4. the merchant's ledger against the chain: what its deposit addresses received = available + reserved + paid out
  for (const [i, m] of rec.merchants.entries()) {
    const b = await api(ctx, m.key).get("/v1/balances");
    const rows = (b.json?.data ?? []) as { code: string; available: string; reserved: string; incoming: string }[];
    const codes = new Set([...rec.depositAddresses.filter((d) => d.merchant === i).map((d) => d.code), ...rows.map((r) => r.code)]);
    for (const code of codes) {
      const mine = rec.depositAddresses.filter((d) => d.merchant === i && d.code === code);
      let received = 0n;
      for (const d of mine) {
        const chain = chainOf(d.network);
        const cur = ctx.currencies.find((x) => x.code === code)!;
        received += (await transferLogs(chain.rpcUrl, { to: d.address })).filter((l) => cur.contract && l.token === getAddress(cur.contract)).reduce((a, l) => a + l.amount, 0n);
      }
      const out = (await db().select({ amount: withdrawals.amount }).from(withdrawals)
        .where(and(eq(withdrawals.merchantId, m.merchantId), eq(withdrawals.currency, code), eq(withdrawals.kind, "payout"), eq(withdrawals.status, "processed"))))
        .reduce((a, w) => a + (w.amount ?? 0n), 0n);
      const r = rows.find((x) => x.code === code);
      const owed = BigInt(r?.available ?? "0") + BigInt(r?.reserved ?? "0");
      if (owed + out !== received) v.push(`merchant ${i}: ${code} available+reserved ${owed} + paid out ${out} ≠ received on its deposit addresses ${received}`);
      if (r && BigInt(r.incoming) !== 0n) v.push(`merchant ${i}: ${code} incoming ${r.incoming} after quiescence`);
    }
  }

  // 5. webhooks: every event delivered (2xx) at least once; every delivery signed correctly
  for (const m of rec.merchants) {
    const evs = await db().select({ id: events.id, type: events.type }).from(events).where(and(eq(events.merchantId, m.merchantId), eq(events.livemode, false)));
    for (const e of evs) if (!m.endpoint.deliveries.some((d) => d.eventId === e.id && d.ok)) v.push(`event ${e.id} (${e.type}) never delivered to the recovered endpoint`);
    const bad = m.endpoint.deliveries.filter((d) => !d.validSignature);
    if (bad.length) v.push(`${bad.length} webhook deliveries with an invalid signature (${bad.map((d) => d.eventId).join(", ")})`);
  }
  return v;
}

/** The instance-wide checks: ledger rows = entries, nothing owed below zero, on-chain custody covers what is owed. */
export async function checkGlobal(): Promise<string[]> {
  const v = (await ledgerProblems(db())).map((p) => `ledger account ${p.accountId}: ${p.problem}`);
  for (const chain of loadConfig(process.env).networks.filter((c) => c.enabled && !c.livemode)) {
    let s = await measureSolvency(chain);
    // payouts in flight move between reads: a shortfall must persist to count
    for (let i = 0; i < 3 && s?.shortfalls.length; i++) { await sleep(1000); s = await measureSolvency(chain); }
    for (const a of s?.shortfalls ?? []) v.push(`solvency on ${chain.key}: ${a.asset} holds ${a.held}, owes ${a.owed}, in flight ${a.inFlight}`);
  }
  return v;
}

