// The simulation's Bitcoin and Litecoin (issue 19 on every enabled network): the regtest nodes
// (bcoin, Litecoin Core) mined by the simulation, a fault proxy in front of each for the worker,
// sessions paid in BTC or LTC at a quoted price by the node's own wallet (exact, under, under then
// topped up, over, unpaid), reorganisations within the confirmation depth (invalidateblock, new
// blocks on top; the disconnected blocks' transactions sent again, the product's own forwards
// sometimes not: the product must send them again), and the checks against the final chain:
//  - every output paying a session's receiver is recorded exactly once, with its amount, and
//    confirmed; no credit without its output on the final chain;
//  - every receiver output spent on the final chain is spent by a transaction of ours with its
//    outbound row; nothing forwarded beyond what the receiver received;
//  - a succeeded session's forward paid the merchant's settlement address on the final chain.
// (Terminal states, events, the ledger and solvency are the common checks of check.ts.)
import { randomBytes } from "node:crypto";
import { and, inArray, eq } from "drizzle-orm";
import { checkouts, deposits, networkStatus, outboundTxs } from "@/db/schema";
import { p2wpkhAddress, scriptOf } from "@/lib/chains/bitcoin/address";
import { utxoRpc, type UtxoRpc } from "@/lib/chains/bitcoin/rpc";
import { db } from "@/lib/db/client";
import type { UtxoDevnet } from "@/lib/devnet/utxo-node";
import { DEVNET_BECH32_HRP } from "@/lib/devnet/utxo-constants";
import { formatUnits, parseUnits } from "@/lib/money/units";
import { seededRandom, type FaultProxy } from "@/test/helpers/fault-proxy";

export const SIM_UTXO = ["bitcoin", "litecoin"] as const;
export type UtxoNetwork = (typeof SIM_UTXO)[number];
/** the depth the worker confirms at on these chains (BITCOIN_TEST_CONFIRMATIONS) */
export const UTXO_CONFIRMATIONS = 2;
/** prices the rate stand-in quotes (USD) */
export const UTXO_PRICES: Record<UtxoNetwork, string> = { bitcoin: "60000", litecoin: "80" };

export type SimUtxoChain = {
  network: UtxoNetwork;
  devnet: UtxoDevnet;
  node: UtxoRpc;
  wallet: UtxoRpc;
  hrp: string;
  /** the worker's view */
  proxy: FaultProxy;
  lock: <T>(fn: () => Promise<T>) => Promise<T>;
};

export type UtxoVariant = "exact" | "under" | "underTopUp" | "over" | "unpaid";
export const UTXO_VARIANTS: UtxoVariant[] = ["exact", "exact", "exact", "under", "underTopUp", "over", "unpaid"];

export type UtxoOp =
  | { kind: "utxoSession"; at: number; merchant: number; chain: number; variant: UtxoVariant; cents: number; frac: number }
  | { kind: "utxoReorg"; at: number; chain: number; depth: number; dropProduct: boolean };

/** A session paid in BTC/LTC by the trial, for the checks. */
export type UtxoSessionRecord = {
  id: string; merchant: number; network: UtxoNetwork; receiver: string | null; quoted: bigint | null; variant: UtxoVariant;
  txids: string[];
  /** the payments' signed transactions (the payer's wallet broadcasts them again when they drop out) */
  raw: Record<string, string>;
  settlement: string | null;
};

type Tx = { txid: string; hex?: string; confirmations?: number; blockhash?: string; vin: { txid?: string; vout?: number; coinbase?: string }[]; vout: { n: number; value: number; scriptPubKey: { hex: string } }[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sats = (btc: number) => BigInt(Math.round(btc * 1e8));

/** The trial's extra operations on the UTXO chains, drawn from a stream of their own (the EVM scenario stays what it was). */
export function planUtxo(rand: () => number, merchants: number): UtxoOp[] {
  const int = (n: number) => Math.floor(rand() * n);
  const ops: UtxoOp[] = [];
  const n = rand() < 0.5 ? 0 : 1 + int(2);
  for (let i = 0; i < n; i++) {
    ops.push({ kind: "utxoSession", at: int(3000), merchant: int(merchants), chain: int(SIM_UTXO.length), variant: UTXO_VARIANTS[int(UTXO_VARIANTS.length)], cents: 100 + int(4900), frac: 0.3 + rand() * 0.6 });
  }
  if (rand() < 0.15) ops.push({ kind: "utxoReorg", at: 1000 + int(6000), chain: int(SIM_UTXO.length), depth: 1 + int(UTXO_CONFIRMATIONS - 1), dropProduct: rand() < 0.4 });
  return ops;
}

/** A settlement address of the merchant on each UTXO chain: a fresh key hash nobody holds. */
export const freshUtxoAddress = (network: UtxoNetwork) => p2wpkhAddress(randomBytes(20), DEVNET_BECH32_HRP[network]);

export function utxoChain(network: UtxoNetwork, devnet: UtxoDevnet, proxy: FaultProxy, lock: SimUtxoChain["lock"]): SimUtxoChain {
  return { network, devnet, node: utxoRpc(devnet.rpcUrl), wallet: utxoRpc(devnet.walletRpcUrl), hrp: DEVNET_BECH32_HRP[network], proxy, lock };
}

/**
 * Blocks pay a key nobody holds: the payers' wallet spends only coins deep in the chain (a reorg
 * would make a young coinbase output it spent immature again, and its payment vanish).
 */
const burn = (c: SimUtxoChain) => p2wpkhAddress(new Uint8Array(20).fill(7), c.hrp);
const mineNow = (c: SimUtxoChain, n: number) => c.node.call("generatetoaddress", [n, burn(c)]);
/** Mines `n` blocks (under the chain's lock). */
export const mineUtxo = (c: SimUtxoChain, n = 1) => c.lock(() => mineNow(c, n)).then(() => {});

/**
 * Replaces the newest `depth` blocks: the oldest of them is invalidated and depth + 1 blocks are
 * mined on its parent. The disconnected blocks' transactions go back to the node (bcoin drops them,
 * Litecoin Core keeps them in its mempool) before the new blocks, except the product's own when
 * `dropProduct` (a node that lost them: the product must broadcast them again).
 */
export async function reorgUtxo(c: SimUtxoChain, depth: number, dropProduct: boolean, payerTxids: ReadonlySet<string>): Promise<{ dropped: number }> {
  return c.lock(async () => {
    const tip = await c.node.call<number>("getblockcount");
    const hashes: string[] = [];
    for (let h = tip - depth + 1; h <= tip; h++) hashes.push(await c.node.call<string>("getblockhash", [h]));
    const txs: { txid: string; hex: string }[] = [];
    for (const hash of hashes) {
      // the block's txids (bcoin and Litecoin Core agree on the default verbosity), the coinbase first
      const b = await c.node.call<{ tx: string[] }>("getblock", [hash]);
      for (const txid of b.tx.slice(1)) txs.push({ txid, hex: await c.node.call<string>("getrawtransaction", [txid]) });
    }
    await c.node.call("invalidateblock", [hashes[0]]);
    let dropped = 0;
    const mempool = new Set(await c.node.call<string[]>("getrawmempool"));
    const kept = txs.filter((t) => {
      if (payerTxids.has(t.txid) || !dropProduct) return true;
      // not sent again (Litecoin Core keeps a disconnected block's transactions in its mempool: not dropped there)
      if (!mempool.has(t.txid)) dropped++;
      return false;
    });
    const resend = async () => { for (const t of kept) if (!mempool.has(t.txid)) await c.node.call("sendrawtransaction", [t.hex]).catch(() => {}); };
    await resend();
    await mineNow(c, depth + 1);
    // again, as a wallet rebroadcasts: one spending a coinbase output that the shorter chain made immature again was refused before
    for (const id of await c.node.call<string[]>("getrawmempool")) mempool.add(id);
    await resend();
    return { dropped };
  });
}

type Api = { get: (p: string) => Promise<{ status: number; json: any; text: string }>; post: (p: string, b?: unknown) => Promise<{ status: number; json: any; text: string }> };

/** A session of `cents` USD (an EVM USDC destination) paid in the chain's coin. */
/** Returns what broke (a violation) or null; `note` gets what did not go as planned without being wrong. */
export async function utxoSessionOp(a: Api, c: SimUtxoChain, op: Extract<UtxoOp, { kind: "utxoSession" }>, s: UtxoSessionRecord, destination: { address: string; chainId: number; token: string }, onTx: (txid: string) => void, note: (m: string) => void): Promise<string | null> {
  const amountUnits = `${Math.floor(op.cents / 100)}.${String(op.cents % 100).padStart(2, "0")}`;
  const created = await a.post("/v1/sessions", {
    destination: { type: "evm", address: destination.address, chainId: destination.chainId, tokenAddress: destination.token, amountUnits },
    expiresInSeconds: 300, metadata: { sim: "utxo" },
  });
  if (created.status !== 201) throw new Error(`POST /v1/sessions: ${created.status} ${created.text}`);
  s.id = created.json.session.sessionId;
  const chosen = await a.post(`/v1/sessions/${s.id}/paymentMethods`, { paymentMethod: { type: "bitcoin", network: c.network } });
  if (!s.settlement) {
    // no settlement address on that chain: refused in the contract's shape, nothing allocated
    return chosen.status === 422 ? null : `session ${s.id}: choosing ${c.network} without a settlement address answered ${chosen.status} ${chosen.text}`;
  }
  if (chosen.status !== 200) throw new Error(`paymentMethods ${c.network}: ${chosen.status} ${chosen.text}`);
  const receiver: string = chosen.json.bitcoin.receiverAddress;
  const quoted = parseUnits(chosen.json.bitcoin.amountUnits, 8);
  s.receiver = receiver;
  s.quoted = quoted;
  const pay = async (units: bigint) => {
    // not while the chain is being reorganised: the node's own wallet, its view a step behind the
    // node's, could spend a coin the reorganisation just took away (seed 91, trial 116: a payment
    // neither the node nor the wallet could produce afterwards)
    const txid = await c.lock(async () => {
      const id = await c.wallet.call<string>("sendtoaddress", [receiver, Number(formatUnits(units, 8))]);
      // the wallet keeps a transaction the node does not take yet (Litecoin Core: non-final while a reorg
      // has the chain shorter than the wallet's anti-fee-sniping lock time) and rebroadcasts it later
      s.raw[id] = await rawOf(c, id);
      return id;
    });
    s.txids.push(txid);
    onTx(txid);
  };
  const part = (quoted * BigInt(Math.round(op.frac * 1000))) / 1000n;
  switch (op.variant) {
    case "unpaid": return null;
    case "exact": await pay(quoted); break;
    case "under": await pay(part); break;
    case "over": await pay(quoted + part); break;
    case "underTopUp": {
      await pay(part);
      // the payer tops up what the session asks for once it has seen the first payment
      const deadline = Date.now() + 60_000;
      let remaining: bigint | null = null;
      while (Date.now() < deadline) {
        const v = await a.get(`/v1/sessions/${s.id}`);
        const r = v.json?.session?.paymentMethod?.quote?.remainingUnits;
        if (typeof r === "string" && parseUnits(r, 8) < quoted) { remaining = parseUnits(r, 8); break; }
        await sleep(500);
      }
      // a worker down or a node failing may keep it from being seen that soon: the payer tops up what is missing anyway
      if (remaining === null) note(`session ${s.id}: ${c.network} payment of ${part} not seen within 60 s`);
      else if (remaining !== quoted - part) return `session ${s.id}: after ${part} of ${quoted}, the quote asks for ${remaining}`;
      await pay(quoted - part);
      break;
    }
  }
  return null;
}

/** A payer's transaction as the node or, failing that, its wallet has it; "" when neither does. */
const rawOf = (c: SimUtxoChain, txid: string): Promise<string> => c.node.call<string>("getrawtransaction", [txid])
  .catch(() => c.wallet.call<{ hex?: string }>("gettransaction", [txid]).then((w) => w.hex ?? ""))
  .catch(() => "");

async function tx(c: SimUtxoChain, txid: string): Promise<Tx | null> {
  try {
    return await c.node.call<Tx>("getrawtransaction", [txid, true]);
  } catch {
    return null;
  }
}
/** How deep the transaction is in the best chain (0: not in it). A block's own height is compared with the best chain's block there (bcoin counts confirmations of a stale block too). */
async function depthOf(c: SimUtxoChain, t: Tx | null): Promise<number> {
  if (!t?.blockhash) return 0;
  const h = await c.node.call<{ height: number }>("getblockheader", [t.blockhash, true]).catch(() => null);
  if (!h) return 0;
  const [atHeight, tip] = await Promise.all([c.node.call<string>("getblockhash", [h.height]).catch(() => null), c.node.call<number>("getblockcount")]);
  return atHeight === t.blockhash ? tip - h.height + 1 : 0;
}

/** What still moves on the UTXO chains for this trial (empty: quiescent). */
export async function utxoUnsettled(chains: SimUtxoChain[], sessions: UtxoSessionRecord[], heads: number[], merchantIds: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const [i, c] of chains.entries()) {
    const [st] = await db().select({ head: networkStatus.headNumber }).from(networkStatus).where(and(eq(networkStatus.network, c.network), eq(networkStatus.livemode, false)));
    if (!st?.head || Number(st.head) < heads[i]) out.push(`the ${c.network} watcher behind block ${heads[i]}`);
  }
  const deps = merchantIds.length ? await db().select({ txHash: deposits.txHash, status: deposits.status, network: deposits.network }).from(deposits).where(inArray(deposits.merchantId, merchantIds)) : [];
  for (const s of sessions) {
    const c = chains.find((x) => x.network === s.network)!;
    for (const txid of s.txids) {
      const t = await tx(c, txid);
      const d = await depthOf(c, t);
      // neither in a block nor waiting: broadcast again, as the payer's wallet does (and say why the node refuses it)
      let why = "";
      if (d === 0 && !(await c.node.call<string[]>("getrawmempool")).includes(txid)) {
        // the wallet rebroadcasts what it sent and is neither mined nor waiting (bcoin's node had
        // dropped one its wallet still held, seed 101 trial 524); failing that, the raw transaction
        await c.wallet.call("resendwallettransactions").catch(() => {});
        if (!s.raw[txid]) s.raw[txid] = await rawOf(c, txid);
        if ((await c.node.call<string[]>("getrawmempool")).includes(txid)) why = "; the wallet broadcast it again";
        else if (s.raw[txid]) why = await c.node.call("sendrawtransaction", [s.raw[txid]]).then(() => "; broadcast again", (e: Error) => `; the node refuses it again: ${e.message}`);
        else why = "; its raw transaction was never read";
      }
      if (d < UTXO_CONFIRMATIONS + 1) out.push(`${s.network} payment ${txid} not deep yet (${d}${why})`);
      if (!deps.some((x) => x.network === s.network && x.txHash === txid && x.status === "confirmed")) out.push(`${s.network} payment ${txid} not confirmed in the database`);
    }
  }
  return out;
}

export const utxoHeads = (chains: SimUtxoChain[]) => Promise.all(chains.map((c) => c.node.call<number>("getblockcount")));

/** The checks of the trial's UTXO sessions against the final chains. `accepted`: outbound statuses that count as the row of a transaction seen on chain. */
export async function utxoChecks(chains: SimUtxoChain[], sessions: UtxoSessionRecord[], accepted: string[]): Promise<string[]> {
  const v: string[] = [];
  const mine = sessions.filter((s) => s.receiver);
  if (!mine.length) return v;
  const ids = mine.map((s) => s.id);
  const deps = await db().select().from(deposits).where(inArray(deposits.checkoutId, ids));
  const rows = await db().select().from(outboundTxs).where(inArray(outboundTxs.checkoutId, ids));
  const cos = await db().select().from(checkouts).where(inArray(checkouts.id, ids));
  for (const s of mine) {
    const c = chains.find((x) => x.network === s.network)!;
    const script = scriptOf(s.receiver!);
    // 1. every output to the receiver on the final chain recorded once, with its amount, confirmed
    const outputs: { txid: string; vout: number; amount: bigint }[] = [];
    for (const txid of s.txids) {
      const t = await tx(c, txid);
      const final = (await depthOf(c, t)) > 0;
      const live = deps.filter((d) => d.txHash === txid && d.status !== "reverted");
      if (!final) {
        if (live.length) v.push(`${s.network} payment ${txid} is not on the final chain but recorded ${live.map((d) => d.status).join(",")}`);
        continue;
      }
      for (const o of t!.vout.filter((x) => x.scriptPubKey.hex === script)) {
        outputs.push({ txid, vout: o.n, amount: sats(o.value) });
        const rec = live.filter((d) => d.logIndex === o.n);
        if (rec.length !== 1) v.push(`${s.network} output ${txid}:${o.n} (${sats(o.value)} to ${s.receiver}) is on the final chain and recorded ${rec.length} times`);
        else if (rec[0].amount !== sats(o.value) || rec[0].toAddress !== s.receiver) v.push(`${s.network} output ${txid}:${o.n}: recorded ${rec[0].amount} to ${rec[0].toAddress}, the chain says ${sats(o.value)} to ${s.receiver}`);
        else if (rec[0].status !== "confirmed") v.push(`${s.network} output ${txid}:${o.n} is final on chain, its deposit is ${rec[0].status}`);
      }
    }
    // no credit without its output on the final chain
    for (const d of deps.filter((x) => x.checkoutId === s.id && x.status === "confirmed")) {
      if (!outputs.some((o) => o.txid === d.txHash && o.vout === d.logIndex && o.amount === d.amount)) v.push(`${s.network} deposit ${d.id} (${d.amount}, ${d.txHash}:${d.logIndex}) is confirmed without that output on the final chain`);
    }
    // 2. every receiver output spent on the final chain is spent by a transaction of ours with its row
    const mineRows = rows.filter((r) => r.checkoutId === s.id && accepted.includes(r.status) && r.txHash);
    const spenders = new Map<string, Tx>();
    for (const r of mineRows) {
      const t = await tx(c, r.txHash!);
      if (t && (await depthOf(c, t)) > 0) spenders.set(r.txHash!, t);
    }
    for (const o of outputs) {
      const unspent = await c.node.call<unknown>("gettxout", [o.txid, o.vout, true]);
      if (unspent) continue;
      const by = [...spenders.values()].filter((t) => t.vin.some((i) => i.txid === o.txid && i.vout === o.vout));
      if (by.length !== 1) v.push(`${s.network} output ${o.txid}:${o.vout} of session ${s.id} is spent, by ${by.length} transactions with an outbound row of the session (${[...spenders.keys()].join(", ") || "none"})`);
    }
    const received = outputs.reduce((a, o) => a + o.amount, 0n);
    // a forward may share its transaction with other sessions' (a batch): the rows say what is this session's, the chain that they are true
    const confirmedRows = mineRows.filter((r) => r.status === "confirmed" && spenders.has(r.txHash!));
    const forwarded = confirmedRows.reduce((a, r) => a + r.amount + (r.feeFromAmount ? r.feePaid ?? 0n : 0n), 0n);
    if (forwarded > received) v.push(`session ${s.id}: ${forwarded} left its ${s.network} receiver (with the fees it bore), ${received} came in`);
    for (const [hash, t] of spenders) {
      const all = await db().select().from(outboundTxs).where(and(eq(outboundTxs.network, s.network), eq(outboundTxs.txHash, hash), eq(outboundTxs.status, "confirmed")));
      for (const to of new Set(all.map((r) => r.toAddress))) {
        const onChain = t.vout.filter((o) => o.scriptPubKey.hex === scriptOf(to)).reduce((a, o) => a + sats(o.value), 0n);
        const rowsSay = all.filter((r) => r.toAddress === to).reduce((a, r) => a + r.amount, 0n);
        if (onChain !== rowsSay) v.push(`${s.network} transaction ${hash}: its rows pay ${to} ${rowsSay}, the chain ${onChain}`);
      }
    }
    // 3. a succeeded session paid the merchant's settlement address on the final chain
    const co = cos.find((x) => x.id === s.id);
    if (co?.status === "succeeded") {
      const toMerchant = [...spenders.values()].flatMap((t) => t.vout).filter((o) => o.scriptPubKey.hex === scriptOf(s.settlement!)).reduce((a, o) => a + sats(o.value), 0n);
      if (toMerchant === 0n) v.push(`session ${s.id} succeeded but nothing reached the merchant's ${s.network} settlement address on the final chain`);
      if (received < s.quoted! && s.variant !== "under") v.push(`session ${s.id} succeeded with ${received} of ${s.quoted} received`);
    }
    if ((s.variant === "exact" || s.variant === "over" || s.variant === "underTopUp") && outputs.length === s.txids.length && co?.status !== "succeeded" && !co?.exception) {
      v.push(`session ${s.id} (${s.variant}, ${received} of ${s.quoted} on the final chain) ends ${co?.status} without an exception`);
    }
  }
  return v;
}

export const utxoSeed = (trialSeed: number) => seededRandom(trialSeed ^ 0x5eedb7c0);
